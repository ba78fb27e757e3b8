"""Fill Neo4j's plan cache ahead of a load: which statements to run, with which placeholder rows (pure).

Neo4j keeps a plan for a statement's text *and* its parameters' types, and plans ``UNWIND $rows`` anew for each
order of magnitude of the list's length (1, 2–10, 11–100, 101–1,000, 1,001–10,000 rows, …: measured on 5.26).
``EXPLAIN`` plans without filling that cache, so the warm-up (graph.store.warm) runs each statement once per size
class a load will send, with placeholder rows under a key no data set has, in a transaction that is rolled back
(:meth:`graph.store.db.Database.dry_run`): nothing is written, and the load finds its plans made.
"""

from __future__ import annotations

import math
from typing import Any

from graph.dataformat import TABLES, Dataset, Row
from graph.store import patch
from graph.store.loadplan import plan_writes

__all__ = ["NOWHERE", "REHEARSAL", "copies", "load_runs", "patch_runs", "size_class", "smallest_of_class"]

#: the prefix of the data-set keys a warm-up writes under (graph.store.warm): no load's key has it, and the next
#: warm-up removes what a killed one left (graph.store.datasets.rehearsals)
REHEARSAL = "warm-"
#: the data-set key the placeholder rows are written under (rolled back; no data set has it; a rehearsal's key)
NOWHERE = f"{REHEARSAL}nowhere"
#: the size classes a month's changes usually fall in (a table's changes: 1 to 1,000 rows)
PATCH_SIZES = (1, 2, 11, 101)


def size_class(n: int) -> int:
    """The order of magnitude Neo4j plans a list of ``n`` rows for.

    >>> [size_class(n) for n in (1, 2, 10, 11, 100, 101, 10000, 10001)]
    [0, 1, 1, 2, 2, 3, 4, 5]
    """
    return math.ceil(math.log10(n)) if n > 1 else 0


def smallest_of_class(k: int) -> int:
    """The fewest rows of size class ``k`` (the cheapest list to plan it with).

    >>> [smallest_of_class(k) for k in range(5)]
    [1, 2, 11, 101, 1001]
    """
    return 1 if k == 0 else 10 ** (k - 1) + 1


def copies(row: Any, n: int) -> list[Any]:
    """``n`` copies of a placeholder row, each with an id of its own (a node is unique by its data set and id).

    >>> copies({"id": "w", "x": 1}, 2), copies(["w", "t"], 2), copies("w", 2)
    ([{'id': 'w0', 'x': 1}, {'id': 'w1', 'x': 1}], [['w0', 't'], ['w1', 't']], ['w0', 'w1'])
    """
    if isinstance(row, dict) and isinstance(row.get("id"), str):
        return [{**row, "id": f"{row['id']}{i}"} for i in range(n)]
    if isinstance(row, list) and row and isinstance(row[0], str):
        return [[f"{row[0]}{i}", *row[1:]] for i in range(n)]
    if isinstance(row, str):
        return [f"{row}{i}" for i in range(n)]
    return [row] * n


def _batch_sizes(count: int, batch: int) -> set[int]:
    """The size classes of the batches a table of ``count`` rows is written in.

    >>> sorted(_batch_sizes(25000, 10000)), sorted(_batch_sizes(10500, 10000)), sorted(_batch_sizes(99, 10000))
    ([4], [3, 4], [2])
    """
    out = {size_class(batch)} if count >= batch else set()
    if count % batch:
        out.add(size_class(count % batch))
    return out


def _placeholders() -> Dataset:
    rows: dict[str, list[Row]] = {t.name: [{**dict.fromkeys(c.name for c in t.columns), "id": "w", "_row": 1,
                                            **dict.fromkeys((c.name for c in t.refs), "w")}] for t in TABLES}
    rows["streets"][0]["county"] = "w"
    return Dataset(rows)


def load_runs(counts: dict[str, int] | None, batch: int = 10000) -> list[tuple[str, list[Any]]]:
    """``(statement, rows)`` for every load statement and size class a load of tables of ``counts`` rows sends
    (every class up to ``batch`` when the counts are not known, as before anything was kept).

    >>> runs = load_runs({"streets": 3})
    >>> [len(rows) for q, rows in runs if "CREATE (n:Entity:Street" in q]
    [2]
    >>> sorted({len(rows) for _, rows in load_runs(None)})
    [1, 2, 11, 101, 1001]
    """
    every = set(range(size_class(batch) + 1))
    out = []
    for step, query, rows in plan_writes(_placeholders()):
        table = step.split(".")[0]
        if counts is None:
            classes = every
        elif table == "county":  # one county, or a few
            classes = {0, 1}
        else:
            classes = _batch_sizes(counts.get(table, 0), batch)
        out += [(query, copies(rows[0], smallest_of_class(k))) for k in sorted(classes)]
    return out


def patch_runs(sizes: tuple[int, ...] = PATCH_SIZES) -> list[tuple[str, list[Any]]]:
    """``(statement, rows)`` for every statement a month's changes may run, at each of ``sizes`` rows.

    >>> runs = patch_runs((1, 11))
    >>> len(runs) == 2 * len(patch.every_statement()), sorted({len(rows) for _, rows in runs})
    (True, [1, 11])
    """
    return [(query, copies(rows[0], n)) for query, rows in patch.every_statement().items() for n in sizes]
