"""A month loaded as its changes, against the real server: the graph it leaves is exactly the one a whole load
leaves, readers never see half of it, a killed patch loses nothing, and a snapshot that does not match falls back."""

from __future__ import annotations

import copy
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from api.cli.tokens import _check_places
from graph.dataformat import Dataset
from graph.errors import DatasetChanged
from graph.store import datasets
from loaders.generate import series, write_csv
from loaders.validate import load_dataset
from tests.conftest import ROOT, TINY

pytestmark = pytest.mark.neo4j


def graph_of(db: Any) -> tuple[list[str], list[str]]:
    """The current data set's nodes (labels, properties) and relationships (ends, type, properties), sorted."""
    store = datasets.nodes_key(datasets.current(db))
    nodes = db.read("MATCH (n:Entity {ds: $s}) RETURN labels(n) AS l, properties(n) AS p", {"s": store})
    rels = db.read("MATCH (a:Entity {ds: $s})-[r]->(b) RETURN a.id AS a, type(r) AS t, b.id AS b, "
                   "b.ds = $s AS inside, properties(r) AS p", {"s": store})
    assert all(r["inside"] for r in rels), "a relationship leaves the data set"
    return (sorted(json.dumps([sorted(n["l"]), {k: v for k, v in n["p"].items() if k != "ds"}], sort_keys=True,
                              default=str) for n in nodes),
            sorted(json.dumps([r["a"], r["t"], r["b"], r["p"]], sort_keys=True, default=str) for r in rels))


def patched(db: Any, old: Dataset, new: Dataset) -> list[tuple[str, int]]:
    """Load ``new`` over ``old`` (current) as its changes; the progress steps heard."""
    heard: list[tuple[str, int]] = []
    datasets.write_dataset(db, new, progress=lambda s, n: heard.append((s, n)),
                           before=lambda fp: old if fp == old.fingerprint else None)
    return heard


def whole_graph(db: Any, ds: Dataset) -> tuple[list[str], list[str]]:
    datasets.write_dataset(db, ds)
    return graph_of(db)


def edited(ds: Dataset) -> Dataset:
    """Every kind of change a month brings, on the tiny data set."""
    new = Dataset(copy.deepcopy(ds.tables), fingerprint=ds.fingerprint + "-edited", source="edited")
    t = new.tables
    # a row at the top of every table: all the others move down one row
    for rows in t.values():
        for r in rows:
            r["_row"] += 1
    t["streets"][0]["county"] = "新设县"                       # a street moves to a new county
    t["streets"].insert(0, {**t["streets"][-1], "id": "S-NEW", "name": "新街道", "_row": 2})
    other = [c["id"] for c in ds.rows("communities")]
    g = t["grids"][0]
    g["community_id"] = next(c for c in other if c != g["community_id"])   # a grid changes community
    orgs = {o["id"]: o for o in t["party_orgs"]}
    child = next(o for o in t["party_orgs"] if o.get("parent_id") and orgs[o["parent_id"]].get("parent_id"))
    child["parent_id"] = orgs[child["parent_id"]]["parent_id"]          # a branch hangs one level up (a self-reference)
    person = next(p for p in t["people"] if p.get("phone"))
    person["phone"] = None                                               # a value blanked
    if t.get("projects"):
        proj = t["projects"][0]
        proj["target_id"] = t["streets"][1]["id"] if proj.get("target_id") != t["streets"][1]["id"] else other[0]
    gone = t["grid_assignments"].pop()                                   # a link row ends
    t["grid_assignments"].append({**gone, "role": "part_time" if gone["role"] == "full_time" else "full_time"})
    return new


@pytest.fixture()
def tiny_current(db) -> Iterator[tuple[Dataset, Dataset]]:  # type: ignore[no-untyped-def]
    """The tiny data set made current, and its edited month; the data set the other tests expect put back after."""
    before = datasets.read_dataset(db)
    old = load_dataset(TINY)
    datasets.write_dataset(db, old)
    yield old, edited(old)
    datasets.write_dataset(db, before, wait=True)


def test_a_month_of_every_kind_of_change_leaves_the_graph_a_whole_load_leaves(db, tiny_current) -> None:  # type: ignore[no-untyped-def]
    old, new = tiny_current
    expected = whole_graph(db, new)
    datasets.write_dataset(db, old)
    heard = patched(db, old, new)
    steps = [s for s, _ in heard]
    assert steps[0] == datasets.CHANGES and 0 < heard[0][1] < 20, heard[:3]
    assert graph_of(db) == expected
    assert datasets.read_dataset(db).tables == new.tables
    info = datasets.current(db)
    assert info["fingerprint"] == new.fingerprint and info["store"] != info["ds"]
    # and back: the tiny data set again, as its changes from the edited one
    heard = patched(db, new, old)
    assert heard[0][0] == datasets.CHANGES
    assert graph_of(db) == whole_graph(db, old)


def test_a_generated_series_month_by_month_equals_each_month_loaded_whole(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    before = datasets.read_dataset(db)
    months = []
    for label, tables in series(3, seed=5):
        write_csv(tables, tmp_path / label)
        months.append(load_dataset(tmp_path / label))
    datasets.write_dataset(db, months[0])
    for old, new in zip(months, months[1:], strict=False):
        key = datasets.current(db)["ds"]
        assert patched(db, old, new)[0][0] == datasets.CHANGES
        got = graph_of(db)
        assert datasets.read_dataset(db).tables == new.tables
        with pytest.raises(DatasetChanged):  # a reader still on the month before is told, as after a whole load
            datasets.read_dataset(db, key)
        _check_places(new.rows("streets")[0]["id"], new.rows("communities")[-1]["id"])  # tokens' scope check
        patched_key = datasets.current(db)["ds"]
        assert whole_graph(db, new) == got
        # the whole load replaced the patched data set and removed its nodes: nothing of it is left behind
        assert db.read("MATCH (d:DataSet {ds: $k}) RETURN count(d) AS n", {"k": patched_key})[0]["n"] == 0
        assert datasets.orphans(db) == []
    datasets.write_dataset(db, before)


def test_a_snapshot_that_does_not_match_the_graph_falls_back_to_a_whole_load(db, tiny_current) -> None:  # type: ignore[no-untyped-def]
    old, new = tiny_current
    # the "snapshot" claims a person the graph does not hold: the patch must not trust it
    wrong = Dataset(copy.deepcopy(old.tables), fingerprint=old.fingerprint)
    wrong.tables["people"].append({**wrong.tables["people"][0], "id": "P-GHOST", "_row": 999})
    heard = patched(db, wrong, new)
    assert datasets.CHANGES in [s for s, _ in heard] and datasets.REMOVING in [s for s, _ in heard]
    assert datasets.read_dataset(db).tables == new.tables
    assert "store" not in datasets.current(db)  # written whole


def test_a_snapshot_not_written_stops_either_kind_of_load_before_it_switches(db, tiny_current) -> None:  # type: ignore[no-untyped-def]
    old, new = tiny_current
    graph = graph_of(db)

    def not_written() -> None:
        raise OSError(28, "No space left on device")

    for given in (lambda fp: old, None):  # as its changes, then whole
        with pytest.raises(OSError):
            datasets.write_dataset(db, new, before=given, ready=not_written)
        assert datasets.current(db)["fingerprint"] == old.fingerprint
        assert graph_of(db) == graph


def test_a_patch_killed_mid_transaction_leaves_the_month_before_exactly(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    before = datasets.read_dataset(db)
    env = {**os.environ, "ORGNET_SNAPSHOTS": str(tmp_path / "snapshots"), "ORGNET_LOAD_LEASE": "4"}
    labels = []
    for label, tables in series(2, seed=11):
        write_csv(tables, tmp_path / label)
        labels.append(label)
    cli = [sys.executable, "-m", "api.cli", "load"]
    assert subprocess.run([*cli, str(tmp_path / labels[0])], cwd=ROOT, env=env, capture_output=True,
                          timeout=300).returncode == 0
    first = datasets.read_dataset(db)
    graph = graph_of(db)
    proc = subprocess.Popen([*cli, str(tmp_path / labels[1])], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline, seen = time.monotonic() + 120, False
    while time.monotonic() < deadline and proc.poll() is None:
        running = db.read("SHOW TRANSACTIONS YIELD currentQuery, status "
                          "WHERE currentQuery STARTS WITH 'UNWIND $rows' RETURN count(*) AS n")[0]["n"]
        if running:
            proc.send_signal(signal.SIGKILL)
            seen = True
            break
        time.sleep(0.01)
    proc.wait()
    assert seen, "the patch's transaction was never seen running"
    time.sleep(1)  # the server rolls back the transaction of a connection that is gone
    assert datasets.read_dataset(db).tables == first.tables
    assert graph_of(db) == graph
    snaps = sorted(p.name for p in (tmp_path / "snapshots").iterdir() if not p.name.startswith("."))
    assert snaps == [labels[0]]
    # the next load takes the dead one's lock once its lease runs out, and writes the month as its changes
    done = subprocess.run([*cli, str(tmp_path / labels[1])], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0 and "only the" in done.stdout, done.stdout + done.stderr
    assert datasets.read_dataset(db).tables == load_dataset(tmp_path / labels[1]).tables
    datasets.write_dataset(db, before, wait=True)
