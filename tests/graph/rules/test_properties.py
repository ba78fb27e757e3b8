"""Properties of the rule catalogue on random small counties (hypothesis)."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.dataformat import Dataset
from graph.network import build_graph
from graph.plan.whatif import without
from graph.report import build_report
from graph.rules.analysis import evaluate
from graph.store import datasets
from tests.graph.builders import county

AS_OF = datetime(2026, 11, 1)


def coverage(ds: Dataset) -> set[tuple[str, str]]:
    return {(f.rule, f.subject_id) for f in evaluate(build_graph(ds), as_of=AS_OF) if f.category == "coverage"}


def mutated(seed: int, drop: list[int]) -> Dataset:
    """A small county with some people, agencies or grids removed (and what depended on them)."""
    ds = county(seed)
    ids = sorted(r["id"] for t in ("people", "agencies", "grids") for r in ds.rows(t))
    return without(ds, [ids[i % len(ids)] for i in drop])


SEEDS = st.integers(0, 5)
DROPS = st.lists(st.integers(0, 10_000), max_size=6)


@settings(max_examples=40, deadline=None)
@given(SEEDS, DROPS, st.integers(0, 10_000), st.integers(0, 10_000), st.sampled_from(["full_time", "part_time"]))
def test_adding_a_worker_never_adds_a_coverage_finding(seed: int, drop: list[int], gi: int, pi: int, role: str) -> None:
    ds = mutated(seed, drop)
    grids, people = ds.rows("grids"), ds.rows("people")
    if not grids or not people:
        return
    grid, person = grids[gi % len(grids)], people[pi % len(people)]
    before = coverage(ds)
    rows = ds.rows("grid_assignments") + [{"_row": 10**6, "person_id": person["id"], "grid_id": grid["id"], "role": role}]
    after = coverage(Dataset({**ds.tables, "grid_assignments": rows}))
    added = after - before
    # The one exception the rules themselves make: a part-time worker on an empty residential grid turns
    # GRID_NO_WORKER (high) into GRID_NO_FULL_TIME (medium) for that grid.
    assert added <= {("GRID_NO_FULL_TIME", grid["id"])}
    if added:
        assert role == "part_time" and ("GRID_NO_WORKER", grid["id"]) in before - after


@settings(max_examples=40, deadline=None)
@given(SEEDS, DROPS, st.integers(0, 10_000))
def test_removing_a_pairing_never_removes_a_coverage_finding(seed: int, drop: list[int], k: int) -> None:
    ds = mutated(seed, drop)
    pairings = ds.rows("pairings")
    if not pairings:
        return
    rest = [p for i, p in enumerate(pairings) if i != k % len(pairings)]
    assert coverage(ds) <= coverage(Dataset({**ds.tables, "pairings": rest}))


@pytest.mark.neo4j
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(SEEDS, DROPS)
def test_files_and_neo4j_paths_agree(db, seed: int, drop: list[int]) -> None:  # type: ignore[no-untyped-def]
    ds = mutated(seed, drop)
    datasets.write_dataset(db, ds)
    back = datasets.read_dataset(db)
    assert back.tables == ds.tables
    assert build_report(back, as_of=AS_OF)["findings"] == build_report(ds, as_of=AS_OF)["findings"]
