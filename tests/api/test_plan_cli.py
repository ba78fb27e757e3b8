"""``orgnet plan`` as a user runs it: from files or from Neo4j, in every format, grouped and named."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from api.cli import app
from graph.report import build_report
from loaders.validate import load_dataset
from tests.conftest import TINY

runner = CliRunner()


@pytest.mark.parametrize("fmt", ["json", "text", "html", "xlsx"])
def test_plan_from_files_in_every_format(fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"plan.{fmt}"
    res = runner.invoke(app, ["plan", str(TINY), "-f", fmt, "-o", str(out)])
    assert res.exit_code == 0, res.output
    want = build_report(load_dataset(TINY))["plan"]
    if fmt == "json":
        got = json.loads(out.read_text(encoding="utf-8"))
        assert got == json.loads(json.dumps(want)) and set(got) == {"actions", "summary"}
    elif fmt == "xlsx":
        wb = openpyxl.load_workbook(out)
        assert wb.sheetnames == ["计划概要", "行动清单", "增配"]
        rows = list(wb["行动清单"].iter_rows(values_only=True))
        assert len(rows) == len(want["actions"]) + 1
        assert any(r[1] == "北街街道（ST1）" and r[2] == "南苑社区（CM2）" for r in rows)
        assert wb["计划概要"]["B1"].value == want["summary"]["zh"]
    else:
        text = out.read_text(encoding="utf-8")
        assert "北街街道（ST1）" in text and "南苑社区（CM2）" in text and want["summary"]["zh"] in text
        for a in want["actions"]:
            assert a["id"] in text
    assert "本计划" in res.output


def test_plan_text_to_the_terminal_and_bad_format() -> None:
    res = runner.invoke(app, ["plan", str(TINY)])
    assert res.exit_code == 0 and "补位计划" in res.output and "北苑社区（CM1）" in res.output
    assert runner.invoke(app, ["plan", str(TINY), "-f", "csv"]).exit_code == 2
    assert runner.invoke(app, ["plan", str(TINY), "-f", "xlsx"]).exit_code == 2


def test_xlsx_carries_no_formula(tmp_path: Path) -> None:
    from api.plan_formats import to_xlsx

    plan = {"actions": [{"id": "A1", "kind": "advice", "zh": "=HYPERLINK(\"http://x\")", "en": "=1+1", "clears": [],
                         "scope": {"street_id": "S1", "community_id": None}, "names": {"S1": "=S"}}],
            "summary": {"zh": "=2", "en": "x", "adjusted": 0, "part_time_added": 0, "hire_full_time": 0,
                        "new_ties": 0, "cleared": 0, "findings": 0, "actions": 1, "hires": []}}
    (tmp_path / "p.xlsx").write_bytes(to_xlsx(plan))
    wb = openpyxl.load_workbook(tmp_path / "p.xlsx")
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)


def test_html_escapes_names() -> None:
    from api.plan_formats import to_html

    plan = {"actions": [{"id": "A1", "kind": "advice", "zh": "<script>alert(1)</script>", "en": "x", "clears": [],
                         "scope": {"street_id": "S1", "community_id": None}, "names": {"S1": "<b>街</b>"}}],
            "summary": {"zh": "本计划", "en": "x", "hires": []}}
    page = to_html(plan)
    assert "<script>" not in page and "&lt;script&gt;" in page and "<b>街</b>" not in page


@pytest.mark.neo4j
def test_plan_from_the_loaded_data_set(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert runner.invoke(app, ["load", str(TINY)]).exit_code == 0
    res = runner.invoke(app, ["plan", "-f", "json", "-o", str(tmp_path / "p.json")])
    assert res.exit_code == 0, res.output
    got = json.loads((tmp_path / "p.json").read_text(encoding="utf-8"))
    assert got == json.loads(json.dumps(build_report(load_dataset(TINY))["plan"]))
