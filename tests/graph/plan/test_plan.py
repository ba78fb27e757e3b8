"""The plan's proof: carrying out the whole plan opens no finding, clears what it claims, overloads no one."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from graph.findings import Thresholds
from loaders.generate import generate, write_csv
from loaders.validate import load_dataset
from tests.conftest import TINY
from tests.graph.builders import county
from tests.graph.plan.proof import check


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10_000),
       st.sampled_from([{}, {"worker_max_households": 350}, {"worker_max_grids": 2}, {"person_max_roles": 3},
                        {"plan_cross_street": True}, {"agency_max_communities": 1},
                        {"worker_max_households": 420, "plan_cross_street": True}]))
def test_the_plan_holds_on_generated_counties(seed: int, limits: dict[str, object]) -> None:
    check(county(seed), Thresholds(**limits))  # type: ignore[arg-type]


def test_the_plan_holds_on_tiny() -> None:
    r = check(load_dataset(TINY))
    assert r["claimed"] >= 3


def test_the_plan_holds_on_laoting(tmp_path: Path) -> None:
    write_csv(generate(seed=2026), tmp_path)
    ds = load_dataset(tmp_path)
    r = check(ds)
    plan = r["before"]["plan"]
    kinds = {a["kind"] for a in plan["actions"]}
    assert {"hand_over", "assign", "back_up", "pair", "hire", "advice"} <= kinds
    # every overloaded worker and every sole worker of the generated county is relieved or backed up
    cleared = {tuple(k) for a in plan["actions"] for k in a["clears"]}
    for f in r["before"]["findings"]:
        if f["rule"] in ("WORKER_OVERLOADED", "SOLE_WORKER"):
            assert (f["rule"], f["subject"]["id"]) in cleared, f
    assert r["claimed"] > 130
    check(ds, Thresholds(worker_max_households=450, plan_cross_street=True))
