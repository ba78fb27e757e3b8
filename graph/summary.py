"""Per community and street: households per full-time worker, coverage shares, demand rates, a score."""

from __future__ import annotations

import statistics
from array import array
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from operator import itemgetter
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
# demand_tallies writes the stages and their pairs out, in this order
assert STAGES == ("raised_at", "whistled_at", "assigned_at", "resolved_at", "feedback_at")
assert STAGE_PAIRS == tuple(zip(STAGES[:-1], STAGES[1:], strict=True))


def _share(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def coverage_score(shares: dict[str, float | None]) -> float | None:
    """Mean of the available coverage shares, × 100, to one decimal.

    >>> coverage_score({"grids_with_worker": 1.0, "paired": 0.0, "baolian": None})
    50.0
    """
    vals = [v for k, v in shares.items() if k in SCORE_PARTS and v is not None]
    return round(100 * sum(vals) / len(vals), 1) if vals else None


class _Demands:
    """An area's demands raised by the report's moment: how many responded, were resolved, rated and satisfied,
    and each stage pair's hours in a compact array (8 bytes a value: a city has 300,000 demands)."""

    __slots__ = ("n", "responded", "resolved", "rated", "satisfied", "hours")

    def __init__(self) -> None:
        self.n = self.responded = self.resolved = self.rated = self.satisfied = 0
        self.hours = [array("d") for _ in _PAIRS]

    @classmethod
    def of(cls, parts: list[_Demands]) -> _Demands:
        """The demands of several areas together (a street's communities)."""
        out = cls()
        for p in parts:
            out.n, out.responded, out.resolved = out.n + p.n, out.responded + p.responded, out.resolved + p.resolved
            out.rated, out.satisfied = out.rated + p.rated, out.satisfied + p.satisfied
            for mine, theirs in zip(out.hours, p.hours, strict=True):
                mine.extend(theirs)
        return out

    def stats(self) -> dict[str, Any]:
        medians = {name: round(statistics.median(h), 1) if h else None
                   for h, (_, _, name) in zip(self.hours, _PAIRS, strict=True)}
        return {"demands": self.n, "responded_rate": _share(self.responded, self.n),
                "resolved_rate": _share(self.resolved, self.n), "satisfied_rate": _share(self.satisfied, self.rated),
                "median_hours": medians}


#: what the tallies read of a demand row, in this order
_DEMAND_COLS = ("grid_id", *STAGES, "satisfaction")


def demand_tallies(net: Net, ctx: Context) -> dict[Node | None, _Demands]:
    """Per community (of the demand's grid): the demands raised by the report's moment, each counted once.

    One loop over the demand rows, the stages written out (stage times after the moment count as not yet
    reached): a city has 300,000 demands and this is the summaries' largest part.
    """
    community = {g: net.attr(g).get("community_id") for g in net.nodes("Grid")}
    rows = net.demands.rows
    try:  # a row's columns picked in C: a validated data set's rows have every column
        return _tallies(map(itemgetter(*_DEMAND_COLS), rows), community, ctx.as_of)
    except KeyError:  # rows written by hand with some columns left out
        return _tallies((tuple(r.get(c) for c in _DEMAND_COLS) for r in rows), community, ctx.as_of)


def _tallies(values: Iterable[tuple[Any, ...]], community: dict[Node, Node | None],
             as_of: datetime) -> dict[Node | None, _Demands]:
    out: dict[Node | None, _Demands] = defaultdict(_Demands)
    for grid, raised, whistled, assigned, resolved, feedback, satisfaction in values:
        if raised > as_of:
            continue
        if whistled is not None and whistled > as_of:
            whistled = None
        if assigned is not None and assigned > as_of:
            assigned = None
        if resolved is not None and resolved > as_of:
            resolved = None
        if feedback is not None and feedback > as_of:
            feedback = None
        d = out[community[grid]]
        d.n += 1
        if whistled or assigned or resolved:
            d.responded += 1
        if resolved:
            d.resolved += 1
        if satisfaction:
            d.rated += 1
            if satisfaction >= 4:
                d.satisfied += 1
        hours = d.hours
        if whistled:
            hours[0].append((whistled - raised).total_seconds() / 3600)
            if assigned:
                hours[1].append((assigned - whistled).total_seconds() / 3600)
        if assigned and resolved:
            hours[2].append((resolved - assigned).total_seconds() / 3600)
        if resolved and feedback:
            hours[3].append((feedback - resolved).total_seconds() / 3600)
    return out


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
           communities: list[Node], demands: _Demands) -> dict[str, Any]:
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
            "shares": shares, "coverage_score": coverage_score(shares), **demands.stats()}


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
                                 _Demands.of([demands[c] for c in cs])), "findings": street_counts[s]})
    return communities, streets
