"""Per community and street: households per full-time worker, coverage shares, demand rates, a score."""

from __future__ import annotations

import statistics
from collections import defaultdict
from typing import Any

from graph.dataformat import DEMAND_STAGES as STAGES
from graph.derive import full_time
from graph.findings import Context, Finding
from graph.network import Net, Node
from graph.rules.catalogue import name_of

#: The coverage score is the mean of these shares × 100 (a share with nothing to count is left out).
SCORE_PARTS = ("grids_with_worker", "residential_grids_with_full_time", "grids_with_party_org",
               "compounds_with_home_branch", "buildings_with_group", "paired", "baolian")
STAGE_PAIRS = (("raised_at", "whistled_at"), ("whistled_at", "assigned_at"), ("assigned_at", "resolved_at"),
               ("resolved_at", "feedback_at"))
_PAIRS = [(STAGES.index(a), STAGES.index(b), f"{a[:-3]}_to_{b[:-3]}_h") for a, b in STAGE_PAIRS]
#: A demand as the summary counts it: responded, resolved, rating, then the hours of each stage pair (or None).
Tally = tuple[Any, ...]


def _share(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def coverage_score(shares: dict[str, float | None]) -> float | None:
    """Mean of the available coverage shares, × 100, to one decimal.

    >>> coverage_score({"grids_with_worker": 1.0, "paired": 0.0, "baolian": None})
    50.0
    """
    vals = [v for k, v in shares.items() if k in SCORE_PARTS and v is not None]
    return round(100 * sum(vals) / len(vals), 1) if vals else None


def demand_tallies(net: Net, ctx: Context) -> dict[Node | None, list[Tally]]:
    """Per community (of the demand's grid): each demand raised by the report's moment, tallied once."""
    out: dict[Node | None, list[Tally]] = defaultdict(list)
    community = {g: net.attr(g).get("community_id") for g in net.nodes("Grid")}
    for row, s in net.demands.stamps(ctx.as_of):
        hours = tuple((s[j] - s[i]).total_seconds() / 3600 if s[i] and s[j] else None for i, j, _ in _PAIRS)
        out[community[row["grid_id"]]].append((bool(s[1] or s[2] or s[3]), bool(s[3]), s[5], *hours))
    return out


def _demand_stats(tallies: list[Tally]) -> dict[str, Any]:
    rated = [t[2] for t in tallies if t[2]]
    medians = {}
    for k, (_, _, name) in enumerate(_PAIRS, start=3):
        hours = [t[k] for t in tallies if t[k] is not None]
        medians[name] = round(statistics.median(hours), 1) if hours else None
    return {"demands": len(tallies), "responded_rate": _share(sum(t[0] for t in tallies), len(tallies)),
            "resolved_rate": _share(sum(t[1] for t in tallies), len(tallies)),
            "satisfied_rate": _share(sum(1 for s in rated if s >= 4), len(rated)), "median_hours": medians}


class _Facts:
    """What each grid, compound, building and community contributes to a summary, found once for all blocks."""

    def __init__(self, net: Net) -> None:
        def built_on(n: Node, kinds: tuple[str, ...]) -> bool:
            return any(net.attr(o).get("kind") in kinds for o, _ in net.ins(n, "BUILT_ON"))

        grids = net.nodes("Grid")
        self.residential = {g: net.attr(g).get("kind") == "residential" for g in grids}
        self.worked = {g: bool(net.ins(g, "ASSIGNED_TO")) for g in grids}
        self.full_time = {g: full_time(net, g) for g in grids if self.residential[g]}
        self.grid_org = {g: built_on(g, ("grid_branch", "grid_group")) for g in grids}
        self.home_branch = {c: built_on(c, ("home_branch",)) for c in net.nodes("Compound")}
        self.group = {b: built_on(b, ("building_group",)) for b in net.nodes("Building")}
        self.paired = {c: bool(net.ins(c, "PAIRED_WITH")) for c in net.nodes("Community")}
        self.baolian = {c: bool(net.ins(c, "BAOLIAN")) for c in net.nodes("Community")}


def _block(f: _Facts, ctx: Context, grids: list[Node], compounds: list[Node], buildings: list[Node],
           communities: list[Node], demands: list[Tally]) -> dict[str, Any]:
    res = [g for g in grids if f.residential[g]]
    ft_people = {p for g in res for p in f.full_time[g]}
    households = sum(ctx.grid_households.get(g, 0) for g in res)
    shares = {
        "grids_with_worker": _share(sum(1 for g in grids if f.worked[g]), len(grids)),
        "residential_grids_with_full_time": _share(sum(1 for g in res if f.full_time[g]), len(res)),
        "grids_with_party_org": _share(sum(1 for g in grids if f.grid_org[g]), len(grids)),
        "compounds_with_home_branch": _share(sum(1 for c in compounds if f.home_branch[c]), len(compounds)),
        "buildings_with_group": _share(sum(1 for b in buildings if f.group[b]), len(buildings)),
        "paired": _share(sum(1 for c in communities if f.paired[c]), len(communities)),
        "baolian": _share(sum(1 for c in communities if f.baolian[c]), len(communities)),
    }
    return {"grids": len(grids), "residential_grids": len(res), "households": households,
            "full_time_workers": len(ft_people),
            "households_per_full_time": round(households / len(ft_people), 1) if ft_people else None,
            "shares": shares, "coverage_score": coverage_score(shares), **_demand_stats(demands)}


def summarize(net: Net, ctx: Context, findings: list[Finding]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """One summary row per community and per street, with its number of findings by severity.

    One pass over the data set: each grid, compound, building and demand is looked at once and counted for its
    community, then its street (a street's grids include those that belong to it directly).
    """
    facts = _Facts(net)
    group: dict[str, dict[Node | None, list[Any]]] = {k: defaultdict(list) for k in ("Grid", "Compound", "Building")}
    loose: dict[Node | None, list[Node]] = defaultdict(list)   # grids of a street that belong to no community
    for g in net.nodes("Grid"):
        a = net.attr(g)
        group["Grid"][a.get("community_id")].append(g)
        if a.get("community_id") is None:
            loose[a.get("street_id")].append(g)
    for c in net.nodes("Compound"):
        group["Compound"][net.attr(c)["community_id"]].append(c)
    for b in net.nodes("Building"):
        group["Building"][net.attr(net.attr(b)["grid_id"]).get("community_id")].append(b)
    demands = demand_tallies(net, ctx)
    counts: dict[Node | None, dict[str, int]] = defaultdict(lambda: {"high": 0, "medium": 0, "low": 0})
    street_counts: dict[Node | None, dict[str, int]] = defaultdict(lambda: {"high": 0, "medium": 0, "low": 0})
    for f in findings:
        counts[f.scope.get("community_id")][f.severity] += 1
        street_counts[f.scope.get("street_id")][f.severity] += 1
    communities = []
    of_street: dict[Node, list[Node]] = defaultdict(list)
    for c in net.nodes("Community"):
        street = net.attr(c)["street_id"]
        of_street[street].append(c)
        communities.append({"community_id": c, "name": name_of(net, c), "street_id": street,
                            "county": net.attr(street).get("county"),
                            **_block(facts, ctx, group["Grid"][c], group["Compound"][c], group["Building"][c], [c],
                                     demands[c]), "findings": counts[c]})
    streets = []
    for s in net.nodes("Street"):
        cs = of_street[s]
        grids = [g for c in cs for g in group["Grid"][c]] + loose[s]
        streets.append({"street_id": s, "name": name_of(net, s), "county": net.attr(s).get("county"),
                        "communities": len(cs),
                        **_block(facts, ctx, grids, [x for c in cs for x in group["Compound"][c]],
                                 [x for c in cs for x in group["Building"][c]], cs,
                                 [x for c in cs for x in demands[c]]), "findings": street_counts[s]})
    return communities, streets
