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

from graph.dataformat import BY_NAME, TABLES, Column, Dataset, Row, Table
from graph.errors import DatasetChanged
from graph.gcpause import gc_paused
from graph.store import schema
from graph.store.db import Database

log = logging.getLogger(__name__)
_IDENT = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
Progress = Callable[[str, int], None]
READ_BATCH = 20000
#: the progress step reported first, with the number of rows the load will write
PLANNED = "planned"
#: the progress step reported once the new data set is current and the replaced one is being removed
REMOVING = "removing the replaced data set"


def _ident(name: str) -> str:
    """Check that a label or type comes from the data format (identifiers cannot be parameters)."""
    assert _IDENT.match(name), name
    return name


def current(db: Database) -> dict[str, Any] | None:
    """The current data set's record (key, fingerprint, source, load time, counts), or None."""
    rows = db.read("MATCH (d:DataSet {current: true}) RETURN d {.*} AS d")
    return rows[0]["d"] if rows else None


def _delete_dataset(db: Database, ds: str, batch: int = 10000) -> None:
    # Two passes over the data set's nodes, committing every ``batch`` nodes: first their outgoing relationships
    # (bounded per node; a dense node's incoming ones go with their sources), then the nodes themselves.
    # DETACH DELETE of a dense node (a department with thousands of demands) would not be bounded.
    db.write_batched("MATCH (n:Entity {ds: $ds}) CALL (n) { MATCH (n)-[r]->() DELETE r } "
                     "IN TRANSACTIONS OF $batch ROWS", {"ds": ds, "batch": batch})
    # no relationship is left, so batches of nodes share nothing and can go two at a time
    db.write_batched("MATCH (n:Entity {ds: $ds}) CALL (n) { DETACH DELETE n } "
                     "IN 2 CONCURRENT TRANSACTIONS OF $batch ROWS", {"ds": ds, "batch": batch})
    db.write("MATCH (d:DataSet {ds: $ds}) WHERE d.current = false DELETE d", {"ds": ds})


def cleanup(db: Database) -> None:
    """Remove every data set that is not current (replaced ones, or leftovers of a crashed load)."""
    for rec in db.read("MATCH (d:DataSet) WHERE d.current = false RETURN d.ds AS ds"):
        log.info("removing data set %s", rec["ds"])
        _delete_dataset(db, rec["ds"])


def _node_order() -> list[Table]:
    """Entity tables ordered so that every table's (non-self) references point into tables made before it."""
    pending = [t for t in TABLES if t.label]
    done: list[Table] = []
    while pending:
        ready = next(t for t in pending
                     if all(r in {d.name for d in done} or r == t.name for c in t.refs for r in c.refs))
        done.append(ready)
        pending.remove(ready)
    return done


def _target(column: Column) -> str:
    """The label to look a reference up under: the target table's own, or ``Entity`` when it may be several."""
    return _ident(BY_NAME[column.refs[0]].label or "") if len(column.refs) == 1 else "Entity"


def _properties(table: Table, var: str, names: list[str], ds: bool = False) -> str:
    """A map literal of ``var``'s columns ``names`` (plus ``_row``), dates and times made Neo4j temporal values.

    Times travel as ISO text: the driver packs Python ``datetime`` values about fifty times slower, and
    the server parses text fast. Naming every property in the pattern (rather than ``SET n = map``) lets
    the planner see that the new node cannot be one the statement looks up, so it streams the batch.

    >>> from graph.dataformat import BY_NAME
    >>> _properties(BY_NAME["baolian"], "p", ["since"])
    '{_row: p._row, since: date(p.since)}'
    """
    def value(c: str) -> str:
        kind = table.column(c).type
        conv = {"datetime": "localdatetime", "date": "date"}.get(kind)
        return f"{conv}({var}.{c})" if conv else f"{var}.{c}"

    items = [f"_row: {var}._row", *(f"{_ident(c)}: {value(c)}" for c in names)] + (["ds: $ds"] if ds else [])
    return "{" + ", ".join(items) + "}"


def _text_times(row: Row) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in row.items() if v is not None}


def plan_writes(dataset: Dataset) -> list[tuple[str, str, list[Any]]]:
    """The (step, query, rows) writes that put ``dataset`` into the graph.

    Each entity table is one statement that creates its nodes together with the relationships of its
    references (their targets are made first); references to the table itself, the county and the link
    tables follow.

    >>> from graph.dataformat import Dataset
    >>> ds = Dataset({"streets": [{"id": "S1", "name": "北街", "county": "示例县", "_row": 2}]})
    >>> [step for step, _, _ in plan_writes(ds)]
    ['county', 'streets', 'streets.county']
    """
    counties = sorted({r["county"] for r in dataset.rows("streets")})
    steps: list[tuple[str, str, list[Any]]] = [
        ("county", "UNWIND $rows AS r CREATE (n:Entity:County) SET n = r, n.ds = $ds",
         [{"id": f"county:{c}", "name": c} for c in counties])]
    ref = ("UNWIND $rows AS r MATCH (a:Entity {ds: $ds, id: r[0]}) MATCH (b:Entity {ds: $ds, id: r[1]}) "
           "CREATE (a)-[:%s]->(b)")
    later: list[tuple[str, str, list[Any]]] = [("streets.county", ref % "IN_COUNTY",
                                                [[r["id"], f"county:{r['county']}"] for r in dataset.rows("streets")])]
    for t in _node_order():
        if not dataset.has(t.name):
            continue
        rows = dataset.rows(t.name)
        # One unit subquery per reference: it creates the relationship when the target exists (a blank optional
        # reference matches nothing) and leaves the row count alone.
        make = "".join(
            f" CALL (n, r) {{ MATCH (x:{_target(c)} {{ds: $ds, id: r.{_ident(c.name)}}}) "
            f"CREATE (n)-[:{_ident(c.rel or '')}]->(x) }}" for c in t.refs if c.refs != (t.name,))
        q = (f"UNWIND $rows AS r CREATE (n:Entity:{_ident(t.label or '')} "
             f"{_properties(t, 'r', [c.name for c in t.columns], ds=True)})" + (f" WITH n, r{make}" if make else ""))
        steps.append((t.name, q, [_text_times(r) for r in rows]))
        for c in t.refs:
            if c.refs == (t.name,):
                pairs = [[r["id"], r[c.name]] for r in rows if r.get(c.name) is not None]
                later.append((f"{t.name}.{c.name}", ref % _ident(c.rel or ""), pairs))
    for t in TABLES:
        if t.rel and dataset.has(t.name):  # a link table: first reference -> second, the other columns as properties
            a, b = t.refs[0].name, t.refs[1].name
            props = [c.name for c in t.columns if c.name not in (a, b)]
            la, lb = (_target(c) for c in t.refs[:2])
            q = (f"UNWIND $rows AS r WITH r[0] AS ka, r[1] AS kb, r[2] AS p "
                 f"MATCH (a:{la} {{ds: $ds, id: ka}}) MATCH (b:{lb} {{ds: $ds, id: kb}}) "
                 f"CREATE (a)-[x:{_ident(t.rel)} {_properties(t, 'p', props)}]->(b)")
            later.append((t.name, q, [[r[a], r[b], _text_times({"_row": r["_row"], **{p: r[p] for p in props}})]
                                      for r in dataset.rows(t.name)]))
    return steps + later


def write_dataset(db: Database, dataset: Dataset, progress: Progress | None = None, batch: int = 10000,
                  workers: int = 2) -> str:
    """Replace the current data set with ``dataset``; returns the new data-set key.

    Every write goes to a new key; the final transaction makes it current, then the replaced data set is
    removed. ``progress(step, n)`` is called first with :data:`PLANNED` and the number of rows to write,
    then after each batch with the rows it wrote, and with :data:`REMOVING` before a replaced data set goes.
    ``workers`` batches of one step are written at once (the server writes them on its own threads).
    """
    schema.apply(db)
    cleanup(db)
    ds = uuid.uuid4().hex
    db.write("CREATE (d:DataSet {ds: $ds, current: false, status: 'loading', fingerprint: $fp, source: $src, "
             "started_at: localdatetime()})", {"ds": ds, "fp": dataset.fingerprint, "src": dataset.source})
    plan = plan_writes(dataset)
    if progress:
        progress(PLANNED, sum(len(rows) for _, _, rows in plan))
    for step, query, rows in plan:
        db.write_rows(query, rows, batch=batch, extra={"ds": ds}, workers=workers,
                      progress=(lambda n, s=step: progress(s, n)) if progress else None)  # type: ignore[misc]
    counts = dataset.counts()
    with db.transaction() as tx:
        replaced = tx.run("MATCH (d:DataSet {current: true}) SET d.current = false, d.status = 'replaced' "
                          "RETURN count(d) AS n").single(strict=True)["n"]
        tx.run("MATCH (d:DataSet {ds: $ds}) SET d.current = true, d.status = 'current', "
               "d.loaded_at = localdatetime(), d.tables = $tables, d.counts = $counts",
               ds=ds, tables=[t.name for t in TABLES if dataset.has(t.name)],
               counts=[counts[t.name] for t in TABLES]).consume()
    if progress and replaced:
        progress(REMOVING, 0)
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

