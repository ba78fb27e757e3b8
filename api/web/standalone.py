"""The explorer as one self-contained UTF-8 HTML file (for notebooks and files, no server): vis-network from the
pyvis package, the data and api/static/explorer.js inlined. Nothing is loaded from anywhere else."""

from __future__ import annotations

import json
from typing import Any

import networkx as nx

from api import explorer
from api.web import static
from api.web.nodeinfo import node_info
from api.web.render import ENV
from graph.dataformat import Dataset
from graph.scope import Area


def explorer_page(ds: Dataset, report: dict[str, Any], street_id: str | None = None, community_id: str | None = None,
                  layers: frozenset[str] = frozenset()) -> str:
    """The explorer for a view of ``ds`` (``report`` already limited to what the reader may see)."""
    G = explorer.scope_graph(ds, street_id, community_id, layers)
    scores = None if community_id else {c["community_id"]: c.get("coverage_score")
                                        for c in report["summary"].get("communities", [])}
    title = explorer.view_title(ds, street_id, community_id)
    return graph_page(G, report, title, scores=scores, info=node_info(ds, G, report, Area()),
                      level="community" if community_id else "street" if street_id else "county")


def graph_page(G: nx.Graph, report: dict[str, Any], title: str, scores: dict[str, float | None] | None = None,
               info: dict[str, Any] | None = None, with_layout: bool = True, level: str = "community") -> str:
    """The page for any graph ``G`` of the explorer's nodes; ``with_layout=False`` leaves the layout to the
    browser's physics (for comparison only: minutes for two thousand nodes)."""
    data = explorer.graph_data(G, report, scores=scores, with_layout=with_layout)
    data["info"] = info or {n: {"kind": explorer.LABEL_ZH[a["label"]], "name": a["name"], "facts": [], "findings": [],
                                "links": []} for n, a in G.nodes(data=True)}
    data["view"] = {"level": level}
    text = {name: static._read(name)[0].decode("utf-8") for name in (
        "vendor/vis-network.min.js", "vendor/vis-network.css")}
    ours = {name: (static.OURS / name).read_text(encoding="utf-8") for name in ("explorer.js", "style.css")}
    return ENV.get_template("explorer_standalone.html").render(
        title=title, data=json.dumps(data, ensure_ascii=False).replace("<", "\\u003c"),
        vis_js=text["vendor/vis-network.min.js"], vis_css=text["vendor/vis-network.css"],
        explorer_js=ours["explorer.js"], style=ours["style.css"], crumbs=[], user=None,
        view={"street_id": "", "community_id": "", "layers": "", "focus": ""}, layers=())
