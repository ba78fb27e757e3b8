"""Load a month as its changes: only the rows that differ from the current data set are written, in one transaction.

The current data set's rows are known without reading Neo4j: they are the kept snapshot with the same fingerprint
(graph.store.snapshots). :func:`graph.store.changes.changes` finds what differs; :func:`apply` writes it into the
current data set's nodes in one transaction that also replaces its ``:DataSet`` record by the new one (a new key
over the same nodes: ``store``). So a patch is atomic like a full load: a reader sees the month before or the month
after, and a reader that was reading the month before meets :class:`~graph.errors.DatasetChanged` at its end check
(its record is gone), as when a full load replaces it. Every statement checks how many rows it found: if Neo4j does
not hold exactly the rows the snapshot says, the transaction is rolled back (:class:`PatchMismatch`) and the load
falls back to a full one.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any

from graph.dataformat import TABLES, Dataset, Row, Table
from graph.errors import DatabaseError
from graph.store import loadlock, loadplan
from graph.store.changes import COUNTY, TableChanges, counties, relinkable
from graph.store.loadplan import (
    county_key,
    county_rows,
    ident,
    link_rows,
    link_statement,
    node_order,
    node_statement,
    properties,
    recorded,
    ref_statement,
    seek,
    targets,
    text_times,
)

__all__ = ["MAX_OPS", "MAX_SHARE", "PatchMismatch", "apply", "every_statement", "worth_it"]
log = logging.getLogger(__name__)
Progress = Callable[[str, int], None]
#: a month with more of its rows added, removed or changed than this share is loaded whole (faster, then)
MAX_SHARE = 0.2
#: nor when the one transaction would write more rows than this (its memory grows with them)
MAX_OPS = 600_000
BATCH = 10000


class PatchMismatch(DatabaseError):
    """Neo4j does not hold the rows the snapshot says it holds: the changes cannot be applied (load it whole)."""


def ops(chg: dict[str, TableChanges]) -> int:
    """Rows one patch writes (moved rows included)."""
    return sum(c.size() + len(c.moved) for c in chg.values())


def worth_it(chg: dict[str, TableChanges], after: Dataset) -> bool:
    """True when writing only the changes beats a full load (few enough of them, and a bounded transaction).

    >>> worth_it({}, Dataset({}))
    True
    """
    rows = sum(after.counts().values())
    return sum(c.size() for c in chg.values()) <= MAX_SHARE * rows and ops(chg) <= MAX_OPS


def _values(t: Table, r: Row) -> dict[str, Any]:
    """Every column of a row (``None`` included: ``SET n +=`` removes what became blank), times as ISO text."""
    return {**dict.fromkeys(c.name for c in t.columns), **text_times(r)}


class _Writer:
    """Runs the patch's statements in one transaction, batch by batch, checking what each one found."""

    def __init__(self, tx: Any, store: str, progress: Progress | None) -> None:
        self.tx, self.store, self.progress = tx, store, progress

    def count(self, query: str, rows: list[Any], counter: str | None = None) -> int:
        """Run ``query`` over ``rows`` batch by batch; the total of ``counter`` (or of the ``n`` it returns)."""
        found = 0
        for i in range(0, len(rows), BATCH):
            result = self.tx.run(query, rows=rows[i:i + BATCH], ds=self.store)
            found += getattr(result.consume().counters, counter) if counter else result.single(strict=True)["n"]
        return found

    def run(self, step: str, query: str, rows: list[Any], expect: int | None = None,
            counter: str | None = None, report: bool = True) -> None:
        """Run ``query`` over ``rows``; it must find ``expect`` (default: one per row). Rows of the table itself
        are ``report``ed to the progress (the :func:`ops` it announced); relationships and checks are not."""
        self.expect(step, self.count(query, rows, counter), len(rows) if expect is None else expect)
        if self.progress and report:
            self.progress(step, len(rows))

    @staticmethod
    def expect(step: str, found: int, want: int) -> None:
        if found != want:
            raise PatchMismatch(f"{step}: Neo4j held {found} of the {want} rows the snapshot names; loading it whole",
                                f"{step}：Neo4j 中只找到快照所列 {want} 行中的 {found} 行，改为整体载入")


def _drop_links(w: _Writer, chg: dict[str, TableChanges]) -> None:
    for t in TABLES:
        c = chg.get(t.name)
        if t.rel and c and c.removed:
            (la,), (lb,) = targets(t.refs[0]), targets(t.refs[1])
            w.run(f"{t.name} −", f"UNWIND $rows AS r {seek('a', la, 'r[0]')} MATCH (a)-[x:{ident(t.rel)}]->(b:{lb}) "
                  "WHERE b.id = r[1] AND x._row = r[2] DELETE x", c.removed, counter="relationships_deleted")


def _unlink(w: _Writer, t: Table, c: TableChanges, before: dict[str, dict[str, Row]]) -> None:
    """Remove the relationships of the references that changed (their old targets still exist)."""
    label = ident(t.label or "")
    old = before[t.name]
    for col, pairs in c.relinked.items():
        rel = "IN_COUNTY" if col == COUNTY else ident(t.column(col).rel or "")
        had = sum(1 for i, _ in pairs if old[i].get(col) is not None)
        w.run(f"{t.name}.{col} −", f"UNWIND $rows AS r {seek('n', label, 'r[0]')} MATCH (n)-[x:{rel}]->() DELETE x",
              pairs, expect=had, counter="relationships_deleted", report=False)


def _link_refs(w: _Writer, t: Table, col: str, pairs: list[list[Any]]) -> None:
    """Create the relationships of reference ``col`` from ``[id, target]`` pairs (blank targets skipped)."""
    label = ident(t.label or "")
    given = [p for p in pairs if p[1] is not None]
    if not given:
        return
    if col == COUNTY:
        w.run(f"{t.name}.{col} +", ref_statement(label, "County", "IN_COUNTY"),
              [[i, county_key(v)] for i, v in given], counter="relationships_created", report=False)
        return
    column = t.column(col)
    # a reference into several tables: exactly one of them holds each id
    made = sum(w.count(ref_statement(label, lb, column.rel or ""), given, "relationships_created")
               for lb in targets(column))
    w.expect(f"{t.name}.{col} +", made, len(given))


def _add_nodes(w: _Writer, t: Table, rows: list[Row]) -> None:
    outer = [c for c in t.refs if c.refs != (t.name,)]
    refs = sum(1 for r in rows for c in outer if r.get(c.name) is not None)
    w.run(f"{t.name} +", node_statement(t), [text_times(r) for r in rows], expect=len(rows), counter="nodes_created")
    # the node statement made their outward references too; a target that is missing would be skipped there,
    # so count them: every given reference is one relationship
    if refs:
        w.run(f"{t.name} → +", f"UNWIND $rows AS i {seek('n', ident(t.label or ''), 'i')} "
              "RETURN sum(count { (n)-->() }) AS n", [r["id"] for r in rows], expect=refs, report=False)


def apply(tx: Any, store: str, chg: dict[str, TableChanges], before: Dataset, after: Dataset,
          progress: Progress | None = None) -> None:
    """Write ``chg`` (from ``before`` to ``after``) into the nodes of data set ``store``, inside ``tx``."""
    _apply(_Writer(tx, store, progress), chg, before, after)


def _apply(w: _Writer, chg: dict[str, TableChanges], before: Dataset, after: Dataset) -> None:
    old = {t.name: {r["id"]: r for r in before.rows(t.name)} for t in TABLES if t.label and t.name in chg}
    _drop_links(w, chg)
    for t in TABLES:
        if t.label and t.name in chg:
            _unlink(w, t, chg[t.name], old)
    for t in TABLES:
        c = chg.get(t.name)
        if t.label and c and c.removed:
            w.run(f"{t.name} −", f"UNWIND $rows AS i {seek('n', ident(t.label), 'i')} DETACH DELETE n", c.removed,
                  counter="nodes_deleted")
    new_counties = sorted(counties(after) - counties(before))
    if new_counties:
        w.run("county +", loadplan.COUNTY, county_rows(new_counties), counter="nodes_created", report=False)
    for t in node_order():
        c = chg.get(t.name)
        if c and c.added:
            _add_nodes(w, t, c.added)
    for t in TABLES:
        c = chg.get(t.name)
        if not (t.label and c):
            continue
        label = ident(t.label)
        if c.changed:
            w.run(f"{t.name} ~", f"UNWIND $rows AS r {seek('n', label, 'r.id')} "
                  f"SET n += {properties(t, 'r', [x.name for x in t.columns])} RETURN count(*) AS n",
                  [_values(t, r) for r in c.changed])
        if c.moved:
            w.run(f"{t.name} ↕", f"UNWIND $rows AS r {seek('n', label, 'r[0]')} SET n._row = r[1] RETURN count(*) AS n",
                  c.moved)
        for col in relinkable(t):
            pairs = list(c.relinked.get(col, []))
            if col == COUNTY or t.column(col).refs == (t.name,):  # the node statement made no self-reference
                pairs += [[r["id"], r.get(col)] for r in c.added]
            _link_refs(w, t, col, pairs)
    gone = sorted(counties(before) - counties(after))
    if gone:
        w.run("county −", "UNWIND $rows AS i MATCH (n:County {ds: $ds, id: i}) DETACH DELETE n",
              [county_key(k) for k in gone], counter="nodes_deleted", report=False)
    for t in TABLES:
        c = chg.get(t.name)
        if t.rel and c:
            _links(w, t, c)


def _links(w: _Writer, t: Table, c: TableChanges) -> None:
    """Moved link rows first (by their old row numbers, before any new row could take one), then new ones."""
    (la,), (lb,) = targets(t.refs[0]), targets(t.refs[1])
    move = (f"UNWIND $rows AS r {seek('a', la, 'r[0]')} MATCH (a)-[x:{ident(t.rel or '')}]->(b:{lb}) "
            "WHERE b.id = r[1] AND x._row = r[2] SET x._row = r[3] RETURN count(*) AS n")
    if c.moved and c.shared_pairs:  # through negative numbers, which no row has: no two rows meet mid-way
        w.run(f"{t.name} ↕", move, [[a, b, old, -new] for a, b, old, new in c.moved])
        w.run(f"{t.name} ↕", move, [[a, b, -new, new] for a, b, _, new in c.moved], report=False)
    elif c.moved:
        w.run(f"{t.name} ↕", move, c.moved)
    if c.added:
        w.run(f"{t.name} +", link_statement(t), link_rows(t, c.added), counter="relationships_created")


def switch(tx: Any, lease: loadlock.Lease, key: str, after: Dataset) -> str:
    """Replace the current record ``key`` by a new one over the same nodes; returns the new key."""
    lease.confirm(tx)
    rec = tx.run("MATCH (d:DataSet {ds: $key, current: true}) RETURN coalesce(d.store, d.ds) AS store",
                 key=key).single()
    if rec is None:
        raise PatchMismatch(f"data set {key} is no longer current", f"数据集 {key} 已不是当前数据集")
    new = uuid.uuid4().hex
    tx.run("MATCH (d:DataSet {ds: $key}) DELETE d", key=key).consume()
    tx.run("CREATE (d:DataSet {ds: $ds, store: $store, current: true, status: 'current', fingerprint: $fp, "
           "source: $src, started_at: localdatetime(), loaded_at: localdatetime(), tables: $tables, counts: $counts, "
           "patched_from: $key})", ds=new, store=rec["store"], fp=after.fingerprint, src=after.source, key=key,
           **recorded(after)).consume()
    return new


class _Collector(_Writer):
    """Collects each statement a patch would run (with its first rows) instead of running it."""

    def __init__(self) -> None:
        super().__init__(None, "", None)
        self.seen: dict[str, list[Any]] = {}

    def count(self, query: str, rows: list[Any], counter: str | None = None) -> int:
        self.seen.setdefault(query, rows[:1])
        return 0

    def expect(self, step: str, found: int, want: int) -> None:  # type: ignore[override]
        pass


def every_statement() -> dict[str, list[Any]]:
    """Every statement a patch may run, each with one placeholder row of the shape it takes: a change of every kind
    in every table (the statements' texts depend on the tables and columns only).

    >>> runs = every_statement()
    >>> len(runs) > 100, all(len(rows) == 1 for rows in runs.values())
    (True, True)
    """
    chg: dict[str, TableChanges] = {}
    old: dict[str, list[Row]] = {}
    for t in TABLES:
        row: Row = {**dict.fromkeys(c.name for c in t.columns), **dict.fromkeys((c.name for c in t.refs), "x"),
                    "id": "x", "_row": 1}
        if t.label:
            old[t.name] = [{**row, "county": "a"} if t.name == "streets" else row]
            chg[t.name] = TableChanges(t, added=[row], removed=["x"], changed=[row], moved=[["x", 2]],
                                       relinked={c: [["x", "x"]] for c in relinkable(t)})
        else:
            chg[t.name] = TableChanges(t, added=[row], removed=[["x", "x", 1]], moved=[["x", "x", 1, 2]])
    collector = _Collector()
    # the streets' county differs before and after: a county is both added and removed
    _apply(collector, chg, Dataset(old), Dataset({"streets": [{**old["streets"][0], "county": "b"}]}))
    return collector.seen
