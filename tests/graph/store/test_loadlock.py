"""Loads one at a time (issue 11, point 1): the lock in Neo4j, with real threads and real processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import psutil
import pytest

from graph.errors import DatabaseError, LoadInProgress
from graph.store import datasets, loadlock
from loaders.generate import generate, write_csv
from loaders.validate import load_dataset
from tests.conftest import ROOT, TINY

pytestmark = pytest.mark.neo4j


def whole(db, ds) -> None:  # type: ignore[no-untyped-def]
    """The current data set is ``ds``, complete, and nothing else is in the database."""
    info = datasets.current(db)
    assert info is not None and info["fingerprint"] == ds.fingerprint
    assert datasets.read_dataset(db).tables == ds.tables
    keys = {r["ds"] for r in db.read("MATCH (n:Entity) RETURN DISTINCT n.ds AS ds")}
    assert keys == {info["ds"]}, "nodes of another data set (orphans) are left"
    assert db.read("MATCH (d:DataSet) RETURN count(d) AS n")[0]["n"] == 1
    assert datasets.orphans(db) == []
    assert loadlock.holder(db) is None


@pytest.fixture()
def laoting(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("lt-lock")
    write_csv(generate(seed=11), d)
    return d


def test_two_loads_at_once_one_succeeds_the_other_is_refused(db) -> None:  # type: ignore[no-untyped-def]
    tiny = load_dataset(TINY)
    datasets.write_dataset(db, tiny)
    other = load_dataset(TINY)
    other.fingerprint = "other"
    start = threading.Barrier(2)
    loser_done = threading.Event()
    results: dict[str, Any] = {}

    def run(name: str, ds: Any) -> None:
        def hold(step: str, n: int) -> None:  # the winner holds the lock until the other has tried
            if step == datasets.PLANNED:
                assert loser_done.wait(120)

        start.wait()
        try:
            results[name] = datasets.write_dataset(db, ds, progress=hold, who=f"thread {name}")
        except LoadInProgress as exc:
            results[name] = exc
            loser_done.set()

    threads = [threading.Thread(target=run, args=(n, d)) for n, d in (("a", tiny), ("b", other))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    refused = [n for n, r in results.items() if isinstance(r, LoadInProgress)]
    assert len(results) == 2 and len(refused) == 1, results
    exc = results[refused[0]]
    assert "thread" in exc.holder and exc.since and "另一个载入正在进行" in exc.zh
    winner = tiny if refused == ["b"] else other
    whole(db, winner)
    datasets.write_dataset(db, tiny)


def test_a_waiting_load_runs_after_the_first(db) -> None:  # type: ignore[no-untyped-def]
    tiny = load_dataset(TINY)
    lease = loadlock.acquire(db, "the test")
    told: list[LoadInProgress] = []
    done: list[str] = []
    t = threading.Thread(target=lambda: done.append(datasets.write_dataset(db, tiny, wait=True, on_wait=told.append)))
    t.start()
    while not told:
        time.sleep(0.05)
    assert told[0].holder == "the test" and not done
    lease.release()
    t.join(300)
    assert done and datasets.current(db)["ds"] == done[0]
    whole(db, tiny)


def test_cleanup_never_removes_a_load_in_progress(db) -> None:  # type: ignore[no-untyped-def]
    tiny = load_dataset(TINY)
    datasets.write_dataset(db, tiny)
    in_cleanup: list[BaseException] = []

    def hold(step: str, n: int) -> None:
        if step == "grids":  # half written: another process tries to clean up
            try:
                datasets.cleanup(db)
            except LoadInProgress as exc:
                in_cleanup.append(exc)

    key = datasets.write_dataset(db, tiny, progress=hold)
    assert len(in_cleanup) == 1
    assert datasets.current(db)["ds"] == key
    whole(db, tiny)


def test_the_switch_fails_when_the_loads_own_record_has_gone(db) -> None:  # type: ignore[no-untyped-def]
    tiny = load_dataset(TINY)
    datasets.write_dataset(db, tiny)
    before = datasets.current(db)

    def remove_own_record(step: str, n: int) -> None:
        if step == "demands":
            db.write("MATCH (d:DataSet {current: false}) DELETE d")

    with pytest.raises(DatabaseError, match="has gone"):
        datasets.write_dataset(db, tiny, progress=remove_own_record)
    assert datasets.current(db) == before
    datasets.write_dataset(db, tiny)  # the next load removes what the failed one left (now orphans)
    whole(db, tiny)


def test_orphans_of_an_earlier_crash_are_found_and_removed(db) -> None:  # type: ignore[no-untyped-def]
    tiny = load_dataset(TINY)
    datasets.write_dataset(db, tiny)
    db.write("UNWIND range(1, 50) AS i CREATE (n:Entity:Grid {ds: 'crashed-long-ago', id: 'G' + i})")
    db.write("CREATE (n:Entity:Person {ds: '0-older', id: 'P1'})-[:ASSIGNED_TO]->(:Entity:Grid {ds: '0-older', id: 'G1'})")
    assert set(datasets.orphans(db)) == {"crashed-long-ago", "0-older"}
    datasets.write_dataset(db, tiny)
    whole(db, tiny)


def orgnet(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "api.cli", *args], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, **(env or {})})


def held_by(db, pid: int) -> bool:  # type: ignore[no-untyped-def]
    h = loadlock.holder(db)
    return bool(h and f"pid {pid})" in h["who"])


def test_two_load_processes_one_loads_the_other_exits_or_waits(db, laoting: Path) -> None:  # type: ignore[no-untyped-def]
    tiny = load_dataset(TINY)
    datasets.write_dataset(db, tiny)
    first = orgnet("load", str(laoting), "--whole", "--batch", "500")
    while not held_by(db, first.pid):
        assert first.poll() is None, first.communicate()
        time.sleep(0.05)
    os.kill(first.pid, signal.SIGSTOP)  # the first holds the lock, paused: the overlap is certain
    try:
        refused = orgnet("load", str(TINY), "--no-wait")
        _, err = refused.communicate(timeout=300)
        assert refused.returncode == 1, err
        lines = [ln for ln in err.splitlines() if ln.strip()]  # what was read (the ledgers' table), then the refusal
        assert "另一个载入正在进行" in lines[-1] and "another load is in progress" in lines[-1], err
        assert sum("另一个载入正在进行" in ln for ln in lines) == 1 and "Traceback" not in err, err
        assert f"pid {first.pid}" in err
        waiting = orgnet("load", str(TINY), "--wait")
        while "waiting" not in (waiting.stderr.readline() if waiting.stderr else ""):
            assert waiting.poll() is None
    finally:
        os.kill(first.pid, signal.SIGCONT)
    first_out = first.communicate(timeout=600)  # communicate(): reads and closes its pipes
    assert first.returncode == 0, first_out
    waiting_out = waiting.communicate(timeout=600)
    assert waiting.returncode == 0, waiting_out
    whole(db, tiny)  # the waiting load ran last


def test_a_killed_loaders_lock_expires_and_the_next_load_cleans_up(db, laoting: Path) -> None:  # type: ignore[no-untyped-def]
    tiny = load_dataset(TINY)
    datasets.write_dataset(db, tiny)
    before = datasets.current(db)
    killed = orgnet("load", str(laoting), "--whole", "--batch", "200", env={"ORGNET_LOAD_LEASE": "4"})
    while not (held_by(db, killed.pid) and db.read(
            "MATCH (d:DataSet {current: false}) MATCH (n:Entity {ds: d.ds}) RETURN count(n) AS n")[0]["n"] > 2000):
        assert killed.poll() is None, killed.communicate()
        time.sleep(0.05)
    psutil.Process(killed.pid).kill()
    killed.communicate()  # reaps it and closes its pipes
    assert datasets.current(db) == before  # the current data set is untouched
    with pytest.raises(LoadInProgress):  # the dead loader's lease has not run out yet
        datasets.write_dataset(db, tiny)
    datasets.write_dataset(db, tiny, wait=True)  # it runs out; this load takes over and removes the leftovers
    whole(db, tiny)
