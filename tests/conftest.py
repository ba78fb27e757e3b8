"""Shared fixtures: the real Neo4j server (the project's own, under a test home) and the example data."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
TINY = DATA / "tiny"
#: The (rule, subject id) pairs the rule catalogue gives for tiny at its default moment.
TINY_EXPECTED = DATA / "tiny.expected.json"

# The test session runs its own local server (unless NEO4J_URI names one), apart from the demo's.
os.environ.setdefault("ORGNET_HOME", str(ROOT / ".orgnet" / "test"))


@pytest.fixture(scope="session")
def settings():  # type: ignore[no-untyped-def]
    from graph.settings import Settings

    return Settings()


@pytest.fixture(scope="session")
def db(settings) -> Iterator:  # type: ignore[no-untyped-def]
    """A connection to the real server; the local one is started for the session and stopped after."""
    from graph.store.connection import connect
    from graph.store.server import LocalServer

    server = LocalServer(settings) if settings.uses_local_server else None
    was_running = bool(server and server.pid())
    database = connect(settings)
    yield database
    database.close()
    if server and not was_running:
        server.stop()


@pytest.fixture()
def tiny_copy(tmp_path: Path) -> Path:
    """A writable copy of tests/data/tiny."""
    dst = tmp_path / "tiny"
    shutil.copytree(TINY, dst)
    return dst
