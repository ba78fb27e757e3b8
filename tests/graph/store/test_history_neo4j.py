"""History against the real server: month 2 keeps month 1, the diff is the reports' difference, a killed load
leaves every snapshot as it was."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from graph.report import build_report, pairs
from graph.store import datasets
from loaders.generate import series, write_csv
from loaders.validate import load_dataset
from tests.conftest import ROOT
from tests.graph.store.loading import kill_load_halfway

pytestmark = pytest.mark.neo4j


def orgnet(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "api.cli", *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, **env}, timeout=600)


def test_two_months_loaded_then_diffed_and_a_killed_load_keeps_every_snapshot(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    before_ds = datasets.read_dataset(db)
    env = {"ORGNET_SNAPSHOTS": str(tmp_path / "snapshots"), "ORGNET_LOAD_LEASE": "4"}
    months = []
    for label, tables in series(3, seed=9):
        write_csv(tables, tmp_path / label)
        months.append(label)
    first, second, third = months
    assert orgnet(env, "load", str(tmp_path / first)).returncode == 0
    assert orgnet(env, "load", str(tmp_path / second)).returncode == 0
    listed = orgnet(env, "history", "list")
    assert first in listed.stdout and second in listed.stdout
    # month 1 is intact and readable, month 2 is current
    from graph.settings import Settings
    from graph.store.snapshots import archive

    arc = archive(Settings(orgnet_snapshots=tmp_path / "snapshots"))
    assert arc.dataset(first).tables == load_dataset(tmp_path / first).tables
    assert datasets.read_dataset(db).tables == load_dataset(tmp_path / second).tables
    res = orgnet(env, "diff", "-f", "json")
    assert res.returncode == 0, res.stderr
    d = json.loads(res.stdout)
    ra, rb = build_report(load_dataset(tmp_path / first)), build_report(load_dataset(tmp_path / second))
    assert (d["from"], d["to"]) == (first, second)
    assert {(f["rule"], f["subject"]["id"]) for f in d["opened"]} == pairs(rb) - pairs(ra)
    assert {(f["rule"], f["subject"]["id"]) for f in d["closed"]} == pairs(ra) - pairs(rb)
    # the report of month 2 compares with month 1 (较上月)
    rep = orgnet(env, "report", "-f", "json")
    assert rep.returncode == 0, rep.stderr
    since = json.loads(rep.stdout)["since"]
    assert (since["from"], since["to"]) == (first, second)
    assert {(f["rule"], f["subject_id"]) for f in since["opened"]} == pairs(rb) - pairs(ra)
    assert {(f["rule"], f["subject_id"]) for f in since["closed"]} == pairs(ra) - pairs(rb)
    before = [(s.label, s.fingerprint) for s in arc.snapshots()]
    n = kill_load_halfway(db, tmp_path / third, env)
    assert n > 3000, "the load never got half way"
    assert [(s.label, s.fingerprint) for s in arc.snapshots()] == before
    assert arc.dataset(first).tables == load_dataset(tmp_path / first).tables
    trend = orgnet(env, "trend", "-f", "json")
    assert [r["label"] for r in json.loads(trend.stdout)["trend"]] == [first, second]
    # the killed loader's lock runs out; the next load takes over and cleans up (and the tests after this one
    # find the data set they expect)
    datasets.write_dataset(db, before_ds, wait=True)
