"""The county-wide flow: budgets respect every place's supply and demand, and stay in the street unless allowed."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from graph.plan.flow import route

PLACES = st.tuples(st.sampled_from(["S1", "S2", "S3"]), st.sampled_from(["C1", "C2", "C3", None]))
AMOUNTS = st.dictionaries(PLACES, st.integers(0, 50), max_size=8)


@settings(max_examples=200, deadline=None)
@given(AMOUNTS, AMOUNTS, st.booleans())
def test_budgets_respect_supply_demand_and_streets(supply: dict, demand: dict, cross: bool) -> None:  # type: ignore[type-arg]
    budgets = route(supply, demand, cross)
    for p, amount in supply.items():
        assert sum(v for (a, _), v in budgets.items() if a == p) <= amount
    for p, amount in demand.items():
        assert sum(v for (_, b), v in budgets.items() if b == p) <= amount
    if not cross:
        assert all(a[0] == b[0] for a, b in budgets)
    # as much as possible moves: within each street (or the county), min(supply, demand)
    groups = {None} if cross else {p[0] for p in (*supply, *demand)}
    for s in groups:
        sup = sum(v for p, v in supply.items() if cross or p[0] == s)
        dem = sum(v for p, v in demand.items() if cross or p[0] == s)
        moved = sum(v for (a, _), v in budgets.items() if cross or a[0] == s)
        assert moved == min(sup, dem)
    # nothing crosses a community that its own community could have served
    for a, b in budgets:
        if a != b and a in demand and a in supply:
            assert sum(x for (c, d), x in budgets.items() if c == a and d == a) == min(supply[a], demand[a])
