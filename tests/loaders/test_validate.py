"""Every refusal case of the data format: exit 2, the right table, row and column, in Chinese and English."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from graph.errors import DataRefused
from loaders.validate import load_dataset
from tests.conftest import TINY


def edit(folder: Path, table: str, row: int, column: str, value: str) -> None:
    """Set one cell (spreadsheet row numbering: header = 1)."""
    path = folder / f"{table}.csv"
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    rows[row - 1][rows[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)


def refusal(folder: Path) -> list[tuple[str, int, str]]:
    with pytest.raises(DataRefused) as info:
        load_dataset(folder)
    for p in info.value.problems:
        assert p.zh and p.en and p.line()
    return [(p.table, p.row, p.column) for p in info.value.problems]


CASES = [
    ("grids", 3, "kind", "tower", "kind"),                         # outside its set
    ("buildings", 2, "households", "-5", "households"),            # wrong type
    ("communities", 2, "work_funds", "lots", "work_funds"),
    ("people", 3, "party_member", "maybe", "party_member"),
    ("pairings", 2, "since", "2024/13/01", "since"),               # no 13th month
    ("demands", 2, "satisfaction", "7", "satisfaction"),
    ("grids", 2, "community_id", "CM9", "community_id"),           # reference to nothing
    ("buildings", 2, "grid_id", "CM1", "grid_id"),                 # reference into the wrong table
    ("party_orgs", 6, "area_id", "LD1", "area_id"),                # home branch not on a compound
    ("party_orgs", 9, "area_id", "XQ1", "area_id"),                # building group not on a building
    ("party_orgs", 7, "area_id", "CM1", "area_id"),                # grid branch not on a grid
    ("central_households", 2, "building_group_id", "WZ1", "building_group_id"),
    ("demands", 2, "whistled_at", "2026-08-01 10:00", "whistled_at"),  # out of order
    ("grids", 2, "name", "", "name"),                              # required value empty
    ("grids", 2, "community_id", "", "community_id"),              # residential grid without community
]


@pytest.mark.parametrize(("table", "row", "column", "value", "where"), CASES)
def test_each_refusal_names_table_row_and_column(tiny_copy: Path, table: str, row: int, column: str,
                                                 value: str, where: str) -> None:
    edit(tiny_copy, table, row, column, value)
    assert (table, row, where) in refusal(tiny_copy)


def test_duplicate_id_across_tables(tiny_copy: Path) -> None:
    edit(tiny_copy, "grids", 2, "id", "LD1")
    assert ("buildings", 2, "id") in refusal(tiny_copy) or ("grids", 2, "id") in refusal(tiny_copy)


def test_missing_required_table_and_column(tiny_copy: Path) -> None:
    (tiny_copy / "streets.csv").unlink()
    rows = (tiny_copy / "grids.csv").read_text(encoding="utf-8").splitlines()
    (tiny_copy / "grids.csv").write_text("\n".join(r.split(",", 1)[1] for r in rows) + "\n", encoding="utf-8")
    problems = refusal(tiny_copy)
    assert ("streets", 0, "") in problems
    assert ("grids", 1, "id") in problems


def test_every_problem_is_listed_not_only_the_first(tiny_copy: Path) -> None:
    edit(tiny_copy, "grids", 3, "kind", "tower")
    edit(tiny_copy, "buildings", 4, "households", "x")
    edit(tiny_copy, "people", 2, "agency_id", "DW9")
    assert len(refusal(tiny_copy)) == 3


def test_gb18030_chinese_headers_any_order_bom_blank_rows_and_ignored_columns(tiny_copy: Path) -> None:
    base = load_dataset(TINY)
    # grids in GB18030 with Chinese headers in another order, an extra 备注 column and a blank row
    with (TINY / "grids.csv").open(encoding="utf-8") as fh:
        src = list(csv.DictReader(fh))
    zh = {"id": "编号", "name": "名称", "kind": "类型", "community_id": "所属社区", "street_id": "所属街道",
          "households": "户数", "people": "人数"}
    cols = ["kind", "name", "id", "people", "households", "street_id", "community_id"]
    lines = [",".join([zh[c] for c in cols] + ["备注"])]
    for r in src:
        lines.append(",".join([r[c] for c in cols] + ["说明"]))
    lines.insert(2, ",,,,,,,")
    (tiny_copy / "grids.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("gb18030"))
    (tiny_copy / "streets.csv").write_bytes("\ufeff".encode() + (TINY / "streets.csv").read_bytes())
    ds = load_dataset(tiny_copy)
    strip = lambda rows: [{k: v for k, v in r.items() if k != "_row"} for r in rows]  # noqa: E731
    assert strip(ds.rows("grids")) == strip(base.rows("grids"))
    assert ds.rows("streets") == base.rows("streets")
    assert any("备注" in note for note in ds.ignored)


def test_ids_keep_leading_zeros(tiny_copy: Path) -> None:
    text = (tiny_copy / "departments.csv").read_text(encoding="utf-8").replace("BM1", "007")
    (tiny_copy / "departments.csv").write_text(text, encoding="utf-8")
    text = (tiny_copy / "demands.csv").read_text(encoding="utf-8").replace("BM1", "007")
    (tiny_copy / "demands.csv").write_text(text, encoding="utf-8")
    assert load_dataset(tiny_copy).rows("departments")[0]["id"] == "007"


def test_xlsx_and_csv_give_the_same_tables(tmp_path: Path) -> None:
    import pandas as pd

    book = tmp_path / "tiny.xlsx"
    with pd.ExcelWriter(book, engine="xlsxwriter") as xw:
        for f in sorted(TINY.glob("*.csv")):
            pd.read_csv(f, dtype=str, keep_default_na=False).to_excel(xw, sheet_name=f.stem, index=False)
    assert load_dataset(book).tables == load_dataset(TINY).tables
