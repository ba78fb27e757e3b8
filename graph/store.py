"""Write a data set into Neo4j atomically (versioned, then one switch) and read the current one back.

A load writes its rows under a fresh data-set key ``ds`` in batched transactions; readers only ever see
the data set whose ``:DataSet`` node is ``current``. The last transaction of a load switches ``current``
to the new key, so a refused, interrupted or crashed load leaves the previous data set whole; leftovers
of an unfinished load are removed by the next one.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from graph import schema
from graph.dataformat import TABLES, Dataset, Row
from graph.db import Database
from graph.errors import DatasetChanged
from graph.gcpause import gc_paused

log = logging.getLogger(__name__)
_IDENT = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
Progress = Callable[[str, int], None]
READ_BATCH = 20000


def _ident(name: str) -> str:
    """Check that a label or type comes from the data format (identifiers cannot be parameters)."""
    assert _IDENT.match(name), name
    return name


def current(db: Database) -> dict[str, Any] | None:
    """The current data set's record (key, fingerprint, source, load time, counts), or None."""
    rows = db.read("MATCH (d:DataSet {current: true}) RETURN d {.*} AS d")
    return rows[0]["d"] if rows else None


def _delete_dataset(db: Database, ds: str, batch: int = 20000) -> None:
    # Relationships first, in bounded batches: DETACH DELETE of a dense node (a department with thousands of
    # demands) would put an unbounded number of deletions into one transaction.
    for query in ("MATCH (:Entity {ds: $ds})-[r]->() WITH r LIMIT $batch DELETE r RETURN count(*) AS n",
                  "MATCH (n:Entity {ds: $ds}) WITH n LIMIT $batch DETACH DELETE n RETURN count(*) AS n"):
        while db.write(query, {"ds": ds, "batch": batch})[0]["n"]:
            pass
    db.write("MATCH (d:DataSet {ds: $ds}) WHERE d.current = false DELETE d", {"ds": ds})


def cleanup(db: Database) -> None:
    """Remove every data set that is not current (replaced ones, or leftovers of a crashed load)."""
    for rec in db.read("MATCH (d:DataSet) WHERE d.current = false RETURN d.ds AS ds"):
        log.info("removing data set %s", rec["ds"])
        _delete_dataset(db, rec["ds"])


def plan_writes(dataset: Dataset) -> list[tuple[str, str, list[Any]]]:
    """The (step, query, rows) writes that put ``dataset`` into the graph, nodes before relationships.

    >>> from graph.dataformat import Dataset
    >>> ds = Dataset({"streets": [{"id": "S1", "name": "北街", "county": "示例县", "_row": 2}]})
    >>> [step for step, _, _ in plan_writes(ds)]
    ['streets', 'county', 'streets.county']
    """
    steps: list[tuple[str, str, list[Any]]] = []
    for t in TABLES:
        if t.label and dataset.has(t.name):
            q = f"UNWIND $rows AS r CREATE (n:Entity:{_ident(t.label)}) SET n = r, n.ds = $ds"
            steps.append((t.name, q, [_props(r) for r in dataset.rows(t.name)]))
    counties = sorted({r["county"] for r in dataset.rows("streets")})
    steps.append(("county", "UNWIND $rows AS r CREATE (n:Entity:County) SET n = r, n.ds = $ds",
                  [{"id": f"county:{c}", "name": c} for c in counties]))
    # Relationship rows travel as short lists ([from, to] or [from, to, properties]): cheaper to pack than maps.
    ref = ("UNWIND $rows AS r MATCH (a:Entity {ds: $ds, id: r[0]}) MATCH (b:Entity {ds: $ds, id: r[1]}) "
           "CREATE (a)-[:%s]->(b)")
    link = ("UNWIND $rows AS r MATCH (a:Entity {ds: $ds, id: r[0]}) MATCH (b:Entity {ds: $ds, id: r[1]}) "
            "CREATE (a)-[x:%s]->(b) SET x = r[2]")
    steps.append(("streets.county", ref % "IN_COUNTY",
                  [[r["id"], f"county:{r['county']}"] for r in dataset.rows("streets")]))
    for t in TABLES:
        if not dataset.has(t.name):
            continue
        rows = dataset.rows(t.name)
        if t.rel:  # a link table: first reference -> second reference, the other columns as properties
            a, b = t.refs[0].name, t.refs[1].name
            props = [c.name for c in t.columns if c.name not in (a, b)]
            steps.append((t.name, link % _ident(t.rel), [
                [r[a], r[b], {"_row": r["_row"], **{p: r[p] for p in props if r[p] is not None}}] for r in rows]))
            continue
        for c in t.refs:
            assert c.rel
            pairs = [[r["id"], r[c.name]] for r in rows if r.get(c.name) is not None]
            if pairs:
                steps.append((f"{t.name}.{c.name}", ref % _ident(c.rel), pairs))
    return steps


def _props(row: Row) -> dict[str, Any]:
    return {k: v for k, v in row.items() if v is not None}


def write_dataset(db: Database, dataset: Dataset, progress: Progress | None = None, batch: int = 10000) -> str:
    """Replace the current data set with ``dataset``; returns the new data-set key.

    Every write goes to a new key; the final transaction makes it current. ``progress(step, n)`` is
    called after each batch.
    """
    schema.apply(db)
    cleanup(db)
    ds = uuid.uuid4().hex
    db.write("CREATE (d:DataSet {ds: $ds, current: false, status: 'loading', fingerprint: $fp, source: $src, "
             "started_at: localdatetime()})", {"ds": ds, "fp": dataset.fingerprint, "src": dataset.source})
    for step, query, rows in plan_writes(dataset):
        db.write_rows(query, rows, batch=batch, extra={"ds": ds},
                      progress=(lambda n, s=step: progress(s, n)) if progress else None)  # type: ignore[misc]
    counts = dataset.counts()
    with db.transaction() as tx:
        tx.run("MATCH (d:DataSet {current: true}) SET d.current = false, d.status = 'replaced'").consume()
        tx.run("MATCH (d:DataSet {ds: $ds}) SET d.current = true, d.status = 'current', "
               "d.loaded_at = localdatetime(), d.tables = $tables, d.counts = $counts",
               ds=ds, tables=[t.name for t in TABLES if dataset.has(t.name)],
               counts=[counts[t.name] for t in TABLES]).consume()
    cleanup(db)
    return ds


def read_dataset(db: Database, ds: str | None = None) -> Dataset:
    """Read the current (or the given) data set back into the tables the loaders produce."""
    with gc_paused():
        return _read_dataset(db, ds)


def _read_dataset(db: Database, ds: str | None) -> Dataset:
    if ds is None:
        info = current(db)
        if info is None:
            return Dataset({})
    else:
        found = db.read("MATCH (d:DataSet {ds: $ds}) RETURN d {.*} AS d", {"ds": ds})
        if not found:
            raise DatasetChanged(f"data set {ds} is gone", f"数据集 {ds} 已被替换")
        info = found[0]["d"]
    key = info["ds"]
    given = set(info.get("tables") or [])
    tables: dict[str, list[Row]] = {}
    for t in TABLES:
        if t.name not in given:
            continue
        cols = ["_row", *[c.name for c in t.columns]]
        timed = [c for c in cols if c != "_row" and t.column(c).type in ("date", "datetime")]
        params = {"ds": key, "keys": cols, "timed": timed, "batch": READ_BATCH,
                  "a": t.refs[0].name if t.rel else "", "b": t.refs[1].name if t.rel else ""}
        # Rows travel in batches of lists (many rows per record), and times as ISO text: the driver decodes
        # both several times faster than one map per record or its own temporal types.
        if t.label:
            q = (f"MATCH (n:{_ident(t.label)} {{ds: $ds}}) "
                 "WITH n._row / $batch AS b, [k IN $keys | CASE WHEN k IN $timed THEN toString(n[k]) ELSE n[k] END] AS row "
                 "RETURN b, collect(row) AS rows")
        else:
            assert t.rel
            q = (f"MATCH (a:Entity {{ds: $ds}})-[x:{_ident(t.rel)}]->(b:Entity) "
                 "WITH x._row / $batch AS bt, [k IN $keys | CASE k WHEN $a THEN a.id WHEN $b THEN b.id "
                 "ELSE CASE WHEN k IN $timed THEN toString(x[k]) ELSE x[k] END END] AS row "
                 "RETURN bt, collect(row) AS rows")
        parsers = [(cols.index(c), datetime.fromisoformat if t.column(c).type == "datetime" else date.fromisoformat)
                   for c in timed]
        rows: list[Row] = []
        for _, batch_rows in db.stream(q, params):
            for vals in batch_rows:
                for i, parse in parsers:
                    if vals[i] is not None:
                        vals[i] = parse(vals[i])
                rows.append(dict(zip(cols, vals, strict=True)))
        rows.sort(key=lambda r: r["_row"])
        tables[t.name] = rows
    read = Dataset(tables, info.get("fingerprint", ""), info.get("source", ""))
    # Reads are read-committed: a load that replaced this data set may have deleted part of it meanwhile.
    # The data-set node goes last, so: still there and every count as recorded = read whole.
    still = db.read("MATCH (d:DataSet {ds: $ds}) RETURN d.counts AS counts", {"ds": key})
    if not still or list(still[0]["counts"] or []) != [read.counts()[t.name] for t in TABLES]:
        raise DatasetChanged(f"data set {key} was replaced while it was read", f"读取期间数据集 {key} 已被替换")
    return read

