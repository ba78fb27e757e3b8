"""Headers on every response: the security ones (nothing cached, no referrer, never framed, no type sniffing)
and the mark of an answer served from the last good snapshot while Neo4j is down.

(The content security policy belongs to the pages and is set where they are served.) Both are plain ASGI
middleware: Starlette's ``BaseHTTPMiddleware`` would wrap the request body's stream, and the size guard's 413
would reach the form parser as an exception group (a 400).
"""

from __future__ import annotations

from collections.abc import Callable

from api.guard import ASGIApp, Message, Receive, Scope, Send

HEADERS = ((b"cache-control", b"no-store"), (b"referrer-policy", b"same-origin"), (b"x-frame-options", b"DENY"),
           (b"x-content-type-options", b"nosniff"))


class SecurityHeaders:
    """ASGI middleware adding :data:`HEADERS` to every HTTP response (a header the app set itself is kept)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [(k, v) for k, v in HEADERS
                                                                          if k not in present]
            await send(message)

        await self.app(scope, receive, with_headers)


class StaleMark:
    """ASGI middleware: ``X-Orgnet-Stale: 1`` on a 200 answered while ``is_stale()`` (Neo4j is down and this is
    the last good snapshot); never on ``/health``, which says so itself."""

    def __init__(self, app: ASGIApp, is_stale: Callable[[], bool]) -> None:
        self.app, self.is_stale = app, is_stale

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] == "/health":
            await self.app(scope, receive, send)
            return

        async def marked(message: Message) -> None:
            if message["type"] == "http.response.start" and message.get("status") == 200 and self.is_stale():
                message["headers"] = [*message.get("headers", []), (b"x-orgnet-stale", b"1")]
            await send(message)

        await self.app(scope, receive, marked)
