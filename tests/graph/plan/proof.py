"""The plan's proof, shared by the tests and the benchmark: carry the whole plan out, run the rules again."""

from __future__ import annotations

from typing import Any

from graph.dataformat import Dataset
from graph.findings import Thresholds
from graph.plan.apply import apply_plan
from graph.report import build_report

#: rules whose subjects are over a threshold of workload (a person or an agency)
OVER = {"WORKER_OVERLOADED": "load_households", "WORKER_TOO_MANY_GRIDS": "grids", "ROLE_CONCENTRATION": "total",
        "AGENCY_OVERSTRETCHED": "communities"}


def _size(v: Any) -> float:
    return len(v) if isinstance(v, list) else float(v)


def check(ds: Dataset, thresholds: Thresholds | None = None) -> dict[str, Any]:
    """Carry out ``ds``'s plan and re-run the rules; assert (a) no finding appears, (b) every finding an action
    claims to clear is gone, (c) no person or agency is over a threshold they were not over, and none is more
    over than before; return the report, the report after and the counts."""
    before = build_report(ds, thresholds)
    after = build_report(apply_plan(ds, before["plan"]), thresholds, as_of=_moment(before), with_extras=False)
    key = lambda f: (f["rule"], f["subject"]["id"])  # noqa: E731
    b, a = {key(f): f for f in before["findings"]}, {key(f): f for f in after["findings"]}
    appeared = sorted(a.keys() - b.keys())
    assert not appeared, [a[k]["message"]["zh"] for k in appeared]
    claimed = {(k[0], k[1]) for act in before["plan"]["actions"] for k in act["clears"]}
    assert claimed <= b.keys(), sorted(claimed - b.keys())
    still = sorted(claimed & a.keys())
    assert not still, still
    for k, f in a.items():
        if k[0] in OVER:
            m = OVER[k[0]]
            assert _size(f["metrics"][m]) <= _size(b[k]["metrics"][m]), (k, f["metrics"], b[k]["metrics"])
    # whoever the plan gives work to (a grid, a back-up place, a community) ends over no threshold at all
    stays = {(a["from_person_id"], a["grid_id"]) for a in before["plan"]["actions"] if a["kind"] == "hand_over"}
    takers = {a["person_id"] for a in before["plan"]["actions"] if a["kind"] in ("assign", "hand_over", "back_up")
              and (a["person_id"], a["grid_id"]) not in stays}
    takers |= {a["agency_id"] for a in before["plan"]["actions"] if a["kind"] in ("pair", "baolian")}
    over = sorted(k for k in a if k[0] in OVER and k[1] in takers)
    assert not over, over
    assert before["plan"]["summary"]["cleared"] == len(claimed)
    for f in before["findings"]:
        assert f["actions"] or f["why"], f
        assert f["actions"] is not None
    return {"before": before, "after": after, "claimed": len(claimed), "findings": len(b), "cleared": len(b) - len(a)}


def _moment(report: dict[str, Any]) -> Any:
    from datetime import datetime

    return datetime.fromisoformat(report["as_of"])
