"""What was read: each file or sheet → table, rows, header row, what was normalised; printed for the command line.

Everything printed from the data is escaped for rich markup (a value ``[/bold]`` is shown, not obeyed).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from rich import box
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
            tags: dict[str, int] = {}
            for n in notices:
                if n.table == rt.name and n.file == rt.file and n.sheet == rt.sheet:
                    tag = _tag(n)
                    if tag:
                        tags[tag] = tags.get(tag, 0) + (len(rt.ignored) if tag == "忽略列" else n.count)
            short = [f"{tag} {k}" for tag, k in tags.items()]
            entries.append(Entry(rt.file, rt.sheet, rt.name, len(rt.rows), rt.header_row, rt.how, short))
        return cls(entries, notices)

    @property
    def warnings(self) -> list[Notice]:
        return [n for n in self.notices if n.level == "warning"]

    def to_dict(self) -> dict[str, Any]:
        return {"entries": [asdict(e) for e in self.entries], "notices": [n.to_dict() for n in self.notices]}


#: a notice's English text (its start) -> the short tag the "what I read" table counts
TAGS = (("skipped title row", "标题行"), ("skipped a second header", "第二表头行"), ("skipped repeated header", "重复表头行"),
        ("skipped a totals row", "合计行"), ("a two-row header", "两行表头"), ("merged cell", "合并单元格"),
        ("ignored columns", "忽略列"), ("data lines end with a delimiter", "行尾分隔符"),
        ("duplicated row collapsed", "重复行"), ("trimmed ids", "去空格"), ("removed invisible", "不可见字符"),
        ("full-width", "全角"), ("placeholders", "占位符"), ("thousands", "千分位"), ("Excel date serial", "日期序号"),
        ("local date styles", "日期写法"), ("times with a UTC offset", "时区换算"), ("a time of day", "日期含时刻"),
        ("yes/no spellings", "是/否写法"), ("enumeration values", "取值写法"), ("read a hidden sheet", "隐藏表"))


def _tag(n: Notice) -> str | None:
    return next((tag for start, tag in TAGS if n.en.startswith(start)), None)


def print_reading(console: Console, reading: Reading | None) -> None:
    """The "what I read" table: each file or sheet → table, rows, header row, what was normalised."""
    if reading is None or not reading.entries:
        return
    files = sorted({e.file for e in reading.entries})
    one_book = len(files) == 1 and any(e.sheet for e in reading.entries)
    title = f"读取情况 / what was read{f'：{files[0]}' if one_book else ''}"
    t = Table(title=escape(visible(title)), title_justify="left", expand=False, box=box.SIMPLE_HEAD, pad_edge=False)
    t.add_column("工作表/sheet" if one_book else "文件/file", overflow="fold")
    t.add_column("表/table", overflow="fold")
    t.add_column("行/rows", justify="right")
    t.add_column("表头/header", justify="right")
    t.add_column("规范化/normalised", overflow="fold")
    for e in reading.entries:
        where = e.sheet if one_book else e.file + (f"[{e.sheet}]" if e.sheet else "")
        how = f" ({e.how})" if e.how and e.how != "xlsx" else ""
        norm = ", ".join(e.normalised) if e.normalised else "—"
        t.add_row(escape(visible(where)), escape(e.table + how), str(e.rows),
                  str(e.header_row) if e.header_row else "—", escape(visible(norm)))
    console.print(t)


def print_notices(console: Console, reading: Reading | None, limit: int = 60) -> None:
    """Every warning, and the notices the "what I read" table does not already count (up to ``limit``)."""
    if reading is None or not reading.notices:
        return
    rest = [n for n in reading.notices if n.level != "warning" and "read as table" not in n.en
            and (_tag(n) is None or n.en.startswith("ignored columns"))]
    shown = reading.warnings + rest
    counted = len(reading.notices) - len(shown)
    console.print(f"注意 / notices: 警告 / warnings {len(reading.warnings)}"
                  f"{f'；另有 {counted} 条规范化已计入上表 / {counted} more counted in the table above' if counted else ''}",
                  highlight=False)
    for n in shown[:limit]:
        mark = "⚠" if n.level == "warning" else "·"
        console.print(f"  {mark} {escape(n.line())}", highlight=False, soft_wrap=True)
    if len(shown) > limit:
        console.print(f"  … 另有 {len(shown) - limit} 条 / {len(shown) - limit} more", highlight=False)


def print_refusal(console: Console, exc: Any, limit: int = 200) -> None:
    """A refusal (graph.errors.DataRefused): what was read, then every problem (up to ``limit``), 中文 first."""
    print_reading(console, getattr(exc, "reading", None))
    console.print(f"[red]{escape(exc.zh)}[/red]\n{escape(exc.en)}", highlight=False)
    for p in exc.problems[:limit]:
        console.print(f"  • {escape(p.line())}", highlight=False, soft_wrap=True)
    if len(exc.problems) > limit:
        more = len(exc.problems) - limit
        console.print(f"  … 另有 {more} 处问题 / {more} more", highlight=False)
