"""Structure findings: detached party organisations, oversized grids, communities below the standards."""

from __future__ import annotations

import math

from graph.findings import Context, Finding
from graph.network import Net, Node
from graph.rules.catalogue import make, name_of


def detached_orgs(net: Net) -> dict[Node, str]:
    """Organisations whose parent chain never reaches a county committee, with the reason.

    A missing parent or a loop breaks the chain; every organisation on or below the break is detached.
    """
    attached: dict[Node, bool] = {}
    reason: dict[Node, str] = {}
    for start in net.nodes("PartyOrg"):
        path: list[Node] = []
        seen: set[Node] = set()
        n: Node | None = start
        ok, why = False, ""
        while n is not None:
            if n in attached:
                ok, why = attached[n], reason.get(n, "")
                break
            if net.attr(n).get("kind") == "county_committee":
                ok = True
                break
            if n in seen:
                ok, why = False, "loop"
                break
            seen.add(n)
            path.append(n)
            n = net.attr(n).get("parent_id")
            if n is None:
                ok, why = False, "missing_parent"
        if n is not None and net.attr(n).get("kind") == "county_committee":
            attached[n] = True
        for p in path:
            attached[p] = ok
            if not ok:
                reason[p] = why
    return {n: reason[n] for n in net.nodes("PartyOrg") if not attached.get(n, True)}


def structure_findings(net: Net, ctx: Context) -> list[Finding]:
    """ORG_DETACHED, GRID_OVERSIZED, SERVICE_CENTER_, FUNDS_ and STAFF_BELOW_STANDARD."""
    t = ctx.thresholds
    out = []
    for o, why in sorted(detached_orgs(net).items()):
        zh_why = "上级党组织形成循环" if why == "loop" else "缺少上级党组织"
        out.append(make("ORG_DETACHED", net, ctx, o, {"reason": why, "parent_id": net.attr(o).get("parent_id")},
                        f"党组织「{name_of(net, o)}」向上追溯不到县委：{zh_why}",
                        f"following parents upward from {o} never reaches the county committee ({why})"))
    for g in net.nodes("Grid"):
        hh = ctx.grid_households.get(g, 0)
        if net.attr(g).get("kind") == "residential" and hh > t.grid_max_households:
            parts = math.ceil(hh / t.grid_max_households) if t.grid_max_households else 1
            out.append(make("GRID_OVERSIZED", net, ctx, g, {"households": hh, "max": t.grid_max_households},
                            f"网格「{name_of(net, g)}」有 {hh} 户，超过 {t.grid_max_households} 户的标准",
                            f"grid {g} has {hh} households, more than {t.grid_max_households}",
                            suggestion={"kind": "split_grid", "into": parts,
                                        "zh": f"建议拆分为 {parts} 个网格", "en": f"split it into {parts} grids"}))
    for c in net.nodes("Community"):
        a, nm = net.attr(c), name_of(net, c)
        m2 = a.get("service_center_m2")
        if not m2:
            out.append(make("SERVICE_CENTER_BELOW_STANDARD", net, ctx, c, {"service_center_m2": m2 or 0},
                            f"社区「{nm}」没有党群服务中心", f"community {c} has no party-mass service centre",
                            severity="high"))
        elif m2 < t.service_center_min_m2:
            out.append(make("SERVICE_CENTER_BELOW_STANDARD", net, ctx, c,
                            {"service_center_m2": m2, "min": t.service_center_min_m2},
                            f"社区「{nm}」党群服务中心 {m2} 平方米，低于 {t.service_center_min_m2:g} 平方米标准",
                            f"community {c}'s service centre is {m2} m², below {t.service_center_min_m2:g} m²",
                            severity="medium",
                            suggestion={"kind": "add_floor_area", "m2": t.service_center_min_m2 - m2,
                                        "zh": f"需增加 {t.service_center_min_m2 - m2:g} 平方米",
                                        "en": f"add {t.service_center_min_m2 - m2:g} m²"}))
        wf, sf = a.get("work_funds") or 0, a.get("service_funds") or 0
        if wf < t.work_funds_min or sf < t.service_funds_min:
            gap_w, gap_s = max(0, t.work_funds_min - wf), max(0, t.service_funds_min - sf)
            out.append(make("FUNDS_BELOW_STANDARD", net, ctx, c, {"work_funds": wf, "service_funds": sf},
                            f"社区「{nm}」工作经费 {wf:g} 元、服务群众专项经费 {sf:g} 元，未达到 "
                            f"{t.work_funds_min:g}/{t.service_funds_min:g} 元标准",
                            f"community {c}: work funds ¥{wf:g}, service funds ¥{sf:g}, below "
                            f"¥{t.work_funds_min:g}/¥{t.service_funds_min:g}",
                            suggestion={"kind": "add_funds", "work_funds": gap_w, "service_funds": gap_s,
                                        "zh": f"需补足工作经费 {gap_w:g} 元、专项经费 {gap_s:g} 元",
                                        "en": f"add ¥{gap_w:g} work funds and ¥{gap_s:g} service funds"}))
        pop = a.get("population")
        if pop:
            staff = len({p for p, _ in net.ins(c, "STAFF_OF")})
            per10k = staff * 10_000 / pop
            if per10k < t.staff_per_10k_min:
                need = math.ceil(t.staff_per_10k_min * pop / 10_000 - 1e-9) - staff
                out.append(make("STAFF_BELOW_STANDARD", net, ctx, c,
                                {"staff": staff, "population": pop, "per_10k": round(per10k, 2)},
                                f"社区「{nm}」有社区工作者 {staff} 人，每万人 {per10k:.1f} 人，低于 "
                                f"{t.staff_per_10k_min:g} 人标准",
                                f"community {c} has {staff} staff, {per10k:.1f} per 10,000 residents, "
                                f"below {t.staff_per_10k_min:g}",
                                suggestion={"kind": "add_staff", "count": need,
                                            "zh": f"需增配 {need} 名社区工作者", "en": f"add {need} community workers"}))
    return out


RULES = [structure_findings]
