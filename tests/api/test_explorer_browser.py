"""The explorer in real headless Chromium: it draws, red nodes are exactly the community's coverage findings,
a click shows findings, no console error, and every request stays on the loopback address."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from tests.api.conftest import LIMITED_COMMUNITY, TOKENS, client
from tests.conftest import ROOT

pytestmark = [pytest.mark.neo4j, pytest.mark.browser]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def test_explorer_draws_marks_gaps_and_stays_local(server: dict[str, Any], tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    with client(server, "viewer") as c:
        rep = c.get("/api/v1/report").json()
    want_red = {f["subject"]["id"] for f in rep["findings"]
                if f["category"] == "coverage" and f["scope"]["community_id"] == LIMITED_COMMUNITY}
    assert want_red
    requests: list[str] = []
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.on("request", lambda r: requests.append(r.url))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{server['base']}/explorer?community_id={LIMITED_COMMUNITY}&token={TOKENS['viewer']}")
        page.wait_for_function("typeof network !== 'undefined' && network.body.nodeIndices.length > 0")
        n_nodes = page.evaluate("network.body.nodeIndices.length")
        red = set(page.evaluate("network.body.data.nodes.get({filter: n => n.gap}).map(n => n.id)"))
        assert red == want_red
        target = sorted(red)[0]
        xy = page.evaluate(f"(() => {{ const p = network.canvasToDOM(network.getPositions(['{target}'])['{target}']);"
                           "const r = document.getElementById('mynetwork').getBoundingClientRect();"
                           "return [p.x + r.left, p.y + r.top]; })()")
        page.evaluate(f"network.moveTo({{position: network.getPositions(['{target}'])['{target}'], scale: 1.0}})")
        xy = page.evaluate(f"(() => {{ const p = network.canvasToDOM(network.getPositions(['{target}'])['{target}']);"
                           "const r = document.getElementById('mynetwork').getBoundingClientRect();"
                           "return [p.x + r.left, p.y + r.top]; })()")
        page.mouse.click(xy[0], xy[1])
        page.wait_for_function(f"document.getElementById('detail').textContent.includes('{target}')")
        detail = page.inner_text("#detail")
        rules = {f["rule"] for f in rep["findings"] if f["subject"]["id"] == target}
        assert all(r in detail for r in rules)
        shots = ROOT / "artifacts"
        shots.mkdir(exist_ok=True)
        page.screenshot(path=str(shots / "explorer-community.png"))
        browser.close()
    assert n_nodes > 100
    assert not errors, errors
    hosts = {urlparse(u).hostname for u in requests if not u.startswith(("data:", "blob:"))}
    assert hosts == {"127.0.0.1"}, hosts
