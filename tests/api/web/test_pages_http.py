"""The pages over real HTTP: login and the cookie, the one-time ``?token=``, logout, the CSP, /docs and
/openapi.json behind login, static files, and scoped viewers kept to their area on every page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

from api.web.session import CSP
from tests.api.conftest import LIMITED_COMMUNITY, LIMITED_STREET, TOKENS

pytestmark = pytest.mark.neo4j


@contextmanager
def browser(server: dict[str, Any], who: str | None = None) -> Iterator[httpx.Client]:
    """A client that behaves like a browser: no Authorization header, cookies kept, redirects not followed."""
    with httpx.Client(base_url=server["base"], timeout=60, follow_redirects=False) as c:
        if who:
            r = c.post("/login", data={"token": TOKENS[who], "next": "/"}, headers={"Origin": server["base"]})
            assert r.status_code == 303, r.text
        yield c


PAGES = ["/", "/explorer", f"/communities/{LIMITED_COMMUNITY}", f"/streets/{LIMITED_STREET}", "/docs"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_without_a_cookie_goes_to_login(server: dict[str, Any], path: str) -> None:
    with browser(server) as c:
        r = c.get(path)
        assert r.status_code == 303
        assert r.headers["location"].startswith("/login?next=")
        login = c.get(r.headers["location"])
        assert login.status_code == 200 and "令牌" in login.text and login.headers["content-security-policy"] == CSP


def test_login_sets_a_strict_httponly_cookie_and_logout_clears_it(server: dict[str, Any]) -> None:
    with browser(server) as c:
        r = c.post("/login", data={"token": TOKENS["viewer"], "next": "/explorer"}, headers={"Origin": server["base"]})
        assert r.status_code == 303 and r.headers["location"] == "/explorer"
        cookie = r.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
        assert c.get("/").status_code == 200
        out = c.post("/logout", headers={"Origin": server["base"]})
        assert out.status_code == 303 and out.headers["location"] == "/login"
        assert c.get("/").status_code == 303


def test_login_refuses_a_bad_token_a_foreign_origin_and_a_foreign_next(server: dict[str, Any]) -> None:
    with browser(server) as c:
        assert c.post("/login", data={"token": "nope"}, headers={"Origin": server["base"]}).status_code == 401
        assert c.post("/login", data={"token": TOKENS["viewer"]}, headers={"Origin": "http://127.0.0.1:1"}).status_code == 403
        assert c.post("/login", data={"token": TOKENS["viewer"]}).status_code == 403  # no Origin, no Referer
        r = c.post("/login", data={"token": TOKENS["viewer"], "next": "//evil.example/x"},
                   headers={"Origin": server["base"]})
        assert r.headers["location"] == "/"


def test_a_token_in_the_address_is_exchanged_once_and_removed(server: dict[str, Any]) -> None:
    with browser(server) as c:
        r = c.get(f"/explorer?community_id={LIMITED_COMMUNITY}&token={TOKENS['viewer']}")
        assert r.status_code == 303
        assert r.headers["location"] == f"/explorer?community_id={LIMITED_COMMUNITY}"
        assert "HttpOnly" in r.headers["set-cookie"]
        assert c.get(r.headers["location"]).status_code == 200
        bad = c.get("/?token=not-a-token")
        assert bad.status_code == 303 and "token" not in bad.headers["location"].split("?", 1)[1].replace("bad-token", "")


def test_someone_elses_token_never_switches_a_logged_in_browser(server: dict[str, Any]) -> None:
    with browser(server, "viewer_c1") as c:
        r = c.get(f"/?token={TOKENS['admin']}")
        assert r.status_code == 409 and "先退出" in r.text and "set-cookie" not in r.headers
        assert TOKENS["admin"] not in r.text
        assert f"/communities/{LIMITED_COMMUNITY}" in c.get("/").text  # still the community viewer
        same = c.get(f"/?token={TOKENS['viewer_c1']}")
        assert same.status_code == 303 and same.headers["location"] == "/"


@pytest.mark.parametrize("path", PAGES + ["/login"])
def test_every_html_page_carries_the_csp(server: dict[str, Any], path: str) -> None:
    with browser(server, "viewer") as c:
        r = c.get(path)
        assert r.status_code == 200
        assert r.headers["content-security-policy"] == CSP and "default-src 'self'" in CSP
        assert r.headers["cache-control"] == "no-store"
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", r.text), "no inline script"
        assert not re.search(r"\bstyle=", r.text), "no inline style"
        assert not re.search(r"(src|href)=\"(https?:)?//", r.text), "nothing from another origin"


def test_openapi_needs_a_token_and_declares_bearer_and_bilingual_summaries(server: dict[str, Any]) -> None:
    assert httpx.get(f"{server['base']}/openapi.json").status_code == 401
    r = httpx.get(f"{server['base']}/openapi.json", headers={"Authorization": f"Bearer {TOKENS['viewer']}"})
    assert r.status_code == 200
    spec = r.json()
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    ops = [(p, m, op) for p, item in spec["paths"].items() for m, op in item.items()]
    assert ops and all(not p.startswith(("/explorer", "/login", "/static")) for p, _, _ in ops)
    for p, m, op in ops:
        summary = op.get("summary", "")
        assert re.search(r"[\u4e00-\u9fff]", summary) and re.search(r"/ [A-Za-z]", summary), (m, p, summary)
    with browser(server, "viewer") as c:
        assert c.get("/openapi.json").status_code == 200  # the docs page fetches it with the cookie


def test_static_files_are_a_fixed_list(server: dict[str, Any]) -> None:
    with httpx.Client(base_url=server["base"]) as c:
        vis = c.get("/static/vendor/vis-network.min.js")
        assert vis.status_code == 200 and "javascript" in vis.headers["content-type"] and len(vis.content) > 100_000
        assert c.get("/static/vendor/swagger-ui-bundle.js").status_code == 200
        assert c.get("/static/explorer.js").status_code == 200
        for bad in ("/static/../app.py", "/static/%2e%2e/app.py", "/static/nope.js", "/static/vendor/../../auth.py"):
            assert c.get(bad).status_code == 404, bad


def test_a_community_viewer_sees_only_their_community_everywhere(server: dict[str, Any]) -> None:
    ds = server["dataset"]
    other = next(c["id"] for c in ds.rows("communities") if c["id"] != LIMITED_COMMUNITY)
    street = next(c["street_id"] for c in ds.rows("communities") if c["id"] == LIMITED_COMMUNITY)
    with browser(server, "viewer_c1") as c:
        home = c.get("/").text
        assert f"/communities/{LIMITED_COMMUNITY}" in home and f"/communities/{other}" not in home
        assert c.get(f"/communities/{other}").status_code == 404
        assert c.get(f"/streets/{street}").status_code == 404
        data = c.get("/explorer/data").json()  # the county asked for: their community is what they get
        assert data["view"]["community_id"] == LIMITED_COMMUNITY
        assert c.get(f"/explorer/data?community_id={other}").status_code == 404
        hits = c.get("/explorer/search", params={"q": "社区"}).json()
        assert hits["total"] >= 1 and all(LIMITED_COMMUNITY in h["href"] for h in hits["items"])


def test_a_street_viewer_sees_their_street_with_its_totals(server: dict[str, Any]) -> None:
    ds = server["dataset"]
    mine = {c["id"] for c in ds.rows("communities") if c["street_id"] == LIMITED_STREET}
    theirs = {c["id"] for c in ds.rows("communities")} - mine
    with browser(server, "viewer_st") as c:
        home = c.get("/").text
        assert all(f"/communities/{x}\"" in home for x in mine)
        assert not any(f"/communities/{x}\"" in home for x in theirs)
        other_street = next(s["id"] for s in ds.rows("streets") if s["id"] != LIMITED_STREET)
        assert c.get(f"/streets/{other_street}").status_code == 404
        assert c.get(f"/streets/{LIMITED_STREET}").status_code == 200
        data = c.get("/explorer/data").json()
        assert data["view"]["street_id"] == LIMITED_STREET
        drawn = {n["id"] for n in data["nodes"] if n["kind"] == "Community"}
        assert drawn == mine


PHONE = re.compile(r"(?<![\d.])1[3589]\d{9}(?!\d)")


@pytest.mark.parametrize("who", ["viewer", "viewer_c1"])
def test_no_page_shows_a_viewer_a_phone_number(server: dict[str, Any], who: str) -> None:
    paths = ["/", f"/communities/{LIMITED_COMMUNITY}", f"/explorer/data?community_id={LIMITED_COMMUNITY}",
             "/explorer/search?q=1"]
    with browser(server, who) as c:
        for path in paths:
            r = c.get(path)
            assert r.status_code == 200, path
            assert not PHONE.search(r.text), path


def test_a_page_that_cannot_be_shown_answers_html_not_json(server: dict[str, Any]) -> None:
    with browser(server, "viewer") as c:
        r = c.get("/communities/NO-SUCH")
        assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
        assert "不存在" in r.text and "回到总览" in r.text and r.headers["content-security-policy"] == CSP


def test_a_community_page_names_its_coverage_shares_in_chinese(server: dict[str, Any]) -> None:
    from api.report.labels import SHARE_ZH

    r = httpx.get(f"{server['base']}/communities/{LIMITED_COMMUNITY}",
                  headers={"Authorization": f"Bearer {TOKENS['viewer']}"}, timeout=60)
    assert r.status_code == 200
    shares = r.text.split('<p class="shares">', 1)[1].split("</p>", 1)[0]
    assert all(zh in shares for zh in SHARE_ZH.values())
    assert "grids_with_worker" not in shares and "baolian<" not in shares
