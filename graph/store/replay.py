"""The bookkeeping statements a load ran, kept so that the warm-up after a start has Neo4j plan them ahead.

A load runs about twenty statements besides those that write its rows: its lock, the data sets' records, the
leftovers it looks for. On a server that has just started each costs 0.3–0.7 s the first time (the JVM is cold),
and Neo4j keeps no plan across a restart. A load run under :func:`recording` keeps their texts and parameters
(plain JSON values only, every text a stand-in of the same length: :func:`stand_in`) in the server's home; the
warm-up (graph.store.warm) runs each again in a transaction that is rolled back (:func:`replay`), so nothing is
written and the next load finds the plans made. Statements that write rows (``$rows``) are planned by size class
instead (graph.store.plancache); schema commands are not kept.

>>> worth_keeping("MATCH (l:LoadLock {name: $name}) RETURN l.holder AS holder", {"name": "load"})
True
>>> worth_keeping("UNWIND $rows AS r CREATE (n:Entity)", {"rows": [1]}), worth_keeping("SHOW INDEXES", {})
(False, False)
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from graph.atomic import written_whole
from graph.errors import DatabaseError
from graph.store.db import Database
from graph.store.plancache import REHEARSAL
from graph.store.reportcache import code_version

log = logging.getLogger(__name__)

__all__ = ["FILE", "kept", "recording", "replay", "stand_in", "worth_keeping"]

#: the file in the local server's home that keeps them
FILE = "load-statements.json"
#: at most this many are kept (the newest load's first)
MOST = 100
_SKIPPED = ("SHOW ", "CREATE INDEX", "CREATE CONSTRAINT", "CREATE RANGE", "CREATE TEXT", "DROP ", "EXPLAIN ",
            "PROFILE ", "CALL DB.", "CALL DBMS.")


def worth_keeping(query: str, params: Mapping[str, Any]) -> bool:
    """Whether a statement is replayed ahead: not one that writes rows, nor a schema command."""
    return "rows" not in params and not query.lstrip().upper().startswith(_SKIPPED)


@contextmanager
def recording(db: Database, path: Path | None) -> Iterator[None]:
    """Keep in ``path`` (none: nothing kept) what ``db`` runs in the block, once the block has succeeded."""
    if path is None:
        yield
        return
    seen: dict[str, Any] = {}

    def record(query: str, params: Mapping[str, Any]) -> None:
        if query not in seen and worth_keeping(query, params):
            try:
                seen[query] = stand_in(json.loads(json.dumps(dict(params))))
            except (TypeError, ValueError):  # a value JSON cannot carry (a time, say): its plan is made by the load
                pass

    db.recorder = record
    try:
        yield
    finally:
        db.recorder = None
    _keep(path, seen)


def stand_in(value: Any) -> Any:
    """``value`` with every text replaced by one of the same length that names nothing (each begins like a
    rehearsal's key, graph.store.plancache.REHEARSAL): a replayed statement finds no data set, holder or lock of a
    load, and Neo4j plans it as for the real values (it plans for their types and sizes).

    >>> stand_in({"name": "load", "ds": "5f0c2a", "ms": 60000, "tables": ["streets"]})
    {'name': 'warm', 'ds': 'warm-w', 'ms': 60000, 'tables': ['warm-ww']}
    """
    if isinstance(value, str):
        return (REHEARSAL + "w" * len(value))[:len(value)]
    if isinstance(value, dict):
        return {k: stand_in(v) for k, v in value.items()}
    if isinstance(value, list):
        return [stand_in(v) for v in value]
    return value


def _keep(path: Path, seen: dict[str, Any]) -> None:
    """Add ``seen`` to the statements kept in ``path`` (replacing older parameters), written whole."""
    merged = {**seen, **{q: p for q, p in kept(path) if q not in seen}}
    try:
        with written_whole(path) as fh:
            json.dump({"code": code_version(), "statements": [[q, p] for q, p in list(merged.items())[:MOST]]}, fh,
                      ensure_ascii=False)
    except OSError as exc:
        log.warning("could not keep a load's statements for the next warm-up: %s", exc)


def kept(path: Path) -> list[tuple[str, dict[str, Any]]]:
    """The statements kept in ``path``: (text, parameters); none when there is no such file, it is damaged, or
    another version of orgnet's code wrote it (its statements may be gone)."""
    try:
        got = json.loads(path.read_text(encoding="utf-8"))
        if got.get("code") != code_version():
            return []
        return [(str(q), dict(p)) for q, p in got["statements"] if isinstance(q, str) and isinstance(p, dict)]
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return []


def replay(db: Database, path: Path | None, check: Callable[[], None] | None = None) -> int:
    """Run each statement kept in ``path`` (none: nothing kept) in a transaction that is rolled back; how many ran.
    ``check`` runs before each and may raise to stop; a statement the server refuses is passed over."""
    n = 0
    for query, params in kept(path) if path else []:
        if check:
            check()
        try:
            db.dry_run(query, params)
            n += 1
        except DatabaseError as exc:
            log.info("not planned ahead (%s): %s", exc, query[:80])
    return n
