"""The command line as a user runs it: exit codes, formats, and the commands that need no database."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from api.cli import app
from tests.conftest import TINY, TINY_EXPECTED

runner = CliRunner()


def test_validate_ok_and_refused(tiny_copy: Path) -> None:
    assert runner.invoke(app, ["validate", str(TINY)]).exit_code == 0
    (tiny_copy / "grids.csv").write_text(
        (tiny_copy / "grids.csv").read_text(encoding="utf-8").replace("market", "tower"), encoding="utf-8")
    res = runner.invoke(app, ["validate", str(tiny_copy)])
    assert res.exit_code == 2
    assert "grids.csv 第 5 行 kind 列" in res.output and "row 5, column kind" in res.output
    assert runner.invoke(app, ["validate", str(tiny_copy / "nothing")]).exit_code == 1


@pytest.mark.parametrize("fmt", ["json", "text", "html", "csv", "xlsx"])
def test_analyze_writes_every_format(fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"r.{fmt}"
    res = runner.invoke(app, ["analyze", str(TINY), "-f", fmt, "-o", str(out)])
    assert res.exit_code == 0, res.output
    if fmt == "json":
        rep = json.loads(out.read_text(encoding="utf-8"))
        want = json.loads(TINY_EXPECTED.read_text(encoding="utf-8"))
        assert {(f["rule"], f["subject"]["id"]) for f in rep["findings"]} == \
            {(f["rule"], f["subject"]) for f in want["findings"]}
    elif fmt == "xlsx":
        wb = openpyxl.load_workbook(out)
        assert wb.sheetnames[0] == "摘要"
        assert {"空白点", "组织结构", "超负荷", "诉求办理", "社区概况", "阈值"} <= set(wb.sheetnames)
        assert wb["空白点"]["A1"].value == "严重程度"
        wb.close()
    else:
        assert "GRID_NO_WORKER" in out.read_text(encoding="utf-8")


def test_thresholds_and_as_of_flags(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    res = runner.invoke(app, ["analyze", str(TINY), "-f", "json", "-o", str(out), "-t", "grid_max_households=700",
                              "--as-of", "2026-09-30"])
    assert res.exit_code == 0, res.output
    rep = json.loads(out.read_text(encoding="utf-8"))
    assert rep["thresholds"]["grid_max_households"] == 700 and rep["as_of"] == "2026-09-30T00:00:00"
    assert not any(f["rule"] == "GRID_OVERSIZED" for f in rep["findings"])
    assert runner.invoke(app, ["analyze", str(TINY), "-t", "nonsense=1"]).exit_code == 2
    assert runner.invoke(app, ["analyze", str(TINY), "--as-of", "yesterday"]).exit_code == 2


def test_whatif_from_files() -> None:
    res = runner.invoke(app, ["whatif", "--data", str(TINY), "-r", "RY1", "--json"])
    assert res.exit_code == 0, res.output
    body = json.loads(res.output)
    assert ("WORKER_OVERLOADED", "RY1") in {(f["rule"], f["subject"]["id"]) for f in body["disappear"]}
    assert ("SOLE_WORKER", "RY2") in {(f["rule"], f["subject"]["id"]) for f in body["appear"]}


def test_generate_and_template(tmp_path: Path) -> None:
    assert runner.invoke(app, ["generate", "--profile", "laoting", "--out", str(tmp_path / "lt")]).exit_code == 0
    assert runner.invoke(app, ["validate", str(tmp_path / "lt")]).exit_code == 0
    assert runner.invoke(app, ["template", "--out", str(tmp_path / "t.xlsx")]).exit_code == 0
    assert (tmp_path / "t.xlsx").stat().st_size > 0


@pytest.mark.neo4j
def test_load_report_export_against_the_real_server(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert runner.invoke(app, ["load", str(TINY)]).exit_code == 0
    res = runner.invoke(app, ["report", "-f", "json", "-o", str(tmp_path / "r.json")])
    assert res.exit_code == 0, res.output
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["as_of"] == "2026-09-20T15:00:00"
    assert runner.invoke(app, ["export", str(tmp_path / "out")]).exit_code == 0
    assert (tmp_path / "out" / "grids.csv").read_text(encoding="utf-8") == (TINY / "grids.csv").read_text(encoding="utf-8")
    res = runner.invoke(app, ["whatif", "-r", "DW1"])
    assert res.exit_code == 0 and "COMMUNITY_NO_PAIRING" in res.output


def test_a_report_is_kept_for_its_data_set_and_given_again(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from graph.store import datasets, reportcache
    from graph.store.snapshots import archive

    def report(*args: str) -> dict:  # type: ignore[type-arg]
        res = runner.invoke(app, ["report", "-f", "json", "-o", str(tmp_path / "r.json"), *args])
        assert res.exit_code == 0, res.output
        return json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]

    assert runner.invoke(app, ["load", str(TINY)]).exit_code == 0
    info = datasets.current(db)
    assert info is not None
    built = report("--fresh")
    folder = archive().latest_with(info["fingerprint"]).path  # type: ignore[union-attr]
    kept_file = folder / f"{reportcache.key(None, None)}.json"
    kept = json.loads(kept_file.read_text(encoding="utf-8"))
    assert kept == built
    # given again from what was kept (a mark put into the file shows it), as Neo4j names the data set
    kept["dataset"]["source"], kept["kept"] = "elsewhere", "甲"
    kept_file.write_text(json.dumps(kept, ensure_ascii=False), encoding="utf-8")
    again = report()
    assert again.pop("kept") == "甲" and again == built and again["dataset"]["source"] == info["source"]
    # other thresholds, another moment, or --fresh: built anew (and --fresh keeps what it built)
    assert "kept" not in report("-t", "grid_max_households=1")
    assert "kept" not in report("--as-of", "2026-09-01")
    assert report("--fresh") == built and "kept" not in json.loads(kept_file.read_text(encoding="utf-8"))
    # the command as its own process: given from the kept report, it never imports the analysis (NetworkX and the
    # report's modules were a third of its time for Laoting); a report built anew does
    code = ("import sys\nfrom api.cli import app\n"
            "sys.argv = ['orgnet', 'report', '-f', 'json', '-o', *sys.argv[1:]]\n"
            "try:\n    app()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
            "print(sorted(m for m in ('networkx', 'graph.report', 'graph.rules.analysis') if m in sys.modules))\n")
    for args, imported in (([], "[]"), (["--fresh"], "['graph.report', 'graph.rules.analysis', 'networkx']")):
        said = subprocess.run([sys.executable, "-c", code, str(tmp_path / "p.json"), *args],
                              capture_output=True, text=True, check=True, cwd=Path(__file__).parents[2])
        assert said.stdout.strip().splitlines()[-1] == imported, said.stderr


def test_a_load_tells_its_own_time_from_the_removal_of_the_data_set_it_replaced(db) -> None:  # type: ignore[no-untyped-def]
    from graph.store import replay
    from graph.store.connection import statements_file

    kept_file = statements_file()
    assert kept_file is not None
    kept_file.unlink(missing_ok=True)
    assert runner.invoke(app, ["load", str(TINY)]).exit_code == 0
    # the load kept its bookkeeping statements for the server's next warm-up (graph.store.connection.loading)
    assert any("LoadLock" in q for q, _ in replay.kept(kept_file))
    res = runner.invoke(app, ["load", str(TINY), "--whole"])  # written whole: the data set before it is removed
    assert res.exit_code == 0, res.output
    assert re.search(r"in \d+\.\d s，删除被替换的数据集 / removing the replaced data set \d+\.\d s;", res.stdout), res.stdout
