"""Serving command: serve (the HTTP API and explorer); tokens are in api/cli/tokens.py."""

from __future__ import annotations

from typing import Annotated

import typer

from api.cli.app import app
from api.cli.common import err, fail, out
from graph.errors import OrgnetError
from graph.settings import get_settings


@app.command()
def serve(host: Annotated[str, typer.Option(help="监听地址 / listen address (loopback by default)")] = "127.0.0.1",
          port: Annotated[int, typer.Option(help="端口 / port")] = 8000) -> None:
    """运行 HTTP API 与图谱浏览 / run the HTTP API and the explorer."""
    import uvicorn

    from api.app import create_app
    from graph.store.connection import connect

    settings = get_settings()
    try:
        db = connect(settings)
    except OrgnetError as exc:
        fail(exc)
    if host not in ("127.0.0.1", "localhost", "::1"):
        err.print(f"[yellow]注意：在 {host} 上监听，局域网内可访问 / listening beyond loopback on {host}[/yellow]")
    out.print(f"API: http://{host}:{port}/docs  浏览 / explorer: http://{host}:{port}/explorer")
    uvicorn.run(create_app(db, settings), host=host, port=port, log_level="warning")
