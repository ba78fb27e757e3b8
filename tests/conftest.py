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
#: the browser tests' Chromium, its flags (offline: no network of its own) and where their screenshots go
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = ROOT / "artifacts"

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
    if server:
        server.warmed()  # a server just started is planning the load statements: the tests start once it is done
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


@pytest.fixture(scope="session")
def fresh_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:  # type: ignore[type-arg]
    """A second local server, first started in this session (in a temporary ORGNET_HOME), with a total
    transaction memory limit of 10 MiB (the least Neo4j accepts): for the tests of a first start, of a server
    stopped mid-test (they start it again) and of reading under a memory limit. While it starts for the first time, a racer keeps
    trying to log in with Neo4j's default neo4j/neo4j; ``racer_logins`` counts its successes."""
    import secrets
    import threading
    import time

    from graph.settings import Settings
    from graph.store import db as dbseam
    from graph.store.server import LocalServer, free_port

    home = tmp_path_factory.mktemp("fresh")
    settings = Settings(orgnet_home=home, neo4j_uri=None, orgnet_neo4j_port=free_port(), orgnet_neo4j_heap="512m",
                        orgnet_neo4j_pagecache="64m", orgnet_neo4j_tx_memory="10m", orgnet_start_timeout=900)
    server = LocalServer(settings)
    # A generated password begins with "-" one time in 64 (token_urlsafe); neo4j-admin once read such a
    # password as an option and refused to set it. This server's password always begins with "-".
    server.password_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(server.password_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write("-" + secrets.token_urlsafe(24))
    started = threading.Event()
    logins: list[bool] = []

    def race() -> None:  # from the moment Bolt answers: the window in which the default password used to work
        from graph.store.server import port_in_use

        port = settings.orgnet_neo4j_port or 0
        while not started.is_set() and not port_in_use(port):
            time.sleep(0.02)
        for _ in range(3):  # more would lock the account (Neo4j's rate limit) for the server's own login too
            logins.append(dbseam.logs_in(f"bolt://127.0.0.1:{port}", "neo4j", "neo4j"))

    racer = threading.Thread(target=race, daemon=True)
    racer.start()
    try:
        server.start()
    except BaseException:
        server.stop()  # a server that did not answer in time still runs: never leave it behind
        raise
    finally:
        started.set()
        racer.join(30)
    yield {"server": server, "settings": settings, "racer_logins": sum(logins), "racer_tries": len(logins)}
    server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator:  # type: ignore[type-arg]
    """Headless Chromium (Playwright), one for the session; each test opens its own pages."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()
