"""Headers as offices write them (编　号, Alt+Enter, 户数（户）, full-width) and what stays ambiguous."""

from __future__ import annotations

from pathlib import Path

from graph.dataformat import BY_NAME, TABLE_ALIASES, TABLES
from loaders.names import column_of, table_of
from tests.loaders.ledgers import grids, refused, same_as_clean, write_book

LOOKS = {"编号": "编\u3000号", "名称": "名\n称", "户数": "户数（户）", "所属社区": "所属\r\n社区", "人数": "人数(人)",
         "类型": "类 型", "社区工作经费": "社区工作经费（元）", "党员": "党员*"}


def test_headers_spaced_wrapped_with_units_and_full_width(tmp_path: Path) -> None:
    sheets = grids(tmp_path)
    for t, rows in sheets.items():
        head = [BY_NAME[t].column(h).zh for h in rows[0]]
        rows[0] = [LOOKS.get(h, h) for h in head]
    sheets["streets"][0] = ["ＩＤ", "Ｎａｍｅ", " County "]
    same_as_clean(tmp_path, write_book(tmp_path / "b.xlsx", sheets))


def test_two_headers_for_one_column_are_named(tmp_path: Path) -> None:
    sheets = grids(tmp_path)
    sheets["grids"] = [r + [r[0]] for r in sheets["grids"]]
    sheets["grids"][0][-1] = "编　号"
    problems = refused(write_book(tmp_path / "b.xlsx", sheets))
    assert [(p.sheet, p.row, p.column) for p in problems] == [("grids", 1, "id")]
    assert "A and H" in problems[0].en


def test_every_table_name_and_alias_names_one_table() -> None:
    for t in TABLES:
        assert table_of(t.name) == t.name and table_of(t.zh) == t.name and table_of(f" {t.zh}台账 ") == t.name
    for alias, name in TABLE_ALIASES.items():
        assert table_of(alias) == name
    assert column_of("member_reports", "党员") == "person_id" and column_of("grids", "备注（说明）") is None


def test_an_unknown_heading_is_a_warning_and_序号_备注_a_notice(tmp_path: Path) -> None:
    from loaders.validate import load_dataset

    sheets = grids(tmp_path)
    sheets["grids"] = [r + [""] for r in sheets["grids"]]
    sheets["grids"][0][-1] = "户 数（户"                    # a misspelt heading: its values would be lost
    sheets["streets"] = [["序号"] + r + ["备注"] for r in sheets["streets"]]
    ds = load_dataset(write_book(tmp_path / "b.xlsx", sheets))
    warn = [n for n in ds.reading.warnings if n.en.startswith("ignored columns")]
    assert [(n.sheet, n.row) for n in warn] == [("grids", 1)] and "户 数（户" in warn[0].en
    assert any(n.sheet == "streets" and n.level == "info" and "序号" in n.en for n in ds.reading.notices)
