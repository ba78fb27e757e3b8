"""One plan per data set: the concrete actions that clear findings without opening new ones, and its summary.

``build_plan`` decides (graph.plan.staff over the model of graph.plan.model); ``graph.plan.actions`` writes the
actions, what each clears, and the summary; ``graph.plan.apply`` carries a plan out on a data set.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

from graph.derive import county_of
from graph.findings import Context, Finding
from graph.network import Net, Node
from graph.plan import actions as act
from graph.plan.annotate import annotate
from graph.plan.model import State
from graph.plan.staff import find_workers, leave_shared, place_full_time, share_oversized, to_relieve

GRID_RULES = ("GRID_NO_WORKER", "GRID_NO_FULL_TIME")


def build_plan(net: Net, ctx: Context, findings: list[Finding]) -> dict[str, Any]:
    """The county's plan: ``{"actions": [...], "summary": {...}}`` (the JSON of the issue and interfaces.md).

    Each finding also gets ``actions`` (the ids of the actions that address it) and, when none clears it,
    ``why``: see :func:`graph.plan.actions.annotate`.
    """
    t = ctx.thresholds
    cross = t.plan_cross_street
    st = State(net, ctx)
    by_key = {(f.rule, f.subject_id): f for f in findings}
    cap = t.worker_max_households
    # 1. Full-time workers: residential grids without one, and grids overloaded workers hand over.
    needs: dict[Node, Node | None] = {}
    for rule in GRID_RULES:
        for f in findings:
            if f.rule == rule and st.residential(f.subject_id) and not st.full_time(f.subject_id):
                needs[f.subject_id] = None
    overloaded = {f.subject_id for f in findings if f.rule == "WORKER_OVERLOADED"}
    placed: dict[Node, Node] = {}
    for o in sorted(overloaded):
        for g, keeper in leave_shared(st, o).items():
            needs[g], placed[g] = o, keeper
        for g in to_relieve(st, o):
            needs[g] = o
    placed.update(place_full_time(st, {g: o for g, o in needs.items() if g not in placed}, cross, exclude=overloaded))
    shared: dict[Node, Node] = {}
    for o in sorted(overloaded):
        if st.load[o] > cap:
            shared.update(share_oversized(st, o, cross))
    # 2. Grids the plan leaves with one worker need a back-up; a hand-over's old worker stays as one if no one
    #    else can, and an assignment no one can back up is not made (the grid waits for a hire).
    sole_before = {f.subject_id for f in findings if f.rule == "SOLE_WORKER"}
    new_sole = {g: p for p, gs in st.sole_grids().items() if p not in sole_before for g in gs}
    backups = find_workers(st, new_sole, cross)
    for g, p in sorted(new_sole.items()):
        if g in backups:
            continue
        leaving = needs.get(g)
        if leaving is not None:
            st.add(leaving, g, "part_time")
            backups[g] = leaving
        else:
            st.remove(p, g, "full_time")
            del placed[g]
    # 3. Grids with no worker at all that need no full-time one: a part-time worker, and a back-up where
    #    someone lives or works there (both or neither).
    empty = sorted(f.subject_id for f in findings if f.rule == "GRID_NO_WORKER" and not st.residential(f.subject_id)
                   and not st.on[f.subject_id])
    covers = find_workers(st, empty, cross)
    second = find_workers(st, [g for g in covers if st.at_risk(g)], cross)
    for g in list(covers):
        if st.at_risk(g) and g not in second:
            st.remove(covers.pop(g), g, "part_time")
    # 4. Back-ups for the sole workers the data set has: for all of a worker's lone grids, or for none.
    lone = st.sole_grids()
    wanted = {g: p for p in sorted(sole_before) for g in lone.get(p, [])}
    found = find_workers(st, wanted, cross)
    for p in sorted(sole_before):
        if not all(g in found for g in lone.get(p, [])):
            for g in lone.get(p, []):
                if g in found:
                    st.remove(found.pop(g), g, "part_time")
    backups.update(found)
    # 5. Agencies: a pairing and a baolian for each community without, unpaired agencies first.
    ties = _agencies(st, findings)
    # 6. What no one can take: full-time workers to hire, once per community (or street).
    hires: dict[tuple[str | None, str | None], list[tuple[float, list[tuple[str, str]]]]] = defaultdict(list)
    for g, leaving in sorted(needs.items()):
        if g in placed or (leaving is not None and st.load[leaving] <= cap):
            continue
        rule = "WORKER_OVERLOADED" if leaving else next(r for r in GRID_RULES if (r, g) in by_key)
        hires[st.place(g)].append((st.hh.get(g, 0), [(rule, leaving or g)]))
    for o in sorted(overloaded):
        if st.load[o] > cap and not any(needs.get(g) == o and g not in placed for g in needs):
            hires[st.place(o)].append((st.load[o] - cap, [("WORKER_OVERLOADED", o)]))
    hire_counts = {pl: (_bins([a for a, _ in items], cap), sorted({k for _, ks in items for k in ks}))
                   for pl, items in hires.items()}
    plan = act.write(st, by_key, placed, needs, shared, backups, covers, second, ties, hire_counts)
    annotate(findings, plan, st)
    return plan


def _agencies(st: State, findings: list[Finding]) -> list[tuple[str, Node, Node]]:
    """(table, agency, community) ties to add: every community without a pairing or baolian gets one from an
    agency under its limit (an unpaired agency first, then the least tied); unpaired agencies left over pair
    with the community that has the fewest pairings."""
    cap = st.t.agency_max_communities
    out: list[tuple[str, Node, Node]] = []
    county = {a: county_of(st.net, a) for a in st.ties}
    county.update((c, county_of(st.net, c)) for c in st.paired)  # every community's, once

    def room(a: Node, c: Node) -> bool:
        # an agency serves communities of its own county only (a province holds many counties)
        if county[a] is not None and county[a] != county[c]:
            return False
        return c in st.ties[a] or len(st.ties[a]) < cap

    for rule, table in (("COMMUNITY_NO_PAIRING", "pairings"), ("COMMUNITY_NO_BAOLIAN", "baolian")):
        for c in sorted(f.subject_id for f in findings if f.rule == rule):
            ranked = [(table != "pairings" or st.agency_paired[a] > 0, c not in st.ties[a], len(st.ties[a]), a)
                      for a in st.ties if room(a, c)]
            if ranked:
                a = min(ranked)[3]
                st.tie(a, c, table)
                out.append((table, a, c))
    for a in sorted(f.subject_id for f in findings if f.rule == "AGENCY_NOT_PAIRED"):
        if st.agency_paired[a] == 0:
            near = [(c not in st.ties[a], n, c) for c, n in st.paired.items() if room(a, c)]
            if near:
                c = min(near)[2]
                st.tie(a, c, "pairings")
                out.append(("pairings", a, c))
    return out


def _bins(amounts: list[float], cap: float) -> int:
    """How many full-time workers carry ``amounts`` of households (each whole) within ``cap`` (first fit,
    largest first); an amount above the limit by itself needs ceil(amount / cap) — at least one in all.

    >>> _bins([300, 250, 200, 100], 500)
    2
    >>> _bins([700], 500), _bins([], 500)
    (2, 1)
    """
    if cap <= 0:
        return max(1, len(amounts))
    big = sum(math.ceil(a / cap) for a in amounts if a > cap)
    free: list[float] = []
    for a in sorted((a for a in amounts if a <= cap), reverse=True):
        for i, f in enumerate(free):
            if f >= a:
                free[i] -= a
                break
        else:
            free.append(cap - a)
    return max(1, big + len(free))
