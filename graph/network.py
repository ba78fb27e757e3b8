"""The data set as a graph for the rules: rows by id, typed adjacency, and the demands as a table beside it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from graph.dataformat import TABLES, Dataset, Row
from graph.demands import Demands

if TYPE_CHECKING:  # NetworkX is imported where a graph is made: a report given from a kept one never needs it
    import networkx as nx

Node = str
Edge = tuple[Node, dict[str, Any]]
Adjacency = dict[str, dict[Node, list[Edge]]]

#: Demands' references (grid, handler, department) stay columns of the demands table unless asked for as edges:
#: they are most of a city's relationships (900,000 of 1.4 million) and no rule walks them.
DEMAND_RELS = {"RAISED_IN", "CARRIED_BY", "HANDLED_BY_DEPT"}


def build_graph(ds: Dataset, demand_edges: bool = False) -> nx.MultiDiGraph:
    """Project a validated data set onto a NetworkX directed multigraph (for notebooks and NetworkX's algorithms;
    the rules read a :class:`Net`, which holds the same in far less memory).

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
    import networkx as nx

    G = nx.MultiDiGraph(has_buildings=bool(ds.rows("buildings")), tables=sorted(ds.tables))
    for t in TABLES:
        if t.label:
            label = t.label
            G.add_nodes_from((r["id"], {**r, "label": label}) for r in ds.rows(t.name))
    for u, v, rel, d in _edges(ds, demand_edges):
        ends = _LINK_COLS.get(rel, ())
        G.add_edge(u, v, type=rel, **{k: x for k, x in d.items() if k != "type" and k not in ends})
    return G


#: A link table's two reference columns, by its relationship type (ASSIGNED_TO: person_id, grid_id …).
_LINK_COLS = {t.rel: (t.refs[0].name, t.refs[1].name) for t in TABLES if t.rel}
#: The edge data of every reference (not link) edge of one type: one shared dict per type, never copied.
_REF_DATA: dict[str, dict[str, Any]] = {c.rel: {"type": c.rel} for t in TABLES if t.label for c in t.refs if c.rel}


def _edges(ds: Dataset, demand_edges: bool) -> Iterator[tuple[Node, Node, str, dict[str, Any]]]:
    """(source, target, type, data) of every edge: a link row is its own edge's data (its other columns are the
    edge's attributes); a reference's data is the type's shared ``{"type": …}``."""
    for rel, edges in _edge_groups(ds, demand_edges):
        for u, v, d in edges:
            yield u, v, rel, d


Triples = Iterator[tuple[Node, Node, dict[str, Any]]]


def _edge_groups(ds: Dataset, demand_edges: bool) -> Iterator[tuple[str, Triples]]:
    """:func:`_edges`' edges, in its order, as (type, its (source, target, data) triples) per table and column."""
    for t in TABLES:
        if t.name == "demands" and not demand_edges:
            continue
        rows = ds.rows(t.name)
        if t.rel:
            yield t.rel, _links(rows, t.refs[0].name, t.refs[1].name)
        else:
            for c in t.refs:
                yield c.rel or "", _references(rows, c.name, _REF_DATA[c.rel or ""])


def _links(rows: list[Row], a: str, b: str) -> Triples:
    return ((r[a], r[b], r) for r in rows)


def _references(rows: list[Row], col: str, data: dict[str, Any]) -> Triples:
    return ((r["id"], v, data) for r in rows if (v := r.get(col)) is not None)


class Net:
    """The data set as the rules read it: each row by id, its label, typed adjacency, and the demands table.

    ``Net(ds)`` holds the data set's own row dicts (``attr(n)`` *is* the row: read it, never change it) and one
    entry per relationship in ``ins``/``outs``; demands are not nodes but ``net.demands``, a table of the data
    set's demand rows (no rule walks their references). ``Net(G)`` reads a graph from :func:`build_graph`
    instead (same answers; its attribute dicts also carry ``label``). A node's label is ``net.label(n)``.

    >>> from graph.dataformat import Dataset
    >>> ds = Dataset({"streets": [{"id": "S1", "name": "北街", "county": "示例县", "_row": 2}],
    ...               "communities": [{"id": "C1", "name": "北苑", "street_id": "S1", "_row": 2}]})
    >>> net = Net(ds)
    >>> net.label("C1"), net.outs("C1", "IN_STREET"), net.attr("C1") is ds.rows("communities")[0]
    ('Community', [('S1', {'type': 'IN_STREET'})], True)
    """

    def __init__(self, data: Dataset | nx.MultiDiGraph) -> None:
        self._attr: dict[Node, Row] = {}
        self._label: dict[Node, str] = {}
        self.by_label: dict[str, list[Node]] = {}
        self._in: Adjacency = defaultdict(dict)
        self._out: Adjacency = defaultdict(dict)
        if isinstance(data, Dataset):
            self._from_dataset(data)
        else:
            self._from_graph(data)

    def _from_dataset(self, ds: Dataset) -> None:
        self.has_buildings = bool(ds.rows("buildings"))
        self.tables = sorted(ds.tables)
        for t in TABLES:
            if t.label and t.name != "demands":
                rows = ds.rows(t.name)
                ids = [r["id"] for r in rows]
                self._attr.update(zip(ids, rows, strict=True))
                self._label.update(dict.fromkeys(ids, t.label))
                self.by_label[t.label] = sorted(ids)
        self.demands = Demands(ds.rows("demands"))
        for rel, edges in _edge_groups(ds, demand_edges=False):  # a type at a time: no call per edge
            self._add_all(rel, edges)

    def _add_all(self, rel: str, edges: Iterable[tuple[Node, Node, dict[str, Any]]]) -> None:
        """Add ``(source, target, data)`` edges of type ``rel`` to the adjacency, in their order."""
        ins, outs = self._in[rel], self._out[rel]
        for u, v, d in edges:
            if v in ins:
                ins[v].append((u, d))
            else:
                ins[v] = [(u, d)]
            if u in outs:
                outs[u].append((v, d))
            else:
                outs[u] = [(v, d)]

    def _from_graph(self, G: nx.MultiDiGraph) -> None:
        self.has_buildings = bool(G.graph.get("has_buildings"))
        self.tables = list(G.graph.get("tables", []))
        demands = []
        for n, a in G.nodes(data=True):
            if a["label"] == "Demand":
                demands.append(a)
            else:
                self._attr[n], self._label[n] = a, a["label"]
                self.by_label.setdefault(a["label"], []).append(n)
        for ns in self.by_label.values():
            ns.sort()
        self.demands = Demands(sorted(demands, key=lambda a: a["_row"]))
        for u, v, d in G.edges(data=True):
            self._add_all(d["type"], ((u, v, d),))

    def __contains__(self, n: object) -> bool:
        return n in self._attr or (isinstance(n, str) and self.demands.get(n) is not None)

    def nodes(self, label: str) -> list[Node]:
        """Ids of the nodes with ``label``, sorted (``Demand``: the demands table's ids)."""
        if label == "Demand":
            return self.demands.ids()
        return self.by_label.get(label, [])

    def attr(self, n: Node) -> dict[str, Any]:
        """The row of node ``n`` (a demand's too); KeyError for an unknown id."""
        try:
            return self._attr[n]
        except KeyError:
            row = self.demands.get(n)
            if row is None:
                raise
            return row

    def label(self, n: Node) -> str | None:
        """The label of node ``n`` (``Person``, ``Grid`` … ``Demand``), None for an unknown id."""
        found = self._label.get(n)
        if found is None and self.demands.get(n) is not None:
            return "Demand"
        return found

    def ins(self, n: Node, rel: str) -> list[Edge]:
        """(source, edge data) of the ``rel`` edges into ``n``."""
        return self._in[rel].get(n, [])

    def outs(self, n: Node, rel: str) -> list[Edge]:
        """(target, edge data) of the ``rel`` edges out of ``n``."""
        return self._out[rel].get(n, [])

    def in_map(self, rel: str) -> dict[Node, list[Edge]]:
        """Every ``rel`` edge by its target: ``{n: ins(n, rel)}`` for each ``n`` with one (read it, never change it)."""
        return self._in[rel]

    def out_map(self, rel: str) -> dict[Node, list[Edge]]:
        """Every ``rel`` edge by its source: ``{n: outs(n, rel)}`` for each ``n`` with one (read it, never change it)."""
        return self._out[rel]

    def sources(self, rel: str) -> Iterable[Node]:
        return self._out[rel].keys()
