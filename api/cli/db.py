"""``orgnet db start|stop|status``: the project's own Neo4j server."""

from __future__ import annotations

import time

import typer

from api.cli.app import db_app
from api.cli.common import fail, out
from graph.errors import OrgnetError
from graph.settings import get_settings


@db_app.command("start")
def db_start() -> None:
    """启动本地 Neo4j / start the local Neo4j server (installs it on first use)."""
    from graph.store.server import LocalServer

    server = LocalServer(get_settings())
    try:
        t0 = time.monotonic()
        started = server.start()
    except OrgnetError as exc:
        fail(exc)
    if started:
        out.print(f"Neo4j 已启动 / started: {server.uri()} ({time.monotonic() - t0:.1f} s)")
    else:
        out.print(f"Neo4j 已在运行 / already running: {server.uri()} (pid {server.pid()})")


@db_app.command("stop")
def db_stop() -> None:
    """停止本地 Neo4j / stop the local Neo4j server."""
    from graph.store.server import LocalServer

    server = LocalServer(get_settings())
    if server.stop():
        out.print("Neo4j 已停止 / stopped")
    else:
        out.print("Neo4j 未在运行 / not running")


@db_app.command("status")
def db_status() -> None:
    """本地 Neo4j 的状态 / where the local server listens and whether it answers."""
    from graph.store.server import LocalServer

    settings = get_settings()
    if not settings.uses_local_server:
        from graph.store.connection import connect

        with connect(settings, start=False) as db:
            ok = db.ping()
        answer = "应答 / answers" if ok else "无应答 / no answer"
        out.print(f"外部服务器 / external server {settings.neo4j_uri}: {answer}")
        raise typer.Exit(0 if ok else 1)
    st = LocalServer(settings).status()
    state = "运行中 / running" if st.running else "未运行 / not running"
    answer = "应答 / answers" if st.answers else "无应答 / does not answer"
    out.print(f"{state}; {st.uri}; pid {st.pid or '-'}; {answer}; home {st.home}")
    raise typer.Exit(0 if st.answers else 1)
