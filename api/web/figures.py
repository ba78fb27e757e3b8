"""Grid households and workers' household loads read straight from a data set's rows, for the pages' labels.

They follow ``graph.derive`` (the rules' definitions) without building the network for every page: a residential
grid's households are its buildings' where the data set has buildings, else its own; a full-time worker's load is
the sum over their residential grids of households ÷ that grid's full-time workers.
"""

from __future__ import annotations

from collections import defaultdict

from graph.dataformat import Dataset


def grid_households(ds: Dataset) -> dict[str, int]:
    """Households of each grid, as the rules count them."""
    buildings: dict[str, int] = defaultdict(int)
    for b in ds.rows("buildings"):
        buildings[b["grid_id"]] += b.get("households") or 0
    has_buildings = bool(ds.rows("buildings"))
    return {g["id"]: buildings[g["id"]] if has_buildings and g.get("kind") == "residential" else g.get("households") or 0
            for g in ds.rows("grids")}


def household_loads(ds: Dataset, households: dict[str, int] | None = None) -> dict[str, float]:
    """Each full-time worker's household load (graph.derive.household_loads over rows)."""
    households = households if households is not None else grid_households(ds)
    kinds = {g["id"]: g.get("kind") for g in ds.rows("grids")}
    full: dict[str, set[str]] = defaultdict(set)
    for a in ds.rows("grid_assignments"):
        if a["role"] == "full_time" and kinds.get(a["grid_id"]) == "residential":
            full[a["grid_id"]].add(a["person_id"])
    load: dict[str, float] = defaultdict(float)
    for g, people in full.items():
        for p in people:
            load[p] += households[g] / len(people)
    return {p: round(v, 1) for p, v in load.items()}
