"""The front door in real headless Chromium, walked as a user: log in, the dashboard, the weakest community, a red
node's findings, back to the county by the breadcrumbs; the explorer's drill-down, layers, filters, search and
exports; /docs; a scoped viewer kept to their area on every page. Every page: no request to another origin, no CSP
violation, no console error; a screenshot of each page under artifacts/."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import networkx as nx
import pytest

from tests.api.conftest import LIMITED_COMMUNITY, LIMITED_STREET, TOKENS, client
from tests.conftest import ARTIFACTS

pytestmark = [pytest.mark.neo4j, pytest.mark.browser]
#: records CSP violations (an init script runs before the page's own, outside its CSP)
WATCH_CSP = ("window.__csp = []; document.addEventListener('securitypolicyviolation', "
             "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")


@pytest.fixture(scope="module")
def report(server: dict[str, Any]) -> dict[str, Any]:
    with client(server, "viewer") as c:
        rep: dict[str, Any] = c.get("/api/v1/report").json()
    return rep


class User:
    """One browser context (its own cookies), with every request it made and every error or CSP violation."""

    def __init__(self, browser: Any, base: str) -> None:
        self.base = base
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
        self.context.add_init_script(WATCH_CSP)
        self.page = self.context.new_page()
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def goto(self, path: str) -> None:
        self.page.goto(self.base + path)
        self.check()

    def login(self, who: str) -> None:
        self.goto("/")
        assert urlparse(self.page.url).path == "/login"
        self.page.fill("#token", TOKENS[who])
        with self.page.expect_navigation():
            self.page.click("form.login button[type=submit]")
        assert urlparse(self.page.url).path == "/" and TOKENS[who] not in self.page.url
        self.check()

    def check(self) -> None:
        """No CSP violation, no console error, no request to another origin so far."""
        violations = self.page.evaluate("window.__csp || []")
        assert not violations, violations
        assert not self.errors, self.errors
        hosts = {urlparse(u).netloc for u in self.requests if not u.startswith(("data:", "blob:"))}
        assert hosts <= {urlparse(self.base).netloc}, hosts

    def graph(self) -> None:
        """Wait until the explorer on this page has drawn its data."""
        self.page.wait_for_selector("#explorer[data-ready=yes]", state="attached")
        self.page.wait_for_timeout(200)

    def nodes(self, flt: str = "n => true") -> set[str]:
        return set(self.page.evaluate(f"network.body.data.nodes.get({{filter: {flt}}}).map(n => n.id)"))

    def point(self, node: str) -> tuple[float, float]:
        """Centre the view on ``node`` and return where it is drawn on the page."""
        self.page.evaluate(f"network.moveTo({{position: network.getPositions(['{node}'])['{node}'], scale: 1.2}})")
        x, y = self.page.evaluate(
            f"(() => {{ const p = network.canvasToDOM(network.getPositions(['{node}'])['{node}']);"
            "const r = document.getElementById('mynetwork').getBoundingClientRect();"
            "return [p.x + r.left, p.y + r.top]; })()")
        return float(x), float(y)

    def click(self, node: str) -> str:
        """Click ``node`` where it is drawn; the side panel's text once it shows that node."""
        self.page.mouse.click(*self.point(node))
        self.page.locator("#detail").get_by_text(node).wait_for()
        return str(self.page.inner_text("#detail"))

    def drill(self, node: str) -> None:
        with self.page.expect_navigation():
            self.page.mouse.dblclick(*self.point(node))
        self.graph()

    def shot(self, name: str, full: bool = False) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=full)
        return path

    def close(self) -> None:
        self.check()
        self.context.close()


def test_a_user_walks_from_login_to_a_red_node_and_back_to_the_county(server: dict[str, Any], browser: Any,
                                                                       report: dict[str, Any]) -> None:
    u = User(browser, server["base"])
    u.goto("/communities/" + LIMITED_COMMUNITY)
    assert urlparse(u.page.url).path == "/login"
    u.shot("login")
    u.login("viewer")
    u.shot("dashboard", full=True)
    tiles = u.page.inner_text(".tiles")
    assert "覆盖得分" in tiles and "超负荷网格员" in tiles and "满意率" in tiles
    overloaded = {f["subject"]["id"] for f in report["findings"] if f["rule"] == "WORKER_OVERLOADED"}
    assert u.page.inner_text("#tile-overloaded b") == str(len(overloaded))
    weakest = min(report["summary"]["communities"], key=lambda c: (c["coverage_score"], c["community_id"]))
    first = u.page.locator("#areas tbody tr", has=u.page.locator("td:text-is('社区')")).first
    assert first.get_attribute("data-id") == weakest["community_id"]
    with u.page.expect_navigation():
        first.locator("a").click()
    assert urlparse(u.page.url).path == f"/communities/{weakest['community_id']}"
    u.graph()
    u.shot("community-page")
    crumbs = u.page.inner_text("nav.crumbs")
    assert weakest["name"] in crumbs and "县" in crumbs
    high = {f["subject"]["id"] for f in report["findings"] if f["severity"] == "high"
            and f["scope"].get("community_id") == weakest["community_id"]}
    red = u.nodes("n => n.severity === 'high'")
    assert red and red <= high
    target = sorted(red)[0]
    detail = u.click(target)
    for f in report["findings"]:
        if f["subject"]["id"] == target:
            assert f["message"]["zh"] in detail
    assert "{" not in detail  # a summary, not raw JSON
    u.shot("community-red-node")
    with u.page.expect_navigation():
        u.page.locator("nav.crumbs a").first.click()
    assert urlparse(u.page.url).path == "/"
    u.close()


def test_the_explorer_drills_down_filters_layers_searches_and_exports(server: dict[str, Any], browser: Any,
                                                                      report: dict[str, Any]) -> None:
    ds = server["dataset"]
    u = User(browser, server["base"])
    u.login("viewer")
    u.goto("/explorer")
    u.graph()
    county = {f"county:{r['county']}" for r in ds.rows("streets")}
    assert u.nodes() == county | {r["id"] for r in ds.rows("streets")} | {r["id"] for r in ds.rows("communities")}
    labels = u.page.evaluate("network.body.data.nodes.get({filter: n => n.kind === 'Community'}).map(n => n.label)")
    assert all(re.search(r"\d+(\.\d+)?$", label) for label in labels)  # the score in the label
    u.page.evaluate("network.fit()")
    u.shot("explorer-county")
    street = ds.rows("streets")[1]["id"]
    u.drill(street)
    assert f"street_id={street}" in u.page.url
    grids = {g["id"] for g in ds.rows("grids") if g.get("community_id") in
             {c["id"] for c in ds.rows("communities") if c["street_id"] == street}}
    assert grids <= u.nodes()
    u.shot("explorer-street")
    community = next(c["id"] for c in ds.rows("communities") if c["street_id"] == street)
    u.drill(community)
    assert f"community_id={community}" in u.page.url
    assert u.page.inner_text("nav.crumbs").count("›") == 2
    # filters: hiding nodes without findings leaves only nodes with findings
    u.page.uncheck("input[name=sev][value=none]")
    hidden = u.nodes("n => n.hidden")
    assert hidden and hidden == u.nodes("n => n.severity === 'none'")
    u.page.check("input[name=sev][value=none]")
    # layers: agencies with their pairing/baolian edges, demands with their departments
    u.page.check("input[name=layer][value=agencies]")
    u.graph()
    paired = {p["agency_id"] for t in ("pairings", "baolian") for p in ds.rows(t) if p["community_id"] == community}
    assert u.nodes("n => n.kind === 'Agency'") == paired
    u.page.check("input[name=layer][value=demands]")
    u.graph()
    assert u.nodes("n => n.kind === 'Demand'") == {d["id"] for d in ds.rows("demands") if d["grid_id"] in
                                                     {g["id"] for g in ds.rows("grids") if g.get("community_id") == community}}
    u.page.uncheck("input[name=layer][value=demands]")
    u.graph()
    u.page.evaluate("network.fit()")
    u.shot("explorer-community")
    # exports
    with u.page.expect_download() as dl:
        u.page.click("#export-gexf")
    gexf = nx.read_gexf(dl.value.path())
    assert set(gexf.nodes) == u.nodes("n => !n.hidden")
    with u.page.expect_download() as dl:
        u.page.click("#export-png")
    assert Path(dl.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # search across the county: a grid of another street is listed, and choosing it opens its community
    other = next(g for g in ds.rows("grids") if g.get("community_id") and g["community_id"] != community)
    u.page.fill("#search", other["name"])
    u.page.locator("#search-results a", has_text=other["id"]).wait_for()
    u.shot("explorer-search")
    with u.page.expect_navigation():
        u.page.locator("#search-results a", has_text=other["id"]).first.click()
    u.graph()
    assert f"community_id={other['community_id']}" in u.page.url
    u.page.locator("#detail").get_by_text(other["id"]).wait_for()
    assert u.page.evaluate("network.getSelectedNodes()") == [other["id"]]
    u.close()


def test_docs_work_offline_behind_login_with_authorize(server: dict[str, Any], browser: Any) -> None:
    u = User(browser, server["base"])
    u.goto("/docs")
    assert urlparse(u.page.url).path == "/login"
    u.login("viewer")
    u.goto("/docs")
    u.page.locator(".swagger-ui .info .title").wait_for()
    assert "orgnet" in u.page.inner_text(".swagger-ui .info .title")
    u.page.click("button.authorize")
    u.page.locator(".dialog-ux input").first.fill(TOKENS["viewer"])
    u.page.locator(".dialog-ux button.authorize").first.click()
    u.page.locator(".dialog-ux button.close-modal").first.click()
    u.page.locator("#operations-default-communities_api_v1_communities_get").first.click()
    u.page.locator(".try-out__btn").first.click()
    u.page.locator(".execute").first.click()
    u.page.locator(".live-responses-table .response-col_status").first.wait_for()
    assert u.page.inner_text(".live-responses-table tbody .response-col_status").strip().startswith("200")
    assert f"Authorization: Bearer {TOKENS['viewer']}" in u.page.inner_text(".curl-command")  # Authorize took
    u.shot("docs")
    u.close()


def test_a_scoped_viewer_sees_only_their_area_on_every_page(server: dict[str, Any], browser: Any,
                                                            report: dict[str, Any]) -> None:
    ds = server["dataset"]
    others = {c["id"] for c in ds.rows("communities")} - {LIMITED_COMMUNITY}
    u = User(browser, server["base"])
    u.login("viewer_c1")
    rows = u.page.eval_on_selector_all("#areas tbody tr", "rs => rs.map(r => r.dataset.id)")
    assert rows == [LIMITED_COMMUNITY]
    u.shot("dashboard-community-viewer", full=True)
    for path in ("/", "/explorer", f"/communities/{LIMITED_COMMUNITY}"):
        u.goto(path)
        text = u.page.content()
        assert not any(f"/communities/{c}\"" in text for c in others), path
        if path != "/":
            u.graph()
            assert not u.nodes("n => n.kind === 'Community'") - {LIMITED_COMMUNITY}
    u.shot("explorer-community-viewer")
    u.page.fill("#search", "社区")
    u.page.locator("#search-results .head").wait_for()
    hrefs = u.page.eval_on_selector_all("#search-results a", "as => as.map(a => a.getAttribute('href'))")
    assert hrefs and all(LIMITED_COMMUNITY in h for h in hrefs)
    u.close()
    s = User(browser, server["base"])
    s.login("viewer_st")
    s.goto(f"/streets/{LIMITED_STREET}")
    s.graph()
    mine = {c["id"] for c in ds.rows("communities") if c["street_id"] == LIMITED_STREET}
    assert s.nodes("n => n.kind === 'Community'") == mine
    s.shot("street-page-street-viewer")
    s.close()
