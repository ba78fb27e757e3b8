"""Network positions: betweenness one component at a time gives the whole graph's scores, and only people on a
meaningful share of the shortest paths are ranked."""

from __future__ import annotations

import networkx as nx
import rustworkx as rx

from graph.centrality import MIN_BETWEENNESS, backbone, betweenness, rank_people
from graph.network import Net, build_graph
from loaders.validate import load_dataset
from tests.conftest import TINY
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


def test_only_meaningful_positions_are_ranked() -> None:
    net = Net(build_graph(load_dataset(TINY)))
    scores = betweenness(backbone(net))
    people = {p for p in scores if net.label(p) == "Person"}
    low = {p for p in people if 0 < scores[p] < MIN_BETWEENNESS}
    ranked = rank_people(net)
    assert [r["person_id"] for r in ranked][:1] == ["RY1"]  # the worker who ties two grids, a community and a branch
    assert {r["person_id"] for r in ranked} == {p for p in people if scores[p] >= MIN_BETWEENNESS}
    assert not low & {r["person_id"] for r in ranked}
    assert all(r["betweenness"] >= MIN_BETWEENNESS for r in ranked)


def test_a_betweenness_of_a_hundred_thousandth_is_not_ranked(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from loaders.generate import generate, write_csv

    write_csv(generate(seed=2026), tmp_path)
    net = Net(build_graph(load_dataset(tmp_path)))
    scores = betweenness(backbone(net))
    tiny_positions = [p for p, v in scores.items() if net.label(p) == "Person" and 0 < v < MIN_BETWEENNESS]
    assert tiny_positions  # the Laoting sample has such people (about 0.00001) ...
    assert not {r["person_id"] for r in rank_people(net)} & set(tiny_positions)  # ... and none of them is ranked
