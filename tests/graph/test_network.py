"""Net holds each row once (the data set's own), demands as a table beside it, and answers as the graph did."""

from __future__ import annotations

import sys
from datetime import datetime

from graph.network import Net, build_graph
from graph.rules.analysis import default_as_of, evaluate
from loaders.validate import load_dataset
from tests.conftest import TINY
from tests.graph.reference import generated


def test_rows_are_the_data_sets_own() -> None:
    ds = load_dataset(TINY)
    link = ds.rows("grid_assignments")[0]
    before = sys.getrefcount(link)
    net = Net(ds)
    assert sys.getrefcount(link) == before + 2  # a link row is its edge's data: one reference from each end
    assert any(d is link for _, d in net.ins(link["grid_id"], "ASSIGNED_TO"))
    for table, label in (("grids", "Grid"), ("people", "Person"), ("party_orgs", "PartyOrg")):
        for row in ds.rows(table):
            assert net.attr(row["id"]) is row and net.label(row["id"]) == label


def test_demands_are_a_table_not_nodes() -> None:
    ds = load_dataset(TINY)
    net = Net(ds)
    rows = ds.rows("demands")
    assert rows and net.demands.rows is rows and "Demand" not in net.by_label
    assert net.nodes("Demand") == sorted(r["id"] for r in rows)
    d = rows[0]
    assert d["id"] in net and net.attr(d["id"]) is d and net.label(d["id"]) == "Demand"
    assert not net.ins(d["grid_id"], "RAISED_IN") and "nothing" not in net and net.label("nothing") is None


def test_net_of_the_data_set_and_of_its_graph_agree() -> None:
    key = lambda fs: [(f.rule, f.subject_id, f.severity, f.scope, f.metrics) for f in fs]  # noqa: E731
    laoting = generated("laoting")
    for ds, moment in ((load_dataset(TINY), datetime(2026, 9, 20, 15)), (laoting, default_as_of(laoting))):
        from_rows = evaluate(ds, as_of=moment)
        assert from_rows and key(from_rows) == key(evaluate(build_graph(ds), as_of=moment))
        assert key(from_rows) == key(evaluate(build_graph(ds, demand_edges=True), as_of=moment))


def test_the_graph_keeps_link_rows_columns_on_its_edges() -> None:
    G = build_graph(load_dataset(TINY))
    edges = [d for _, _, d in G.edges(data=True) if d["type"] == "ASSIGNED_TO"]
    assert edges and all(set(d) == {"type", "role", "_row"} for d in edges)
    assert all(set(d) == {"type"} for _, _, d in G.edges(data=True) if d["type"] == "IN_GRID")
