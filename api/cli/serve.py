"""Serving commands: serve (the HTTP API and explorer) and token."""

from __future__ import annotations

from pathlib import Path
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
    out.print(f"打开 / open http://{host}:{port}/ （用 orgnet token 签发的令牌登录 / log in with a token from"
              f" orgnet token）  API: http://{host}:{port}/docs")
    uvicorn.run(create_app(db, settings), host=host, port=port, log_level="warning")


@app.command()
def token(role: Annotated[str, typer.Option(help="viewer | analyst | admin")],
          name: Annotated[str, typer.Option(help="持有人 / who holds it")] = "token",
          street_id: Annotated[str | None, typer.Option(help="仅限该街道 / limit to a street")] = None,
          community_id: Annotated[str | None, typer.Option(help="仅限该社区 / limit to a community")] = None) -> None:
    """签发 API 令牌（只保存其哈希）/ issue an API token (only its hash is stored)."""
    import os

    from api.auth import issue

    settings = get_settings()
    path = Path(os.environ.get("ORGNET_TOKENS_FILE", settings.orgnet_home / "tokens.jsonl"))
    try:
        secret = issue(path, role, name, street_id, community_id)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    err.print(f"令牌只显示这一次 / shown once; its hash is in {path}")
    print(secret)
