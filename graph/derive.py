"""Figures the rules share: grid households, workers per grid, household loads and scopes."""

from __future__ import annotations

from collections import defaultdict

from graph.network import Net, Node


def grid_households(net: Net) -> dict[Node, int]:
    """Households of each grid: the sum of its buildings' where the data set has buildings, else its own.

    (rules.md: "where the data set has buildings in it" — decided for the data set as a whole.)
    """
    out: dict[Node, int] = {}
    has_buildings = net.has_buildings
    for g in net.nodes("Grid"):
        a = net.attr(g)
        if has_buildings and a.get("kind") == "residential":
            out[g] = sum(net.attr(b).get("households") or 0 for b, _ in net.ins(g, "IN_GRID"))
        else:
            out[g] = a.get("households") or 0
    return out


def workers(net: Net, grid: Node) -> dict[Node, set[str]]:
    """Distinct people assigned to ``grid`` and their roles."""
    out: dict[Node, set[str]] = defaultdict(set)
    for p, d in net.ins(grid, "ASSIGNED_TO"):
        out[p].add(d["role"])
    return out


def full_time(net: Net, grid: Node) -> list[Node]:
    return sorted(p for p, roles in workers(net, grid).items() if "full_time" in roles)


def household_loads(net: Net, households: dict[Node, int]) -> dict[Node, float]:
    """Each full-time worker's load: Σ over their residential grids of households ÷ full-time workers there."""
    load: dict[Node, float] = defaultdict(float)
    for g in net.nodes("Grid"):
        if net.attr(g).get("kind") != "residential":
            continue
        ft = full_time(net, g)
        for p in ft:
            load[p] += households[g] / len(ft)
    return dict(load)


def scope_of(net: Net, n: Node, cache: dict[Node, dict[str, str | None]]) -> dict[str, str | None]:
    """The (street_id, community_id, county) a node belongs to, for filtering and grouping findings.

    The county is that of the street; a node with no street (an agency) takes :func:`county_of`'s.
    """
    if n in cache:
        return cache[n]
    cache[n] = {"street_id": None, "community_id": None, "county": None}  # guards loops of parents
    a = net.attr(n) if n in net else {}
    label = net.label(n)
    street: str | None = None
    community: str | None = None
    if label == "Street":
        street = n
    elif label == "Community":
        community, street = n, a.get("street_id")
    elif label in ("Compound", "Grid"):
        community = a.get("community_id")
        street = net.attr(community).get("street_id") if community else a.get("street_id")
    elif label in ("Building", "Demand"):
        return _set(cache, n, scope_of(net, a["grid_id"], cache))
    elif label == "CentralHousehold":
        return _set(cache, n, scope_of(net, a["building_group_id"], cache))
    elif label == "PartyOrg":
        target = a.get("area_id") or a.get("parent_id")
        if target and net.label(target) != "Agency":
            return _set(cache, n, scope_of(net, target, cache))
        if target:
            return _set(cache, n, {"street_id": None, "community_id": None, "county": county_of(net, target)})
    elif label == "Person":
        grids = sorted(g for g, _ in net.outs(n, "ASSIGNED_TO"))
        staff = sorted(c for c, _ in net.outs(n, "STAFF_OF"))
        home = a.get("home_community_id")
        anchor = grids[0] if grids else staff[0] if staff else home
        if anchor:
            return _set(cache, n, scope_of(net, anchor, cache))
        work = sorted(x for x, _ in net.outs(n, "WORKS_AT"))
        if work:
            return _set(cache, n, {"street_id": None, "community_id": None, "county": county_of(net, work[0])})
    elif label == "Agency":
        return _set(cache, n, {"street_id": None, "community_id": None, "county": county_of(net, n)})
    county = net.attr(street).get("county") if street and street in net else None
    return _set(cache, n, {"street_id": street, "community_id": community, "county": county})


def _set(cache: dict[Node, dict[str, str | None]], n: Node, v: dict[str, str | None]) -> dict[str, str | None]:
    cache[n] = v
    return v


def county_of(net: Net, n: Node) -> str | None:
    """The county a street, community or agency belongs to (an agency: through the communities it is tied to, or
    where its people live); None when nothing says.

    Agencies pair and hold baolian only within their own county, so suggestions look for agencies there.
    """
    a = net.attr(n)
    label = net.label(n)
    if label == "Street":
        return a.get("county")
    if label == "Community":
        return net.attr(a["street_id"]).get("county") if a.get("street_id") in net else None
    if label == "Agency":
        for rel in ("PAIRED_WITH", "BAOLIAN"):
            for c, _ in net.outs(n, rel):
                return county_of(net, c)
        for p, _ in net.ins(n, "WORKS_AT"):
            home = net.attr(p).get("home_community_id")
            if isinstance(home, str) and home in net:
                return county_of(net, home)
    return None
