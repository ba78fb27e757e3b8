"""Who holds the network together: betweenness and structural holes on the person–organisation graph."""

from __future__ import annotations

from typing import Any

import networkx as nx

from graph.network import Net
from graph.rules import name_of

#: Exact betweenness below this many nodes; above it, k sampled sources (fixed seed, reproducible).
EXACT_LIMIT = 2500
SAMPLES = 200


def backbone(net: Net) -> nx.Graph:
    """The undirected person–organisation graph: people tied to the grids, party orgs, communities and
    agencies they serve, organisations tied to their parents and to the places they are built on."""
    B = nx.Graph()
    for rel in ("ASSIGNED_TO", "STAFF_OF", "PAIRED_WITH", "BAOLIAN", "CHILD_OF", "BUILT_ON", "IN_COMMUNITY"):
        for u in list(net.sources(rel)):
            lu = net.attr(u).get("label")
            if rel == "IN_COMMUNITY" and lu != "Grid":
                continue
            for v, _ in net.outs(u, rel):
                if rel == "BUILT_ON" and net.attr(v).get("label") == "Building":
                    continue
                B.add_edge(u, v)
    for o in list(net.sources("SECRETARY")):
        for person, _ in net.outs(o, "SECRETARY"):
            B.add_edge(person, o)
    return B


def rank_people(net: Net, top: int = 20) -> list[dict[str, Any]]:
    """The people who bridge otherwise separate parts of the organisation, most central first.

    Betweenness is exact on small graphs and estimated from ``SAMPLES`` sources (seed 0) on large
    ones; Burt's constraint (low = spans structural holes) is computed for the top people only.
    """
    B = backbone(net)
    people = [n for n in B if net.attr(n).get("label") == "Person"]
    if not people:
        return []
    k = None if B.number_of_nodes() <= EXACT_LIMIT else min(SAMPLES, B.number_of_nodes())
    bc = nx.betweenness_centrality(B, k=k, seed=0, normalized=True)
    best = sorted((p for p in people if bc[p] > 0), key=lambda p: (-bc[p], p))[:top]
    if not best:
        return []
    constraint = nx.constraint(B, nodes=best)
    out = []
    for p in best:
        ties = sorted(B.neighbors(p))
        c = constraint.get(p)
        out.append({
            "person_id": p, "name": name_of(net, p), "betweenness": round(bc[p], 5),
            "constraint": None if c is None or c != c else round(c, 3), "ties": len(ties),
            "zh": f"「{name_of(net, p)}」连接 {len(ties)} 个组织/网格，是多个部分之间的桥梁；其缺位会使这些部分失去联系",
            "en": f"{p} ties {len(ties)} organisations/grids together; without them these parts lose their link",
        })
    return out
