"""The NetworkX projection of a data set: nodes are rows (by id), edges are references and link rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

import networkx as nx

from graph.dataformat import TABLES, Dataset

Node = str
Typed = dict[str, dict[Node, list[tuple[Node, dict[str, Any]]]]]


#: Demands' references (grid, handler, department) stay node attributes unless asked for as edges: they are
#: most of a city's edges (900,000 of 1.4 million) and no rule walks them.
DEMAND_RELS = {"RAISED_IN", "CARRIED_BY", "HANDLED_BY_DEPT"}


def build_graph(ds: Dataset, demand_edges: bool = False) -> nx.MultiDiGraph:
    """Project a validated data set onto a directed multigraph.

    Each entity row is a node (key: its id) with ``label`` and its columns; each reference is an edge
    ``child -> target`` whose ``type`` is the relationship name (``IN_COMMUNITY``, ``CHILD_OF`` …); each
    link row (grid_assignments, pairings …) is an edge with the row's other columns. A demand's references
    are edges only with ``demand_edges`` (they are always its attributes). ``G.graph`` holds
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
    ins: Typed = defaultdict(lambda: defaultdict(list))
    outs: Typed = defaultdict(lambda: defaultdict(list))
    add = G.add_edge
    for u, v, d in _edges(ds, demand_edges):
        add(u, v, **d)
        ins[d["type"]][v].append((u, d))
        outs[d["type"]][u].append((v, d))
    # The typed adjacency, made on the way (a second pass over a city's 1.4 M edges costs seconds); Net uses it
    # while the graph still has exactly these edges.
    G.graph["typed_adjacency"] = (ins, outs, G.number_of_edges())
    return G


def _edges(ds: Dataset, demand_edges: bool) -> Iterator[tuple[Node, Node, dict[str, Any]]]:
    for t in TABLES:
        if t.name == "demands" and not demand_edges:
            continue
        rows = ds.rows(t.name)
        if t.rel:
            a, b = t.refs[0].name, t.refs[1].name
            others = [c.name for c in t.columns if c.name not in (a, b)]
            for r in rows:
                yield r[a], r[b], {"type": t.rel, **{k: r[k] for k in others}}
        else:
            for c in t.refs:
                rel = c.rel
                for r in rows:
                    if r.get(c.name) is not None:
                        yield r["id"], r[c.name], {"type": rel}


class Net:
    """Typed adjacency over a graph from :func:`build_graph`, for fast rule evaluation."""

    def __init__(self, G: nx.MultiDiGraph) -> None:
        self.G = G
        self.by_label: dict[str, list[Node]] = defaultdict(list)
        for n, label in G.nodes(data="label"):
            self.by_label[label].append(n)
        for ns in self.by_label.values():
            ns.sort()
        cached = G.graph.get("typed_adjacency")
        if cached is not None and cached[2] == G.number_of_edges():
            self._in, self._out = cached[0], cached[1]
            return
        self._in = defaultdict(lambda: defaultdict(list))
        self._out = defaultdict(lambda: defaultdict(list))
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
