"""The graph schema: idempotent constraints and indexes, applied when the server starts and before a load."""

from __future__ import annotations

import re

from graph.dataformat import LABELS
from graph.store.db import Database

_IDENT = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


def statements() -> list[str]:
    """The schema statements: per label a uniqueness constraint on (ds, id), data sets keyed by ds.

    The constraint on ``:Entity(ds, id)`` keeps ids unique across a data set's tables, and its index also finds a
    data set's nodes by key alone (``n.ds = $ds AND n.id IS NOT NULL``: graph.store.datasets.OF_KEY), so no index
    on ``:Entity(ds)`` is kept beside it (each node would be written into three indexes instead of two).
    Labels are identifiers from the data format (never user input), checked before use.

    >>> any("FOR (n:Grid) REQUIRE (n.ds, n.id) IS UNIQUE" in s for s in statements())
    True
    """
    out = []
    for label in (*LABELS, "Entity"):
        assert _IDENT.match(label), label
        out.append(f"CREATE CONSTRAINT {label.lower()}_ds_id IF NOT EXISTS "
                   f"FOR (n:{label}) REQUIRE (n.ds, n.id) IS UNIQUE")
    out.append("CREATE CONSTRAINT dataset_ds IF NOT EXISTS FOR (d:DataSet) REQUIRE d.ds IS UNIQUE")
    out.append("CREATE INDEX dataset_current IF NOT EXISTS FOR (d:DataSet) ON (d.current)")
    out.append("CREATE CONSTRAINT loadlock_name IF NOT EXISTS FOR (l:LoadLock) REQUIRE l.name IS UNIQUE")
    return out


#: indexes of earlier versions that no query uses any more (dropped by :func:`apply`)
OBSOLETE = ("entity_ds",)


def _name(statement: str) -> str:
    return statement.split()[2]


def apply(db: Database) -> None:
    """Create every constraint and index that is missing (safe to run again), drop those no query uses any more,
    then wait until all are online."""
    have = {r["name"]: r["state"] for r in db.read("SHOW INDEXES YIELD name, state RETURN name, state")}
    for name in OBSOLETE:
        if name in have:
            db.write(f"DROP INDEX {name} IF EXISTS")
            del have[name]
    missing = [s for s in statements() if _name(s) not in have]
    for stmt in missing:
        db.write(stmt)
    if missing or any(state != "ONLINE" for state in have.values()):
        db.write("CALL db.awaitIndexes(300)")
