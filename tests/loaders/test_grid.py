"""The layout of a sheet: title rows, two-row headers, the template's second header row, 序号/备注, blank rows,
totals rows, repeated headers, merged data cells — accepted with the clean form's findings, or refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from graph.dataformat import BY_NAME
from tests.loaders.ledgers import Grid, col, grids, notes, refused, same_as_clean, write_book


def chinese(table: str, rows: Grid) -> Grid:
    """The header in Chinese."""
    return [[BY_NAME[table].column(h).zh for h in rows[0]]] + rows[1:]


def titled(rows: Grid, title: str) -> Grid:
    width = len(rows[0])
    return [[title] + [None] * (width - 1), [None] * width] + rows


def numbered(rows: Grid) -> Grid:
    """A 序号 column first and a 备注 column last."""
    return [["序号"] + rows[0] + ["备注"]] + [[i + 1] + r + ["已核实" if i % 3 == 0 else ""]
                                              for i, r in enumerate(rows[1:])]


def test_title_rows_index_and_note_columns_blank_rows(tmp_path: Path) -> None:
    sheets: dict[str, Grid] = {}
    merges: dict[str, list[str]] = {}
    for t, rows in grids(tmp_path).items():
        rows = numbered(chinese(t, rows))
        rows = titled(rows, f"乐亭县{BY_NAME[t].zh}台账（2026年）") + [[None] * len(rows[0])] * 3 + [["   ", "\u3000"]]
        sheets[t] = rows
        merges[t] = [f"A1:{get_column_letter(len(rows[2]))}1"]
    ds = same_as_clean(tmp_path, write_book(tmp_path / "b.xlsx", sheets, merges=merges))
    assert sum("title row(s) above the header (2)" in line for line in notes(ds)) == len(sheets)
    assert any("序号" in line and "备注" in line and "ignored columns" in line for line in notes(ds))
    assert {e.header_row for e in ds.reading.entries} == {3}


def test_two_row_header_with_merged_group_cells(tmp_path: Path) -> None:
    sheets: dict[str, Grid] = grids(tmp_path)
    head = sheets["grids"][0]          # id name kind community_id street_id households people
    top = ["编号", "名称", "类型", "所属", None, "规模", None]
    sub = [None, None, None, "社区", "街道", "户数（户）", "人数（人）"]
    assert head == ["id", "name", "kind", "community_id", "street_id", "households", "people"]
    sheets["grids"] = [top, sub] + sheets["grids"][1:]
    merges = {"grids": ["A1:A2", "B1:B2", "C1:C2", "D1:E1", "F1:G1"]}
    ds = same_as_clean(tmp_path, write_book(tmp_path / "b.xlsx", sheets, merges=merges))
    assert any("grids" in line and "two-row header" in line for line in notes(ds))


def test_template_second_header_row_left_in(tmp_path: Path) -> None:
    sheets = {t: [rows[0], chinese(t, rows)[0]] + rows[1:] for t, rows in grids(tmp_path).items()}
    ds = same_as_clean(tmp_path, write_book(tmp_path / "b.xlsx", sheets))
    assert sum("second header row" in line for line in notes(ds)) == len(sheets)


def test_totals_rows_and_repeated_headers_are_skipped_with_a_warning(tmp_path: Path) -> None:
    sheets: dict[str, Any] = grids(tmp_path)
    comm = numbered(sheets["communities"])
    width = len(comm[0])
    comm.insert(3, ["小计", None, None, None, 1234] + [None] * (width - 5))
    comm.append(["合 计"] + [None] * (width - 1))
    sheets["communities"] = comm
    people = sheets["people"]
    sheets["people"] = people[:5] + [people[0]] + people[5:]          # a second block pasted with its header
    ds = same_as_clean(tmp_path, write_book(tmp_path / "b.xlsx", sheets))
    lines = notes(ds)
    assert any("第 4 行" in line and "小计" in line and "totals row" in line for line in lines)
    assert any("合 计" in line for line in lines)
    assert any("people" in line and "repeated header row(s) 6" in line for line in lines)


def test_parent_id_merged_over_rows_is_filled_down(tmp_path: Path) -> None:
    sheets: dict[str, Grid] = grids(tmp_path)
    rows = sheets["buildings"]
    g = col("buildings", "grid_id")
    merges, start = [], 1
    for i in range(2, len(rows) + 1):
        if i == len(rows) or rows[i][g] != rows[start][g]:
            if i - start > 1:
                merges.append(f"{get_column_letter(g + 1)}{start + 1}:{get_column_letter(g + 1)}{i}")
                for k in range(start + 1, i):
                    rows[k][g] = None
            start = i
    assert merges
    ds = same_as_clean(tmp_path, write_book(tmp_path / "b.xlsx", sheets, merges={"buildings": merges}))
    assert any("buildings" in line and "filled down" in line for line in notes(ds))


def test_value_merged_across_columns_is_refused(tmp_path: Path) -> None:
    sheets = grids(tmp_path)
    sheets["streets"][1][2] = None
    problems = refused(write_book(tmp_path / "b.xlsx", sheets, merges={"streets": ["B2:C2"]}))
    assert [(p.sheet, p.row, p.column) for p in problems] == [("streets", 2, "county")]
    assert "spans several columns" in problems[0].en
