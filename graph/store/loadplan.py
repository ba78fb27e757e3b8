"""The statements a load runs: one per entity table (nodes with their references), then relationships.

Every reference is looked up under its target's own label with an index hint on that label's ``(ds, id)``
uniqueness constraint, so no plan can scan: a reference that may point into several tables
(``party_orgs.area_id``, ``projects.target_id``) is looked up under each of them (ids are unique across a
data set, so exactly one matches). The statement texts do not depend on the rows, so they can be planned
(``EXPLAIN``) before the first load: :func:`statements`.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from graph.dataformat import BY_NAME, TABLES, Column, Dataset, Row, Table

_IDENT = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


def ident(name: str) -> str:
    """Check that a label or type comes from the data format (identifiers cannot be parameters)."""
    assert _IDENT.match(name), name
    return name


def node_order() -> list[Table]:
    """Entity tables ordered so that every table's (non-self) references point into tables made before it."""
    pending = [t for t in TABLES if t.label]
    done: list[Table] = []
    while pending:
        ready = next(t for t in pending
                     if all(r in {d.name for d in done} or r == t.name for c in t.refs for r in c.refs))
        done.append(ready)
        pending.remove(ready)
    return done


def targets(column: Column) -> list[str]:
    """The labels a reference is looked up under: each table it may point into.

    >>> targets(BY_NAME["projects"].column("target_id"))
    ['Street', 'Community']
    """
    return [ident(BY_NAME[r].label or "") for r in column.refs]


def seek(var: str, label: str, key: str) -> str:
    """Match ``var`` by id under ``label``, forced onto that label's (ds, id) index.

    >>> seek("x", "Grid", "r.grid_id")
    'MATCH (x:Grid {ds: $ds, id: r.grid_id}) USING INDEX x:Grid(ds, id)'
    """
    return f"MATCH ({var}:{ident(label)} {{ds: $ds, id: {key}}}) USING INDEX {var}:{label}(ds, id)"


def properties(table: Table, var: str, names: list[str], ds: bool = False) -> str:
    """A map literal of ``var``'s columns ``names`` (plus ``_row``), dates and times made Neo4j temporal values.

    Times travel as ISO text: the driver packs Python ``datetime`` values about fifty times slower, and
    the server parses text fast. Naming every property in the pattern (rather than ``SET n = map``) lets
    the planner see that the new node cannot be one the statement looks up, so it streams the batch.

    >>> properties(BY_NAME["baolian"], "p", ["since"])
    '{_row: p._row, since: date(p.since)}'
    """
    def value(c: str) -> str:
        kind = table.column(c).type
        conv = {"datetime": "localdatetime", "date": "date"}.get(kind)
        return f"{conv}({var}.{c})" if conv else f"{var}.{c}"

    items = [f"_row: {var}._row", *(f"{ident(c)}: {value(c)}" for c in names)] + (["ds: $ds"] if ds else [])
    return "{" + ", ".join(items) + "}"


COUNTY = "UNWIND $rows AS r CREATE (n:Entity:County) SET n = r, n.ds = $ds"


def ref_statement(la: str, lb: str, rel: str) -> str:
    """Relationships ``(a:la)-[:rel]->(b:lb)`` from ``[a id, b id]`` pairs."""
    return f"UNWIND $rows AS r {seek('a', la, 'r[0]')} {seek('b', lb, 'r[1]')} CREATE (a)-[:{ident(rel)}]->(b)"


def node_statement(t: Table) -> str:
    """The nodes of entity table ``t`` with the relationships of their (non-self) references."""
    # One unit subquery per reference and target label: it creates the relationship when the target exists
    # (a blank optional reference matches nothing) and leaves the row count alone.
    make = "".join(f" CALL (n, r) {{ {seek('x', label, 'r.' + ident(c.name))} CREATE (n)-[:{ident(c.rel or '')}]->(x) }}"
                   for c in t.refs if c.refs != (t.name,) for label in targets(c))
    return (f"UNWIND $rows AS r CREATE (n:Entity:{ident(t.label or '')} "
            f"{properties(t, 'r', [c.name for c in t.columns], ds=True)})" + (f" WITH n, r{make}" if make else ""))


def link_statement(t: Table) -> str:
    """The relationships of link table ``t``: first reference -> second, the other columns as properties."""
    assert t.rel
    a, b = t.refs[0].name, t.refs[1].name
    props = [c.name for c in t.columns if c.name not in (a, b)]
    (la,), (lb,) = targets(t.refs[0]), targets(t.refs[1])
    return (f"UNWIND $rows AS r WITH r[0] AS ka, r[1] AS kb, r[2] AS p {seek('a', la, 'ka')} {seek('b', lb, 'kb')} "
            f"CREATE (a)-[x:{ident(t.rel)} {properties(t, 'p', props)}]->(b)")


def statements() -> list[str]:
    """Every statement text a load may run (for planning them ahead)."""
    out = [COUNTY, ref_statement("Street", "County", "IN_COUNTY")]
    for t in node_order():
        out.append(node_statement(t))
        out += [ref_statement(t.label or "", t.label or "", c.rel or "") for c in t.refs if c.refs == (t.name,)]
    return out + [link_statement(t) for t in TABLES if t.rel]


def text_times(row: Row) -> dict[str, Any]:
    """A row as the node statement takes it: blanks left out, dates and times as ISO text.

    >>> text_times({"id": "B1", "since": date(2026, 1, 2), "note": None})
    {'id': 'B1', 'since': '2026-01-02'}
    """
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in row.items() if v is not None}


def county_key(name: str) -> str:
    """The id of a county's node (a county has no id of its own in the ledgers).

    >>> county_key("乐亭县")
    'county:乐亭县'
    """
    return f"county:{name}"


def county_rows(names: list[str]) -> list[dict[str, str]]:
    """The rows :data:`COUNTY` creates the counties ``names`` from."""
    return [{"id": county_key(c), "name": c} for c in names]


def recorded(dataset: Dataset) -> dict[str, Any]:
    """What a data set's ``:DataSet`` record keeps of it: the tables it gave and every table's row count.

    >>> recorded(Dataset({"streets": []}))["tables"]
    ['streets']
    """
    counts = dataset.counts()
    return {"tables": [t.name for t in TABLES if dataset.has(t.name)], "counts": [counts[t.name] for t in TABLES]}


def link_rows(t: Table, rows: list[Row]) -> list[list[Any]]:
    """The ``[a id, b id, properties]`` rows :func:`link_statement` takes for link table ``t``."""
    a, b = t.refs[0].name, t.refs[1].name
    props = [c.name for c in t.columns if c.name not in (a, b)]
    return [[r[a], r[b], text_times({"_row": r["_row"], **{p: r[p] for p in props}})] for r in rows]


def plan_writes(dataset: Dataset) -> list[tuple[str, str, list[Any]]]:
    """The (step, query, rows) writes that put ``dataset`` into the graph.

    Each entity table is one statement that creates its nodes together with the relationships of its
    references (their targets are made first); references to the table itself, the county and the link
    tables follow.

    >>> ds = Dataset({"streets": [{"id": "S1", "name": "北街", "county": "示例县", "_row": 2}]})
    >>> [step for step, _, _ in plan_writes(ds)]
    ['county', 'streets', 'streets.county']
    """
    counties = sorted({r["county"] for r in dataset.rows("streets")})
    steps: list[tuple[str, str, list[Any]]] = [("county", COUNTY, county_rows(counties))]
    later: list[tuple[str, str, list[Any]]] = [
        ("streets.county", ref_statement("Street", "County", "IN_COUNTY"),
         [[r["id"], county_key(r["county"])] for r in dataset.rows("streets")])]
    for t in node_order():
        if not dataset.has(t.name):
            continue
        rows = dataset.rows(t.name)
        steps.append((t.name, node_statement(t), [text_times(r) for r in rows]))
        for c in t.refs:
            if c.refs == (t.name,):
                pairs = [[r["id"], r[c.name]] for r in rows if r.get(c.name) is not None]
                later.append((f"{t.name}.{c.name}", ref_statement(t.label or "", t.label or "", c.rel or ""), pairs))
    for t in TABLES:
        if t.rel and dataset.has(t.name):
            later.append((t.name, link_statement(t), link_rows(t, dataset.rows(t.name))))
    return steps + later
