"""Warm the local server up after it starts (run detached): ``python -m graph.store.warm``.

First it has Neo4j plan the statements the last loads ran besides those writing rows (their lock, the data sets'
records: graph.store.replay), then every load statement for the batch sizes a load of the snapshot kept last sends
(graph.store.plancache; nothing before any snapshot is kept); a whole load started meanwhile waits for that
(graph.store.server.LocalServer.warmed), a load of a month's changes, which needs none of those plans, stops it at
once. Then, unless a load is waiting, it has it plan every statement a month's changes may run (graph.store.patch),
and rehearses a load: the first rows of each table of that snapshot, written under a throw-away key
(:data:`~graph.store.datasets.REHEARSAL`) and removed again, so that the server's JIT compiler is done with the
write path before the first real load. A load that starts to wait stops both at their next statement or batch.
"""

from __future__ import annotations

import logging
import os
import time
import uuid
from collections.abc import Callable
from functools import partial
from pathlib import Path

from graph.dataformat import Dataset
from graph.errors import OrgnetError
from graph.settings import Settings, get_settings
from graph.store import datasets, plancache, replay, schema
from graph.store.connection import connect, statements_file
from graph.store.db import Database
from graph.store.loadplan import plan_writes
from graph.store.server import LocalServer
from graph.store.snapshots import Snapshot, archive

log = logging.getLogger(__name__)
#: rows of each table the rehearsal writes (the city's first load after a start: 1.5x its second without one)
REHEARSED_ROWS = 20000


class Wanted(Exception):
    """A load waits for the server: the warm-up stops what it was doing beyond the load statements' plans."""


def main() -> int:
    """Warm the server up; 0 when done (or stopped for a load), 1 when the server could not be asked."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    settings = get_settings()
    local = LocalServer(settings)
    wanted, hurried = partial(_stop_if, local.wanted_file), partial(_stop_if, local.hurry_file)
    t0 = time.monotonic()
    try:
        latest = _latest(settings)
        if latest is None:  # the first load of all plans what it needs itself (guessing sizes would plan others)
            log.info("no snapshot kept yet: nothing to plan ahead")
            return 0
        with connect(settings, start=False) as db:
            k = replay.replay(db, statements_file(settings), hurried)
            log.info("planned %d statements the last loads ran besides their rows in %.1f s", k, time.monotonic() - t0)
            n = datasets.warm(db, latest[1], hurried)
            log.info("planned %d load statements in %.1f s", n, time.monotonic() - t0)
            _beyond(db, latest[0], wanted)
    except Wanted:
        log.info("a load of a month's changes is waiting: the warm-up stops here")
    except OrgnetError as exc:
        log.warning("warming the server up failed: %s", exc)
        return 1
    finally:
        done()
    return 0


def _stop_if(wanted: Path) -> None:
    if wanted.exists():
        raise Wanted()


def _beyond(db: Database, latest: Snapshot, check: Callable[[], None]) -> None:
    """Plan a month's changes and rehearse a load of ``latest``'s first rows, each until a load waits."""
    try:
        for q in datasets.rehearsals(db):  # left by a warm-up that was killed
            datasets.delete_nodes(db, q)
        t1 = time.monotonic()
        n = datasets.plan_ahead(db, plancache.patch_runs(), check)
        log.info("planned %d statements of a month's changes in %.1f s", n, time.monotonic() - t1)
        t2 = time.monotonic()
        written = rehearse(db, archive().dataset(latest.label, REHEARSED_ROWS), check)
        log.info("rehearsed a load of %d rows (the first %d of each table of %s) in %.1f s", written,
                 REHEARSED_ROWS, latest.label, time.monotonic() - t2)
    except Wanted:
        log.info("a load is waiting: the warm-up stops here")


def rehearse(db: Database, dataset: Dataset, check: Callable[[], None] | None = None, batch: int = 10000) -> int:
    """Write ``dataset`` under a throw-away key as a load does and remove it again; the rows written. ``check``
    runs before each batch and may raise to stop (what was written is removed all the same)."""
    schema.apply(db)
    key = f"{datasets.REHEARSAL}{uuid.uuid4().hex}"
    written = 0
    try:
        for _, query, rows in plan_writes(dataset):
            written += db.write_rows(query, rows, batch=batch, extra={"ds": key}, workers=2, check=check)
    finally:
        datasets.delete_nodes(db, key)
    return written


def _latest(settings: Settings | None) -> tuple[Snapshot, dict[str, int]] | None:
    """The snapshot kept last and its tables' row counts; None when none is kept."""
    snaps = archive(settings).snapshots()
    if not snaps:
        return None
    latest = max(snaps, key=lambda s: s.loaded_at)
    return latest, dict(latest.counts)


def done() -> None:
    """Say that the warm-up is over: remove the marker a load waits on (LocalServer.warmed), if it is ours."""
    server = LocalServer(get_settings())
    try:
        if int(server.warming_file.read_text()) == os.getpid():
            server.warming_file.unlink()
            server.wanted_file.unlink(missing_ok=True)
            server.hurry_file.unlink(missing_ok=True)
    except (OSError, ValueError):
        pass


if __name__ == "__main__":
    raise SystemExit(main())
