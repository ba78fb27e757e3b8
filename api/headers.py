"""Security headers on every response: nothing cached, no referrer, never framed, no type sniffing.

(The content security policy belongs to the pages and is set where they are served.)
"""

from __future__ import annotations

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
