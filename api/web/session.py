"""Who is looking at a page: the login cookie, the one-time ``?token=`` exchange, and the pages' CSP.

The cookie holds the token itself (HttpOnly, SameSite=Strict, Secure over HTTPS), so revoking a token in the
tokens file logs its browsers out. A ``?token=`` in a page's address is exchanged once for the cookie and the
browser is sent to the same address without it; a browser already logged in as someone else is *refused* (it must
log out first), never switched silently to another identity.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from starlette.datastructures import URL

from api.auth import Principal, TokenStore

COOKIE = "orgnet_token"
#: every HTML page: nothing from another origin, no inline script, no framing by others
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
       "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'self'")


class NeedLogin(Exception):
    """Raised by a page without a valid cookie: the browser goes to /login and comes back to ``next``."""

    def __init__(self, next_url: str, error: str = "") -> None:
        super().__init__(next_url)
        self.next_url, self.error = next_url, error

    def location(self) -> str:
        query = {"next": self.next_url, **({"error": self.error} if self.error else {})}
        return "/login?" + urlencode(query)


class IdentityClash(Exception):
    """A ``?token=`` of someone else reached a browser that is logged in: it must log out first."""

    def __init__(self, current: Principal, clean_url: str) -> None:
        super().__init__(current.name)
        self.current, self.clean_url = current, clean_url


class TokenExchanged(Exception):
    """A valid ``?token=``: set the cookie and send the browser to ``clean_url`` (no token in the address)."""

    def __init__(self, token: str, clean_url: str) -> None:
        super().__init__(clean_url)
        self.token, self.clean_url = token, clean_url


def safe_next(target: str | None) -> str:
    """A local path to return to after login (anything else, such as ``//evil`` or ``https://…``, becomes ``/``).

    >>> safe_next("/communities/SQ1?x=1"), safe_next("//evil.example/"), safe_next("https://x/"), safe_next(None)
    ('/communities/SQ1?x=1', '/', '/', '/')
    """
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def without_token(url: URL) -> str:
    """The path and query of ``url`` without its ``token`` parameter."""
    query = urlencode([(k, v) for k, v in _pairs(url.query) if k != "token"])
    return url.path + ("?" + query if query else "")


def _pairs(query: str) -> list[tuple[str, str]]:
    from urllib.parse import parse_qsl

    return parse_qsl(query, keep_blank_values=True)


def page_principal(request: Request, tokens: TokenStore) -> Principal:
    """The viewer of an HTML page, from the cookie (else an ``Authorization: Bearer`` header, as the API takes);
    a ``?token=`` is exchanged first (see the module's doc)."""
    cookie = request.cookies.get(COOKIE)
    current = tokens.resolve(cookie)
    given = request.query_params.get("token")
    if given is not None:
        clean = without_token(request.url)
        offered = tokens.resolve(given)
        if offered is None:
            raise NeedLogin(clean, "bad-token")
        if current is not None and cookie != given:
            raise IdentityClash(current, clean)
        raise TokenExchanged(given, clean)
    if current is None and not cookie:  # a script may send its token as it does to the API
        header = request.headers.get("authorization", "")
        current = tokens.resolve(header[7:].strip()) if header.lower().startswith("bearer ") else None
    if current is None:
        raise NeedLogin(without_token(request.url), "expired" if cookie else "")
    return current


def same_origin(request: Request) -> bool:
    """True when a form post comes from this server's own pages (``Origin``, else ``Referer``, names this host)."""
    origin = request.headers.get("origin") or request.headers.get("referer")
    if not origin:
        return False
    own = f"{request.url.scheme}://{request.headers.get('host', '')}"
    return origin == own or origin.startswith(own + "/")


def set_login_cookie(response: Any, request: Request, token: str) -> None:
    response.set_cookie(COOKIE, token, httponly=True, samesite="strict", path="/",
                        secure=request.url.scheme == "https")


Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


class ContentSecurityPolicy:
    """ASGI middleware: every HTML response gets :data:`CSP` and ``Cache-Control: no-store``."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_csp(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                ctype = next((v for k, v in headers if k.lower() == b"content-type"), b"")
                if ctype.startswith(b"text/html"):
                    names = {k.lower() for k, _ in headers}
                    if b"content-security-policy" not in names:
                        headers.append((b"content-security-policy", CSP.encode()))
                    if b"cache-control" not in names:
                        headers.append((b"cache-control", b"no-store"))
                    message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_csp)
