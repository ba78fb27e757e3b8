"""The explorer in real headless Chromium, for the county, a street and a community: it draws, red nodes are
exactly the drawn places' coverage findings, a click (and the search box) shows findings, no console error,
and every request stays on the loopback address."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import pytest

from tests.api.conftest import LIMITED_COMMUNITY, TOKENS, client
from tests.conftest import ROOT

pytestmark = [pytest.mark.neo4j, pytest.mark.browser]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def report(server: dict[str, Any]) -> dict[str, Any]:
    with client(server, "viewer") as c:
        rep: dict[str, Any] = c.get("/api/v1/report").json()
    return rep


class Page:
    """One explorer page, with everything it requested and every error it logged."""

    def __init__(self, browser: Any, url: str) -> None:
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(url)
        self.page.wait_for_function("typeof network !== 'undefined' && network.body.nodeIndices.length > 0")

    def nodes(self, flt: str = "n => true") -> set[str]:
        return set(self.page.evaluate(f"network.body.data.nodes.get({{filter: {flt}}}).map(n => n.id)"))

    def click(self, node: str) -> str:
        """Click ``node`` where it is drawn and return the side panel's text once it shows that node."""
        self.page.evaluate(f"network.moveTo({{position: network.getPositions(['{node}'])['{node}'], scale: 1.0}})")
        x, y = self.page.evaluate(
            f"(() => {{ const p = network.canvasToDOM(network.getPositions(['{node}'])['{node}']);"
            "const r = document.getElementById('mynetwork').getBoundingClientRect();"
            "return [p.x + r.left, p.y + r.top]; })()")
        self.page.mouse.click(x, y)
        self.page.wait_for_function(f"document.getElementById('detail').textContent.includes('{node}')")
        return str(self.page.inner_text("#detail"))

    def close(self) -> None:
        self.page.close()
        assert not self.errors, self.errors
        hosts = {urlparse(u).hostname for u in self.requests if not u.startswith(("data:", "blob:"))}
        assert hosts == {"127.0.0.1"}, hosts


def coverage_subjects(rep: dict[str, Any], **scope: str) -> dict[str, str]:
    """Subject id -> kind of the coverage findings within ``scope``."""
    return {f["subject"]["id"]: f["subject"]["kind"] for f in rep["findings"] if f["category"] == "coverage"
            and all(f["scope"].get(k) == v for k, v in scope.items())}


def rules_of(rep: dict[str, Any], subject: str) -> set[str]:
    return {f["rule"] for f in rep["findings"] if f["subject"]["id"] == subject}


def test_community_view_draws_marks_gaps_and_stays_local(server: dict[str, Any], browser: Any,
                                                           report: dict[str, Any]) -> None:
    want_red = set(coverage_subjects(report, community_id=LIMITED_COMMUNITY))
    assert want_red
    page = Page(browser, f"{server['base']}/explorer?community_id={LIMITED_COMMUNITY}&token={TOKENS['viewer']}")
    assert len(page.nodes()) > 100
    assert page.nodes("n => n.gap") == want_red
    target = sorted(want_red)[0]
    detail = page.click(target)
    assert all(r in detail for r in rules_of(report, target))
    shots = ROOT / "artifacts"
    shots.mkdir(exist_ok=True)
    page.page.screenshot(path=str(shots / "explorer-community.png"))
    page.close()


def test_county_view_shows_streets_and_communities_only(server: dict[str, Any], browser: Any,
                                                          report: dict[str, Any]) -> None:
    ds = server["dataset"]
    page = Page(browser, f"{server['base']}/explorer?token={TOKENS['viewer']}")
    drawn = page.nodes()
    counties = {f"county:{r['county']}" for r in ds.rows("streets")}
    assert drawn == counties | {r["id"] for r in ds.rows("streets")} | {r["id"] for r in ds.rows("communities")}
    want_red = {i for i, kind in coverage_subjects(report).items() if kind in ("street", "community")}
    assert want_red and page.nodes("n => n.gap") == want_red
    target = sorted(want_red)[0]
    detail = page.click(target)
    assert all(r in detail for r in rules_of(report, target))
    page.page.evaluate("network.fit()")
    page.page.screenshot(path=str(ROOT / "artifacts" / "explorer-county.png"))
    page.close()


def test_street_view_shows_its_grids_marks_gaps_and_finds_by_search(server: dict[str, Any], browser: Any,
                                                                      report: dict[str, Any]) -> None:
    ds = server["dataset"]
    street = next(c["street_id"] for c in ds.rows("communities") if c["id"] == LIMITED_COMMUNITY)
    comms = {c["id"] for c in ds.rows("communities") if c["street_id"] == street}
    grids = {g["id"] for g in ds.rows("grids") if g.get("community_id") in comms
             or (g.get("street_id") == street and not g.get("community_id"))}
    page = Page(browser, f"{server['base']}/explorer?street_id={street}&token={TOKENS['viewer']}")
    drawn = page.nodes()
    assert {street} | comms | grids <= drawn
    assert page.nodes("n => n.group === 'Grid'") == grids
    gaps = coverage_subjects(report, street_id=street)
    red = page.nodes("n => n.gap")
    assert red == set(gaps) & drawn  # every drawn place with a coverage finding, and nothing else, is red
    assert {i for i, kind in gaps.items() if kind in ("grid", "community")} <= red
    assert red
    target = sorted(red)[0]
    page.page.fill("#search", target)
    page.page.press("#search", "Enter")
    page.page.wait_for_function(f"document.getElementById('detail').textContent.includes('{target}')")
    assert page.page.evaluate("network.getSelectedNodes()") == [target]
    assert all(r in page.page.inner_text("#detail") for r in rules_of(report, target))
    page.close()

