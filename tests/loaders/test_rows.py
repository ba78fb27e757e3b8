"""Cells as typed by hand: placeholders, numbers, booleans, enumerations, ids with invisible characters, dates
and times in local styles — the clean form's findings — and the cells that must be refused."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from tests.loaders.ledgers import Grid, col, grids, notes, refused, same_as_clean, write_book, write_folder

FULL = {c: c + 0xFEE0 for c in range(ord("0"), ord("Z") + 1) if chr(c).isalnum()}   # ０-９, Ａ-Ｚ


def each(rows: Grid, table: str, name: str, change) -> None:  # type: ignore[no-untyped-def]
    j = col(table, name)
    for i, r in enumerate(rows[1:]):
        r[j] = change(i, r[j])


def test_placeholders_numbers_booleans_and_enums(tmp_path: Path) -> None:
    f = grids(tmp_path)
    holders = ["无", "—", "/", "空", " - "]
    each(f["buildings"], "buildings", "compound_id", lambda i, v: v or holders[i % len(holders)])
    each(f["demands"], "demands", "satisfaction", lambda i, v: v or "暂无")
    each(f["communities"], "communities", "households", lambda i, v: f"{int(v):,}")
    each(f["communities"], "communities", "work_funds", lambda i, v: f"{float(v):,.2f}" if v else v)
    each(f["buildings"], "buildings", "households",
         lambda i, v: v.translate(FULL) if i % 3 == 0 else f"{v}.0" if i % 2 else v)
    yes, no = ["√", "是", "Y", "TRUE", "1", "对"], ["×", "否", "N", "FALSE", "0", "错"]
    each(f["people"], "people", "party_member",
         lambda i, v: (yes if v == "true" else no)[i % 6] if v else v)
    kinds = {"residential": "住宅网格", "agency": "AGENCY", "business_building": "Business Building", "market": "商圈"}
    each(f["grids"], "grids", "kind", lambda i, v: kinds[v])
    each(f["grid_assignments"], "grid_assignments", "role", lambda i, v: " 专职网格员" if v == "full_time" else "Part_Time")
    ds = same_as_clean(tmp_path, write_folder(tmp_path, f))
    lines = notes(ds)
    for said in ("placeholders", "thousands separators", "full-width", "yes/no spellings", "ignoring case"):
        assert any(said in line for line in lines), said


def test_ids_and_references_with_invisible_and_full_width_characters(tmp_path: Path) -> None:
    f = grids(tmp_path)
    pads = ["\u3000{}", "{}\u00a0", "{}\u200b", " {} ", "\ufeff{}"]
    each(f["buildings"], "buildings", "grid_id", lambda i, v: pads[i % len(pads)].format(v))
    each(f["grids"], "grids", "id", lambda i, v: v.translate(FULL) if i % 2 else v)
    ds = same_as_clean(tmp_path, write_folder(tmp_path, f))
    n = len(f["buildings"]) - 1
    trims = [x for x in ds.reading.notices if x.table == "buildings" and x.column == "grid_id" and "trimmed" in x.en]
    assert trims and trims[0].count == sum(1 for i in range(n) if i % len(pads) in (0, 1, 3))
    assert any("invisible characters" in line for line in notes(ds))
    assert any("grids.csv" in line and "full-width" in line for line in notes(ds))


def test_invisible_characters_are_made_visible_in_a_refusal(tmp_path: Path) -> None:
    f = grids(tmp_path)
    f["buildings"][1][col("buildings", "grid_id")] = "WG\u200bX9"
    problems = refused(write_folder(tmp_path, f))
    assert [(p.file, p.row, p.column) for p in problems] == [("buildings.csv", 2, "grid_id")]
    assert "WG<U+200B>X9" in problems[0].line()


def test_dates_and_times_in_local_styles_and_with_offsets(tmp_path: Path) -> None:
    f = grids(tmp_path)

    def local_date(i: int, v: str) -> str:
        d = date.fromisoformat(v)
        return [f"{d.year}年{d.month}月{d.day}日", d.strftime("%Y.%m.%d"), f"{d.year}/{d.month}/{d.day}",
                str((d - date(1899, 12, 30)).days)][i % 4]

    def local_time(i: int, v: str) -> str:
        if not v:
            return v
        t = datetime.fromisoformat(v)
        return [f"{t.year}/{t.month}/{t.day} {t.hour}:{t.minute:02d}", t.strftime("%Y-%m-%dT%H:%M:00+08:00"),
                (t - timedelta(hours=8)).strftime("%Y-%m-%dT%H:%MZ"), f"{t.year}年{t.month}月{t.day}日 {t:%H:%M}"][i % 4]

    each(f["pairings"], "pairings", "since", local_date)
    each(f["member_reports"], "member_reports", "since", local_date)
    for stage in ("raised_at", "whistled_at", "resolved_at"):
        each(f["demands"], "demands", stage, local_time)
    ds = same_as_clean(tmp_path, write_folder(tmp_path, f))
    lines = notes(ds)
    for said in ("local date styles", "Excel date serial", "converted to Asia/Shanghai"):
        assert any(said in line for line in lines), said


def test_time_of_day_in_a_date_column_keeps_the_date_with_a_warning(tmp_path: Path) -> None:
    f = grids(tmp_path)
    each(f["baolian"], "baolian", "since", lambda i, v: f"{v} 09:30" if v else v)
    ds = same_as_clean(tmp_path, write_folder(tmp_path, f))
    warn = [n for n in ds.reading.warnings if n.table == "baolian"]
    assert warn and "time is dropped" in warn[0].en and warn[0].column == "since"


@pytest.mark.parametrize(("table", "column", "value", "said"), [
    ("communities", "households", "1e30", "64 bits"),
    ("grids", "name", "无", "required value name is empty"),
    ("people", "party_member", "x", "true/false"),
    ("demands", "raised_at", "2026-11-05", "a time"),          # a date alone is not a time: refused
    ("communities", "population", "#N/A", "Excel error value #N/A"),
])
def test_refused_cells_name_file_row_column_and_value(tmp_path: Path, table: str, column: str, value: str,
                                                     said: str) -> None:
    f = grids(tmp_path)
    f[table][2][col(table, column)] = value
    problems = refused(write_folder(tmp_path, f))
    assert [(p.file, p.row, p.column, p.value) for p in problems] == [(f"{table}.csv", 3, column, value)]
    assert said in problems[0].en


def test_workbook_errors_and_formulas(tmp_path: Path) -> None:
    sheets = grids(tmp_path)
    sheets["communities"][1][col("communities", "population")] = "#REF!"       # openpyxl writes an error cell
    sheets["communities"][2][col("communities", "households")] = "=SUM(1,2)"   # a formula with no saved value
    problems = refused(write_book(tmp_path / "b.xlsx", sheets))
    got = {(p.sheet, p.row, p.column, p.value) for p in problems}
    assert got == {("communities", 2, "population", "#REF!"), ("communities", 3, "households", "=SUM(1,2)")}
    assert all(p.file == "b.xlsx" for p in problems)
    assert any("not read as empty" in p.en for p in problems)


def test_formula_with_its_saved_value_is_read_as_the_value(tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "b.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    for t, rows in grids(tmp_path).items():
        ws = wb.add_worksheet(t)
        for i, row in enumerate(rows):
            ws.write_row(i, 0, row)
        if t == "buildings":
            j = col(t, "households")
            for i, row in enumerate(rows[1:], start=1):
                ws.write_formula(i, j, f"={row[j]}+0", None, int(row[j]))
    wb.close()
    same_as_clean(tmp_path, path)


def test_link_row_pasted_twice_is_counted_once_and_a_conflict_refused(tmp_path: Path) -> None:
    f = grids(tmp_path)
    f["grid_assignments"].insert(8, list(f["grid_assignments"][3]))
    ds = same_as_clean(tmp_path, write_folder(tmp_path, f))
    warn = [n for n in ds.reading.warnings if n.table == "grid_assignments"]
    assert len(warn) == 1 and warn[0].row == 9 and "row 4" in warn[0].en
    other = list(f["grid_assignments"][3])
    other[col("grid_assignments", "role")] = "part_time" if other[2] == "full_time" else "full_time"
    f["grid_assignments"][8] = other
    problems = refused(write_folder(tmp_path, f, name="conflict"))
    assert [(p.row, p.column) for p in problems] == [(9, "role")] and "row 4" in problems[0].en
