"""Reports kept beside a snapshot: one per thresholds, moment and version of the code; never read back across them."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from graph.findings import Thresholds
from graph.report import build_report
from graph.settings import Settings
from graph.store import reportcache
from graph.store.snapshots import archive
from loaders.validate import load_dataset
from tests.conftest import TINY


def test_the_name_changes_with_thresholds_moment_and_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    base = reportcache.key(None, None)
    assert base == reportcache.key(Thresholds(), None)  # the defaults are the defaults, given or not
    assert base.startswith(f"report-{reportcache.code_version()}-")
    others = {reportcache.key(Thresholds(grid_max_households=700), None), reportcache.key(None, datetime(2026, 9, 1))}
    assert base not in others and len(others) == 2
    # any change of any source file of the package is another version of the code
    pkg = tmp_path / "graph"
    (pkg / "rules").mkdir(parents=True)
    (pkg / "rules" / "a.py").write_text("X = 1\n", encoding="utf-8")
    monkeypatch.setattr(reportcache, "_PACKAGE", pkg)
    reportcache.code_version.cache_clear()
    try:
        v1 = reportcache.code_version()
        (pkg / "rules" / "a.py").write_text("X = 2\n", encoding="utf-8")
        reportcache.code_version.cache_clear()
        assert reportcache.code_version() != v1
    finally:
        reportcache.code_version.cache_clear()


def test_a_kept_report_is_read_back_and_other_versions_are_removed(tmp_path: Path) -> None:
    stale = [tmp_path / "report.json", tmp_path / "basis.json", tmp_path / "report-000000000000-111111111111.json",
             tmp_path / "basis-000000000000.json"]
    for p in stale:
        p.write_text("{}", encoding="utf-8")
    name = reportcache.key(None, None)
    reportcache.put(tmp_path, name, {"findings": [{"rule": "甲"}]})
    assert reportcache.get(tmp_path, name) == {"findings": [{"rule": "甲"}]}
    assert not any(p.exists() for p in stale)
    (tmp_path / f"{name}.json").write_text('{"findings": [', encoding="utf-8")  # damaged: built again, not an error
    assert reportcache.get(tmp_path, name) is None


def test_a_snapshots_report_is_built_with_the_thresholds_asked_for(tmp_path: Path) -> None:
    arc = archive(Settings(orgnet_snapshots=tmp_path))
    ds = load_dataset(TINY)
    with arc.keeping(ds, "2026-09") as written:
        written()
    strict = Thresholds(grid_max_households=1)
    calls: list[tuple[Thresholds | None, datetime | None]] = []

    def build(d, thresholds=None, as_of=None):  # type: ignore[no-untyped-def]
        calls.append((thresholds, as_of))
        return build_report(d, thresholds, as_of)

    default, tight = arc.cached_report("2026-09", build), arc.cached_report("2026-09", build, strict)
    kept_ds = arc.dataset("2026-09")  # the ledger's rows; its source is the folder's name
    assert default == build_report(kept_ds) and tight == build_report(kept_ds, strict)
    assert default != tight  # one threshold apart: the kept default report is not the answer for other thresholds
    assert arc.cached_report("2026-09", build, strict) == tight and len(calls) == 2  # kept: not built again
    assert arc.kept_report(ds.fingerprint, strict, None) == tight
    assert arc.kept_report(ds.fingerprint, None, datetime(2026, 9, 1)) is None
    assert arc.kept_report("no such data set", None, None) is None
    kept = sorted(p.name for p in arc.get("2026-09").path.glob("report-*.json"))
    assert kept == sorted(f"{reportcache.key(t, None)}.json" for t in (None, strict))
    assert json.loads((arc.get("2026-09").path / kept[0]).read_text(encoding="utf-8"))["findings"]


def test_no_more_than_keep_reports_stay_beside_a_snapshot(tmp_path: Path) -> None:
    import os

    names = [reportcache.key(None, datetime(2026, 9, day)) for day in range(1, 12)]
    for i, name in enumerate(names):
        reportcache.put(tmp_path, name, {"day": i})
        os.utime(tmp_path / f"{name}.json", ns=(i * 10**9, i * 10**9))  # written one after another
    reportcache.prune(tmp_path)
    left = sorted(p.name for p in tmp_path.glob("report-*.json"))
    assert left == sorted(f"{n}.json" for n in names[-reportcache.KEEP:])  # the newest, whatever was asked
    assert reportcache.get(tmp_path, names[-1]) == {"day": len(names) - 1}
