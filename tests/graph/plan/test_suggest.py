"""Suggestions overload no one: carrying them out clears what they target and adds no overload."""

from __future__ import annotations

from pathlib import Path

from graph.plan.whatif import apply_suggestions
from graph.report import build_report
from loaders.generate import generate, write_csv
from loaders.validate import load_dataset
from tests.conftest import TINY

OVERLOAD = {"WORKER_OVERLOADED", "WORKER_TOO_MANY_GRIDS", "AGENCY_OVERSTRETCHED", "ROLE_CONCENTRATION"}


def check(ds) -> None:  # type: ignore[no-untyped-def]
    before = build_report(ds)
    after = build_report(apply_suggestions(ds, before))
    key = lambda r: {(f["rule"], f["subject"]["id"]) for f in r["findings"]}  # noqa: E731
    b, a = key(before), key(after)
    new_overloads = {k for k in a - b if k[0] in OVERLOAD}
    assert not new_overloads, new_overloads
    for f in before["findings"]:
        s = f.get("suggestion") or {}
        if s.get("kind") in ("assign_full_time", "pair_agency"):
            assert (f["rule"], f["subject"]["id"]) not in a, f
        if s.get("kind") == "hand_over" and all(m.get("person_id") for m in s["hand_over"]):
            assert ("WORKER_OVERLOADED", f["subject"]["id"]) not in a, f


def test_suggestions_on_tiny() -> None:
    check(load_dataset(TINY))


def test_suggestions_on_laoting(tmp_path: Path) -> None:
    write_csv(generate(seed=2026), tmp_path)
    ds = load_dataset(tmp_path)
    report = build_report(ds)
    assert any((f.get("suggestion") or {}).get("kind") == "assign_full_time" for f in report["findings"]) or \
        any((f.get("suggestion") or {}).get("kind") == "hand_over" for f in report["findings"])
    check(ds)
