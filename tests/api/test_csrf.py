"""Cross-site request forgery (issue 11, point 3): a cookie never authenticates a state-changing request, and a
request from another origin is refused — with httpx, and in real Chromium from a page on another port."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from graph.store import datasets
from graph.store.server import free_port
from tests.api.conftest import TOKENS, client
from tests.conftest import ARTIFACTS

pytestmark = pytest.mark.neo4j
UPLOAD = "/api/v1/datasets"
FILES = {"file": ("x.xlsx", b"not a workbook", "application/octet-stream")}


def test_the_cookie_alone_cannot_upload(server: dict[str, Any], db) -> None:  # type: ignore[no-untyped-def]
    before = datasets.current(db)
    foreign = f"http://127.0.0.1:{free_port()}"
    with httpx.Client(base_url=server["base"], cookies={"orgnet_token": TOKENS["admin"]}, timeout=300) as c:
        assert c.get("/api/v1/report").status_code == 200  # a cookie does read (the pages use it)
        assert c.post(UPLOAD, files=FILES, headers={"Origin": foreign}).status_code == 403
        for headers in ({}, {"Origin": server["base"]}):
            assert c.post(UPLOAD, files=FILES, headers=headers).status_code == 401, headers
        assert c.post("/api/v1/whatif", json={"remove": ["X"]}).status_code == 401
    assert datasets.current(db) == before


def test_a_foreign_origin_is_refused_even_with_the_header(server: dict[str, Any]) -> None:
    foreign = f"http://127.0.0.1:{free_port()}"
    with client(server, "admin") as c:
        assert c.post(UPLOAD, files=FILES, headers={"Origin": foreign}).status_code == 403
        assert c.post(UPLOAD, files=FILES, headers={"Sec-Fetch-Site": "same-site"}).status_code == 403
        assert c.post(UPLOAD, files=FILES, headers={"Origin": server["base"]}).status_code == 422  # reaches validation
        assert c.post(UPLOAD, files=FILES).status_code == 422  # a non-browser client sends no Origin


def test_security_headers_on_every_response(server: dict[str, Any]) -> None:
    with client(server, "viewer") as c:
        for path in ("/api/v1/report", "/api/v1/findings", "/explorer", "/health", "/api/v1/nothing"):
            h = c.get(path).headers
            assert h["cache-control"] == "no-store" and h["referrer-policy"] == "same-origin", path
            assert h["x-frame-options"] == "DENY" and h["x-content-type-options"] == "nosniff", path


@pytest.fixture()
def evil_site(server: dict[str, Any]) -> Iterator[str]:
    """A page on another port of 127.0.0.1 that auto-submits a form to the upload route."""
    page = f"""<!DOCTYPE html><html><body>
<form id="f" method="POST" enctype="multipart/form-data" action="{server['base']}{UPLOAD}">
<input type="hidden" name="file" value="PK-not-a-workbook"></form>
<script>document.getElementById("f").submit();</script></body></html>""".encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args: Any) -> None:
            pass

    port = free_port()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{port}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.browser
def test_a_page_on_another_port_cannot_upload_with_the_cookie(server: dict[str, Any], evil_site: str, db, browser) -> None:  # type: ignore[no-untyped-def]
    before = datasets.current(db)
    page = browser.new_page()  # a context of its own: only this test's cookie
    try:
        page.goto(f"{server['base']}/explorer?token={TOKENS['admin']}")  # the admin's browser now holds the cookie
        assert any(c["name"] == "orgnet_token" for c in page.context.cookies())
        with page.expect_response(lambda r: r.url.endswith(UPLOAD)) as answer:
            page.goto(evil_site)
        status = answer.value.status
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "csrf-refused.png"))
    finally:
        page.context.close()
    assert status in (401, 403), status
    assert datasets.current(db) == before
