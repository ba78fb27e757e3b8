"""The explorer's graph: which nodes and ties a view draws, and their layout, colours and labels (pyvis + rustworkx).

A view is the county (its streets and communities; layers add every grid, the agencies, the party committees),
a street (its communities, grids and their party organisations) or a community (everything in it). The page itself
(api/templates/explorer.html, api/static/explorer.js) fetches :func:`view_data` as JSON.
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import rustworkx as rx
from pyvis.network import Network

from api.web.figures import grid_households
from graph.colours import display_settings, score_colour
from graph.dataformat import Dataset

COLOURS = {"County": "#1f2d4d", "Street": "#5b6b8c", "Community": "#2e6fbd", "Compound": "#7aa6d6", "Grid": "#3a9a5b",
           "Building": "#a8c8a0", "PartyOrg": "#5f9ea0", "Person": "#8e6fbf", "CentralHousehold": "#c9a3e0",
           "Agency": "#777777", "Demand": "#17becf", "Department": "#8c564b"}
SHAPES = {"County": "star", "Street": "diamond", "Community": "hexagon", "Compound": "square", "Grid": "dot",
          "Building": "square", "PartyOrg": "triangle", "Person": "dot", "CentralHousehold": "triangleDown",
          "Agency": "diamond", "Demand": "dot", "Department": "square"}
LABEL_ZH = {"County": "县", "Street": "街道", "Community": "社区", "Compound": "小区", "Grid": "网格", "Building": "楼栋",
            "PartyOrg": "党组织", "Person": "人员", "CentralHousehold": "党员中心户", "Agency": "机关单位",
            "Demand": "诉求", "Department": "部门"}
SEVERITY = {"high": "#d62728", "medium": "#f0a30a", "low": "#e6d200"}
SEVERITY_ZH = {"high": "高", "medium": "中", "low": "低"}
CATEGORY_ZH = {"coverage": "覆盖", "structure": "结构", "overload": "超负荷", "demand": "诉求"}
RANK = {"high": 3, "medium": 2, "low": 1}
GAP = SEVERITY["high"]
PLACES = ("County", "Street", "Community")  # drawn a little larger
#: layers a view may add: (key, 中文, English)
LAYERS = (("grids", "全部网格", "every grid"), ("agencies", "机关单位（双报到/包联）", "agencies (pairing/baolian)"),
          ("party", "党组织层级", "party hierarchy"), ("buildings", "小区→楼栋", "compound → building"),
          ("demands", "诉求与承办部门", "demands and departments"))
EDGE_ZH = {"PAIRED": "双报到", "BAOLIAN": "包联", "PAIRED_BAOLIAN": "双报到、包联", "PARENT": "上级",
           "IN_COMPOUND": "所属小区", "RAISED_IN": "诉求",
           "DEPT": "承办部门", "full_time": "专职", "part_time": "兼职", "secretary": "书记",
           "deputy_secretary": "副书记", "worker": "工作人员"}
EDGE_COLOURS = {"PAIRED": "#e377c2", "BAOLIAN": "#9467bd", "PAIRED_BAOLIAN": "#c5509f", "PARENT": "#5f9ea0",
                "IN_COMPOUND": "#7aa6d6", "RAISED_IN": "#17becf", "DEPT": "#8c564b"}


def scope_graph(ds: Dataset, street_id: str | None = None, community_id: str | None = None,
                layers: frozenset[str] | set[str] = frozenset(), county: str | None = None) -> nx.Graph:
    """The nodes and ties to draw for a view (the county, a street or a community) with the given ``layers``;
    ``county`` keeps a province's view to one county (a street or community view lies in one already)."""
    G = nx.Graph()

    def node(i: str, label: str, name: str, **kw: Any) -> None:
        G.add_node(i, label=label, name=name, **kw)

    county_view = not (street_id or community_id)
    in_county = {s["id"] for s in ds.rows("streets") if county is None or s["county"] == county}
    comms = [c for c in ds.rows("communities") if (community_id is None or c["id"] == community_id)
             and (street_id is None or c["street_id"] == street_id) and c["street_id"] in in_county]
    street_ids = {c["street_id"] for c in comms} if not county_view else in_county
    for s in ds.rows("streets"):
        if s["id"] in street_ids:
            node(s["id"], "Street", s["name"])
            if county_view:  # the county view hangs its streets under the county
                node(f"county:{s['county']}", "County", s["county"])
                G.add_edge(s["id"], f"county:{s['county']}")
    for c in comms:
        node(c["id"], "Community", c["name"], street_id=c["street_id"])
        G.add_edge(c["id"], c["street_id"])
    cids = {c["id"] for c in comms}
    if county_view and "grids" not in layers:
        grids: list[dict[str, Any]] = []
    else:
        grids = [g for g in ds.rows("grids") if g.get("community_id") in cids
                 or (community_id is None and g.get("street_id") in street_ids and not g.get("community_id"))]
    households = grid_households(ds) if grids else {}
    for g in grids:
        node(g["id"], "Grid", g["name"], kind=g["kind"], households=households[g["id"]])
        G.add_edge(g["id"], g.get("community_id") or g["street_id"])
    gids = {g["id"] for g in grids}
    places = set(gids) | cids
    if community_id:
        for x in ds.rows("compounds"):
            if x["community_id"] in cids:
                node(x["id"], "Compound", x["name"])
                G.add_edge(x["id"], x["community_id"])
                places.add(x["id"])
        for b in ds.rows("buildings"):
            if b["grid_id"] in gids:
                node(b["id"], "Building", b["name"], households=b["households"])
                G.add_edge(b["id"], b["grid_id"])
                places.add(b["id"])
                if "buildings" in layers and b.get("compound_id") in G:
                    G.add_edge(b["id"], b["compound_id"], kind="IN_COMPOUND")
    if not county_view:
        orgs = [o for o in ds.rows("party_orgs") if o.get("area_id") in places]
    else:  # the county's committees (and the grids' organisations when grids are drawn)
        orgs = [o for o in ds.rows("party_orgs") if "party" in layers and (
            o["kind"] in ("county_committee", "street_committee", "community_committee") or o.get("area_id") in gids)]
        if county is not None:  # one county of a province: its own committees only
            parents = {o.get("parent_id") for o in orgs if o.get("area_id") in G}
            orgs = [o for o in orgs if o.get("area_id") in G or (o["kind"] == "county_committee" and o["id"] in parents)]
    for o in orgs:
        node(o["id"], "PartyOrg", o["name"], kind=o["kind"])
        if o.get("area_id") in G:
            G.add_edge(o["id"], o["area_id"])
    if "party" in layers:
        for o in orgs:
            if o.get("parent_id") in G:
                G.add_edge(o["id"], o["parent_id"], kind="PARENT")
    if "agencies" in layers:
        agencies = {a["id"]: a for a in ds.rows("agencies")}
        for table, kind in (("pairings", "PAIRED"), ("baolian", "BAOLIAN")):
            for r in ds.rows(table):
                if r["community_id"] in cids:
                    a = agencies[r["agency_id"]]
                    if a["id"] not in G:
                        node(a["id"], "Agency", a["name"])
                    both = G.has_edge(a["id"], r["community_id"]) and G.edges[a["id"], r["community_id"]].get("kind")
                    G.add_edge(a["id"], r["community_id"], kind="PAIRED_BAOLIAN" if both and both != kind else kind)
    if "demands" in layers and gids:
        depts = {d["id"]: d for d in ds.rows("departments")}
        for d in ds.rows("demands"):
            if d["grid_id"] in gids:
                node(d["id"], "Demand", d["id"], raised_at=str(d.get("raised_at") or ""))
                G.add_edge(d["id"], d["grid_id"], kind="RAISED_IN")
                if d.get("department_id") in depts:
                    if d["department_id"] not in G:
                        node(d["department_id"], "Department", depts[d["department_id"]]["name"])
                    G.add_edge(d["id"], d["department_id"], kind="DEPT")
    if community_id:
        _people(ds, G, cids, gids, {o["id"] for o in orgs})
    return G


def _people(ds: Dataset, G: nx.Graph, cids: set[str], gids: set[str], org_ids: set[str]) -> None:
    """A community's workers, staff, party secretaries and central households."""
    people = {p["id"]: p for p in ds.rows("people")}

    def person(pid: str) -> None:
        if pid not in G:
            G.add_node(pid, label="Person", name=people[pid]["name"])

    for a in ds.rows("grid_assignments"):
        if a["grid_id"] in gids:
            person(a["person_id"])
            G.add_edge(a["person_id"], a["grid_id"], kind=a["role"])
    for s in ds.rows("community_staff"):
        if s["community_id"] in cids:
            person(s["person_id"])
            G.add_edge(s["person_id"], s["community_id"], kind=s["position"])
    for o in ds.rows("party_orgs"):
        if o["id"] in org_ids and o.get("secretary_id"):
            person(o["secretary_id"])
            G.add_edge(o["secretary_id"], o["id"], kind="secretary")
    for h in ds.rows("central_households"):
        if h["building_group_id"] in org_ids:
            G.add_node(h["id"], label="CentralHousehold", name=people[h["person_id"]]["name"],
                       linked=h.get("linked_households"))
            G.add_edge(h["id"], h["building_group_id"])


def short_name(name: str, parents: list[str]) -> str:
    """A name without the names of the places above it (the label drawn on the node).

    >>> short_name("海港1社区第3网格", ["海港街道", "海港1社区"])
    '第3网格'
    >>> short_name("第3网格", ["海港1社区"])
    '第3网格'
    """
    for p in sorted(parents, key=len, reverse=True):
        if p and name.startswith(p) and len(name) > len(p):
            return name[len(p):].lstrip(" -·")
    return name


def view_title(ds: Dataset, street_id: str | None, community_id: str | None, county: str | None = None) -> str:
    """The name of what a view shows: the community, the street, or the county (of a province: how many).

    >>> view_title(Dataset({"streets": [{"id": "S", "name": "北街", "county": "乐亭县"}]}), None, None)
    '乐亭县'
    """
    if community_id:
        return next((c["name"] for c in ds.rows("communities") if c["id"] == community_id), community_id)
    if street_id:
        return next((s["name"] for s in ds.rows("streets") if s["id"] == street_id), street_id)
    if county:
        return county
    counties = list(dict.fromkeys(s["county"] for s in ds.rows("streets")))
    return counties[0] if len(counties) == 1 else f"全部 {len(counties)} 个县" if counties else "全县"


def worst(findings: list[dict[str, Any]]) -> str | None:
    """The highest severity among ``findings`` (None without any).

    >>> worst([{"severity": "low"}, {"severity": "high"}]), worst([])
    ('high', None)
    """
    return max((f["severity"] for f in findings), key=RANK.__getitem__, default=None)


def layout(G: nx.Graph) -> dict[str, tuple[float, float]]:
    """Force-directed positions, in rustworkx (networkx's own takes 15 s for 2,000 nodes here, rustworkx 2 s).

    >>> sorted(layout(nx.path_graph(["a", "b", "c"])))
    ['a', 'b', 'c']
    """
    if not len(G):
        return {}
    R = rx.PyGraph()
    index = {n: R.add_node(n) for n in G}
    R.add_edges_from_no_data([(index[u], index[v]) for u, v in G.edges()])
    pos = rx.spring_layout(R, seed=1, num_iter=60, scale=60 * max(10, len(G)) ** 0.5)
    return {n: (float(pos[i][0]), float(pos[i][1])) for n, i in index.items()}


def graph_data(G: nx.Graph, report: dict[str, Any], scores: dict[str, float | None] | None = None,
               with_layout: bool = True) -> dict[str, Any]:
    """Nodes, edges and vis-network options for ``G`` (pyvis assembles the options), laid out on the server.

    ``report`` must already be limited to the viewer's area: only its findings colour a node. ``scores`` (community id
    -> coverage score) colours the communities of the county view and puts the score in their label.
    """
    by_subject: dict[str, list[dict[str, Any]]] = {}
    for f in report["findings"]:
        if f["subject"]["id"] in G:
            by_subject.setdefault(f["subject"]["id"], []).append(f)
    load = {f["subject"]["id"]: f["metrics"].get("load_households", 0) for f in report["findings"]
            if f["rule"] == "WORKER_OVERLOADED"}
    pos = layout(G) if with_layout else {}
    areas = [a["name"] for _, a in G.nodes(data=True) if a["label"] in ("Street", "Community")]
    parents = {n: [G.nodes[m]["name"] for m in G[n] if G.nodes[m]["label"] in PLACES + ("Grid",)] + areas for n in G}
    nodes = []
    for n, a in G.nodes(data=True):
        fs = by_subject.get(n, [])
        sev = worst(fs)
        kind = a["label"]
        label = short_name(a["name"], parents[n])
        colour = SEVERITY[sev] if sev else COLOURS[kind]
        if scores is not None and kind == "Community":
            score = scores.get(n)
            colour = score_colour(score, display_settings())
            label = f"{label} {score:g}" if score is not None else label
        tip = [f"{a['name']}（{LABEL_ZH[kind]}）", n]
        if a.get("households") is not None:
            tip.append(f"户数 {a['households']}")
        if n in load:
            tip.append(f"负担 {load[n]:g} 户")
        if scores is not None and kind == "Community" and scores.get(n) is not None:
            tip.append(f"覆盖得分 {scores[n]:g}")
        if fs:
            tip.append(f"发现 {len(fs)} 条（最高：{SEVERITY_ZH[sev or 'low']}）")
        size = 10 + (20 * min(load[n] / 500, 3) if n in load else 0) + (8 if kind in PLACES else 0)
        nodes.append({"id": n, "label": label, "title": "\n".join(tip), "kind": kind, "shape": SHAPES[kind],
                      "color": colour, "size": size, "severity": sev or "none",
                      "gap": any(f["category"] == "coverage" for f in fs),
                      "categories": sorted({f["category"] for f in fs}),
                      **({"x": pos[n][0], "y": pos[n][1], "physics": False} if with_layout else {})})
    edges = []
    for u, v, e in G.edges(data=True):
        kind = e.get("kind")
        edges.append({"from": u, "to": v, "color": EDGE_COLOURS.get(kind or "", "#bbbbbb"),
                      "width": 2 if kind in EDGE_COLOURS else 1,
                      **({"title": EDGE_ZH.get(kind, kind)} if kind else {})})
    net = Network(directed=False, select_menu=False, cdn_resources="local")
    net.toggle_physics(not with_layout)
    options = net.options.to_json()
    return {"nodes": nodes, "edges": edges, "options": _options(options, with_layout, len(G))}


def _options(pyvis_json: Any, with_layout: bool, size: int) -> dict[str, Any]:
    """pyvis's default options, with the interaction the explorer needs and labels that appear as one zooms in
    (a large view opens without labels; they appear once a label would be drawn at 9 px or more)."""
    import json

    opts: dict[str, Any] = json.loads(pyvis_json) if isinstance(pyvis_json, str) else dict(pyvis_json)
    opts["physics"] = {**opts.get("physics", {}), "enabled": not with_layout}
    opts["interaction"] = {**opts.get("interaction", {}), "hover": True, "tooltipDelay": 150,
                           "hideEdgesOnDrag": True, "zoomView": True, "navigationButtons": False}
    opts["nodes"] = {"font": {"size": 14, "face": "Noto Sans CJK SC, sans-serif"},
                     "scaling": {"label": {"enabled": False, "drawThreshold": 3 if size <= 150 else 9}}}
    opts["edges"] = {"smooth": False}
    return opts
