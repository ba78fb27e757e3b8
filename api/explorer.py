"""The visual graph explorer: a pyvis page for the county, a street or a community, offline and in UTF-8."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import networkx as nx
import rustworkx as rx
from pyvis.network import Network

from graph.dataformat import Dataset

COLOURS = {"County": "#1f2d4d", "Street": "#5b6b8c", "Community": "#2e6fbd", "Compound": "#7aa6d6", "Grid": "#3a9a5b",
           "Building": "#a8c8a0", "PartyOrg": "#d4a017", "Person": "#8e6fbf", "CentralHousehold": "#c9a3e0",
           "Agency": "#777777"}
LABEL_ZH = {"County": "县", "Street": "街道", "Community": "社区", "Compound": "小区", "Grid": "网格", "Building": "楼栋",
            "PartyOrg": "党组织", "Person": "人员", "CentralHousehold": "党员中心户", "Agency": "机关单位"}
GAP = "#d62728"
PLACES = ("County", "Street", "Community")  # drawn a little larger
_CDN = re.compile(r"<(script|link)\b[^>]*\bhttps?://[^>]*>(\s*</script>)?", re.I | re.S)


def scope_graph(ds: Dataset, street_id: str | None = None, community_id: str | None = None) -> nx.Graph:
    """The nodes and ties to draw: the county shows itself, its streets and communities only (a whole county
    is too many nodes for a browser); a street adds its grids and their party organisations; a community shows its
    compounds, grids, buildings, party organisations, workers, staff and central households."""
    G = nx.Graph()

    def node(i: str, label: str, name: str, **kw: Any) -> None:
        G.add_node(i, label=label, name=name, **kw)

    comms = [c for c in ds.rows("communities") if (community_id is None or c["id"] == community_id)
             and (street_id is None or c["street_id"] == street_id)]
    street_ids = {c["street_id"] for c in comms} if (community_id or street_id) else {s["id"] for s in ds.rows("streets")}
    for s in ds.rows("streets"):
        if s["id"] in street_ids:
            node(s["id"], "Street", s["name"])
            if not (street_id or community_id):  # the county view hangs its streets under the county
                node(f"county:{s['county']}", "County", s["county"])
                G.add_edge(s["id"], f"county:{s['county']}")
    for c in comms:
        node(c["id"], "Community", c["name"])
        G.add_edge(c["id"], c["street_id"])
    if not (street_id or community_id):
        return G
    cids = {c["id"] for c in comms}
    grids = [g for g in ds.rows("grids") if g.get("community_id") in cids
             or (community_id is None and g.get("street_id") == street_id and not g.get("community_id"))]
    for g in grids:
        node(g["id"], "Grid", g["name"], kind=g["kind"])
        G.add_edge(g["id"], g.get("community_id") or g["street_id"])
    gids = {g["id"] for g in grids}
    places = set(gids) | cids
    buildings = []
    if community_id:
        for x in ds.rows("compounds"):
            if x["community_id"] in cids:
                node(x["id"], "Compound", x["name"])
                G.add_edge(x["id"], x["community_id"])
                places.add(x["id"])
        buildings = [b for b in ds.rows("buildings") if b["grid_id"] in gids]
        for b in buildings:
            node(b["id"], "Building", b["name"], households=b["households"])
            G.add_edge(b["id"], b["grid_id"])
            places.add(b["id"])
    orgs = [o for o in ds.rows("party_orgs") if o.get("area_id") in places]
    for o in orgs:
        node(o["id"], "PartyOrg", o["name"], kind=o["kind"])
        G.add_edge(o["id"], o["area_id"])
    if not community_id:
        return G
    org_ids = {o["id"] for o in orgs}
    people = {p["id"]: p for p in ds.rows("people")}

    def person(pid: str) -> None:
        if pid not in G:
            node(pid, "Person", people[pid]["name"])

    for a in ds.rows("grid_assignments"):
        if a["grid_id"] in gids:
            person(a["person_id"])
            G.add_edge(a["person_id"], a["grid_id"], role=a["role"])
    for s in ds.rows("community_staff"):
        if s["community_id"] in cids:
            person(s["person_id"])
            G.add_edge(s["person_id"], s["community_id"], role=s["position"])
    for o in orgs:
        if o.get("secretary_id"):
            person(o["secretary_id"])
            G.add_edge(o["secretary_id"], o["id"], role="secretary")
    for h in ds.rows("central_households"):
        if h["building_group_id"] in org_ids:
            node(h["id"], "CentralHousehold", people[h["person_id"]]["name"], linked=h.get("linked_households"))
            G.add_edge(h["id"], h["building_group_id"])
    return G


def explorer_page(ds: Dataset, report: dict[str, Any], street_id: str | None = None,
                  community_id: str | None = None, api_base: str = "/api/v1") -> str:
    """The explorer page as one self-contained UTF-8 HTML string (no request leaves the machine)."""
    title = view_title(ds, street_id, community_id)
    return graph_page(scope_graph(ds, street_id, community_id), report, title, api_base)


def graph_page(G: nx.Graph, report: dict[str, Any], title: str, api_base: str = "/api/v1",
               layout: bool = True) -> str:
    """The explorer page for the graph ``G`` (nodes with ``label`` and ``name``, as :func:`scope_graph` makes).

    The layout is computed here and the browser's physics is off: vis-network needs minutes to settle two
    thousand nodes itself. ``layout=False`` leaves it to the browser (for comparison only).
    """
    findings: dict[str, list[dict[str, Any]]] = {}
    for f in report["findings"]:
        if f["subject"]["id"] in G:
            findings.setdefault(f["subject"]["id"], []).append(
                {"rule": f["rule"], "severity": f["severity"], "zh": f["message"]["zh"],
                 "suggestion": (f.get("suggestion") or {}).get("zh", ""), "category": f["category"]})
    load = {f["subject"]["id"]: f["metrics"].get("load_households", 0) for f in report["findings"]
            if f["rule"] == "WORKER_OVERLOADED"}
    pos = _layout(G) if layout else {}
    net = Network(height="100%", width="100%", directed=False, cdn_resources="in_line", select_menu=False)
    net.toggle_physics(not layout)
    nodes, ids = [], []
    for n, a in G.nodes(data=True):
        gap = any(f["category"] == "coverage" for f in findings.get(n, []))
        size = 10 + (20 * min(load[n] / 500, 3) if n in load else 0) + (6 if a["label"] in PLACES else 0)
        nodes.append({"id": n, "label": a["name"], "title": f"{LABEL_ZH[a['label']]} {n}",
                      "color": GAP if gap else COLOURS[a["label"]], "shape": "dot", "size": size,
                      "group": a["label"], "gap": gap,
                      **({"x": float(pos[n][0]), "y": float(pos[n][1]), "physics": False} if layout else {})})
        ids.append(n)
    net.nodes, net.node_ids = nodes, ids  # in bulk: pyvis's add_node/add_edge check membership in lists
    net.node_map = {n["id"]: n for n in nodes}
    net.edges = [{"from": u, "to": v, "color": "#bbbbbb", "width": 1} for u, v in G.edges()]
    page = net.generate_html(notebook=False)
    page = _CDN.sub("", page)
    page = page.replace("<html>", '<!DOCTYPE html>\n<html lang="zh-CN">', 1)
    page = page.replace("<head>", f"<head>\n<title>{html.escape(title)} · orgnet 图谱浏览</title>\n"
                        '<link rel="icon" href="data:,">', 1)
    page = re.sub(r"<center>\s*<h1>\s*</h1>\s*</center>", "", page)
    return page.replace("</body>", _panel(title, findings, api_base, G) + "\n</body>", 1)


def _layout(G: nx.Graph) -> dict[str, tuple[float, float]]:
    """Force-directed positions, in rustworkx (networkx's own takes 15 s for 2,000 nodes here, rustworkx 2 s).

    >>> G = nx.path_graph(["a", "b", "c"])
    >>> sorted(_layout(G))
    ['a', 'b', 'c']
    """
    if not len(G):
        return {}
    R = rx.PyGraph()
    index = {n: R.add_node(n) for n in G}
    R.add_edges_from_no_data([(index[u], index[v]) for u, v in G.edges()])
    pos = rx.spring_layout(R, seed=1, num_iter=60, scale=60 * max(10, len(G)) ** 0.5)
    return {n: (float(pos[i][0]), float(pos[i][1])) for n, i in index.items()}


def view_title(ds: Dataset, street_id: str | None, community_id: str | None) -> str:
    """The name of what a view shows: the community, the street, or the county."""
    if community_id:
        return next((c["name"] for c in ds.rows("communities") if c["id"] == community_id), community_id)
    if street_id:
        return next((s["name"] for s in ds.rows("streets") if s["id"] == street_id), street_id)
    return next((s["county"] for s in ds.rows("streets")), "全县")


def _panel(title: str, findings: dict[str, list[dict[str, Any]]], api_base: str, G: nx.Graph) -> str:
    legend = "".join(f'<span class="lg"><i style="background:{c}"></i>{LABEL_ZH[k]}</span>' for k, c in COLOURS.items())
    info = {n: {"label": a["label"], "name": a["name"]} for n, a in G.nodes(data=True)}
    data = json.dumps({"findings": findings, "info": info, "api": api_base}, ensure_ascii=False)
    data = data.replace("<", "\\u003c")  # no </script> nor <!-- inside the script element
    return f"""
<style>
 body {{ margin: 0; font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; }}
 #mynetwork {{ position: absolute; left: 0; top: 56px; right: 340px; bottom: 0; height: auto !important;
              border: none !important; }}
 #bar {{ position: absolute; left: 0; right: 0; top: 0; height: 56px; background: #fff; border-bottom: 1px solid #ddd;
        display: flex; align-items: center; gap: 12px; padding: 0 12px; }}
 #bar h1 {{ font-size: 18px; margin: 0; color: #C00000; }} .lg {{ font-size: 12px; margin-right: 6px; }}
 .lg i {{ display: inline-block; width: 10px; height: 10px; border-radius: 5px; margin-right: 3px; }}
 #side {{ position: absolute; right: 0; top: 56px; bottom: 0; width: 340px; overflow: auto; border-left: 1px solid #ddd;
         padding: 10px; box-sizing: border-box; font-size: 13px; background: #fafafa; }}
 #side .f {{ border-left: 3px solid #d62728; padding: 4px 8px; margin: 6px 0; background: #fff; }}
 #side .medium {{ border-color: #e69500; }} #side .low {{ border-color: #999; }}
</style>
<div id="bar"><h1>{html.escape(title)} · 图谱浏览</h1>
 <input id="search" placeholder="搜索编号或名称 / search" style="width:180px">
 <span>{legend}<span class="lg"><i style="background:{GAP}"></i>空白点</span></span></div>
<div id="side"><b>点击节点查看发现与建议</b><br><span style="color:#777">click a node to see its findings</span>
 <div id="detail"></div></div>
<script id="orgnet-data" type="application/json">{data}</script>
<script>
(function () {{
  var D = JSON.parse(document.getElementById("orgnet-data").textContent);
  function esc(s) {{ var d = document.createElement("div"); d.textContent = s == null ? "" : String(s); return d.innerHTML; }}
  function show(id) {{
    var i = D.info[id] || {{}}, fs = D.findings[id] || [];
    var link = i.label === "Community" ? D.api + "/communities/" + encodeURIComponent(id)
             : i.label === "Person" ? D.api + "/people/" + encodeURIComponent(id)
             : D.api + "/findings?page_size=100";
    var h = "<h3>" + esc(i.name) + " <small>" + esc(id) + "</small></h3>";
    h += fs.length ? "" : "<p>没有发现 / no findings</p>";
    fs.forEach(function (f) {{
      h += '<div class="f ' + esc(f.severity) + '"><b>' + esc(f.rule) + "</b><br>" + esc(f.zh) +
           (f.suggestion ? "<br><i>建议：" + esc(f.suggestion) + "</i>" : "") + "</div>";
    }});
    h += '<p><a href="' + link + '" target="_blank">API: ' + esc(link) + "</a></p>";
    document.getElementById("detail").innerHTML = h;
  }}
  network.on("click", function (p) {{ if (p.nodes.length) show(p.nodes[0]); }});
  document.getElementById("search").addEventListener("keydown", function (e) {{
    if (e.key !== "Enter") return;
    var q = this.value.trim(); if (!q) return;
    var hit = Object.keys(D.info).find(function (k) {{ return k === q || (D.info[k].name || "").indexOf(q) >= 0; }});
    if (hit) {{ network.selectNodes([hit]); network.focus(hit, {{scale: 1.5}}); show(hit); }}
  }});
  window.orgnetShow = show;
}})();
</script>"""
