"""scope_report limits the plan too: only actions in the area, and a summary counted from them alone."""

from __future__ import annotations

from graph.report import build_report
from graph.scope import Area, scope_report
from loaders.validate import load_dataset
from tests.conftest import TINY


def test_a_community_sees_only_its_own_actions() -> None:
    rep = build_report(load_dataset(TINY))
    whole = rep["plan"]["actions"]
    assert {a["scope"]["community_id"] for a in whole} >= {"CM1", "CM2"}
    for cid in ("CM1", "CM2"):
        part = scope_report(rep, Area(street_id="ST1", community_id=cid))["plan"]
        assert part["actions"] and all(a["scope"]["community_id"] == cid for a in part["actions"])
        assert part["summary"]["actions"] == len(part["actions"])
        assert part["summary"]["findings"] == len(scope_report(rep, Area(community_id=cid))["findings"])
        assert all(h["community_id"] == cid for h in part["summary"]["hires"])
        assert sum(h["count"] for h in part["summary"]["hires"]) == part["summary"]["hire_full_time"]
    assert scope_report(rep, Area()) is rep
    assert scope_report(rep, Area(street_id="NOWHERE"))["plan"]["actions"] == []
