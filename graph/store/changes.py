"""What changed between two data sets, row by row, as a load would have to write it (pure; no database).

Entity rows are matched by id, link rows by all their columns. A row whose only change is its place in the
ledger (``_row``, shifted by a row inserted or removed above it) is *moved*: only its row number is written.

>>> old = Dataset({"streets": [{"id": "S1", "name": "北街", "county": "甲县", "_row": 2},
...                            {"id": "S2", "name": "南街", "county": "甲县", "_row": 3}]})
>>> new = Dataset({"streets": [{"id": "S2", "name": "南街", "county": "乙县", "_row": 2},
...                            {"id": "S3", "name": "西街", "county": "甲县", "_row": 3}]})
>>> p = changes(old, new)["streets"]
>>> [r["id"] for r in p.added], p.removed, [r["id"] for r in p.changed], p.relinked
(['S3'], ['S1'], ['S2'], {'county': [['S2', '乙县']]})
>>> p.size()
3
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graph.dataformat import TABLES, Dataset, Row, Table

#: the streets' county is written as a relationship to a county node, like a reference
COUNTY = "county"


def relinkable(t: Table) -> list[str]:
    """The columns of ``t`` written as relationships of its own nodes: its references (and a street's county).

    >>> from graph.dataformat import BY_NAME
    >>> relinkable(BY_NAME["grids"])
    ['community_id', 'street_id']
    """
    return [c.name for c in t.refs] + ([COUNTY] if t.name == "streets" else [])


@dataclass
class TableChanges:
    """One table's changes. Entity tables: ``added``/``changed`` are whole new rows, ``removed`` ids, ``moved``
    ``[id, new _row]``, ``relinked`` per reference column ``[id, new value]``. Link tables: ``added`` rows,
    ``removed`` ``[a, b, old _row]``, ``moved`` ``[a, b, old _row, new _row]``; ``shared_pairs`` when a pair of
    ends occurs twice (then a moved row cannot be found by its ends and old row number alone, mid-update)."""

    table: Table
    added: list[Row] = field(default_factory=list)
    removed: list[Any] = field(default_factory=list)
    changed: list[Row] = field(default_factory=list)
    moved: list[list[Any]] = field(default_factory=list)
    relinked: dict[str, list[list[Any]]] = field(default_factory=dict)
    shared_pairs: bool = False

    def size(self) -> int:
        """Rows added, removed or changed (moved rows are not counted: they cost one property each)."""
        return len(self.added) + len(self.removed) + len(self.changed)

    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.moved)


def _entity(t: Table, old: list[Row], new: list[Row]) -> TableChanges:
    out = TableChanges(t)
    before = {r["id"]: r for r in old}
    links = relinkable(t)
    seen = set()
    for b in new:
        i = b["id"]
        seen.add(i)
        a = before.get(i)
        if a is None:
            out.added.append(b)
        elif a == b:  # most rows of a month: compared whole, in C
            continue
        elif {**a, "_row": b["_row"]} == b:
            out.moved.append([i, b["_row"]])
        else:
            out.changed.append(b)
            for c in links:
                if a.get(c) != b.get(c):
                    out.relinked.setdefault(c, []).append([i, b.get(c)])
    out.removed = [r["id"] for r in old if r["id"] not in seen]
    return out


def _link(t: Table, old: list[Row], new: list[Row]) -> TableChanges:
    out = TableChanges(t)
    cols = [c.name for c in t.columns]
    a, b = t.refs[0].name, t.refs[1].name
    before: dict[tuple[Any, ...], list[int]] = {}
    pairs: set[tuple[Any, Any]] = set()
    for r in old:
        before.setdefault(tuple(r.get(c) for c in cols), []).append(r["_row"])
        pair = (r[a], r[b])
        out.shared_pairs = out.shared_pairs or pair in pairs
        pairs.add(pair)
    for r in new:
        had = before.get(tuple(r.get(c) for c in cols))
        if not had:
            out.added.append(r)
            continue
        row = had.pop(0)
        if row != r["_row"]:
            out.moved.append([r[a], r[b], row, r["_row"]])
    for key, rows in before.items():
        ends = dict(zip(cols, key, strict=True))
        out.removed += [[ends[a], ends[b], row] for row in rows]
    return out


def changes(old: Dataset, new: Dataset) -> dict[str, TableChanges]:
    """Every table's changes from ``old`` to ``new`` (tables without any are left out)."""
    out = {}
    for t in TABLES:
        if not (old.has(t.name) or new.has(t.name)):
            continue
        made = (_entity if t.label else _link)(t, old.rows(t.name), new.rows(t.name))
        if not made.empty():
            out[t.name] = made
    return out


def counties(ds: Dataset) -> set[str]:
    """The counties a data set's streets name."""
    return {r["county"] for r in ds.rows("streets")}

