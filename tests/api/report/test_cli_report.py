"""orgnet analyze as a user runs it: filters, a folder as --out (the default name), --lang, refusals."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from api.cli import app
from tests.conftest import TINY

runner = CliRunner()


def test_a_folder_gets_the_default_name(tmp_path: Path) -> None:
    res = runner.invoke(app, ["analyze", str(TINY), "-f", "xlsx", "-o", str(tmp_path)])
    assert res.exit_code == 0, res.output
    files = [p.name for p in tmp_path.iterdir()]
    assert len(files) == 1 and files[0].startswith("示例县-空白点报告-") and files[0].endswith(".xlsx")
    assert openpyxl.load_workbook(tmp_path / files[0]).sheetnames[0] == "摘要"
    res = runner.invoke(app, ["analyze", str(TINY), "-f", "csv", "--community", "南苑社区", "-o", str(tmp_path)])
    assert res.exit_code == 0, res.output
    assert any(p.name.startswith("示例县-南苑社区-空白点报告-") and p.suffix == ".csv" for p in tmp_path.iterdir())


def test_filters_limit_every_total(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    res = runner.invoke(app, ["analyze", str(TINY), "-f", "json", "-o", str(out), "--community", "CM2",
                              "--severity", "高", "--rule", "GRID_NO_WORKER", "--rule", "社区无单位双报到"])
    assert res.exit_code == 0, res.output
    rep = json.loads(out.read_text(encoding="utf-8"))
    assert rep["scope"] == {"street_id": None, "community_id": "CM2"}
    assert {(f["rule"], f["subject"]["id"]) for f in rep["findings"]} == {("GRID_NO_WORKER", "WG4"),
                                                                          ("COMMUNITY_NO_PAIRING", "CM2")}
    assert rep["summary"]["by_rule"] == {"COMMUNITY_NO_PAIRING": 1, "GRID_NO_WORKER": 1}
    assert [c["community_id"] for c in rep["summary"]["communities"]] == ["CM2"]


def test_text_all_and_lang(tmp_path: Path) -> None:
    res = runner.invoke(app, ["analyze", str(TINY), "--all"], env={"COLUMNS": "150"})
    assert res.exit_code == 0, res.output
    assert "摘要 / Summary" in res.output and "另有" not in res.output
    out = tmp_path / "r.csv"
    assert runner.invoke(app, ["analyze", str(TINY), "-f", "csv", "--lang", "en", "-o", str(out)]).exit_code == 0
    assert out.read_text(encoding="utf-8-sig").startswith("severity,category")


@pytest.mark.parametrize("args", [["--street", "火星街道"], ["--severity", "urgent"], ["--rule", "NOPE"],
                                  ["--lang", "fr"], ["-f", "pdf"]])
def test_bad_filters_are_refused_in_one_line(args: list[str]) -> None:
    res = runner.invoke(app, ["analyze", str(TINY), *args])
    assert res.exit_code == 2 and "Traceback" not in res.output
