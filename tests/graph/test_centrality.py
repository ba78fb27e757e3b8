"""Betweenness one component at a time gives the whole graph's scores."""

from __future__ import annotations

import networkx as nx
import rustworkx as rx

from graph.centrality import backbone, betweenness
from graph.network import Net
from tests.graph.reference import generated


def whole_graph(B: nx.Graph) -> dict[str, float]:
    R = rx.networkx_converter(B, keep_attributes=True)
    scores = rx.graph_betweenness_centrality(R, normalized=True)
    return {R[i]["__networkx_node__"]: float(scores[i]) for i in R.node_indices()}


def test_per_component_equals_the_whole_graph_on_laoting() -> None:
    B = backbone(Net(generated("laoting")))
    assert nx.number_connected_components(B) > 100  # the case the per-component computation is for
    want, got = whole_graph(B), betweenness(B)
    assert got.keys() == want.keys()
    assert max(abs(got[n] - want[n]) for n in B) < 1e-15
    assert max(want.values()) > 0.01


def test_small_graphs_and_networkx_agree() -> None:
    G = nx.disjoint_union_all([nx.path_graph(4), nx.star_graph(5), nx.complete_graph(2), nx.cycle_graph(6)])
    G = nx.relabel_nodes(G, {n: f"n{n}" for n in G})
    want = nx.betweenness_centrality(G)
    got = betweenness(G)
    assert all(abs(got[n] - want[n]) < 1e-15 for n in G)
    assert betweenness(nx.path_graph(2)) == {0: 0.0, 1: 0.0}
