"""The explorer's graph without a server: views, layers, colours by worst severity, scores, labels and layout."""

from __future__ import annotations

from typing import Any

import networkx as nx
import pytest

from api.explorer import SEVERITY, graph_data, scope_graph
from graph.colours import BAND_COLOUR
from graph.report import build_report
from loaders.validate import load_dataset
from tests.conftest import TINY


@pytest.fixture(scope="module")
def tiny() -> Any:
    ds = load_dataset(TINY)
    return ds, build_report(ds)


def _chain(n: int) -> nx.Graph:
    G = nx.Graph()
    for i in range(n):
        G.add_node(f"B{i}", label="Building", name=f"{i}号楼")
        if i:
            G.add_edge(f"B{i}", f"B{i - 1}")
    return G


def test_a_view_of_more_than_500_nodes_is_laid_out_on_the_server() -> None:
    # networkx switches to a sparse (scipy) layout at 500 nodes: a large community must not fail there
    data = graph_data(_chain(650), {"findings": []})
    assert len(data["nodes"]) == 650
    assert all(n["physics"] is False and isinstance(n["x"], float) for n in data["nodes"])
    assert data["options"]["physics"]["enabled"] is False


def test_nodes_take_the_colour_of_their_worst_finding_in_any_category(tiny: Any) -> None:
    ds, rep = tiny
    community = ds.rows("communities")[0]["id"]
    G = scope_graph(ds, community_id=community)
    data = graph_data(G, rep)
    by_id = {n["id"]: n for n in data["nodes"]}
    rank = {"high": 3, "medium": 2, "low": 1}
    worst: dict[str, str] = {}
    for f in rep["findings"]:
        sid = f["subject"]["id"]
        if sid in G and rank[f["severity"]] > rank.get(worst.get(sid, ""), 0):
            worst[sid] = f["severity"]
    assert worst, "tiny has findings in this community"
    assert {f["category"] for f in rep["findings"] if f["subject"]["id"] in worst} - {"coverage"}, \
        "a category other than coverage colours a node too"
    for n, node in by_id.items():
        assert node["severity"] == worst.get(n, "none")
        if n in worst:
            assert node["color"] == SEVERITY[worst[n]]


def test_the_county_view_colours_communities_by_score_and_writes_it(tiny: Any) -> None:
    ds, rep = tiny
    scores = {c["community_id"]: c["coverage_score"] for c in rep["summary"]["communities"]}
    data = graph_data(scope_graph(ds), rep, scores=scores)
    comms = [n for n in data["nodes"] if n["kind"] == "Community"]
    assert comms and len(comms) == len(scores)
    for n in comms:
        assert f"{scores[n['id']]:g}" in n["label"]
        assert n["color"] in BAND_COLOUR.values()


def test_layers_add_agencies_party_hierarchy_buildings_and_demands(tiny: Any) -> None:
    ds, _ = tiny
    community = next(c["id"] for c in ds.rows("communities") if any(p["community_id"] == c["id"] for p in ds.rows("pairings")))
    plain = scope_graph(ds, community_id=community)
    full = scope_graph(ds, community_id=community, layers={"agencies", "party", "buildings", "demands"})
    kinds = {k for _, _, k in full.edges(data="kind")}
    assert "RAISED_IN" in kinds and kinds & {"PAIRED", "PAIRED_BAOLIAN"}
    assert {a for a, d in full.nodes(data="label") if d == "Agency"}
    assert not {a for a, d in plain.nodes(data="label") if d in ("Agency", "Demand")}
    county = scope_graph(ds, layers={"grids", "agencies"})
    assert {g["id"] for g in ds.rows("grids")} <= set(county)
    assert any(k in ("PAIRED", "BAOLIAN") for _, _, k in county.edges(data="kind"))


def test_tooltips_and_labels_are_short_and_say_what_a_node_is(tiny: Any) -> None:
    ds, rep = tiny
    community = ds.rows("communities")[0]
    data = graph_data(scope_graph(ds, community_id=community["id"]), rep)
    grid = next(n for n in data["nodes"] if n["kind"] == "Grid")
    assert "网格" in grid["title"] and "户数" in grid["title"]
    assert not grid["label"].startswith(community["name"]) or grid["label"] == community["name"]


def test_the_self_contained_page_loads_nothing_from_elsewhere_and_escapes_names(tiny: Any) -> None:
    import re

    from api.web.standalone import explorer_page

    ds, rep = tiny
    community = ds.rows("communities")[0]
    community["name"] = "<!--<script>alert(1)</script>"
    page = explorer_page(ds, rep, community_id=community["id"])
    assert not re.search(r"<(script|link)\b[^>]*(src|href)=\"(?!data:)", page)
    assert "<!--<script>alert" not in page and "\\u003c!--\\u003cscript>alert(1)\\u003c/script>" in page
    assert "vis.Network" in page and page.startswith("<!DOCTYPE html>")
