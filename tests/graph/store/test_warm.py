"""The warm-up after a start: Neo4j plans what a load will run (the same statements, lists of the same size class),
a month's changes are planned too, a load is rehearsed and removed, and a load that waits stops all of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.dataformat import Dataset
from graph.settings import Settings
from graph.store import datasets, patch, plancache, warm
from graph.store.changes import changes
from graph.store.loadplan import plan_writes
from graph.store.server import LocalServer
from loaders.generate import series, write_csv
from loaders.validate import load_dataset


@pytest.fixture(scope="module")
def months(tmp_path_factory: pytest.TempPathFactory) -> list[Dataset]:
    out = []
    for label, tables in series(2, seed=4):
        d = tmp_path_factory.mktemp(label)
        write_csv(tables, d)
        out.append(load_dataset(d))
    return out


def test_the_warm_up_runs_what_a_load_sends_in_the_same_size_classes(months: list[Dataset]) -> None:
    ds = months[1]
    sent = {(q, plancache.size_class(len(rows[i:i + 500])))
            for _, q, rows in plan_writes(ds) for i in range(0, len(rows), 500) if rows}
    warmed = {(q, plancache.size_class(len(rows))) for q, rows in plancache.load_runs(ds.counts(), batch=500)}
    assert sent <= warmed
    assert len(warmed) <= len(sent) + 4  # not much more: a self-reference has fewer pairs than rows; the county


def test_every_statement_a_month_runs_is_planned_ahead(months: list[Dataset]) -> None:
    chg = changes(months[0], months[1])
    assert sum(c.size() for c in chg.values()) > 0
    ran = patch._Collector()
    patch._apply(ran, chg, months[0], months[1])
    assert ran.seen.keys() <= patch.every_statement().keys()
    assert len(ran.seen) > 5


@pytest.mark.neo4j
def test_a_rehearsed_load_writes_every_row_and_leaves_nothing_behind(db, months: list[Dataset]) -> None:  # type: ignore[no-untyped-def]
    before = datasets.current(db)
    nodes = db.read("MATCH (n) RETURN count(n) AS n")[0]["n"]
    ds = months[0]
    assert warm.rehearse(db, ds) == sum(len(rows) for _, _, rows in plan_writes(ds))
    assert db.read("MATCH (n) RETURN count(n) AS n")[0]["n"] == nodes
    assert datasets.current(db) == before


@pytest.mark.neo4j
def test_a_waiting_load_stops_the_rehearsal_and_nothing_of_it_stays(db, months: list[Dataset]) -> None:  # type: ignore[no-untyped-def]
    nodes = db.read("MATCH (n) RETURN count(n) AS n")[0]["n"]
    calls = []

    def check() -> None:
        calls.append(1)
        if len(calls) > 3:
            raise warm.Wanted()

    with pytest.raises(warm.Wanted):
        warm.rehearse(db, months[0], check, batch=500)
    assert db.read("MATCH (n) RETURN count(n) AS n")[0]["n"] == nodes


@pytest.mark.neo4j
def test_a_rehearsal_left_by_a_killed_warm_up_is_its_own_not_an_orphan(db) -> None:  # type: ignore[no-untyped-def]
    key = f"{datasets.REHEARSAL}test"
    db.write("CREATE (:Entity:Street {ds: $ds, id: 'S1'})", {"ds": key})
    try:
        assert key in datasets.rehearsals(db)
        assert key not in datasets.orphans(db)
    finally:
        datasets.delete_nodes(db, key)
    assert key not in datasets.rehearsals(db)


def test_a_load_asks_a_warm_up_in_progress_to_stop_beyond_the_load_plans(tmp_path: Path) -> None:
    import subprocess

    s = LocalServer(Settings(orgnet_home=tmp_path, neo4j_uri=None))
    s.warming_file.parent.mkdir(parents=True)
    s.warmed(timeout=5)  # no warm-up: nothing asked
    assert not s.wanted_file.exists()
    proc = subprocess.Popen(["sleep", "0.5"])
    s.warming_file.write_text(str(proc.pid))
    s.warmed(timeout=60)
    proc.wait(timeout=5)
    assert s.wanted_file.exists()  # the warm-up sees it at its next statement (warm._stop_if)
    with pytest.raises(warm.Wanted):
        warm._stop_if(s.wanted_file)


def test_a_load_of_a_months_changes_stops_the_warm_up_and_does_not_wait(tmp_path: Path) -> None:
    import subprocess

    from graph.store.connection import warmed_up

    settings = Settings(orgnet_home=tmp_path, neo4j_uri=None)
    s = LocalServer(settings)
    s.warming_file.parent.mkdir(parents=True)
    proc = subprocess.Popen(["sleep", "60"])  # a warm-up still planning the statements of a whole load
    try:
        s.warming_file.write_text(str(proc.pid))
        warmed_up(settings, whole=False)
        assert proc.poll() is None  # returned without waiting for it
        assert s.hurry_file.exists() and s.wanted_file.exists()  # it stops even its plans at the next statement:
        with pytest.raises(warm.Wanted):
            warm._stop_if(s.hurry_file)
    finally:
        proc.kill()
        proc.wait()


@pytest.mark.neo4j
def test_a_whole_load_waits_for_the_warm_up_and_a_patch_does_not(db, months: list[Dataset]) -> None:  # type: ignore[no-untyped-def]
    old, new = months
    asked: list[bool] = []
    datasets.write_dataset(db, old, warmed=asked.append)
    datasets.write_dataset(db, new, warmed=asked.append, before=lambda fp: old if fp == old.fingerprint else None)
    assert asked == [True, False]
    assert datasets.current(db)["fingerprint"] == new.fingerprint
