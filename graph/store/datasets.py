"""Write a data set into Neo4j atomically (versioned, then one switch) and read the current one back.

A load takes the load lock (:mod:`graph.store.loadlock`: one load at a time, in Neo4j), writes its rows
under a fresh data-set key ``ds`` in batched transactions, and switches ``current`` to the new key in its
last transaction. Readers only ever see the data set whose ``:DataSet`` node is ``current``. A refused,
interrupted or crashed load leaves the previous data set whole; what it left behind is removed by the next
load, which alone may do so because it holds the lock. The read streams: each table in bounded batches.

A load whose data set differs little from the current one (next month's ledgers) writes only the differences,
in one transaction, over the current data set's nodes (:mod:`graph.store.patch`): its record then names those
nodes' key as ``store``.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from typing import Any

from graph.dataformat import TABLES, Dataset, Row, Table
from graph.errors import DatabaseError, DatasetChanged, LoadInProgress
from graph.gcpause import gc_paused
from graph.store import loadlock, patch, plancache, schema
from graph.store.changes import changes
from graph.store.db import Database
from graph.store.loadplan import ident, plan_writes, recorded, targets
from graph.store.plancache import REHEARSAL

__all__ = ["CHANGES", "NEXT_KEY", "OF_KEY", "PLANNED", "REHEARSAL", "REMOVING", "cleanup", "current", "delete_nodes",
           "keyed", "nodes_key", "plan_ahead", "plan_writes", "read_dataset", "warm", "write_dataset"]
log = logging.getLogger(__name__)
Progress = Callable[[str, int], None]
#: rows (or, for a link table, source nodes) per read transaction: no read's memory grows with the data set
READ_BATCH = 20000
#: tables read at once (one connection each)
READ_THREADS = 2
#: the progress step reported first, with the number of rows the load will write
PLANNED = "planned"
#: the progress step reported first by a load that writes only what changed, with the number of rows changed
CHANGES = "changes"
#: the progress step reported once the new data set is current and the replaced one is being removed
REMOVING = "removing the replaced data set"


def keyed(predicate: str, var: str = "n") -> str:
    """Match the nodes whose data-set key meets ``predicate`` with a seek of the ``:Entity(ds, id)`` uniqueness
    constraint's index on its first property (every node has an id; graph.store.schema keeps no index on
    ``:Entity(ds)`` alone).

    >>> keyed("= $ds")
    'MATCH (n:Entity) USING INDEX n:Entity(ds, id) WHERE n.ds = $ds AND n.id IS NOT NULL'
    """
    return f"MATCH ({var}:Entity) USING INDEX {var}:Entity(ds, id) WHERE {var}.ds {predicate} AND {var}.id IS NOT NULL"


#: the nodes of data-set key ``$ds``
OF_KEY = keyed("= $ds")
#: the first data-set key above ``$after`` that nodes carry (as ``ds``): one seek of that index, in its order
NEXT_KEY = f"{keyed('> $after')} WITH n.ds AS ds ORDER BY ds LIMIT 1"


def current(db: Database) -> dict[str, Any] | None:
    """The current data set's record (key, fingerprint, source, load time, counts), or None."""
    rows = db.read("MATCH (d:DataSet {current: true}) RETURN d {.*} AS d", timeout=10)
    return rows[0]["d"] if rows else None


def nodes_key(info: dict[str, Any]) -> str:
    """The key the nodes of a data set carry (its record's ``store``; its own ``ds`` when written whole).

    >>> nodes_key({"ds": "b", "store": "a"}), nodes_key({"ds": "b"})
    ('a', 'b')
    """
    return str(info.get("store") or info["ds"])


def delete_nodes(db: Database, ds: str, batch: int = 10000) -> None:
    """Remove every node (and relationship) of data-set key ``ds``, in bounded transactions."""
    # Two passes over the data set's nodes, committing every ``batch`` nodes: first their outgoing relationships
    # (bounded per node; a dense node's incoming ones go with their sources), then the nodes themselves.
    # DETACH DELETE of a dense node (a department with thousands of demands) would not be bounded.
    db.write_batched(f"{OF_KEY} CALL (n) {{ MATCH (n)-[r]->() DELETE r }} "
                     "IN TRANSACTIONS OF $batch ROWS", {"ds": ds, "batch": batch})
    # no relationship is left, so batches of nodes share nothing and can go two at a time
    db.write_batched(f"{OF_KEY} CALL (n) {{ DETACH DELETE n }} "
                     "IN 2 CONCURRENT TRANSACTIONS OF $batch ROWS", {"ds": ds, "batch": batch})


def orphans(db: Database) -> list[str]:
    """Data-set keys that nodes carry but no ``:DataSet`` record names (left by a crash of older versions), but a
    rehearsal's (:data:`REHEARSAL`: the warm-up that wrote it removes it, the next one what a crash left).

    Found by skipping through the ``:Entity(ds, id)`` index in order: one seek per distinct key, not a scan.
    """
    found: list[str] = []
    after = ""
    while True:
        rows = db.read(NEXT_KEY + " RETURN ds, EXISTS { MATCH (d:DataSet) WHERE coalesce(d.store, d.ds) = ds } "
                       "AS recorded", {"after": after})
        if not rows:
            return found
        after = rows[0]["ds"]
        if not rows[0]["recorded"] and not after.startswith(REHEARSAL):
            found.append(after)


def rehearsals(db: Database) -> list[str]:
    """The keys of rehearsed loads still in the database (:data:`REHEARSAL`; a warm-up was killed)."""
    return [r["ds"] for r in db.read(f"{keyed('STARTS WITH $prefix')} RETURN DISTINCT n.ds AS ds",
                                     {"prefix": REHEARSAL})]


def _remove_abandoned(db: Database, lease: loadlock.Lease) -> None:
    """Remove data sets no load will finish: not current and not ours (we hold the lock), and orphans."""
    for rec in db.read("MATCH (d:DataSet) WHERE d.current = false AND coalesce(d.holder, '') <> $me "
                       "RETURN d.ds AS ds, coalesce(d.store, d.ds) AS store", {"me": lease.holder}):
        log.info("removing data set %s", rec["ds"])
        delete_nodes(db, rec["store"])
        db.write("MATCH (d:DataSet {ds: $ds}) WHERE d.current = false DELETE d", {"ds": rec["ds"]})
    for ds in orphans(db):
        log.warning("removing nodes of data set %s, which has no record (left by a crash)", ds)
        delete_nodes(db, ds)


def cleanup(db: Database) -> None:
    """Remove every abandoned data set (replaced ones, leftovers of a crashed load, orphans) under the load lock.

    Raises :class:`LoadInProgress` while a load runs: its data set is not abandoned.
    """
    with loadlock.acquire(db, loadlock.describe("orgnet cleanup")) as lease:
        _remove_abandoned(db, lease)


def write_dataset(db: Database, dataset: Dataset, progress: Progress | None = None, batch: int = 10000,
                  workers: int = 2, who: str = "orgnet load", wait: bool = False,
                  on_wait: Callable[[LoadInProgress], None] | None = None,
                  before: Callable[[str], Dataset | None] | None = None,
                  ready: Callable[[], Any] | None = None, warmed: Callable[[bool], Any] | None = None) -> str:
    """Replace the current data set with ``dataset``; returns the new data-set key.

    Takes the load lock first: while another load holds it, raises :class:`LoadInProgress` (or, with
    ``wait``, waits, telling ``on_wait`` whom for). Every write goes to a new key; the final transaction
    makes it current (and fails if the lock or the data set's own record has gone), then the replaced data
    set is removed. ``progress(step, n)`` is called first with :data:`PLANNED` and the number of rows to
    write, then after each batch with the rows it wrote, and with :data:`REMOVING` before a replaced data
    set goes. ``workers`` batches of one step are written at once (the server writes them on its own threads).

    ``before(fingerprint)`` may give the rows of the current data set (its kept snapshot): when few of them
    changed, only the changes are written, in one transaction (:mod:`graph.store.patch`; ``progress`` hears
    :data:`CHANGES` first, with the number of rows added, removed or changed). ``ready()`` is called just before
    the new data set is made current (before a patch's transaction) and may raise to stop that (the snapshot being
    written meanwhile). ``warmed(whole)`` is called before the first write, with whether the whole data set is
    written (graph.store.connection.warmed_up: a whole load waits for a server's warm-up, a patch stops it).
    """
    schema.apply(db)
    with loadlock.acquire(db, loadlock.describe(who), wait=wait, on_wait=on_wait) as lease:
        _remove_abandoned(db, lease)
        if before is not None:
            key = _try_patch(db, dataset, before, lease, progress, ready, warmed)
            if key is not None:
                return key
        if warmed:
            warmed(True)
        return _write_whole(db, dataset, lease, progress, batch, workers, ready)


def _try_patch(db: Database, dataset: Dataset, before: Callable[[str], Dataset | None], lease: loadlock.Lease,
               progress: Progress | None, ready: Callable[[], Any] | None,
               warmed: Callable[[bool], Any] | None = None) -> str | None:
    """Write only what changed since the current data set; None when that is not possible or not worth it."""
    info = current(db)
    old = before(info["fingerprint"]) if info and info.get("fingerprint") else None
    if info is None or old is None:
        return None
    chg = changes(old, dataset)
    if not patch.worth_it(chg, dataset):
        log.info("%d rows changed: loading the data set whole", sum(c.size() for c in chg.values()))
        return None
    if progress:
        progress(CHANGES, sum(c.size() for c in chg.values()))
        progress(PLANNED, patch.ops(chg))
    if ready:  # before the transaction: what it raises is not Neo4j's (the snapshot was written meanwhile)
        ready()
    if warmed:
        warmed(False)
    try:
        with db.transaction() as tx:
            patch.apply(tx, nodes_key(info), chg, old, dataset, progress)
            return patch.switch(tx, lease, info["ds"], dataset)
    except patch.PatchMismatch as exc:
        log.warning("%s", exc)
        return None


def _write_whole(db: Database, dataset: Dataset, lease: loadlock.Lease, progress: Progress | None,
                 batch: int, workers: int, ready: Callable[[], Any] | None) -> str:
    ds = uuid.uuid4().hex
    db.write("CREATE (d:DataSet {ds: $ds, current: false, status: 'loading', fingerprint: $fp, source: $src, "
             "holder: $holder, started_at: localdatetime()})",
             {"ds": ds, "fp": dataset.fingerprint, "src": dataset.source, "holder": lease.holder})
    plan = plan_writes(dataset)
    if progress:
        progress(PLANNED, sum(len(rows) for _, _, rows in plan))
    for step, query, rows in plan:
        db.write_rows(query, rows, batch=batch, extra={"ds": ds}, workers=workers, check=lease.check,
                      progress=(lambda n, s=step: progress(s, n)) if progress else None)  # type: ignore[misc]
    if ready:
        ready()
    with db.transaction() as tx:
        lease.confirm(tx)
        mine = tx.run("MATCH (d:DataSet {ds: $ds}) WHERE d.current = false RETURN count(d) AS n",
                      ds=ds).single(strict=True)["n"]
        if not mine:
            raise DatabaseError(f"the record of data set {ds} being loaded has gone; it was not made current",
                                f"正在载入的数据集 {ds} 的记录已不存在，未将其设为当前数据集")
        replaced = tx.run("MATCH (d:DataSet {current: true}) SET d.current = false, d.status = 'replaced' "
                          "RETURN count(d) AS n").single(strict=True)["n"]
        tx.run("MATCH (d:DataSet {ds: $ds}) SET d.current = true, d.status = 'current', "
               "d.loaded_at = localdatetime(), d.tables = $tables, d.counts = $counts",
               ds=ds, **recorded(dataset)).consume()
    if progress and replaced:
        progress(REMOVING, 0)
    _remove_abandoned(db, lease)
    return ds


def warm(db: Database, counts: dict[str, int] | None = None, check: Callable[[], None] | None = None) -> int:
    """Have Neo4j plan every load statement for the batches a load of tables of ``counts`` rows sends (every size
    when None), so that the first load after a start does not (graph.store.plancache); how many were run.
    ``check`` runs before each and may raise to stop."""
    return plan_ahead(db, plancache.load_runs(counts), check)


def plan_ahead(db: Database, runs: list[tuple[str, list[Any]]], check: Callable[[], None] | None = None) -> int:
    """Run each ``(statement, rows)`` in a transaction that is rolled back, so that Neo4j keeps its plan; how many.
    ``check`` runs before each and may raise to stop."""
    for query, rows in runs:
        if check:
            check()
        db.dry_run(query, {"ds": plancache.NOWHERE, "rows": rows})
    return len(runs)


def read_dataset(db: Database, ds: str | None = None, batch: int = READ_BATCH) -> Dataset:
    """Read the current (or the given) data set back into the tables the loaders produce."""
    with gc_paused():
        return _read_dataset(db, ds, batch)


def _read_query(t: Table) -> str:
    """One batch of table ``t``: keyset pagination over the (ds, id) index of its nodes (of a link table, of
    its source nodes), in id order from the index, so each batch is a seek and nothing is sorted.

    Each row is a list of the table's columns (``_row`` first), each named in the query (a quarter less of the
    server's time than picking them by a list of names) and times as ISO text.
    """
    if t.label:
        return (f"MATCH (n:{ident(t.label)} {{ds: $ds}}) USING INDEX n:{t.label}(ds, id) WHERE n.id > $after "
                "WITH n ORDER BY n.ds, n.id LIMIT $batch "
                f"RETURN max(n.id) AS last, count(n) AS n, collect([{_projection(t, 'n')}]) AS rows")
    assert t.rel
    (la,) = targets(t.refs[0])
    return (f"MATCH (a:{la} {{ds: $ds}}) USING INDEX a:{la}(ds, id) WHERE a.id > $after "
            f"WITH a ORDER BY a.ds, a.id LIMIT $batch OPTIONAL MATCH (a)-[x:{ident(t.rel)}]->(b) "
            "RETURN max(a.id) AS last, count(DISTINCT a) AS n, "
            f"collect(CASE WHEN x IS NULL THEN null ELSE [{_projection(t, 'x')}] END) AS rows")


def _projection(t: Table, var: str) -> str:
    """``_row`` and the columns of ``t`` read from ``var`` (a link table's two ends: the ids of ``a`` and ``b``).

    >>> from graph.dataformat import BY_NAME
    >>> _projection(BY_NAME["pairings"], "x")
    'x._row, a.id, b.id, toString(x.since)'
    """
    ends = {t.refs[0].name: "a.id", t.refs[1].name: "b.id"} if t.rel else {}
    out = [f"{var}._row"]
    for c in t.columns:
        value = f"{var}.{ident(c.name)}"
        out.append(ends.get(c.name) or (f"toString({value})" if c.type in ("date", "datetime") else value))
    return ", ".join(out)


def _read_table(db: Database, t: Table, key: str, batch: int) -> list[Row]:
    """Every row of table ``t`` of data set ``key``, in ledger order, in batches of ``batch``."""
    cols = ["_row", *[c.name for c in t.columns]]
    timed = [c for c in cols if c != "_row" and t.column(c).type in ("date", "datetime")]
    params = {"ds": key, "batch": batch}
    parsers = [(cols.index(c), datetime.fromisoformat if t.column(c).type == "datetime" else date.fromisoformat)
               for c in timed]
    # Rows travel as lists, many per record, and times as ISO text: the driver decodes both several times
    # faster than one map per record or its own temporal types.
    rows: list[Row] = []
    q, after = _read_query(t), ""
    while True:
        got = db.read(q, {**params, "after": after}, plain=True)[0]
        for vals in got["rows"]:
            for i, parse in parsers:
                if vals[i] is not None:
                    vals[i] = parse(vals[i])
            rows.append(dict(zip(cols, vals, strict=True)))
        if got["n"] < batch:
            break
        after = got["last"]
    rows.sort(key=lambda r: r["_row"])
    return rows


def _read_dataset(db: Database, ds: str | None, batch: int) -> Dataset:
    if ds is None:
        info = current(db)
        if info is None:
            return Dataset({})
    else:
        found = db.read("MATCH (d:DataSet {ds: $ds}) RETURN d {.*} AS d", {"ds": ds}, timeout=10)
        if not found:
            raise DatasetChanged(f"data set {ds} is gone", f"数据集 {ds} 已被替换")
        info = found[0]["d"]
    key = info["ds"]
    store = nodes_key(info)  # a month loaded as its changes keeps the nodes of the one before
    given = set(info.get("tables") or [])
    wanted = [t for t in TABLES if t.name in given]
    # Two tables at a time: while this process decodes one table's batch, the server reads the other's
    # (docs/benchmarks.md, the report). The largest tables go first so that neither thread waits long at the end.
    counts = dict(zip([t.name for t in TABLES], info.get("counts") or [], strict=False))
    order = sorted(wanted, key=lambda t: -(counts.get(t.name) or 0))
    with ThreadPoolExecutor(READ_THREADS, thread_name_prefix="orgnet-read") as pool:
        futures = {t.name: pool.submit(_read_table, db, t, store, batch) for t in order}
        tables: dict[str, list[Row]] = {t.name: futures[t.name].result() for t in wanted}
    read = Dataset(tables, info.get("fingerprint", ""), info.get("source", ""))
    # Reads are read-committed: a load that replaced this data set may have deleted part of it meanwhile.
    # The data-set node goes last, so: still there and every count as recorded = read whole.
    still = db.read("MATCH (d:DataSet {ds: $ds}) RETURN d.counts AS counts", {"ds": key}, timeout=10)
    if not still or list(still[0]["counts"] or []) != [read.counts()[t.name] for t in TABLES]:
        raise DatasetChanged(f"data set {key} was replaced while it was read", f"读取期间数据集 {key} 已被替换")
    return read
