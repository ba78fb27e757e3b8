"""What was read: each file or sheet → table, rows, header row, what was normalised; printed for the command line.

Everything printed from the data is escaped for rich markup (a value ``[/bold]`` is shown, not obeyed).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from loaders.problems import Notice, visible

if TYPE_CHECKING:
    from loaders.read import RawDataset


@dataclass
class Entry:
    """One file or sheet that was read as a table."""

    file: str
    sheet: str
    table: str
    rows: int
    header_row: int
    how: str
    normalised: list[str] = field(default_factory=list)


@dataclass
class Reading:
    """Every file or sheet read, and every notice (normalisations and warnings), in reading order."""

    entries: list[Entry]
    notices: list[Notice]

    @classmethod
    def of(cls, raw: RawDataset, notices: list[Notice]) -> Reading:
        entries = []
        for rt in raw.tables.values():
            mine = [n for n in notices if n.table == rt.name and n.file == rt.file and n.sheet == rt.sheet]
            short = [f"{n.zh}{f' {n.count}' if n.count > 1 else ''}" for n in mine]
            entries.append(Entry(rt.file, rt.sheet, rt.name, len(rt.rows), rt.header_row, rt.how, short))
        return cls(entries, notices)

    @property
    def warnings(self) -> list[Notice]:
        return [n for n in self.notices if n.level == "warning"]

    def to_dict(self) -> dict[str, Any]:
        return {"entries": [asdict(e) for e in self.entries], "notices": [n.to_dict() for n in self.notices]}


def print_reading(console: Console, reading: Reading | None) -> None:
    """The "what I read" table."""
    if reading is None or not reading.entries:
        return
    t = Table(title="读取情况 / what was read", title_justify="left", show_lines=False)
    for head in ("文件 / file", "工作表 / sheet", "表 / table", "行 / rows", "表头行 / header row",
                 "规范化 / normalised"):
        t.add_column(head)
    for e in reading.entries:
        how = f"（{e.how}）" if e.how and e.how != "xlsx" else ""
        norm = "；".join(e.normalised) if e.normalised else "—"
        t.add_row(escape(visible(e.file)), escape(visible(e.sheet)) or "—", escape(e.table) + escape(how),
                  str(e.rows), str(e.header_row), escape(visible(norm)))
    console.print(t)


def print_notices(console: Console, reading: Reading | None, limit: int = 60) -> None:
    """Every notice (up to ``limit``): warnings first, then the normalisations."""
    if reading is None or not reading.notices:
        return
    ordered = reading.warnings + [n for n in reading.notices if n.level != "warning"]
    console.print(f"注意事项 / notices: {len(ordered)}（警告 / warnings: {len(reading.warnings)}）", highlight=False)
    for n in ordered[:limit]:
        mark = "⚠" if n.level == "warning" else "·"
        console.print(f"  {mark} {escape(n.line())}", highlight=False, soft_wrap=True)
    if len(ordered) > limit:
        console.print(f"  … 另有 {len(ordered) - limit} 条 / {len(ordered) - limit} more", highlight=False)


def print_refusal(console: Console, exc: Any, limit: int = 200) -> None:
    """A refusal (graph.errors.DataRefused): what was read, then every problem (up to ``limit``), 中文 first."""
    print_reading(console, getattr(exc, "reading", None))
    console.print(f"[red]{escape(exc.zh)}[/red]\n{escape(exc.en)}", highlight=False)
    for p in exc.problems[:limit]:
        console.print(f"  • {escape(p.line())}", highlight=False, soft_wrap=True)
    if len(exc.problems) > limit:
        more = len(exc.problems) - limit
        console.print(f"  … 另有 {more} 处问题 / {more} more", highlight=False)
