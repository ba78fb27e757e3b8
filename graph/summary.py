"""Per community and street: households per full-time worker, coverage shares, demand rates, a score."""

from __future__ import annotations

import statistics
from collections import defaultdict
from typing import Any

from graph.derive import full_time, workers
from graph.findings import Context, Finding
from graph.network import Net, Node
from graph.rules.catalogue import name_of

#: The coverage score is the mean of these shares × 100 (a share with nothing to count is left out).
SCORE_PARTS = ("grids_with_worker", "residential_grids_with_full_time", "grids_with_party_org",
               "compounds_with_home_branch", "buildings_with_group", "paired", "baolian")
STAGE_PAIRS = (("raised_at", "whistled_at"), ("whistled_at", "assigned_at"), ("assigned_at", "resolved_at"),
               ("resolved_at", "feedback_at"))


def _share(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def coverage_score(shares: dict[str, float | None]) -> float | None:
    """Mean of the available coverage shares, × 100, to one decimal.

    >>> coverage_score({"grids_with_worker": 1.0, "paired": 0.0, "baolian": None})
    50.0
    """
    vals = [v for k, v in shares.items() if k in SCORE_PARTS and v is not None]
    return round(100 * sum(vals) / len(vals), 1) if vals else None


STAGES = ("raised_at", "whistled_at", "assigned_at", "resolved_at", "feedback_at")
Stamps = tuple[Any, ...]


def demand_stamps(net: Net, ctx: Context) -> dict[Node, Stamps]:
    """Per demand raised by the report's moment: its stage times as of that moment (later ones are None),
    then its satisfaction."""
    out = {}
    for d in net.nodes("Demand"):
        a = net.attr(d)
        if a["raised_at"] <= ctx.as_of:
            out[d] = (*(a.get(s) if a.get(s) is not None and a[s] <= ctx.as_of else None for s in STAGES),
                      a.get("satisfaction"))
    return out


def _demand_stats(stamps: list[Stamps]) -> dict[str, Any]:
    responded = sum(1 for s in stamps if s[1] or s[2] or s[3])
    resolved = sum(1 for s in stamps if s[3])
    rated = [s[5] for s in stamps if s[5]]
    medians = {}
    for a, b in STAGE_PAIRS:
        i, j = STAGES.index(a), STAGES.index(b)
        hours = [(s[j] - s[i]).total_seconds() / 3600 for s in stamps if s[i] and s[j]]
        medians[f"{a[:-3]}_to_{b[:-3]}_h"] = round(statistics.median(hours), 1) if hours else None
    return {"demands": len(stamps), "responded_rate": _share(responded, len(stamps)),
            "resolved_rate": _share(resolved, len(stamps)),
            "satisfied_rate": _share(sum(1 for s in rated if s >= 4), len(rated)), "median_hours": medians}


def _block(net: Net, ctx: Context, grids: list[Node], compounds: list[Node], buildings: list[Node],
           communities: list[Node], demands: list[Stamps]) -> dict[str, Any]:
    res = [g for g in grids if net.attr(g).get("kind") == "residential"]
    ft_people = {p for g in res for p in full_time(net, g)}
    households = sum(ctx.grid_households.get(g, 0) for g in res)
    shares = {
        "grids_with_worker": _share(sum(1 for g in grids if workers(net, g)), len(grids)),
        "residential_grids_with_full_time": _share(sum(1 for g in res if full_time(net, g)), len(res)),
        "grids_with_party_org": _share(sum(1 for g in grids if any(
            net.attr(o).get("kind") in ("grid_branch", "grid_group") for o, _ in net.ins(g, "BUILT_ON"))), len(grids)),
        "compounds_with_home_branch": _share(sum(1 for c in compounds if any(
            net.attr(o).get("kind") == "home_branch" for o, _ in net.ins(c, "BUILT_ON"))), len(compounds)),
        "buildings_with_group": _share(sum(1 for b in buildings if any(
            net.attr(o).get("kind") == "building_group" for o, _ in net.ins(b, "BUILT_ON"))), len(buildings)),
        "paired": _share(sum(1 for c in communities if net.ins(c, "PAIRED_WITH")), len(communities)),
        "baolian": _share(sum(1 for c in communities if net.ins(c, "BAOLIAN")), len(communities)),
    }
    return {"grids": len(grids), "residential_grids": len(res), "households": households,
            "full_time_workers": len(ft_people),
            "households_per_full_time": round(households / len(ft_people), 1) if ft_people else None,
            "shares": shares, "coverage_score": coverage_score(shares), **_demand_stats(demands)}


def summarize(net: Net, ctx: Context, findings: list[Finding]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """One summary row per community and per street, with its number of findings by severity."""
    group: dict[str, dict[Node | None, list[Any]]] = {k: defaultdict(list) for k in ("Grid", "Compound", "Building", "Demand")}
    for g in net.nodes("Grid"):
        group["Grid"][net.attr(g).get("community_id")].append(g)
    for c in net.nodes("Compound"):
        group["Compound"][net.attr(c)["community_id"]].append(c)
    for b in net.nodes("Building"):
        group["Building"][net.attr(net.attr(b)["grid_id"]).get("community_id")].append(b)
    for d, stamps in demand_stamps(net, ctx).items():
        group["Demand"][net.attr(net.attr(d)["grid_id"]).get("community_id")].append(stamps)
    counts: dict[Node | None, dict[str, int]] = defaultdict(lambda: {"high": 0, "medium": 0, "low": 0})
    street_counts: dict[Node | None, dict[str, int]] = defaultdict(lambda: {"high": 0, "medium": 0, "low": 0})
    for f in findings:
        counts[f.scope.get("community_id")][f.severity] += 1
        street_counts[f.scope.get("street_id")][f.severity] += 1
    communities = []
    for c in net.nodes("Community"):
        row = {"community_id": c, "name": name_of(net, c), "street_id": net.attr(c)["street_id"],
               "county": net.attr(net.attr(c)["street_id"]).get("county"),
               **_block(net, ctx, group["Grid"][c], group["Compound"][c], group["Building"][c], [c],
                        group["Demand"][c]), "findings": counts[c]}
        communities.append(row)
    streets = []
    for s in net.nodes("Street"):
        cs = [c for c in net.nodes("Community") if net.attr(c)["street_id"] == s]
        grids = [g for c in cs for g in group["Grid"][c]] + [
            g for g in group["Grid"][None] if net.attr(g).get("street_id") == s]
        streets.append({"street_id": s, "name": name_of(net, s), "county": net.attr(s).get("county"),
                        "communities": len(cs),
                        **_block(net, ctx, grids, [x for c in cs for x in group["Compound"][c]],
                                 [x for c in cs for x in group["Building"][c]], cs,
                                 [x for c in cs for x in group["Demand"][c]]), "findings": street_counts[s]})
    return communities, streets
