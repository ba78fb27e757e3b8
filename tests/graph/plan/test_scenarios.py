"""The plan on small hand-made counties: each of issue 13's complaints, and what the plan does instead."""

from __future__ import annotations

from typing import Any

from graph.findings import Thresholds
from graph.report import build_report
from tests.graph.builders import base, dataset
from tests.graph.plan.proof import check


def grid(gid: str, hh: int, community: str | None = "C1", street: str | None = None,
         kind: str = "residential") -> dict[str, Any]:
    return {"id": gid, "name": f"网格{gid}", "kind": kind, "community_id": community, "street_id": street,
            "households": hh, "people": hh * 2}


def person(pid: str) -> dict[str, Any]:
    return {"id": pid, "name": f"人{pid}", "party_member": False}


def ft(pid: str, gid: str, role: str = "full_time") -> dict[str, Any]:
    return {"person_id": pid, "grid_id": gid, "role": role}


def county(grids: list[dict[str, Any]], people: list[str], assignments: list[dict[str, Any]]) -> dict[str, Any]:
    t = base()
    t["grids"] += grids
    t["people"] += [person(p) for p in people]
    t["grid_assignments"] += assignments
    t["party_orgs"] += [{"id": f"O{g['id']}", "name": "网格党小组", "kind": "grid_group", "parent_id": "O2",
                         "area_id": g["id"]} for g in grids]
    return t


def actions_of(report: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [a for a in report["plan"]["actions"] if a["kind"] == kind]


def test_a_shared_grid_goes_to_the_colleague_who_has_room() -> None:
    """The issue's worker at 596 households (420 shared + 386 alone) next to a colleague at 210."""
    t = county([grid("G2", 420), grid("G3", 386)], ["PO", "PC"],
               [ft("PO", "G2"), ft("PC", "G2"), ft("PO", "G3"), ft("P2", "G2", "part_time"),
                ft("P2", "G3", "part_time")])
    r = check(dataset(t))
    hand = actions_of(r["before"], "hand_over")
    assert [(a["from_person_id"], a["grid_id"], a["person_id"]) for a in hand] == [("PO", "G2", "PC")]
    assert ["WORKER_OVERLOADED", "PO"] in hand[0]["clears"]
    f = next(f for f in r["before"]["findings"] if f["rule"] == "WORKER_OVERLOADED")
    assert f["actions"] == [hand[0]["id"]] and f["why"] is None
    assert f["suggestion"]["kind"] == "hand_over"


def test_a_hand_over_keeps_the_old_worker_as_back_up_when_no_one_else_can() -> None:
    """PO (520) hands G3 (150, PO its only worker) to PC; no one else has room for a back-up, so PO stays on
    it part-time — the grid never ends without a full-time worker nor with a sole worker."""
    t = county([grid("G2", 370), grid("G3", 150), grid("G4", 300)], ["PO", "PC"],
               [ft("PO", "G2"), ft("PO", "G3"), ft("PC", "G4"), ft("P2", "G2", "part_time"),
                ft("P2", "G4", "part_time"), ft("P1", "G4", "part_time")])
    r = check(dataset(t), Thresholds(worker_max_households=500, worker_max_grids=2))
    acts = r["before"]["plan"]["actions"]
    assert [(a["kind"], a["grid_id"], a["person_id"]) for a in acts if a.get("grid_id") == "G3"] == \
        [("hand_over", "G3", "PC"), ("back_up", "G3", "PO")]


def test_no_one_with_room_means_one_hire_counted_once() -> None:
    """Three grids without a full-time worker and no one with room: one hire action for the community,
    which all three findings point to, and the summary counts it once."""
    t = county([grid("G2", 300), grid("G3", 250), grid("G4", 200)], ["PX"],
               [ft("PX", "G2", "part_time"), ft("PX", "G3", "part_time"), ft("PX", "G4", "part_time"),
                ft("P2", "G2", "part_time"), ft("P2", "G3", "part_time"), ft("P2", "G4", "part_time")])
    t["grid_assignments"][0]["role"] = "part_time"  # G1's worker too: no full-time worker anywhere
    r = check(dataset(t))
    hires = actions_of(r["before"], "hire")
    assert len(hires) == 1 and hires[0]["community_id"] == "C1"
    assert hires[0]["count"] == 3  # 400 + 300 + 250 + 200 households, whole grids, 500 each: three workers
    served = [f for f in r["before"]["findings"] if f["rule"] == "GRID_NO_FULL_TIME"]
    assert len(served) == 4 and all(f["actions"] == [hires[0]["id"]] for f in served)
    assert all("需增配 3 名" in f["why"]["zh"] for f in served)
    s = r["before"]["plan"]["summary"]
    assert s["hire_full_time"] == 3 and "需增配专职 3 人" in s["zh"]
    assert s["hires"] == [{"action_id": hires[0]["id"], "street_id": "S1", "community_id": "C1", "count": 3,
                           "findings": sorted([["GRID_NO_FULL_TIME", g] for g in ("G1", "G2", "G3", "G4")])}]


def test_sole_workers_of_street_grids_get_a_back_up_from_the_street() -> None:
    """A 商务楼宇 grid belongs to the street, to no community; its only worker gets a back-up from the street,
    and the SOLE_WORKER message names the grid."""
    t = county([grid("B1", 0, community=None, street="S1", kind="business_building")], ["PB", "PQ"],
               [ft("PB", "B1", "part_time"), ft("PQ", "G1", "part_time")])
    t["grids"][-1]["people"] = 300
    r = check(dataset(t))
    sole = next(f for f in r["before"]["findings"] if f["rule"] == "SOLE_WORKER" and f["subject"]["id"] == "PB")
    assert "网格「网格B1」" in sole["message"]["zh"] and "B1" in sole["message"]["en"]
    back = [a for a in actions_of(r["before"], "back_up") if a["grid_id"] == "B1"]
    assert len(back) == 1 and back[0]["person_id"] != "PB" and ["SOLE_WORKER", "PB"] in back[0]["clears"]


def test_crossing_streets_only_when_the_threshold_allows() -> None:
    t = county([grid("G2", 300, community="C2")], ["PS"], [ft("P2", "G2", "part_time"), ft("PS", "G2", "part_time")])
    t["streets"].append({"id": "S2", "name": "南街", "county": "示例县"})
    t["communities"].append({**t["communities"][0], "id": "C2", "name": "南苑", "street_id": "S2"})
    t["pairings"].append({"agency_id": "A1", "community_id": "C2"})
    t["baolian"].append({"agency_id": "A1", "community_id": "C2"})
    t["grids"][0]["households"] = 100  # P1 in street S1 has room for 400 more
    ds = dataset(t)
    near = check(ds)["before"]
    assert not [a for a in actions_of(near, "assign") if a["grid_id"] == "G2"]
    assert [a.get("community_id") for a in actions_of(near, "hire")] == ["C2"]
    far = check(ds, Thresholds(plan_cross_street=True))["before"]
    assert [(a["person_id"], a["role"]) for a in actions_of(far, "assign") if a["grid_id"] == "G2"] == [("P1", "full_time")]
    assert not actions_of(far, "hire")


def test_every_finding_points_to_an_action_or_says_why() -> None:
    t = county([grid("G2", 300)], ["PX"], [])
    r = build_report(dataset(t))
    for f in r["findings"]:
        assert f["actions"] or f["why"]["zh"], f
    g2 = next(f for f in r["findings"] if f["rule"] == "GRID_NO_WORKER")
    assert g2["suggestion"]["kind"] in ("assign_full_time", "add_workers")
    assert set(r["plan"]) == {"actions", "summary"}
    for a in r["plan"]["actions"]:
        assert {"id", "kind", "clears", "zh", "en"} <= set(a)


def test_the_model_counts_responsibilities_as_the_rules_do() -> None:
    from graph.network import Net, build_graph
    from graph.plan.model import State
    from graph.rules import analysis
    from graph.rules.overload import responsibilities
    from loaders.validate import load_dataset
    from tests.conftest import TINY

    net = Net(build_graph(load_dataset(TINY)))
    st = State(net, analysis.context(net, Thresholds(), analysis.default_as_of(load_dataset(TINY))))
    assert st.roles and all(n == sum(responsibilities(net, p).values()) for p, n in st.roles.items())
