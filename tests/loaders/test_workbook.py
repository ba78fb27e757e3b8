"""A county office's whole workbook, and which sheet is read as which table (names, hidden sheets, clashes)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter

from graph.dataformat import BY_NAME
from tests.loaders.ledgers import Grid, col, grids, notes, refused, same_as_clean, write_book

#: how an office names its sheets (Chinese names, numbering, 台账/名单, stray spaces)
SHEET_NAMES = {"streets": "1.街道", "communities": "社区信息", "compounds": " 小区 ", "grids": "网格台账",
               "buildings": "楼栋", "party_orgs": "党组织", "people": "人员名单", "grid_assignments": "网格员名单",
               "community_staff": "社区工作者", "central_households": "党员中心户", "agencies": "机关单位",
               "pairings": "单位双报到", "member_reports": "在职党员双报到", "baolian": "单位包联社区",
               "projects": "书记项目", "departments": "部门", "demands": "群众诉求"}
HEADER_STYLE = {"编号": "编\u3000号", "所属社区": "所属\n社区", "户数": "户数（户）", "社区工作经费": "社区工作经费（元）",
                "名称": "名 称"}
NUMBERS = {"households", "population", "people", "linked_households", "satisfaction", "service_center_m2",
           "work_funds", "service_funds"}


def typed(table: str, name: str, value: str, i: int) -> Any:
    """A cell as an office's workbook holds it: numbers as numbers, dates as dates typed three ways."""
    if value == "":
        return None
    if name in NUMBERS:
        return float(value) if "." in value else int(value)
    kind = BY_NAME[table].column(name).type
    if kind == "date":
        d = date.fromisoformat(value)
        return [datetime(d.year, d.month, d.day), f"{d.year}年{d.month}月{d.day}日", (d - date(1899, 12, 30)).days][i % 3]
    if kind == "datetime":
        t = datetime.fromisoformat(value)
        return [t, f"{t.year}/{t.month}/{t.day} {t.hour}:{t.minute:02d}"][i % 2]
    return value


def office_sheet(table: str, rows: Grid) -> tuple[Grid, list[str]]:
    """Title rows, 序号 and 备注 columns, Chinese headers spaced for looks, a totals row, trailing blank rows."""
    head = [HEADER_STYLE.get(BY_NAME[table].column(h).zh, BY_NAME[table].column(h).zh) for h in rows[0]]
    width = len(head) + 2
    out: Grid = [[f"乐亭县{BY_NAME[table].zh}台账"] + [None] * (width - 1),
                 ["填报单位：县委组织部", None, None, "填报日期：2026年11月"] + [None] * (width - 4),
                 ["序号"] + head + ["备注"]]
    for i, r in enumerate(rows[1:]):
        out.append([i + 1] + [typed(table, h, v, i) for h, v in zip(rows[0], r, strict=True)] + [None])
    if table in ("communities", "buildings"):
        out.append(["合计"] + [None] * (width - 1))
    out += [[None] * width, [" "] * width]
    return out, [f"A1:{get_column_letter(width)}1"]


def test_county_office_workbook_gives_the_clean_report(tmp_path: Path) -> None:
    clean = grids(tmp_path)
    sheets: dict[str, Grid] = {"填表说明": [["请按表填写，不要修改表头"], ["编号不可重复"]]}
    merges = {}
    for table in reversed(list(clean)):                              # any order
        sheets[SHEET_NAMES[table]], merges[SHEET_NAMES[table]] = office_sheet(table, clean[table])
    old = [list(r) for r in clean["grid_assignments"][:5]]          # last year's list, hidden, named as the table
    sheets["网格员"] = old
    book = write_book(tmp_path / "乐亭县台账.xlsx", sheets, hidden=("网格员",), merges=merges)
    ds = same_as_clean(tmp_path, book)
    lines = notes(ds)
    assert sum("title row(s) above the header (2)" in line for line in lines) == len(clean)
    assert any("工作表「网格员名单」" in line and "read as table grid_assignments" in line for line in lines)
    assert any("工作表「网格员」" in line and "hidden sheet skipped" in line for line in lines)
    assert sum("totals row" in line for line in lines) == 2
    assert any("填表说明" in line and "help sheet" in line for line in lines)
    assert any("Excel date serial" in line for line in lines)
    assert any("local date styles" in line for line in lines)
    entries = {e.sheet: e for e in ds.reading.entries}
    assert entries["社区信息"].table == "communities" and entries["社区信息"].header_row == 3
    assert entries["社区信息"].rows == len(clean["communities"]) - 1


def test_two_visible_sheets_for_one_table_are_refused_naming_both(tmp_path: Path) -> None:
    sheets = grids(tmp_path)
    sheets["网格"] = sheets["grids"]
    problems = refused(write_book(tmp_path / "b.xlsx", sheets))
    clash = [p for p in problems if "all stand for table grids" in p.en]
    assert len(clash) == 1 and "grids, 网格" in clash[0].en and clash[0].file == "b.xlsx"
    assert all("table grids is missing" in p.en or "grids (网格) is missing" in p.en for p in problems
               if p is not clash[0])


def test_a_hidden_sheet_alone_is_read_with_a_warning(tmp_path: Path) -> None:
    sheets = grids(tmp_path)
    ds = same_as_clean(tmp_path, write_book(tmp_path / "b.xlsx", sheets, hidden=("baolian",)))
    assert any(n.sheet == "baolian" and "read a hidden sheet" in n.en for n in ds.reading.warnings)


def test_an_unrecognised_sheet_is_named_never_dropped_in_silence(tmp_path: Path) -> None:
    sheets = grids(tmp_path)
    sheets["包联情况（新）"] = sheets.pop("baolian")               # an optional table under a name nobody knows
    ds = load_and_notes(tmp_path, write_book(tmp_path / "b.xlsx", sheets))
    assert any("包联情况（新）" in line and "not recognised" in line for line in ds)


def load_and_notes(tmp_path: Path, path: Path) -> list[str]:
    from loaders.validate import load_dataset

    return notes(load_dataset(path))


def test_sheet_cells_as_openpyxl_and_calamine_read_them_agree(tmp_path: Path) -> None:
    from loaders.workbook import read_sheets

    clean = grids(tmp_path)
    sheets = {}
    merges = {}
    for table in ("communities", "pairings", "demands"):
        sheets[table], merges[table] = office_sheet(table, clean[table])
    sheets["communities"][4][col("communities", "population") + 1] = "#N/A"
    sheets["communities"][5][col("communities", "households") + 1] = "=1+2"
    data = write_book(tmp_path / "b.xlsx", sheets, merges=merges).read_bytes()
    a, b = read_sheets(data, None, "calamine"), read_sheets(data, None, "openpyxl")
    strip = lambda rows: [[v.strip() for v in r][: max((j + 1 for j, v in enumerate(r) if v.strip()), default=0)]  # noqa: E731
                          for r in rows]
    assert [(s.title, strip(s.rows), s.merged) for s in a] == [(s.title, strip(s.rows), s.merged) for s in b]
    wb = openpyxl.load_workbook(tmp_path / "b.xlsx")
    assert wb["communities"]["A1"].value.startswith("乐亭县")


def test_an_empty_sheet_or_file_of_an_optional_table_is_read_as_not_given(tmp_path: Path) -> None:
    from loaders.validate import load_dataset
    from tests.loaders.ledgers import write_folder

    sheets = grids(tmp_path)
    sheets["projects"] = []
    ds = load_dataset(write_book(tmp_path / "b.xlsx", sheets))
    assert not ds.has("projects")
    assert any(n.sheet == "projects" and "empty" in n.en for n in ds.reading.warnings)
    folder = write_folder(tmp_path, sheets)
    assert not load_dataset(folder).has("projects")
