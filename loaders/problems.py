"""One problem (a reason to refuse) or notice (what was normalised) in a data set, 中文 and English."""

from __future__ import annotations

import unicodedata
from dataclasses import asdict, dataclass
from typing import Any

#: characters shown by their code point in messages: they cannot be seen (or look like a space)
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Zs", "Co", "Cn"}


def visible(text: str) -> str:
    """``text`` with invisible characters written as ``<U+XXXX>`` (an ordinary space stays a space).

    >>> visible("S1\\u200b")
    'S1<U+200B>'
    >>> visible("编\\u3000号 a")
    '编<U+3000>号 a'
    """
    if text.isascii() and text.isprintable():
        return text
    return "".join(f"<U+{ord(ch):04X}>" if ch != " " and unicodedata.category(ch) in _INVISIBLE_CATEGORIES else ch
                   for ch in text)


def _where(file: str, sheet: str, table: str, row: int, column: str, header: str, zh: bool) -> str:
    place = file or table
    col = column if not header or header == column else f"{column}（「{visible(header)}」）"
    if zh:
        parts = [place] + ([f"工作表「{visible(sheet)}」"] if sheet else []) + ([f"第 {row} 行"] if row else []) \
            + ([f"{col} 列"] if column else [])
        return " ".join(parts)
    col = column if not header or header == column else f'{column} ("{visible(header)}")'
    bits = [place] + ([f"sheet {visible(sheet)}"] if sheet else []) + ([f"row {row}"] if row else []) \
        + ([f"column {col}"] if column else [])
    return ", ".join(bits)


@dataclass(frozen=True)
class Problem:
    """A reason to refuse a data set.

    ``row`` is the spreadsheet row (header = row 1 unless title rows stand above it); 0 when the problem
    concerns a whole table or file. ``sheet`` names the workbook sheet (empty for CSV), ``header`` the
    column's heading as written in the file when it differs from the code name.

    >>> p = Problem("grids", 3, "kind", "x", "类型不在取值范围内", "value not allowed", "grids.csv")
    >>> p.where_zh()
    'grids.csv 第 3 行 kind 列'
    >>> Problem("people", 4, "id", "P\\u200b", "编号重复", "duplicate id", "a.xlsx", "人员").line()
    'a.xlsx 工作表「人员」 第 4 行 id 列「P<U+200B>」：编号重复 / a.xlsx, sheet 人员, row 4, column id: duplicate id'
    """

    table: str
    row: int
    column: str
    value: str
    zh: str
    en: str
    file: str = ""
    sheet: str = ""
    header: str = ""

    def where_zh(self) -> str:
        return _where(self.file, self.sheet, self.table, self.row, self.column, self.header, True)

    def where_en(self) -> str:
        return _where(self.file, self.sheet, self.table, self.row, self.column, self.header, False)

    def line(self) -> str:
        """One printable line: 中文 first, English beside it."""
        val = f"「{visible(self.value)}」" if self.value else ""
        return f"{self.where_zh()}{val}：{self.zh} / {self.where_en()}: {self.en}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Notice:
    """Something read and accepted with a normalisation (``level`` "info") or a warning ("warning").

    ``count`` is how many cells or rows it concerns; ``row``/``value`` name the first one.

    >>> Notice("people", "去除编号首尾空格", "trimmed ids", "people.csv", count=12, row=3, column="id").line()
    'people.csv 第 3 行起 id 列：去除编号首尾空格 12 处 / people.csv, from row 3, column id: trimmed ids (12)'
    """

    table: str
    zh: str
    en: str
    file: str = ""
    sheet: str = ""
    row: int = 0
    column: str = ""
    value: str = ""
    count: int = 1
    level: str = "info"

    def line(self) -> str:
        place = self.file or self.table
        zh_parts = [place] + ([f"工作表「{visible(self.sheet)}」"] if self.sheet else [])
        en_parts = [place] + ([f"sheet {visible(self.sheet)}"] if self.sheet else [])
        many = self.count > 1
        if self.row:
            zh_parts.append(f"第 {self.row} 行" + ("起" if many else ""))
            en_parts.append(f"{'from ' if many else ''}row {self.row}")
        if self.column:
            zh_parts.append(f"{self.column} 列")
            en_parts.append(f"column {self.column}")
        val = f"「{visible(self.value)}」" if self.value else ""
        zh_n = f" {self.count} 处" if many else ""
        en_n = f" ({self.count})" if many else ""
        return f"{' '.join(zh_parts)}{val}：{self.zh}{zh_n} / {', '.join(en_parts)}: {self.en}{en_n}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
