"""Suggestions that a county can act on, each checked so that it overloads no one."""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

import networkx as nx

from graph.derive import county_of, full_time, household_loads, scope_of, workers
from graph.findings import Context, Finding
from graph.network import Net, Node
from graph.rules.catalogue import name_of
from graph.rules.overload import agency_communities


def attach(net: Net, ctx: Context, findings: list[Finding]) -> None:
    """Fill ``suggestion`` on the findings that have a concrete one."""
    by_key = {(f.rule, f.subject_id): f for f in findings}
    _cover_grids(net, ctx, by_key)
    _pair_agencies(net, ctx, by_key)
    _back_up_sole_workers(net, ctx, by_key)
    for f in findings:
        if f.suggestion is None:
            f.suggestion = _simple(net, ctx, f)


def plan_coverage(net: Net, ctx: Context) -> dict[str, Any]:
    """Cover grids without a full-time worker, and relieve overloaded workers, by min-cost flow per street.

    Supply: full-time workers' spare households (threshold − load). Demand: households of residential grids
    with no full-time worker, plus the grids an overloaded worker alone carries, largest first, until the
    worker is back under the threshold. Cost 0 inside the same community, 1 elsewhere in the street.
    Each grid then goes whole to one worker whose spare holds it (checked in order), so no one is
    overloaded by a suggestion; what cannot be placed becomes a number of workers to add.
    """
    cap = ctx.thresholds.worker_max_households
    loads = household_loads(net, ctx.grid_households)
    needs: dict[Node, tuple[int, Node | None]] = {}            # grid -> (households, overloaded worker leaving)
    for g in net.nodes("Grid"):
        if net.attr(g).get("kind") == "residential" and not full_time(net, g) and ctx.grid_households.get(g, 0) > 0:
            needs[g] = (ctx.grid_households[g], None)
    for p, load in sorted(loads.items()):
        if load <= cap:
            continue
        alone = sorted((g for g, d in net.outs(p, "ASSIGNED_TO") if d["role"] == "full_time"
                        and full_time(net, g) == [p]), key=lambda g: -ctx.grid_households.get(g, 0))
        for g in alone:
            if load <= cap:
                break
            needs[g] = (ctx.grid_households[g], p)
            load -= ctx.grid_households[g]
    spare = {p: cap - load for p, load in loads.items() if load < cap}
    community = {p: {net.attr(g).get("community_id") for g, d in net.outs(p, "ASSIGNED_TO") if d["role"] == "full_time"}
                 for p in spare}
    street_of = lambda g: scope_of(net, g, ctx.scope_cache)["street_id"]  # noqa: E731
    street = {p: {street_of(g) for g, d in net.outs(p, "ASSIGNED_TO") if d["role"] == "full_time"}
              for p in spare}
    by_street: dict[Node | None, list[Node]] = defaultdict(list)
    for g in sorted(needs):
        by_street[street_of(g)].append(g)
    placed: dict[Node, Node] = {}
    for st, grids in sorted(by_street.items(), key=lambda kv: str(kv[0])):
        cands = sorted(p for p in spare if st in street[p] and spare[p] > 0)
        if not cands:
            continue
        F = nx.DiGraph()
        for p in cands:
            F.add_edge("_s", ("w", p), capacity=int(spare[p]), weight=0)
        for g in grids:
            hh, leaving = needs[g]
            F.add_edge(("g", g), "_t", capacity=hh, weight=0)
            for p in cands:
                if p != leaving:
                    cost = 0 if net.attr(g).get("community_id") in community[p] else 1
                    F.add_edge(("w", p), ("g", g), capacity=hh, weight=cost)
        flow = nx.max_flow_min_cost(F, "_s", "_t")
        for g in sorted(grids, key=lambda g: -needs[g][0]):
            hh = needs[g][0]
            offers = sorted(((flow[("w", p)].get(("g", g), 0), p) for p in cands if ("g", g) in flow[("w", p)]),
                            reverse=True)
            fallback = sorted(cands, key=lambda p: (net.attr(g).get("community_id") not in community[p], -spare[p]))
            for _, p in [*offers, *((0, p) for p in fallback)]:
                if spare[p] >= hh:
                    placed[g] = p
                    spare[p] -= hh
                    break
    unmet: dict[Node | None, int] = defaultdict(int)
    for g, (hh, _) in needs.items():
        if g not in placed:
            unmet[net.attr(g).get("community_id")] += hh
    add = {c: math.ceil(hh / cap) if cap else 0 for c, hh in unmet.items()}
    return {"needs": needs, "placed": placed, "add_workers": add, "loads": loads, "spare": spare}


def _cover_grids(net: Net, ctx: Context, by_key: dict[tuple[str, str], Finding]) -> None:
    plan = plan_coverage(net, ctx)
    loads, placed, add = plan["loads"], plan["placed"], plan["add_workers"]
    for g, (hh, leaving) in plan["needs"].items():
        p = placed.get(g)
        c = net.attr(g).get("community_id")
        if p:
            s = {"kind": "assign_full_time", "grid_id": g, "person_id": p, "name": name_of(net, p),
                 "load_before": round(loads.get(p, 0), 1), "households": hh,
                 "zh": f"建议由专职网格员「{name_of(net, p)}」（现负担 {loads.get(p, 0):.0f} 户）负责网格「{name_of(net, g)}」",
                 "en": f"assign full-time worker {p} (now {loads.get(p, 0):.0f} households) to grid {g}"}
        else:
            n = add.get(c, 1)
            s = {"kind": "add_workers", "community_id": c, "count": n,
                 "zh": f"本街道没有余力足够的专职网格员，社区需增配 {n} 名专职网格员",
                 "en": f"no full-time worker in the street has spare capacity: the community needs {n} more"}
        if leaving:
            f = by_key.get(("WORKER_OVERLOADED", leaving))
            if f:
                moves = (f.suggestion or {}).get("hand_over", []) + [{"grid_id": g, **{k: s[k] for k in s if k != "kind"}}]
                f.suggestion = {"kind": "hand_over", "hand_over": moves,
                                "zh": "；".join(m["zh"] for m in moves), "en": "; ".join(m["en"] for m in moves)}
        else:
            for rule in ("GRID_NO_WORKER", "GRID_NO_FULL_TIME"):
                if (rule, g) in by_key:
                    by_key[(rule, g)].suggestion = s


def _pair_agencies(net: Net, ctx: Context, by_key: dict[tuple[str, str], Finding]) -> None:
    cap = ctx.thresholds.agency_max_communities
    load = {ag: len(agency_communities(net, ag)) for ag in net.nodes("Agency")}
    county = {ag: county_of(net, ag) for ag in load}
    for rule, verb_zh, verb_en in (("COMMUNITY_NO_PAIRING", "双报到", "dual-report to"),
                                   ("COMMUNITY_NO_BAOLIAN", "包联", "take contact responsibility for")):
        for c in net.nodes("Community"):
            f = by_key.get((rule, c))
            if f is None:
                continue
            here = county_of(net, c)  # agencies serve communities of their own county only
            cands = sorted((n, ag) for ag, n in load.items() if n < cap and county[ag] in (None, here))
            if not cands:
                f.suggestion = {"kind": "no_agency_available",
                                "zh": f"所有单位联系社区均已达 {cap} 个，需新增单位", "en": "every agency is at its limit"}
                continue
            n, ag = cands[0]
            load[ag] = n + 1
            f.suggestion = {"kind": "pair_agency", "agency_id": ag, "name": name_of(net, ag),
                            "load_before": n, "load_after": n + 1,
                            "zh": f"建议由「{name_of(net, ag)}」（现联系 {n} 个社区）到本社区{verb_zh}",
                            "en": f"agency {ag} (tied to {n} communities) could {verb_en} it"}
            nf = by_key.get(("AGENCY_NOT_PAIRED", ag))
            if nf and rule == "COMMUNITY_NO_PAIRING" and nf.suggestion is None:
                nf.suggestion = {"kind": "pair_community", "community_id": c, "name": name_of(net, c),
                                 "zh": f"建议到社区「{name_of(net, c)}」双报到", "en": f"dual-report to community {c}"}


def _back_up_sole_workers(net: Net, ctx: Context, by_key: dict[tuple[str, str], Finding]) -> None:
    t = ctx.thresholds
    grids_of = {p: len({g for g, _ in net.outs(p, "ASSIGNED_TO")}) for p in net.sources("ASSIGNED_TO")}
    in_community: dict[Node | None, set[Node]] = defaultdict(set)
    for g2 in net.nodes("Grid"):
        in_community[net.attr(g2).get("community_id")].update(workers(net, g2))
    for (rule, p), f in sorted(by_key.items()):
        if rule != "SOLE_WORKER":
            continue
        backups = []
        for g in f.metrics["grids"]:
            c = net.attr(g).get("community_id")
            peers = sorted((in_community[c] if c else set()) - {p}, key=lambda q: (grids_of.get(q, 0), q))
            for q in peers:
                if grids_of.get(q, 0) + 1 <= t.worker_max_grids:
                    grids_of[q] = grids_of.get(q, 0) + 1
                    backups.append({"grid_id": g, "person_id": q, "name": name_of(net, q)})
                    break
        if backups:
            f.suggestion = {"kind": "back_up", "backups": backups,
                            "zh": "；".join(f"建议「{b['name']}」兼任网格「{name_of(net, b['grid_id'])}」的 B 岗网格员"
                                           for b in backups),
                            "en": "; ".join(f"{b['person_id']} could back up grid {b['grid_id']} part-time"
                                            for b in backups)}


def _simple(net: Net, ctx: Context, f: Finding) -> dict[str, Any] | None:
    t = ctx.thresholds
    if f.rule == "CENTRAL_HOUSEHOLD_OVERLOADED":
        n = math.ceil(f.metrics["linked_households"] / t.central_household_max_linked) - 1
        return {"kind": "add_central_households", "count": n, "zh": f"建议在本楼门再确定 {n} 户党员中心户分担联系",
                "en": f"name {n} more central household(s) in the group to share the contacts"}
    if f.rule == "WORKER_TOO_MANY_GRIDS":
        n = len(f.metrics["grids"]) - t.worker_max_grids
        return {"kind": "hand_over_grids", "count": n, "zh": f"建议移交 {n} 个网格", "en": f"hand over {n} grid(s)"}
    if f.rule == "DEMAND_OVERDUE":
        return {"kind": "escalate", "zh": "建议社区吹哨、街道督办，部门限期办结",
                "en": "have the community whistle and the street supervise until the department resolves it"}
    if f.rule == "AGENCY_MEMBERS_UNREPORTED":
        return {"kind": "report_members", "count": f.metrics["unreported"],
                "zh": f"督促 {f.metrics['unreported']} 名在职党员到居住社区报到",
                "en": f"have {f.metrics['unreported']} members report to the community they live in"}
    if f.rule in ("ORG_NO_SECRETARY", "ORG_DETACHED", "GRID_NO_PARTY_ORG", "COMPOUND_NO_HOME_BRANCH",
                  "BUILDING_NO_GROUP", "GROUP_NO_CENTRAL_HOUSEHOLD", "ROLE_CONCENTRATION", "WORKER_DEMAND_BACKLOG"):
        text = {
            "ORG_NO_SECRETARY": ("尽快选配书记", "appoint a secretary"),
            "ORG_DETACHED": ("理顺隶属关系，明确上级党组织", "attach it to its parent organisation"),
            "GRID_NO_PARTY_ORG": ("依托网格建立网格党小组（支部建到网格上）", "form a grid group on the grid"),
            "COMPOUND_NO_HOME_BRANCH": ("组建家园党支部", "form a home branch for the compound"),
            "BUILDING_NO_GROUP": ("组建楼门党小组", "form a building group"),
            "GROUP_NO_CENTRAL_HOUSEHOLD": ("确定党员中心户", "name a central household"),
            "ROLE_CONCENTRATION": ("分解职责，由其他同志分担", "spread the responsibilities"),
            "WORKER_DEMAND_BACKLOG": ("将部分诉求转交同网格其他网格员", "pass some demands to other workers"),
        }[f.rule]
        return {"kind": "action", "zh": text[0], "en": text[1]}
    return None
