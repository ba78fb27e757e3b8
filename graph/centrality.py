"""Who holds the network together: betweenness and structural holes on the person–organisation backbone."""

from __future__ import annotations

from typing import Any

import networkx as nx
import rustworkx as rx

from graph.derive import scope_of
from graph.network import Net
from graph.rules.catalogue import name_of

KIND_ZH = {"Community": "社区", "residential": "住宅网格", "agency": "机关网格/单位", "business_building": "商务楼宇网格",
           "market": "商圈网格", "institution": "事业单位", "enterprise": "企业", "agency_org": "单位党组织",
           "grid_branch": "网格党支部", "grid_group": "网格党小组", "home_branch": "家园党支部",
           "community_committee": "社区党委", "street_committee": "街道党工委", "county_committee": "县委"}
#: Organisation kinds left out of the backbone: they hang below the grid level and bridge nothing.
LEAF_ORG_KINDS = {"building_group"}
#: Who lies on fewer than this share of the shortest paths between the parts of the organisation bridges nothing
#: that matters: a betweenness of 0.00001 is not a single point of failure, and is not ranked.
MIN_BETWEENNESS = 0.01


def backbone(net: Net) -> nx.Graph:
    """The undirected person–organisation backbone.

    Nodes: communities, grids, agencies, party organisations (without building groups) and the people tied
    to at least two of them (grid assignments, secretaryships, community staff). In-service members
    (an agency and the community they reported to) are left out: they are thousands of parallel links
    that pairings already draw. Edges: those ties, organisations to the place they are built on, grids to
    their community, agencies to the communities they pair with or hold baolian for. The party hierarchy
    (parent links) is left out on purpose: it connects everything through the top, and the question is who
    links parts *across* it. People with a single tie are leaves: they lie on no shortest path.
    """
    B = nx.Graph()

    def org_ok(n: str) -> bool:
        a = net.attr(n)
        return net.label(n) != "PartyOrg" or a.get("kind") not in LEAF_ORG_KINDS

    for rel in ("BUILT_ON", "IN_COMMUNITY", "PAIRED_WITH", "BAOLIAN"):
        for u in list(net.sources(rel)):
            if net.label(u) not in ("PartyOrg", "Grid", "Community", "Agency") or not org_ok(u):
                continue
            for v, _ in net.outs(u, rel):
                if net.label(v) in ("Building", "Compound") or not org_ok(v):
                    continue
                B.add_edge(u, v)
    ties: dict[str, set[str]] = {}
    for rel in ("ASSIGNED_TO", "STAFF_OF"):
        for p in net.sources(rel):
            ties.setdefault(p, set()).update(v for v, _ in net.outs(p, rel))
    for o in net.sources("SECRETARY"):
        if org_ok(o):
            for p, _ in net.outs(o, "SECRETARY"):
                ties.setdefault(p, set()).add(o)
    for p, orgs in ties.items():
        if len(orgs) >= 2:
            B.add_edges_from((p, o) for o in orgs)
    return B


def betweenness(B: nx.Graph, normalized: bool = True) -> dict[str, float]:
    """Exact betweenness of every node (normalised, or raw), one connected component at a time (rustworkx).

    A shortest path never leaves its component, so each component's raw scores are the whole graph's; they
    are normalised by the whole graph's size, as NetworkX does (the same values, and far faster than the whole
    graph at once: the backbone is thousands of small components).

    >>> scores = betweenness(nx.disjoint_union(nx.path_graph(3), nx.path_graph(2)))
    >>> [round(scores[n], 4) for n in range(5)]
    [0.0, 0.1667, 0.0, 0.0, 0.0]
    """
    n = B.number_of_nodes()
    scores = dict.fromkeys(B, 0.0)
    if n <= 2:
        return scores
    scale = 2 / ((n - 1) * (n - 2)) if normalized else 1.0
    for part in nx.connected_components(B):
        if len(part) < 3:
            continue  # no node lies between two others
        R = rx.PyGraph(multigraph=False)
        ids = list(part)
        index = dict(zip(ids, R.add_nodes_from(ids), strict=True))
        R.add_edges_from_no_data([(index[u], index[v]) for u in ids for v in B.neighbors(u) if index[u] < index[v]])
        raw = rx.graph_betweenness_centrality(R, normalized=False)
        for i, node in enumerate(ids):
            scores[node] = float(raw[i]) * scale
    return scores


def rank_people(net: Net, top: int = 20) -> list[dict[str, Any]]:
    """The people who bridge otherwise separate parts of the organisation, most central first.

    Betweenness is exact; Burt's constraint (low = spans structural holes) is computed for the top people.
    Only people on at least :data:`MIN_BETWEENNESS` of the shortest paths are ranked.
    """
    rows, _ = rank_people_raw(net, top)
    return [{k: v for k, v in r.items() if k != "_betweenness_raw"} for r in rows]


def rank_people_raw(net: Net, top: int = 20) -> tuple[list[dict[str, Any]], int]:
    """:func:`rank_people` with each row's raw (unnormalised) betweenness, and the backbone's size.

    A province's counties are ranked apart and merged (graph.merge): the raw value and the size are what it
    needs to normalise over the whole province.
    """
    B = backbone(net)
    n = B.number_of_nodes()
    if n == 0:
        return [], 0
    raw = betweenness(B, normalized=False)
    scale = (n - 1) * (n - 2) / 2 if n > 2 else 1.0
    bc = {p: v / scale for p, v in raw.items()}
    people = [p for p in B if net.label(p) == "Person" and bc[p] >= MIN_BETWEENNESS]
    best = sorted(people, key=lambda p: (-raw[p], p))[:top]
    if not best:
        return [], n
    constraint = nx.constraint(B, nodes=best)
    out = []
    for p in best:
        ties = sorted(B.neighbors(p))
        c = constraint.get(p)
        kinds = sorted({KIND_ZH.get(str(net.attr(t).get("kind") or net.label(t)), "组织") for t in ties})
        out.append({
            "person_id": p, "name": name_of(net, p), "scope": scope_of(net, p, {}), "betweenness": round(bc[p], 5),
            "_betweenness_raw": raw[p],
            "constraint": None if c is None or c != c else round(c, 3), "ties": len(ties), "tie_ids": ties[:20],
            "zh": f"「{name_of(net, p)}」同时联结 {len(ties)} 个组织或网格（{'、'.join(kinds)}），"
                  "处在它们之间的最短联系路径上；一旦缺位，这些部分之间的联系要绕远或中断",
            "en": f"{p} ties {len(ties)} organisations or grids together and lies on the shortest paths between "
                  "them; without them those parts lose their direct link",
        })
    return out, n
