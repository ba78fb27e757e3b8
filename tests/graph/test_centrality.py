"""The network-position ranking lists only people on a meaningful share of the shortest paths."""

from __future__ import annotations

from graph.centrality import MIN_BETWEENNESS, backbone, betweenness, rank_people
from graph.network import Net, build_graph
from loaders.validate import load_dataset
from tests.conftest import TINY


def test_only_meaningful_positions_are_ranked() -> None:
    net = Net(build_graph(load_dataset(TINY)))
    scores = betweenness(backbone(net))
    people = {p for p in scores if net.attr(p).get("label") == "Person"}
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
    tiny_positions = [p for p, v in scores.items() if net.attr(p).get("label") == "Person" and 0 < v < MIN_BETWEENNESS]
    assert tiny_positions  # the Laoting sample has such people (about 0.00001) ...
    assert not {r["person_id"] for r in rank_people(net)} & set(tiny_positions)  # ... and none of them is ranked
