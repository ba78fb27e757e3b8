"""Serving command: serve (the HTTP API and explorer); tokens are in api/cli/tokens.py."""

from __future__ import annotations

import errno
import socket
from typing import Annotated

import typer
from rich.markup import escape

from api.cli.app import app
from api.cli.common import err, open_db, out, stop
from graph.settings import get_settings


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` for uvicorn; exit 1 naming the port when it is taken."""
    try:
        family, kind, proto, _, addr = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as exc:
        stop(f"无法解析监听地址 {host}：{exc.strerror}", f"cannot resolve the listen address {host}: {exc.strerror}")
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does: a closing socket is no obstacle
    try:
        sock.bind(addr)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            stop(f"端口 {port} 已被占用（{host}），请用 --port 换一个端口",
                 f"port {port} on {host} is already in use: choose another with --port")
        stop(f"无法在 {host}:{port} 上监听：{exc.strerror}", f"cannot listen on {host}:{port}: {exc.strerror}")
    sock.set_inheritable(True)
    return sock


@app.command()
def serve(host: Annotated[str, typer.Option(help="监听地址 / listen address (loopback by default)")] = "127.0.0.1",
          port: Annotated[int, typer.Option(help="端口 / port")] = 8000) -> None:
    """运行 HTTP API 与图谱浏览 / run the HTTP API and the explorer."""
    import uvicorn

    from api.app import create_app

    settings = get_settings()
    sock = bind(host, port)  # first: a busy port is reported before anything starts
    db = open_db(settings)
    if host not in ("127.0.0.1", "localhost", "::1"):
        err.print(f"[yellow]注意：在 {escape(host)} 上监听，局域网内可访问 / "
                  f"listening beyond loopback on {escape(host)}[/yellow]")
    shown = f"[{host}]" if ":" in host else host
    out.print(escape(f"打开 / open http://{shown}:{port}/ （用 orgnet token 签发的令牌登录 / log in with a token from "
                     f"orgnet token）  API: http://{shown}:{port}/docs"), highlight=False)
    server = uvicorn.Server(uvicorn.Config(create_app(db, settings), log_level="warning"))
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
        db.close()

