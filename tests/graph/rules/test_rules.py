"""Each rule from the spec, at its boundaries: a value equal to a threshold does not fire."""

from __future__ import annotations

from datetime import datetime

import pytest

from graph.dataformat import Dataset
from graph.findings import Thresholds
from graph.network import build_graph
from graph.rules.analysis import evaluate
from tests.graph.builders import base, dataset

AS_OF = datetime(2026, 10, 1, 12)


def found(tables: dict, **thr: float) -> set[tuple[str, str]]:  # type: ignore[type-arg]
    return {(f.rule, f.subject_id) for f in evaluate(build_graph(dataset(tables)), Thresholds(**thr), AS_OF)}


def test_base_is_clean_but_for_the_documented_staff_and_sole_gaps() -> None:
    assert found(base(), staff_per_10k_min=10) == set()


@pytest.mark.parametrize(("households", "fires"), [(500, False), (501, True)])
def test_grid_oversized_boundary(households: int, fires: bool) -> None:
    t = base()
    t["grids"][0]["households"] = households
    t["people"].append({"id": "P3", "name": "丁"})
    t["grid_assignments"].append({"person_id": "P3", "grid_id": "G1", "role": "full_time"})
    assert (("GRID_OVERSIZED", "G1") in found(t, staff_per_10k_min=10)) is fires


@pytest.mark.parametrize(("households", "severity"), [(500, None), (750, "medium"), (751, "high")])
def test_worker_overloaded_boundaries(households: int, severity: str | None) -> None:
    t = base()
    t["grids"][0]["households"] = households
    fs = [f for f in evaluate(build_graph(dataset(t)), Thresholds(), AS_OF) if f.rule == "WORKER_OVERLOADED"]
    assert (fs[0].severity if fs else None) == severity


def test_load_is_shared_among_full_time_workers_and_buildings_override_the_column() -> None:
    t = base()
    t["grids"][0]["households"] = 10  # ignored: the data set has buildings
    t["buildings"] = [{"id": "B1", "name": "1栋", "grid_id": "G1", "households": 1200}]
    t["people"] += [{"id": "P3", "name": "丁"}, {"id": "P4", "name": "戊"}]
    t["grid_assignments"] += [{"person_id": "P3", "grid_id": "G1", "role": "full_time"},
                              {"person_id": "P4", "grid_id": "G1", "role": "full_time"}]
    assert not {r for r in found(t) if r[0] == "WORKER_OVERLOADED"}  # 1200 / 3 = 400 each
    t["buildings"][0]["households"] = 1503
    assert {r for r in found(t) if r[0] == "WORKER_OVERLOADED"} == {("WORKER_OVERLOADED", p) for p in ("P1", "P3", "P4")}


def test_grid_workers_and_party_org_rules() -> None:
    t = base()
    t["grids"] += [{"id": "G2", "name": "二网格", "kind": "residential", "community_id": "C1", "households": 100},
                   {"id": "G3", "name": "商圈", "kind": "market", "street_id": "S1", "people": 30}]
    t["people"].append({"id": "P3", "name": "丁"})
    t["grid_assignments"].append({"person_id": "P3", "grid_id": "G2", "role": "part_time"})
    got = found(t, staff_per_10k_min=10)
    assert {("GRID_NO_FULL_TIME", "G2"), ("GRID_NO_WORKER", "G3"), ("GRID_NO_PARTY_ORG", "G2"),
            ("GRID_NO_PARTY_ORG", "G3"), ("SOLE_WORKER", "P3")} <= got
    assert ("GRID_NO_FULL_TIME", "G3") not in got  # only residential grids


def test_places_groups_and_central_households() -> None:
    t = base()
    t["compounds"] = [{"id": "X1", "name": "北苑小区", "community_id": "C1"}]
    t["buildings"] = [{"id": "B1", "name": "1栋", "grid_id": "G1", "compound_id": "X1", "households": 400},
                      {"id": "B2", "name": "2栋", "grid_id": "G1", "compound_id": "X1", "households": 0}]
    t["party_orgs"].append({"id": "L1", "name": "1栋党小组", "kind": "building_group", "parent_id": "O2", "area_id": "B1"})
    got = found(t, staff_per_10k_min=10)
    assert ("COMPOUND_NO_HOME_BRANCH", "X1") in got and ("GROUP_NO_CENTRAL_HOUSEHOLD", "L1") in got
    assert ("BUILDING_NO_GROUP", "B2") not in got  # no households
    t["central_households"] = [{"id": "H1", "person_id": "P2", "building_group_id": "L1", "linked_households": 15}]
    got = found(t, staff_per_10k_min=10)
    assert ("GROUP_NO_CENTRAL_HOUSEHOLD", "L1") not in got and ("CENTRAL_HOUSEHOLD_OVERLOADED", "H1") not in got
    t["central_households"][0]["linked_households"] = 16
    assert ("CENTRAL_HOUSEHOLD_OVERLOADED", "H1") in found(t, staff_per_10k_min=10)


def test_detached_organisations_missing_parent_and_loops() -> None:
    t = base()
    t["party_orgs"] += [
        {"id": "D1", "name": "无上级", "kind": "grid_group", "area_id": "G1"},
        {"id": "D2", "name": "下级", "kind": "grid_group", "parent_id": "D1", "area_id": "G1"},
        {"id": "L1", "name": "环1", "kind": "grid_group", "parent_id": "L2", "area_id": "G1"},
        {"id": "L2", "name": "环2", "kind": "grid_group", "parent_id": "L1", "area_id": "G1"},
        {"id": "L3", "name": "环下", "kind": "grid_group", "parent_id": "L2", "area_id": "G1"}]
    detached = {s for r, s in found(t, staff_per_10k_min=10) if r == "ORG_DETACHED"}
    assert detached == {"D1", "D2", "L1", "L2", "L3"}


def test_secretary_rule_applies_to_the_listed_kinds_only() -> None:
    t = base()
    t["party_orgs"][3]["secretary_id"] = None
    t["party_orgs"].append({"id": "GG", "name": "小组", "kind": "grid_group", "parent_id": "O2", "area_id": "G1"})
    got = found(t, staff_per_10k_min=10)
    assert ("ORG_NO_SECRETARY", "O3") in got and ("ORG_NO_SECRETARY", "GG") not in got


@pytest.mark.parametrize(("m2", "severity"), [(None, "high"), (0, "high"), (499, "medium"), (500, None)])
def test_service_centre(m2: float | None, severity: str | None) -> None:
    t = base()
    t["communities"][0]["service_center_m2"] = m2
    fs = [f for f in evaluate(build_graph(dataset(t)), Thresholds(), AS_OF) if f.rule == "SERVICE_CENTER_BELOW_STANDARD"]
    assert (fs[0].severity if fs else None) == severity


@pytest.mark.parametrize(("work", "service", "fires"), [(50000, 100000, False), (49999, 100000, True),
                                                        (None, 100000, True), (50000, 99999.5, True)])
def test_funds(work: float | None, service: float, fires: bool) -> None:
    t = base()
    t["communities"][0].update(work_funds=work, service_funds=service)
    assert (("FUNDS_BELOW_STANDARD", "C1") in found(t, staff_per_10k_min=10)) is fires


@pytest.mark.parametrize(("population", "fires"), [(None, False), (0, False), (555, False), (556, True)])
def test_staff_per_10k(population: int | None, fires: bool) -> None:
    t = base()  # one staff member: 1 × 10,000 / 555 = 18.02 ≥ 18; / 556 = 17.99 < 18
    t["communities"][0]["population"] = population
    assert (("STAFF_BELOW_STANDARD", "C1") in found(t)) is fires


def test_pairing_baolian_and_agency_rules() -> None:
    t = base()
    t["pairings"], t["baolian"] = [], []
    t["people"] += [{"id": "M1", "name": "党员1", "party_member": True, "agency_id": "A1"},
                    {"id": "M2", "name": "群众", "party_member": False, "agency_id": "A1"}]
    got = found(t, staff_per_10k_min=10)
    assert {("COMMUNITY_NO_PAIRING", "C1"), ("COMMUNITY_NO_BAOLIAN", "C1"), ("AGENCY_NOT_PAIRED", "A1"),
            ("AGENCY_MEMBERS_UNREPORTED", "A1")} <= got
    t["member_reports"] = [{"person_id": "M1", "community_id": "C1"}]
    assert ("AGENCY_MEMBERS_UNREPORTED", "A1") not in found(t, staff_per_10k_min=10)


@pytest.mark.parametrize(("communities", "fires"), [(3, False), (4, True)])
def test_agency_overstretched_counts_distinct_communities(communities: int, fires: bool) -> None:
    t = base()
    t["communities"] += [{**t["communities"][0], "id": f"C{i}", "name": f"社区{i}"} for i in range(2, 5)]
    t["pairings"] = [{"agency_id": "A1", "community_id": f"C{i}"} for i in range(1, communities + 1)]
    t["baolian"] = [{"agency_id": "A1", "community_id": "C1"}]  # the same community counts once
    assert (("AGENCY_OVERSTRETCHED", "A1") in found(t, staff_per_10k_min=10)) is fires


@pytest.mark.parametrize(("grids", "fires"), [(3, False), (4, True)])
def test_worker_too_many_grids(grids: int, fires: bool) -> None:
    t = base()
    t["grids"] += [{"id": f"G{i}", "name": f"网格{i}", "kind": "residential", "community_id": "C1", "households": 10}
                   for i in range(2, 6)]
    t["grid_assignments"] += [{"person_id": "P2", "grid_id": f"G{i}", "role": "part_time"} for i in range(2, grids + 1)]
    assert (("WORKER_TOO_MANY_GRIDS", "P2") in found(t, staff_per_10k_min=10)) is fires


@pytest.mark.parametrize(("extra", "fires"), [(0, False), (1, True)])
def test_role_concentration(extra: int, fires: bool) -> None:
    t = base()  # P2: one grid assignment, secretary of O2 and O3, one staff row = 4
    t["projects"] = [{"id": f"J{i}", "name": "项目", "level": "community", "leader_id": "P2"} for i in range(extra)]
    assert (("ROLE_CONCENTRATION", "P2") in found(t, staff_per_10k_min=10)) is fires


def demand(i: int, raised: str, resolved: str | None = None, handler: str = "P1") -> dict:  # type: ignore[type-arg]
    return {"id": f"Q{i}", "grid_id": "G1", "raised_at": datetime.fromisoformat(raised),
            "resolved_at": datetime.fromisoformat(resolved) if resolved else None, "handler_id": handler}


def test_demand_overdue_boundary_and_openness() -> None:
    t = base()
    t["demands"] = [demand(1, "2026-09-24 12:00"),                        # exactly 7 days: not overdue
                    demand(2, "2026-09-24 11:59"),                        # more than 7 days
                    demand(3, "2026-09-01 00:00", "2026-10-01 12:00"),    # resolved at the moment: closed
                    demand(4, "2026-09-01 00:00", "2026-10-01 12:01"),    # resolved after it: open
                    demand(5, "2026-10-01 12:01")]                        # raised after it: not open
    overdue = {s for r, s in found(t, staff_per_10k_min=10) if r == "DEMAND_OVERDUE"}
    assert overdue == {"Q2", "Q4"}


@pytest.mark.parametrize(("n", "fires"), [(10, False), (11, True)])
def test_worker_demand_backlog(n: int, fires: bool) -> None:
    t = base()
    t["demands"] = [demand(i, "2026-09-30 10:00") for i in range(n)]
    assert (("WORKER_DEMAND_BACKLOG", "P1") in found(t, staff_per_10k_min=10)) is fires


def test_empty_tables_and_no_optional_tables() -> None:
    t = base()
    for name in ("pairings", "baolian", "community_staff", "agencies"):
        t.pop(name)
    t["party_orgs"] = [o for o in t["party_orgs"] if o["kind"] != "agency_org"]
    got = found(t)
    assert ("COMMUNITY_NO_PAIRING", "C1") in got and ("STAFF_BELOW_STANDARD", "C1") in got
    assert evaluate(build_graph(Dataset({})), Thresholds(), AS_OF) == []
