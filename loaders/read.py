"""Read a data set's container (a folder of CSV files or one .xlsx workbook) into raw text tables.

Which sheet or file is which table: its code name, Chinese name or an alias (``table_of``). Two visible sheets
(or two files) for one table are refused; a hidden sheet is read only when no visible one holds its table;
every sheet or file not read is named in a notice.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path

from graph.dataformat import BY_NAME
from loaders.csvfile import decode, read_csv_file
from loaders.grid import RawTable, to_table
from loaders.names import is_help, table_of
from loaders.problems import Notice, Problem

__all__ = ["RawDataset", "RawTable", "decode", "read_container", "read_csv_folder", "read_workbook"]
log = logging.getLogger(__name__)
CSV_SUFFIXES = (".csv", ".txt", ".tsv")


@dataclass
class RawDataset:
    tables: dict[str, RawTable]
    fingerprint: str
    source: str
    problems: list[Problem]
    notices: list[Notice] = field(default_factory=list)


def _two_for_one(table: str, places: list[str], file: str, kind_zh: str, kind_en: str) -> Problem:
    names = "」「".join(places)
    return Problem(table, 0, "", "", f"{kind_zh}「{names}」都对应表 {BY_NAME[table].zh}（{table}），无法判断用哪一个："
                   f"请删除或改名其一", f"{kind_en} {', '.join(places)} all stand for table {table}: "
                   f"remove or rename all but one", file)


def _unrecognised(name: str, file: str, sheet: str) -> Notice:
    if is_help(name):
        return Notice("", "说明页，已跳过", "a help sheet: skipped", file, sheet)
    return Notice("", f"未识别的{'工作表' if sheet else '文件'}，已忽略（若它是一个表，请以表名命名，如 grids 或 网格）",
                  "not recognised as a table: ignored (name it after its table, e.g. grids or 网格)", file, sheet,
                  level="warning")


def _empty(table: str, file: str, sheet: str) -> Notice:
    return Notice(table, "内容为空，视为未提供此表", "empty: read as if the table were not given", file, sheet,
                  level="warning")


def read_csv_folder(folder: Path) -> RawDataset:
    """Read one file per table (``.csv``, or ``.txt``/``.tsv`` as Excel saves "Unicode 文本") from ``folder``."""
    problems: list[Problem] = []
    notices: list[Notice] = []
    tables: dict[str, RawTable] = {}
    digest = hashlib.sha256()
    by_table: dict[str, list[Path]] = {}
    for path in sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in (".xlsx", ".xlsm", ".xls")):
        notices.append(Notice("", "文件夹中的工作簿未读取：请单独校验它，或把它的表另存为 CSV",
                              "a workbook in a CSV folder is not read: validate it on its own, or save its sheets "
                              "as CSV", path.name, level="warning"))
    for path in sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in CSV_SUFFIXES):
        data = path.read_bytes()
        digest.update(path.name.encode() + b"\0" + data + b"\0")
        table = table_of(path.stem)
        if table is None:
            notices.append(_unrecognised(path.stem, path.name, ""))
            continue
        by_table.setdefault(table, []).append(path)
    for table, paths in by_table.items():
        if len(paths) > 1:
            problems.append(_two_for_one(table, [p.name for p in paths], paths[0].name, "文件", "files"))
            continue
        path = paths[0]
        if path.stem != table:
            notices.append(Notice(table, f"文件按表 {table} 读取", f"file read as table {table}", path.name))
        data = path.read_bytes()
        if not data.strip(b" \t\r\n\xef\xbb\xbf\xff\xfe\x00"):
            notices.append(_empty(table, path.name, ""))
            continue
        raw = read_csv_file(table, path.name, data, problems)
        if raw is not None:
            tables[table] = raw
    return RawDataset(tables, digest.hexdigest(), str(folder), problems, notices)


def read_workbook(path: Path, engine: str = "calamine") -> RawDataset:
    """Read one sheet per table from an .xlsx workbook (``engine``: calamine, or openpyxl to compare)."""
    from loaders.workbook import read_sheets

    problems: list[Problem] = []
    notices: list[Notice] = []
    data = path.read_bytes()
    fingerprint = hashlib.sha256(data).hexdigest()
    file = path.name
    try:
        sheets = read_sheets(data, None, engine)
    except Exception as exc:  # a broken package raises many kinds (zip, XML, calamine's own)
        problems.append(Problem("", 0, "", "", f"无法读取工作簿：{exc}", f"cannot read the workbook: {exc}", file))
        return RawDataset({}, fingerprint, str(path), problems)
    chosen = _choose_sheets(file, [(s.title, s.hidden, not s.empty) for s in sheets], problems, notices)
    tables = {}
    for sheet in sheets:
        table = chosen.get(sheet.title)
        if table is None:
            continue
        if sheet.empty:
            notices.append(_empty(table, file, sheet.title))
            continue
        raw = to_table(table, file, sheet.title, sheet.rows, None, problems, sheet.merged)
        raw.how = "xlsx" + (", 隐藏 / hidden" if sheet.hidden else "")
        tables[table] = raw
    return RawDataset(tables, fingerprint, str(path), problems, notices)


def _choose_sheets(file: str, states: list[tuple[str, bool, bool]], problems: list[Problem],
                   notices: list[Notice]) -> dict[str, str]:
    """Sheet title -> table for the sheets to read; notices for the others, problems for clashes."""
    by_table: dict[str, list[tuple[str, bool]]] = {}
    for title, is_hidden, filled in states:
        table = table_of(title)
        if table is None:
            if filled:
                notices.append(_unrecognised(title, file, title))
            continue
        by_table.setdefault(table, []).append((title, is_hidden))
    chosen: dict[str, str] = {}
    for table, found in by_table.items():
        shown = [t for t, h in found if not h]
        hidden = [t for t, h in found if h]
        pick = shown if shown else hidden
        if len(pick) > 1:
            problems.append(_two_for_one(table, pick, file, "工作表", "sheets"))
            continue
        title = pick[0]
        chosen[title] = table
        if title != table:
            notices.append(Notice(table, f"工作表按表 {table} 读取", f"sheet read as table {table}", file, title))
        if not shown:
            notices.append(Notice(table, "读取了隐藏的工作表（没有同名的可见工作表）",
                                  "read a hidden sheet (no visible sheet holds this table)", file, title,
                                  level="warning"))
        for h in hidden if shown else []:
            notices.append(Notice(table, f"隐藏的工作表已跳过：可见的工作表「{title}」已对应此表",
                                  f"hidden sheet skipped: the visible sheet {title} holds this table", file, h,
                                  level="warning"))
    return chosen


def read_container(path: Path) -> RawDataset:
    """Read a folder of CSV files or an .xlsx workbook."""
    if path.is_dir():
        return read_csv_folder(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return read_workbook(path)
    raise FileNotFoundError(f"{path}: not a folder of CSV files nor an .xlsx workbook")
