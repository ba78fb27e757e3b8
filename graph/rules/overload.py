"""Overload findings (people, central households and agencies carrying too much) and overdue demands."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import timedelta

from graph.derive import household_loads, workers
from graph.findings import Context, Finding, at_risk
from graph.network import Net, Node
from graph.rules.catalogue import make, name_of


def open_demands(net: Net, ctx: Context) -> list[Node]:
    """Ids of the demands raised at or before the report's moment and not resolved at or before it, sorted."""
    return sorted(r["id"] for r in net.demands.open_at(ctx.as_of))


#: A person's responsibilities by kind: (kind, relationship, whether the person is its source).
ROLES = (("grid_assignment", "ASSIGNED_TO", True), ("secretary", "SECRETARY", False),
         ("community_staff", "STAFF_OF", True), ("central_household", "HOUSEHOLD_OF", False),
         ("project", "LED_BY", False))


def responsibilities(net: Net, p: Node) -> Counter[str]:
    """A person's responsibilities by kind (one per grid assignment, secretaryship, staff row, …)."""
    return Counter({kind: len(net.outs(p, rel) if source else net.ins(p, rel)) for kind, rel, source in ROLES})


def responsibility_counts(net: Net, people: Iterable[Node]) -> dict[Node, int]:
    """How many responsibilities each of ``people`` holds (:func:`responsibilities`, summed), from the edge maps."""
    counts = dict.fromkeys(people, 0)
    for _, rel, source in ROLES:
        for p, edges in (net.out_map(rel) if source else net.in_map(rel)).items():
            if p in counts:
                counts[p] += len(edges)
    return counts


def person_findings(net: Net, ctx: Context) -> list[Finding]:
    """WORKER_OVERLOADED, WORKER_TOO_MANY_GRIDS, ROLE_CONCENTRATION, SOLE_WORKER, WORKER_DEMAND_BACKLOG."""
    t = ctx.thresholds
    out = []
    loads = household_loads(net, ctx.grid_households)
    for p, load in sorted(loads.items()):
        if load > t.worker_max_households:
            sev = "high" if load > 1.5 * t.worker_max_households else "medium"
            grids = sorted({g for g, d in net.outs(p, "ASSIGNED_TO") if d["role"] == "full_time"})
            out.append(make("WORKER_OVERLOADED", net, ctx, p,
                            {"load_households": round(load, 1), "max": t.worker_max_households, "grids": grids},
                            f"专职网格员「{name_of(net, p)}」负担 {load:.0f} 户，超过 {t.worker_max_households:g} 户",
                            f"full-time worker {p} carries {load:.0f} households, more than "
                            f"{t.worker_max_households:g}", severity=sev))
    sole: dict[Node, list[Node]] = defaultdict(list)
    for g in net.nodes("Grid"):
        ws = workers(net, g)
        a = net.attr(g)
        if len(ws) == 1 and (ctx.grid_households.get(g, 0) > 0 or (a.get("people") or 0) > 0):
            sole[next(iter(ws))].append(g)
    backlog = Counter(r.get("handler_id") for r in net.demands.open_at(ctx.as_of))
    assigned = net.out_map("ASSIGNED_TO")
    totals = responsibility_counts(net, net.nodes("Person"))
    for p in net.nodes("Person"):
        total, mine = totals[p], assigned.get(p, ())
        grids = sorted({g for g, _ in mine}) if mine else []
        # named and looked at closer only when one of the rules holds (most people: none)
        if not (len(grids) > t.worker_max_grids or total > t.person_max_roles or p in sole
                or backlog.get(p, 0) > t.worker_max_open_demands):
            continue
        nm = name_of(net, p)
        if len(grids) > t.worker_max_grids:
            out.append(make("WORKER_TOO_MANY_GRIDS", net, ctx, p, {"grids": grids, "max": t.worker_max_grids},
                            f"网格员「{nm}」负责 {len(grids)} 个网格，超过 {t.worker_max_grids} 个",
                            f"{p} is assigned to {len(grids)} grids, more than {t.worker_max_grids}"))
        if total > t.person_max_roles:
            roles = responsibilities(net, p)
            out.append(make("ROLE_CONCENTRATION", net, ctx, p, {"roles": dict(roles), "total": total},
                            f"「{nm}」身兼 {total} 项职责，超过 {t.person_max_roles} 项",
                            f"{p} holds {total} responsibilities, more than {t.person_max_roles}"))
        if p in sole:
            gs = sorted(sole[p])
            hh = sum(ctx.grid_households.get(g, 0) for g in gs)
            ppl = sum(net.attr(g).get("people") or 0 for g in gs)
            zh, en = at_risk(hh, ppl)
            out.append(make("SOLE_WORKER", net, ctx, p, {"grids": gs, "households_at_risk": hh, "people_at_risk": ppl},
                            f"「{nm}」是{_grids_zh(net, gs)}唯一的网格员，一旦缺位 {zh}无人负责",
                            f"{p} is the only worker of grid{'s' if len(gs) > 1 else ''} {', '.join(gs[:3])}"
                            f"{f' and {len(gs) - 3} more' if len(gs) > 3 else ''}: losing them leaves {en} uncovered"))
        if backlog.get(p, 0) > t.worker_max_open_demands:
            out.append(make("WORKER_DEMAND_BACKLOG", net, ctx, p,
                            {"open_demands": backlog[p], "max": t.worker_max_open_demands},
                            f"「{nm}」代办的未办结诉求有 {backlog[p]} 件，超过 {t.worker_max_open_demands} 件",
                            f"{p} carries {backlog[p]} open demands, more than {t.worker_max_open_demands}"))
    return out


def other_overloads(net: Net, ctx: Context) -> list[Finding]:
    """CENTRAL_HOUSEHOLD_OVERLOADED, AGENCY_OVERSTRETCHED and DEMAND_OVERDUE."""
    t = ctx.thresholds
    out = []
    for h in net.nodes("CentralHousehold"):
        linked = net.attr(h).get("linked_households") or 0
        if linked > t.central_household_max_linked:
            out.append(make("CENTRAL_HOUSEHOLD_OVERLOADED", net, ctx, h,
                            {"linked_households": linked, "max": t.central_household_max_linked},
                            f"党员中心户「{name_of(net, h)}」联系 {linked} 户，超过 {t.central_household_max_linked} 户",
                            f"central household {h} keeps in touch with {linked} households, more than "
                            f"{t.central_household_max_linked}"))
    for ag in net.nodes("Agency"):
        tied = agency_communities(net, ag)
        if len(tied) > t.agency_max_communities:
            out.append(make("AGENCY_OVERSTRETCHED", net, ctx, ag,
                            {"communities": sorted(tied), "max": t.agency_max_communities},
                            f"单位「{name_of(net, ag)}」联系 {len(tied)} 个社区（报到与包联），超过 "
                            f"{t.agency_max_communities} 个",
                            f"agency {ag} is tied to {len(tied)} communities, more than {t.agency_max_communities}"))
    limit = timedelta(days=t.demand_overdue_days)
    for row in net.demands.open_at(ctx.as_of):
        d, age = row["id"], ctx.as_of - row["raised_at"]
        if age > limit:
            days = age.total_seconds() / 86400
            out.append(make("DEMAND_OVERDUE", net, ctx, d,
                            {"age_days": round(days, 1), "max_days": t.demand_overdue_days,
                             "handler_id": row.get("handler_id"), "department_id": row.get("department_id"),
                             "department": name_of(net, row.get("department_id"))},
                            f"诉求 {d} 已提出 {days:.1f} 天仍未办结（时限 {t.demand_overdue_days:g} 天）",
                            f"demand {d} has been open for {days:.1f} days (limit {t.demand_overdue_days:g})"))
    return out


def _grids_zh(net: Net, grids: list[Node]) -> str:
    """The grids named, at most three: 网格「一网格」 or 网格「甲」「乙」「丙」等 5 个网格."""
    names = "".join(f"「{name_of(net, g)}」" for g in grids[:3])
    return f"网格{names}" + (f"等 {len(grids)} 个网格" if len(grids) > 3 else "")


def agency_communities(net: Net, ag: Node) -> set[Node]:
    """Distinct communities an agency is tied to through pairings and baolian."""
    return {c for c, _ in net.outs(ag, "PAIRED_WITH")} | {c for c, _ in net.outs(ag, "BAOLIAN")}


RULES = [person_findings, other_overloads]
