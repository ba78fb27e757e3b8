"""Loading into the real Neo4j: atomic replacement, refusals change nothing, a killed load loses nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from graph.report import build_report
from graph.store import datasets
from loaders.generate import generate, write_csv
from loaders.validate import load_dataset
from tests.conftest import ROOT, TINY
from tests.graph.store.loading import kill_load_halfway

pytestmark = pytest.mark.neo4j


def state(db) -> tuple:  # type: ignore[no-untyped-def,type-arg]
    info = datasets.current(db)
    nodes = db.read("MATCH (n:Entity) RETURN count(n) AS n")[0]["n"]
    rels = db.read("MATCH ()-[r]->() RETURN count(r) AS n")[0]["n"]
    return (info and info["fingerprint"], info and info["counts"], nodes, rels)


def orgnet(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "api.cli", *args], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, **(env or {})}, timeout=600)


def test_refused_load_exits_2_and_changes_nothing(db, tiny_copy: Path) -> None:  # type: ignore[no-untyped-def]
    datasets.write_dataset(db, load_dataset(TINY))
    before = state(db)
    (tiny_copy / "grids.csv").write_text(
        (tiny_copy / "grids.csv").read_text(encoding="utf-8").replace("market", "tower"), encoding="utf-8")
    res = orgnet("load", str(tiny_copy))
    assert res.returncode == 2
    assert "grids.csv" in res.stderr and "第 5 行" in res.stderr and "kind" in res.stderr and "row 5" in res.stderr
    assert state(db) == before


def test_loading_twice_gives_the_same_graph(db) -> None:  # type: ignore[no-untyped-def]
    ds = load_dataset(TINY)
    datasets.write_dataset(db, ds)
    first = (state(db), datasets.read_dataset(db).tables)
    datasets.write_dataset(db, ds)
    assert (state(db), datasets.read_dataset(db).tables) == first
    assert db.read("MATCH (d:DataSet) RETURN count(d) AS n")[0]["n"] == 1


def test_progress_names_the_removal_only_when_a_data_set_is_replaced(db) -> None:  # type: ignore[no-untyped-def]
    ds = load_dataset(TINY)
    db.write("MATCH (d:DataSet {current: true}) SET d.current = false")
    datasets.cleanup(db)  # an empty database
    calls: list[tuple[str, int]] = []
    datasets.write_dataset(db, ds, progress=lambda step, n: calls.append((step, n)))
    steps = [step for step, _ in calls]
    assert "grids" in steps and datasets.REMOVING not in steps
    assert calls[0] == (datasets.PLANNED, sum(n for _, n in calls[1:]))  # the total first, then what each batch wrote
    steps.clear()
    datasets.write_dataset(db, ds, progress=lambda step, n: steps.append(step))
    assert steps[-1] == datasets.REMOVING and steps.count(datasets.REMOVING) == 1


def test_killed_load_leaves_the_previous_data_set_whole(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    datasets.write_dataset(db, load_dataset(TINY))
    before = state(db)
    write_csv(generate(seed=3), tmp_path / "lt")
    # wait until the new data set is half written, then kill the loader outright
    n = kill_load_halfway(db, tmp_path / "lt", {"ORGNET_LOAD_LEASE": "3"})
    assert n > 3000, "the load never got half way"
    assert datasets.current(db)["fingerprint"] == before[0]
    assert datasets.read_dataset(db).tables == load_dataset(TINY).tables
    # the next load waits for the dead loader's lease to run out, then removes the leftovers
    datasets.write_dataset(db, load_dataset(TINY), wait=True)
    assert state(db) == before


def test_laoting_report_from_neo4j_equals_report_from_files(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    write_csv(generate(seed=2026), tmp_path / "lt")
    ds = load_dataset(tmp_path / "lt")
    datasets.write_dataset(db, ds)
    back = datasets.read_dataset(db)
    assert back.tables == ds.tables
    from_db, from_files = build_report(back), build_report(ds)
    assert from_db["findings"] == from_files["findings"] and from_db["summary"] == from_files["summary"]


def test_load_export_load_gives_the_same_graph_and_the_input_back(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from loaders.export import export_csv

    datasets.write_dataset(db, load_dataset(TINY))
    export_csv(datasets.read_dataset(db), tmp_path / "out")
    again = load_dataset(tmp_path / "out")
    assert again.tables == load_dataset(TINY).tables
    for f in sorted(TINY.glob("*.csv")):  # equal to the input up to formatting
        assert (tmp_path / "out" / f.name).read_text(encoding="utf-8").splitlines() == \
            f.read_text(encoding="utf-8").splitlines(), f.name


def test_every_reference_and_link_row_is_a_relationship(db) -> None:  # type: ignore[no-untyped-def]
    from graph.dataformat import TABLES

    ds = load_dataset(TINY)
    key = datasets.write_dataset(db, ds)
    want: dict[str, int] = {"IN_COUNTY": len(ds.rows("streets"))}
    for t in TABLES:
        if t.rel:
            want[t.rel] = want.get(t.rel, 0) + len(ds.rows(t.name))
        else:
            for c in t.refs:
                assert c.rel
                want[c.rel] = want.get(c.rel, 0) + sum(1 for r in ds.rows(t.name) if r.get(c.name) is not None)
    got = {r["t"]: r["n"] for r in db.read(
        "MATCH (a:Entity {ds: $ds})-[x]->(b:Entity {ds: $ds}) RETURN type(x) AS t, count(*) AS n", {"ds": key})}
    assert got == want
    # and each points where the row says
    rows = db.read("MATCH (g:Grid {ds: $ds})-[:IN_COMMUNITY]->(c) RETURN g.id AS g, c.id AS c", {"ds": key})
    assert {(r["g"], r["c"]) for r in rows} == {(g["id"], g["community_id"]) for g in ds.rows("grids") if g["community_id"]}
