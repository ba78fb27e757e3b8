"""The gate in front of every state-changing request: bearer header, same origin, size — before any body is read.

Cookies authenticate only GET and HEAD (the pages and what they link to); a POST, PUT, PATCH or DELETE must carry
``Authorization: Bearer …`` (which a browser never adds on its own to a cross-site form), must not come from
another origin (``Origin`` absent or equal to the server's own; ``Sec-Fetch-Site`` absent, ``same-origin`` or
``none``), and its body is limited by ``Content-Length`` and again while it streams. Unauthenticated requests are
refused before their body is read, so nothing is spooled for them.

Plain ASGI (not Starlette's BaseHTTPMiddleware): the body is never buffered here.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.exceptions import HTTPException

from api.auth import TokenStore

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
#: the least role a body-carrying route needs: checked before its body is read
ROLE_OF_PATH = {"/api/v1/datasets": "admin", "/api/v1/whatif": "analyst"}
#: routes whose body is the credential itself (a login form): no bearer header, but same origin and small
OPEN_PATHS = frozenset({"/login", "/logout"})
OPEN_MAX_BYTES = 16 * 1024


class TooLarge(HTTPException):
    """The body grew past the limit while streaming (an HTTP error, so the form parser passes it on as 413)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"上传超过 {limit} 字节 / the body exceeds {limit} bytes")


def same_origin(origin: str, scope: Scope) -> bool:
    """True when ``origin`` is the server's own (scheme, host and port as the request addressed it).

    >>> s = {"scheme": "http", "headers": [(b"host", b"127.0.0.1:8000")]}
    >>> same_origin("http://127.0.0.1:8000", s), same_origin("http://127.0.0.1:9000", s)
    (True, False)
    """
    host = _header(scope, b"host")
    return bool(host) and origin.rstrip("/").lower() == f"{scope.get('scheme', 'http')}://{host}".lower()


def _header(scope: Scope, name: bytes) -> str | None:
    for k, v in scope.get("headers", []):
        if k.lower() == name:
            return str(v.decode("latin-1"))
    return None


class Guard:
    """ASGI middleware: refuses a state-changing request that lacks a bearer token, comes from another origin,
    or is too large — each before the application (and its form parser) sees the body."""

    def __init__(self, app: ASGIApp, tokens: TokenStore, max_bytes: int,
                 on_refusal: Callable[[Scope, int, str], None] | None = None) -> None:
        self.app, self.tokens, self.max_bytes, self.on_refusal = app, tokens, max_bytes, on_refusal

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        opened = scope["path"].rstrip("/") in OPEN_PATHS
        refused = self._origin(scope) or (None if opened else self._check(scope))
        limit = OPEN_MAX_BYTES if opened else self.max_bytes
        if not refused and _too_long(scope, limit):
            refused = 413, f"上传超过 {limit} 字节", f"the body exceeds {limit} bytes"
        if refused:
            status, zh, en = refused
            if self.on_refusal:
                self.on_refusal(scope, status, en)
            await _reply(send, status, f"{zh} / {en}", status == 401)
            return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise TooLarge(limit)
            return message

        async def sending(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, sending)
        except TooLarge:
            if not started:
                await _reply(send, 413, f"上传超过 {limit} 字节 / the body exceeds {limit} bytes")

    def _check(self, scope: Scope) -> tuple[int, str, str] | None:
        header = _header(scope, b"authorization") or ""
        who = self.tokens.resolve(header[7:].strip()) if header.lower().startswith("bearer ") else None
        if who is None:
            return 401, "修改数据须在 Authorization 头中带令牌", "a state-changing request needs an Authorization bearer token"
        need = ROLE_OF_PATH.get(scope["path"].rstrip("/"))
        if need and not who.at_least(need):
            return 403, f"需要 {need} 角色", f"the {need} role is required"
        return None

    @staticmethod
    def _origin(scope: Scope) -> tuple[int, str, str] | None:
        origin = _header(scope, b"origin")
        if origin is not None and not same_origin(origin, scope):
            return 403, "拒绝来自其他来源的请求", "requests from another origin are refused"
        site = (_header(scope, b"sec-fetch-site") or "none").lower()
        if site not in ("same-origin", "none"):
            return 403, "拒绝跨站请求", "cross-site requests are refused"
        return None


def _too_long(scope: Scope, limit: int) -> bool:
    length = _header(scope, b"content-length")
    return length is not None and (not length.isdigit() or int(length) > limit)


async def _reply(send: Send, status: int, detail: str, challenge: bool = False) -> None:
    body = json.dumps({"detail": detail}, ensure_ascii=False).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
               (b"connection", b"close")] + ([(b"www-authenticate", b"Bearer")] if challenge else [])
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
