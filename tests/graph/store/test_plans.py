"""Plans that cannot go wrong (issue 18): every load and read statement PROFILEd on the real server does a
small constant of db hits per row; a read holds at most one batch in a transaction's memory."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from graph.dataformat import TABLES, Dataset
from graph.errors import DatabaseError
from graph.store import datasets, loadlock
from graph.store.datasets import _read_query, delete_nodes
from graph.store.loadplan import plan_writes, statements, targets
from loaders.generate import generate, write_csv
from loaders.validate import load_dataset

pytestmark = pytest.mark.neo4j
#: db hits per written row: a seek per reference and target label, a few per property; a scan is thousands
MAX_HITS_PER_ROW = 40
SCRATCH = "profile-test"


@pytest.fixture(scope="module")
def laoting(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    d = tmp_path_factory.mktemp("lt-plans")
    write_csv(generate(seed=5), d)
    return load_dataset(d)


@pytest.fixture()
def locked(db) -> Iterator[None]:  # type: ignore[no-untyped-def]
    with loadlock.acquire(db, "the plan test", wait=True):
        yield
        delete_nodes(db, SCRATCH)


def test_every_load_statement_does_a_constant_number_of_db_hits_per_row(db, laoting: Dataset, locked) -> None:  # type: ignore[no-untyped-def]
    seen = set()
    for step, query, rows in plan_writes(laoting):
        chunk = rows[:3000]
        if not chunk:
            continue
        seen.add(query)
        hits, ops = db.profile(query, {"ds": SCRATCH, "rows": chunk})
        assert hits <= MAX_HITS_PER_ROW * len(chunk), (step, hits, len(chunk), ops)
        assert not {"NodeByLabelScan", "AllNodesScan", "NodeIndexScan"} & {o.split("@")[0] for o in ops}, (step, ops)
    assert seen == set(statements())  # Laoting has every table: every statement was measured


def test_the_bound_catches_a_scan(db, laoting: Dataset, locked) -> None:  # type: ignore[no-untyped-def]
    step, query, rows = next(s for s in plan_writes(laoting) if s[0] == "grids")
    db.write(query, {"ds": SCRATCH, "rows": rows})
    scan = ("UNWIND $rows AS r MATCH (x:Entity) USING SCAN x:Entity WHERE x.ds = $ds AND x.id = r.id "
            "RETURN count(x) AS n")
    hits, _ = db.profile(scan, {"ds": SCRATCH, "rows": rows[:200]})
    assert hits > MAX_HITS_PER_ROW * 200


def test_every_read_batch_is_a_seek_of_its_own_size(db) -> None:  # type: ignore[no-untyped-def]
    info = datasets.current(db)
    assert info is not None
    batch = 100
    for t in TABLES:
        cols = ["_row", *[c.name for c in t.columns]]
        params = {"ds": info["ds"], "batch": batch, "after": ""}
        hits, ops = db.profile(_read_query(t), params)
        assert not {"Sort", "Top", "NodeByLabelScan", "NodeIndexScan"} & {o.split("@")[0] for o in ops}, (t.name, ops)
        # its own size: the batch's nodes, and for a link table the relationships of those nodes, which the
        # expansion looks at (an agency holds dozens: its people work there), whatever data set is current
        rows = len(db.read(_read_query(t), params)[0]["rows"])
        degree = db.read(f"MATCH (a:{targets(t.refs[0])[0]} {{ds: $ds}}) WITH a ORDER BY a.id LIMIT $batch "
                         "RETURN sum(COUNT { (a)--() }) AS d", params)[0]["d"] if t.rel else 0
        assert hits <= (len(cols) + 20) * max(batch, rows) + degree, (t.name, hits, rows, degree)


def test_a_data_sets_nodes_are_found_by_key_with_a_seek(db) -> None:  # type: ignore[no-untyped-def]
    # no index on :Entity(ds) is kept: removing a data set and finding orphans seek the (ds, id) constraint's index
    info = datasets.current(db)
    assert info is not None
    key = datasets.nodes_key(info)
    nodes = db.read(f"{datasets.OF_KEY} RETURN count(n) AS n", {"ds": key})[0]["n"]
    assert nodes == db.read("MATCH (n:Entity) WHERE n.ds = $ds RETURN count(n) AS n", {"ds": key})[0]["n"] > 0
    hits, ops = db.profile(f"{datasets.OF_KEY} RETURN count(n) AS n", {"ds": key})
    assert any("IndexSeek" in o for o in ops) and hits <= 3 * nodes + 10, (hits, ops)
    assert not {"NodeByLabelScan", "AllNodesScan", "NodeIndexScan"} & {o.split("@")[0] for o in ops}, ops
    keys = db.read("MATCH (n:Entity) RETURN count(DISTINCT n.ds) AS k")[0]["k"]
    hits, ops = db.profile(f"{datasets.NEXT_KEY} RETURN ds", {"after": ""})
    assert not {"Sort", "NodeByLabelScan", "NodeIndexScan"} & {o.split("@")[0] for o in ops}, ops
    assert hits <= 10 * keys + 10, (hits, keys, ops)  # one seek, not the data set's nodes
    assert datasets.orphans(db) == []


def test_warming_runs_every_load_statement_and_writes_nothing(db, laoting: Dataset) -> None:  # type: ignore[no-untyped-def]
    from graph.store.plancache import NOWHERE

    before = db.read("MATCH (n) RETURN count(n) AS n")[0]["n"]
    assert datasets.warm(db, laoting.counts()) == len(plan_writes(laoting)) + 1  # the county: one, or a few
    assert datasets.warm(db) == 5 * len(statements())  # every size class of a batch of up to 10,000 rows
    assert db.read("MATCH (n) RETURN count(n) AS n")[0]["n"] == before
    assert db.read("MATCH (n:Entity {ds: $ds}) RETURN count(n) AS n", {"ds": NOWHERE})[0]["n"] == 0


def test_a_read_under_a_transaction_memory_limit_far_below_the_data_sets_size(fresh_server, laoting: Dataset) -> None:  # type: ignore[no-untyped-def]
    from graph.store.db import Database

    server = fresh_server["server"]
    server.start()
    with Database(server.uri(), "neo4j", server.password()) as db:
        assert db.read("SHOW SETTINGS YIELD name, value WHERE name = 'dbms.memory.transaction.total.max' "
                       "RETURN value")[0]["value"] in ("10m", "10.00MiB", "10485760")
        datasets.write_dataset(db, laoting, batch=500, workers=1)
        # the old read, one aggregation over a whole table, cannot run under this limit
        with pytest.raises(DatabaseError, match="memory"):
            db.read("MATCH (n:Entity {ds: $ds}) RETURN collect(n {.*}) AS rows", {"ds": datasets.current(db)["ds"]})
        back = datasets.read_dataset(db, batch=500)  # batches of 500 rows fit
    assert back.tables == laoting.tables
