"""Answers already given, served again without the framework: the read routes' hot path.

A snapshot never changes, so neither does the JSON answer to the same route, query and caller's scope. The
first request goes through FastAPI (authentication, validation, scoping, encoding) and its answer is kept in
the snapshot under :func:`raw_key`; later ones with the same bearer token scope, path and query string are
answered here, after the token is checked again (a revoked token falls through and is refused as usual).
FastAPI's parameter and dependency handling was most of a cached request's cost (measured in
docs/benchmarks.md).

>>> from api.auth import Principal
>>> raw_key({"path": "/api/v1/findings", "query_string": b"page_size=20"}, Principal("x", "viewer", "ST1"))
('raw', '/api/v1/findings', b'page_size=20', 'viewer', Area(street_id='ST1', community_id=None, county=None))
"""

from __future__ import annotations

from typing import Any

from api.auth import Principal, TokenStore
from api.guard import ASGIApp, Receive, Scope, Send

#: the read routes whose answers are kept (all answer through app.answer)
PREFIXES = ("/api/v1/findings", "/api/v1/communities", "/api/v1/report")


def raw_key(scope: Scope, who: Principal) -> tuple[Any, ...]:
    """The key of an answer as the request spelt it: path, query string and the caller's role and area."""
    return "raw", scope["path"], scope.get("query_string", b""), who.role, who.area


class FastAnswers:
    """ASGI middleware: a GET that a kept answer matches is answered from it; anything else goes on."""

    def __init__(self, app: ASGIApp, service: Any, tokens: TokenStore) -> None:
        self.app, self.service, self.tokens = app, service, tokens

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = self._kept(scope) if scope["type"] == "http" and scope["method"] == "GET" else None
        if body is None:
            await self.app(scope, receive, send)
            return
        data, fingerprint = body
        await send({"type": "http.response.start", "status": 200, "headers": [
            (b"content-type", b"application/json"), (b"content-length", str(len(data)).encode()),
            (b"x-orgnet-dataset", fingerprint.encode())]})
        await send({"type": "http.response.body", "body": data})

    def _kept(self, scope: Scope) -> tuple[bytes, str] | None:
        if not scope["path"].startswith(PREFIXES) or b"as_of" in scope.get("query_string", b""):
            return None
        header = next((v for k, v in scope.get("headers", []) if k == b"authorization"), b"").decode("latin-1")
        if not header.lower().startswith("bearer "):
            return None
        who = self.tokens.resolve(header[7:].strip())
        snap = self.service.peek() if who is not None else None
        if who is None or snap is None:
            return None
        data = snap.encoded.get(raw_key(scope, who))
        return (data, snap.report["dataset"]["fingerprint"]) if data is not None else None
