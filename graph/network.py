"""The NetworkX projection of a data set: nodes are rows (by id), edges are references and link rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import networkx as nx

from graph.dataformat import TABLES, Dataset

Node = str


def build_graph(ds: Dataset) -> nx.MultiDiGraph:
    """Project a validated data set onto a directed multigraph.

    Each entity row is a node (key: its id) with ``label`` and its columns; each reference is an edge
    ``child -> target`` whose ``type`` is the relationship name (``IN_COMMUNITY``, ``CHILD_OF`` …); each
    link row (grid_assignments, pairings …) is an edge with the row's other columns. ``G.graph`` holds
    ``has_buildings`` and the tables the data set gave.

    >>> from graph.dataformat import Dataset
    >>> ds = Dataset({"streets": [{"id": "S1", "name": "北街", "county": "示例县", "_row": 2}],
    ...               "communities": [{"id": "C1", "name": "北苑", "street_id": "S1", "_row": 2}]})
    >>> G = build_graph(ds)
    >>> G.nodes["C1"]["label"], list(G.out_edges("C1", data="type"))
    ('Community', [('C1', 'S1', 'IN_STREET')])
    """
    G = nx.MultiDiGraph(has_buildings=bool(ds.rows("buildings")), tables=sorted(ds.tables))
    for t in TABLES:
        if t.label:
            label = t.label
            G.add_nodes_from((r["id"], {**r, "label": label}) for r in ds.rows(t.name))
    for t in TABLES:
        rows = ds.rows(t.name)
        if t.rel:
            a, b = t.refs[0].name, t.refs[1].name
            others = [c.name for c in t.columns if c.name not in (a, b)]
            G.add_edges_from((r[a], r[b], {"type": t.rel, **{k: r[k] for k in others}}) for r in rows)
        else:
            for c in t.refs:
                G.add_edges_from((r["id"], r[c.name], {"type": c.rel}) for r in rows if r.get(c.name) is not None)
    return G


class Net:
    """Typed adjacency over a graph from :func:`build_graph`, for fast rule evaluation."""

    def __init__(self, G: nx.MultiDiGraph) -> None:
        self.G = G
        self.by_label: dict[str, list[Node]] = defaultdict(list)
        for n, label in G.nodes(data="label"):
            self.by_label[label].append(n)
        for ns in self.by_label.values():
            ns.sort()
        self._in: dict[str, dict[Node, list[tuple[Node, dict[str, Any]]]]] = defaultdict(lambda: defaultdict(list))
        self._out: dict[str, dict[Node, list[tuple[Node, dict[str, Any]]]]] = defaultdict(lambda: defaultdict(list))
        for u, v, d in G.edges(data=True):
            self._in[d["type"]][v].append((u, d))
            self._out[d["type"]][u].append((v, d))

    def nodes(self, label: str) -> list[Node]:
        """Ids of the nodes with ``label``, sorted."""
        return self.by_label.get(label, [])

    def attr(self, n: Node) -> dict[str, Any]:
        return self.G.nodes[n]  # type: ignore[no-any-return,unused-ignore]

    def ins(self, n: Node, rel: str) -> list[tuple[Node, dict[str, Any]]]:
        """(source, edge data) of the ``rel`` edges into ``n``."""
        return self._in[rel].get(n, [])

    def outs(self, n: Node, rel: str) -> list[tuple[Node, dict[str, Any]]]:
        """(target, edge data) of the ``rel`` edges out of ``n``."""
        return self._out[rel].get(n, [])

    def sources(self, rel: str) -> Iterable[Node]:
        return self._out[rel].keys()
