"""One problem found in a data set, in Chinese and English, with file, table, row and column."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Problem:
    """A reason to refuse a data set.

    ``row`` is the spreadsheet row (header = row 1); 0 when the problem concerns a whole table or file.

    >>> p = Problem("grids", 3, "kind", "x", "类型不在取值范围内", "value not allowed", "grids.csv")
    >>> p.where_zh()
    'grids.csv 第 3 行 kind 列'
    """

    table: str
    row: int
    column: str
    value: str
    zh: str
    en: str
    file: str = ""

    def where_zh(self) -> str:
        place = self.file or self.table
        parts = [place]
        if self.row:
            parts.append(f"第 {self.row} 行")
        if self.column:
            parts.append(f"{self.column} 列")
        return " ".join(parts)

    def where_en(self) -> str:
        place = self.file or self.table
        bits = [place] + ([f"row {self.row}"] if self.row else []) + ([f"column {self.column}"] if self.column else [])
        return ", ".join(bits)

    def line(self) -> str:
        """One printable line: 中文 first, English beside it."""
        val = f"「{self.value}」" if self.value else ""
        return f"{self.where_zh()}{val}：{self.zh} / {self.where_en()}: {self.en}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
