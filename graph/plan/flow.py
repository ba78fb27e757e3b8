"""One min-cost flow over the county: how much each place lends to each other place, cheapest nearby.

Places are (street_id, community_id) pairs (community ``None`` for a grid that belongs to a street only).
Supply and demand are given per place; the flow runs through a hub per street and, when crossing streets
is allowed, one county hub. Moving within a community costs 0, within a street 2, across streets 22.

>>> budgets = route({("S1", "C1"): 5, ("S1", "C2"): 4}, {("S1", "C1"): 3, ("S1", "C3"): 6}, cross_street=False)
>>> budgets[(("S1", "C1"), ("S1", "C1"))], sum(v for (a, b), v in budgets.items() if b == ("S1", "C3"))
(3, 6)
>>> route({("S1", "C1"): 5}, {("S2", "C9"): 5}, cross_street=False)
{}
>>> route({("S1", "C1"): 5}, {("S2", "C9"): 5}, cross_street=True)
{(('S1', 'C1'), ('S2', 'C9')): 5}
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

Place = tuple[str | None, str | None]
STREET_COST, COUNTY_COST = 1, 10
BYPASS_COST = 1000  # more than the dearest route (2 + 2 × 10)


def route(supply: dict[Place, int], demand: dict[Place, int], cross_street: bool) -> dict[tuple[Place, Place], int]:
    """A min-cost maximum flow from supplying places to demanding places, as (from, to) -> amount.

    Within a community the flow is free; through a street hub it costs 2; through the county hub 22
    (only with ``cross_street``). The amounts between places come from decomposing the hubs' flows
    (every decomposition of a hub's flow costs the same).
    """
    F = nx.DiGraph()
    streets = {p[0] for p in (*supply, *demand)}
    for p, amount in supply.items():
        if amount > 0:
            F.add_edge("_s", ("out", p), capacity=int(amount), weight=0)
            F.add_edge(("out", p), ("street", p[0]), weight=STREET_COST)
            if p in demand:
                F.add_edge(("out", p), ("in", p), weight=0)
    for p, amount in demand.items():
        if amount > 0:
            F.add_edge(("in", p), "_t", capacity=int(amount), weight=0)
            F.add_edge(("street", p[0]), ("in", p), weight=STREET_COST)
    if cross_street:
        for s in streets:
            F.add_edge(("street", s), "_county", weight=COUNTY_COST)
            F.add_edge("_county", ("street", s), weight=COUNTY_COST)
    if "_s" not in F or "_t" not in F:
        return {}
    # One network simplex: all supply must leave, and what no place can take goes by a bypass dearer than any
    # route, so the flow through places is a maximum flow of least cost (as max_flow_min_cost, in one pass).
    total = sum(int(a) for a in supply.values() if a > 0)
    F.add_edge("_s", "_t", capacity=total, weight=BYPASS_COST)
    F.nodes["_s"]["demand"], F.nodes["_t"]["demand"] = -total, total
    flow = nx.network_simplex(F)[1]
    out: dict[tuple[Place, Place], int] = defaultdict(int)
    hub_in: dict[object, list[list]] = defaultdict(list)   # hub -> [[from place, amount], ...]
    for p in supply:
        node = ("out", p)
        if node not in flow:
            continue
        if flow[node].get(("in", p), 0):
            out[(p, p)] += flow[node][("in", p)]
        if flow[node].get(("street", p[0]), 0):
            hub_in[("street", p[0])].append([p, flow[node][("street", p[0])]])
    # Streets that pass flow to the county hub hand their sources on; the county hub feeds other streets.
    for s in sorted(streets, key=str):
        hub = ("street", s)
        if cross_street and hub in flow and flow[hub].get("_county", 0):
            _pass(hub_in[hub], hub_in["_county"], flow[hub]["_county"])
    if cross_street and "_county" in flow:
        for s in sorted(streets, key=str):
            amount = flow["_county"].get(("street", s), 0)
            if amount:
                _pass(hub_in["_county"], hub_in[("street", s)], amount)
    for s in sorted(streets, key=str):
        hub = ("street", s)
        for p in sorted(demand, key=str):
            amount = flow.get(hub, {}).get(("in", p), 0) if p[0] == s else 0
            while amount > 0 and hub_in[hub]:
                src = hub_in[hub][0]
                take = min(amount, src[1])
                out[(src[0], p)] += take
                amount -= take
                src[1] -= take
                if src[1] == 0:
                    hub_in[hub].pop(0)
    return {k: v for k, v in out.items() if v > 0}


def _pass(sources: list[list], into: list[list], amount: int) -> None:
    """Move ``amount`` of the sources waiting at one hub on to the next hub (first come, first passed)."""
    while amount > 0 and sources:
        src = sources[-1]
        take = min(amount, src[1])
        into.append([src[0], take])
        src[1] -= take
        amount -= take
        if src[1] == 0:
            sources.pop()
