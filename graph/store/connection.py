"""Connect to the configured Neo4j, or to the project's own local server (started on demand)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from graph.settings import Settings, get_settings
from graph.store import db as dbseam
from graph.store import replay, server

log = logging.getLogger(__name__)


def connect(settings: Settings | None = None, start: bool = True) -> dbseam.Database:
    """A :class:`Database` for the configured server, or the local one (started when ``start``)."""
    settings = settings or get_settings()
    if settings.uses_local_server:
        local = server.LocalServer(settings)
        if start:
            local.start()
        uri, user, password = local.uri(), "neo4j", local.password()
    else:
        assert settings.neo4j_uri is not None
        uri, user = settings.neo4j_uri, settings.neo4j_username
        password = settings.neo4j_password.get_secret_value() if settings.neo4j_password else ""
    db = dbseam.Database(uri, user, password, settings.neo4j_database)
    log.debug("connected to %s (database %s)", uri, settings.neo4j_database)
    return db


def warmed_up(settings: Settings | None = None, whole: bool = True) -> float:
    """Before a load: wait for the local server's warm-up after its start, if one is running (seconds waited).

    A load of a month's changes (not ``whole``) does not wait: the warm-up plans the statements of a whole load
    first, which a patch does not run, so it is asked to stop at once and leave the server to the patch.
    """
    settings = settings or get_settings()
    if not settings.uses_local_server:
        return 0.0
    local = server.LocalServer(settings)
    return local.warmed() if whole else local.warmed(timeout=0.0, hurry=True)


def statements_file(settings: Settings | None = None) -> Path | None:
    """Where a load keeps its bookkeeping statements for the local server's next warm-up (graph.store.replay);
    None for a server orgnet does not start."""
    settings = settings or get_settings()
    return server.LocalServer(settings).home / replay.FILE if settings.uses_local_server else None


@contextmanager
def loading(db: dbseam.Database, settings: Settings | None = None) -> Iterator[Callable[[bool], float]]:
    """Around a load's ``write_dataset``: keeps the bookkeeping statements it runs for the local server's next
    warm-up (graph.store.replay), and gives the ``warmed`` callback that waits for the warm-up or stops it
    (:func:`warmed_up`)."""
    with replay.recording(db, statements_file(settings)):
        yield lambda whole: warmed_up(settings, whole)
