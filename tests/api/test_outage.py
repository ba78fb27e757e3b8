"""Neo4j stopped mid-test (issue 11, point 8): the last good snapshot is served and says so, /health says
"degraded", error bodies carry no driver internals, the command line fails in one line."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import uvicorn

from api.app import create_app
from api.auth import TokenStore, digest
from graph.store import datasets
from graph.store.db import Database
from graph.store.server import free_port
from loaders.validate import load_dataset
from tests.conftest import ROOT, TINY

pytestmark = pytest.mark.neo4j


@pytest.fixture()
def api(fresh_server) -> Iterator[dict[str, Any]]:  # type: ignore[no-untyped-def]
    server = fresh_server["server"]
    server.start()
    db = Database(server.uri(), "neo4j", server.password())
    datasets.write_dataset(db, load_dataset(TINY))
    tokens = TokenStore([{"sha256": digest("t"), "role": "analyst", "name": "分析员"}])
    port = free_port()
    app = create_app(db, fresh_server["settings"], tokens)
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    while not srv.started:
        thread.join(0.05)
    try:
        yield {"base": f"http://127.0.0.1:{port}", "server": server, "app": app}
    finally:
        srv.should_exit = True
        thread.join(10)
        db.close()
        server.start()  # for the other tests that share it


def orgnet(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "api.cli", *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "COLUMNS": "400", **env}, timeout=120)


def test_neo4j_stopped_mid_test(api: dict[str, Any]) -> None:
    server = api["server"]
    port = str(server.port())
    with httpx.Client(base_url=api["base"], headers={"Authorization": "Bearer t"}, timeout=30) as c:
        good = c.get("/api/v1/findings")
        assert good.status_code == 200 and "X-Orgnet-Stale" not in good.headers
        assert c.get("/health").json() == {"status": "ok", "neo4j": True}
        # a wrong password is said once, in one line
        wrong = orgnet("report", NEO4J_URI=server.uri(), NEO4J_PASSWORD="wrong")
        assert wrong.returncode == 1
        assert [ln for ln in wrong.stderr.splitlines() if ln.strip()] == [wrong.stderr.strip()], wrong.stderr
        assert "拒绝" in wrong.stderr and "password" in wrong.stderr

        server.stop()
        answers = [c.get("/api/v1/findings") for _ in range(20)]
        assert all(r.status_code == 200 and r.content == good.content for r in answers)
        assert answers[-1].headers.get("X-Orgnet-Stale") == "1"  # the last good snapshot, and it says so
        assert c.get("/api/v1/report").headers.get("X-Orgnet-Stale") == "1"
        assert c.get("/health").json() == {"status": "degraded", "neo4j": False}
        fresh = c.get("/api/v1/report", params={"as_of": "2020-01-01T00:00:00"})  # never built: cannot be served
        assert fresh.status_code == 503
        for leak in (port, "bolt", "127.0.0.1", "Errno", "neo4j.", "Couldn't"):
            assert leak not in fresh.text, fresh.text
        assert "不可用" in fresh.json()["detail"] and "unavailable" in fresh.json()["detail"]

    down = orgnet("report", NEO4J_URI=f"bolt://127.0.0.1:{port}", NEO4J_PASSWORD="x")
    assert down.returncode == 1
    lines = [ln for ln in down.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and f"bolt://127.0.0.1:{port}" in lines[0], down.stderr
    assert "连接被拒绝" in lines[0] and "connection refused" in lines[0] and "retr" not in down.stderr.lower()
