"""`orgnet validate` on a workbook: the what-I-read table, sheet names in problems, data never read as markup."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from api.cli import app
from tests.loaders.ledgers import col, grids, write_book, write_folder

runner = CliRunner()


def test_validate_shows_what_was_read_and_the_sheet(tmp_path: Path) -> None:
    sheets = grids(tmp_path)
    sheets["人员"] = sheets.pop("people")
    sheets["人员"].append(["合计"] + [""] * 5)
    res = runner.invoke(app, ["validate", str(write_book(tmp_path / "台账.xlsx", sheets))])
    assert res.exit_code == 0, res.output
    assert "读取情况 / what was read" in res.output and "台账.xlsx" in res.output
    line = next(x for x in res.output.splitlines() if x.strip().startswith("人员"))
    assert "people" in line and str(len(sheets["人员"]) - 2) in line
    assert "工作表「人员」" in res.output and "skipped a totals row" in res.output


def test_workbook_problem_names_its_sheet_and_markup_in_data_is_printed_not_obeyed(tmp_path: Path) -> None:
    sheets = grids(tmp_path)
    sheets["grids"][3][col("grids", "kind")] = "[/bold]"
    res = runner.invoke(app, ["validate", str(write_book(tmp_path / "b.xlsx", sheets))])
    assert res.exit_code == 2, res.output
    assert res.exception is None or isinstance(res.exception, SystemExit)
    assert "b.xlsx 工作表「grids」 第 4 行 kind 列「[/bold]」" in res.output
    assert "b.xlsx, sheet grids, row 4, column kind" in res.output


def test_file_names_holding_markup_are_printed_as_they_are(tmp_path: Path) -> None:
    files = grids(tmp_path)
    files["[bold]备份[\\bold]"] = files["streets"]
    res = runner.invoke(app, ["validate", str(write_folder(tmp_path, files))])
    assert res.exit_code == 0, res.output
    assert "[bold]备份[\\bold].csv" in res.output and "not recognised" in res.output
