"""Explorer benchmark: page build time on the server (graph, layout, page), first draw and pan frame time in
headless Chromium, and vis-network's own physics layout for comparison. The page is the explorer's self-contained
form (api/web/standalone.py: the same explorer.js and vis-network, its data inline instead of fetched).

Run: .venv/bin/python -m bench.bench_explorer [--physics-cap 120]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

import networkx as nx

from api.explorer import scope_graph, view_title
from api.web.standalone import graph_page
from bench.common import dataset_dir, save
from graph.dataformat import Dataset
from graph.report import build_report
from loaders.validate import load_dataset

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
#: one synchronous redraw per step while the view pans: the cost of one frame
PAN = """(() => {
  const c = network.getViewPosition(), t0 = performance.now(), frames = [];
  for (let i = 0; i < 60; i++) {
    const f0 = performance.now();
    network.moveTo({position: {x: c.x + 8 * i, y: c.y + 4 * i}, scale: 1.0});
    network.redraw();
    frames.push(performance.now() - f0);
  }
  frames.sort((a, b) => a - b);
  return {mean_ms: (performance.now() - t0) / 60, p95_ms: frames[Math.floor(0.95 * (frames.length - 1))]};
})()"""


def views(ds: Dataset) -> dict[str, tuple[nx.Graph, str]]:
    """The county, the county with every grid and agency (~500 nodes, their edges), the largest street, the largest
    community, and five communities drawn together (~2,000 nodes)."""
    comms = sorted(ds.rows("communities"), key=lambda c: -len(scope_graph(ds, community_id=c["id"])))
    street = max(ds.rows("streets"), key=lambda s: len(scope_graph(ds, street_id=s["id"])))["id"]
    five = nx.compose_all([scope_graph(ds, community_id=c["id"]) for c in comms[:5]])
    return {"county": (scope_graph(ds), view_title(ds, None, None)),
            "county_grids_agencies": (scope_graph(ds, layers={"grids", "agencies"}), "全县网格与机关单位"),
            "street": (scope_graph(ds, street_id=street), view_title(ds, street, None)),
            "community": (scope_graph(ds, community_id=comms[0]["id"]), view_title(ds, None, comms[0]["id"])),
            "five_communities": (five, "五个社区 / five communities")}


def in_browser(browser: Any, path: Path, cap_s: float, pan: bool = True) -> dict[str, float]:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    t0 = time.perf_counter()
    page.goto(path.as_uri())
    page.wait_for_function("window.orgnetTimes && window.orgnetTimes.drawn", timeout=cap_s * 1000)
    out = {"first_draw_ms": round(page.evaluate("window.orgnetTimes.drawn"), 1),
           "wall_to_first_draw_s": round(time.perf_counter() - t0, 2)}
    if pan:
        out.update({k: round(v, 2) for k, v in page.evaluate(PAN).items()})
    page.close()
    return out


def physics_settle(browser: Any, path: Path, cap_s: float) -> dict[str, Any]:
    """Time until vis-network's physics reports the layout stable (or the cap)."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    t0 = time.perf_counter()
    try:  # the physics may hold the page's only thread past the cap: that is the result, a lower bound
        page.goto(path.as_uri(), timeout=cap_s * 1000, wait_until="commit")
        page.wait_for_function("window.orgnetTimes && window.orgnetTimes.stabilized", timeout=cap_s * 1000,
                               polling=500)
        result: dict[str, Any] = {"stabilized_s": round(time.perf_counter() - t0, 1)}
    except Exception:  # the cap: report it as a lower bound
        result = {"stabilized_s": f"> {cap_s:.0f}"}
    page.close()
    return result


def main() -> None:
    from playwright.sync_api import sync_playwright

    ap = argparse.ArgumentParser()
    ap.add_argument("--physics-cap", type=float, default=120, help="seconds to wait for physics to settle")
    args = ap.parse_args()
    ds = load_dataset(dataset_dir("laoting"))
    rep = build_report(ds)
    scores = {c["community_id"]: c["coverage_score"] for c in rep["summary"]["communities"]}
    out: dict[str, Any] = {}
    tmp = Path(tempfile.mkdtemp(prefix="orgnet-explorer-"))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        drawn = views(ds)
        for name, (G, title) in drawn.items():
            t0 = time.perf_counter()
            html = graph_page(G, rep, title, scores=scores if name.startswith("county") else None)
            build = time.perf_counter() - t0
            path = tmp / f"{name}.html"
            path.write_text(html, encoding="utf-8")
            out[name] = {"nodes": G.number_of_nodes(), "edges": G.number_of_edges(), "page_build_s": round(build, 3),
                         "page_mib": round(len(html.encode()) / 2**20, 2), **in_browser(browser, path, 60)}
            print(name, out[name], flush=True)
        G, title = drawn["five_communities"]
        path = tmp / "physics.html"
        path.write_text(graph_page(G, rep, title, with_layout=False), encoding="utf-8")
        out["five_communities_physics_on"] = {"nodes": G.number_of_nodes(),
                                              **physics_settle(browser, path, args.physics_cap)}
        browser.close()
    save("explorer", {"data": "laoting", "chromium": CHROMIUM, "results": out})


if __name__ == "__main__":
    main()
