"""The explorer page builder without a server: large views lay out, and the page stays self-contained."""

from __future__ import annotations

import json
import re

import networkx as nx

from api.explorer import graph_page


def _chain(n: int) -> nx.Graph:
    G = nx.Graph()
    for i in range(n):
        G.add_node(f"B{i}", label="Building", name=f"{i}号楼")
        if i:
            G.add_edge(f"B{i}", f"B{i - 1}")
    return G


def _nodes(page: str) -> list[dict[str, object]]:
    found = re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);", page, re.S)
    assert found, "pyvis changed how it writes its nodes"
    nodes: list[dict[str, object]] = json.loads(found.group(1))
    return nodes


def test_a_view_of_more_than_500_nodes_is_laid_out_on_the_server() -> None:
    # networkx switches to a sparse (scipy) layout at 500 nodes: a large community must not fail there
    page = graph_page(_chain(650), {"findings": []}, "大社区")
    nodes = _nodes(page)
    assert len(nodes) == 650
    assert all(n["physics"] is False and isinstance(n["x"], float) for n in nodes)
    options = re.search(r"var options = (\{.*?\});", page, re.S)
    assert options and json.loads(options.group(1))["physics"]["enabled"] is False


def test_the_page_loads_nothing_from_elsewhere() -> None:
    page = graph_page(_chain(20), {"findings": []}, "小区")
    assert not re.search(r"<(script|link)\b[^>]*https?://", page)
    assert "<title>小区 · orgnet 图谱浏览</title>" in page
