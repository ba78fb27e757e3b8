"""Who takes which grid: whole grids to full-time workers, and part-time back-ups, from one county-wide flow.

The flow (graph.plan.flow) decides how many households (or back-up places) each community lends to each
other, cheapest nearby; whole grids are then placed within those budgets, best fit first, and what rounding
leaves over goes to the nearest worker who still has room. Every placement is checked against the model
(graph.plan.model) so that no one ends above a threshold.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable

from graph.network import Node
from graph.plan.flow import Place, route
from graph.plan.model import State

EPS = 1e-6  # loads are sums of shares: keep clear of the limit by more than rounding


def leave_shared(st: State, person: Node) -> dict[Node, Node]:
    """An overloaded worker leaves grids they share with other full-time workers, who have room to carry them
    (smallest share that is enough first, else the largest); returns grid -> the co-worker who keeps it."""
    cap = st.t.worker_max_households
    out: dict[Node, Node] = {}
    while st.load[person] > cap:
        options = []
        for g in st.grids[person]:
            ft = st.full_time(g)
            if person in ft and len(ft) > 1 and st.residential(g):
                now, then = st.share_after(g, 0), st.share_after(g, -1)
                if all(st.load[q] - now + then <= cap - EPS for q in ft if q != person):
                    options.append((now, g, min((st.load[q], q) for q in ft if q != person)[1]))
        if not options:
            break
        excess = st.load[person] - cap
        options.sort()
        now, g, keeper = next((o for o in options if o[0] >= excess), options[-1])
        st.remove(person, g, "full_time")
        out[g] = keeper
    return out


def to_relieve(st: State, person: Node) -> list[Node]:
    """The grids an overloaded worker should hand over whole: grids where they are the one full-time worker,
    chosen so that few households move (the smallest grid that is enough, else the largest, until under the
    limit). Grids larger than the limit by themselves stay (no one could take them whole).

    >>> class S:  # a stand-in for the model: one worker with three grids of 400, 150 and 60 households
    ...     class t: worker_max_households = 500
    ...     load = {"P": 610}; hh = {"G1": 400, "G2": 150, "G3": 60}
    ...     grids = {"P": {"G1", "G2", "G3"}}
    ...     def residential(self, g): return True
    ...     def full_time(self, g): return ["P"]
    >>> to_relieve(S(), "P")
    ['G2']
    """
    cap = st.t.worker_max_households
    load = st.load[person]
    own = sorted((g for g in st.grids[person] if st.residential(g) and st.full_time(g) == [person]
                  and 0 < st.hh.get(g, 0) <= cap), key=lambda g: (st.hh[g], g))
    out: list[Node] = []
    while load > cap and own:
        excess = load - cap
        enough = [g for g in own if st.hh[g] >= excess]
        g = enough[0] if enough else own[-1]
        own.remove(g)
        out.append(g)
        load -= st.hh[g]
    return out


def share_oversized(st: State, person: Node, cross: bool) -> dict[Node, Node]:
    """A worker still over the limit shares a grid they carry alone with a second full-time worker nearby,
    when that brings them under it and the second stays under it too; returns grid -> the second worker."""
    cap = st.t.worker_max_households
    home = st.place(person)
    for g in sorted(st.grids[person], key=lambda g: (-st.hh.get(g, 0), g)):
        if not (st.residential(g) and st.full_time(g) == [person]):
            continue
        half = st.share_after(g, 1)
        if st.load[person] - st.hh.get(g, 0) + half > cap - EPS:
            continue
        pool = st.grids if cross else st.in_street(home[0])
        near = [(_tier(st.place(p), home), st.load[p], p) for p in pool
                if 0 < st.load[p] and st.load[p] + half <= cap - EPS  # the cheapest test first
                and p != person and g not in st.grids[p] and st.slots(p) >= 1]
        if near:
            p = min(near)[2]
            st.add(p, g, "full_time")
            return {g: p}
    return {}


def _tier(src: Place, dst: Place) -> int:
    return 0 if src == dst else 1 if src[0] == dst[0] else 2


class _Places:
    """Candidates by place, and the places to try for a grid: the flow's budgets first, then nearest first."""

    def __init__(self, st: State, people: Iterable[Node], amount: Callable[[Node], int],
                 demand: dict[Place, int], cross: bool) -> None:
        self.cross = cross
        self.at: dict[Place, list[Node]] = defaultdict(list)
        for p in sorted(people):
            self.at[st.place(p)].append(p)
        self.by_street: dict[str | None, list[Place]] = defaultdict(list)
        for pl in sorted(self.at, key=str):
            self.by_street[pl[0]].append(pl)
        supply = {pl: sum(amount(p) for p in ps) for pl, ps in self.at.items()}
        self.budget: dict[Place, dict[Place, int]] = defaultdict(dict)
        for (src, dst), v in route(supply, demand, cross).items():
            self.budget[dst][src] = v

    def order(self, dst: Place) -> list[tuple[Place, bool]]:
        """(place, within budget) in the order to try: places the flow sends here, then the rest nearest first."""
        funded = sorted(self.budget[dst], key=lambda s: (_tier(s, dst), -self.budget[dst][s], str(s)))
        rest = [dst] if dst in self.at else []
        rest += [pl for pl in self.by_street.get(dst[0], []) if pl != dst]
        if self.cross:
            rest += [pl for s, pls in sorted(self.by_street.items(), key=lambda kv: str(kv[0])) if s != dst[0]
                     for pl in pls]
        return [(s, True) for s in funded] + [(s, False) for s in rest]

    def spend(self, src: Place, dst: Place, amount: int) -> None:
        if src in self.budget[dst]:
            self.budget[dst][src] = max(0, self.budget[dst][src] - amount)


def place_full_time(st: State, needs: dict[Node, Node | None], cross: bool, exclude: set[Node]) -> dict[Node, Node]:
    """Give each grid of ``needs`` (grid -> the overloaded worker handing it over, or None) one full-time worker
    whose load stays within the limit; returns grid -> worker for the grids placed (the model is updated)."""
    cap = st.t.worker_max_households

    def spare(p: Node) -> int:
        return max(0, math.floor(cap - st.load[p]))

    people = [p for p, gs in st.grids.items() if p not in exclude and st.slots(p) >= 1 and st.load[p] <= cap - EPS
              and any("full_time" in st.on[g][p] for g in gs)]
    demand: dict[Place, int] = defaultdict(int)
    for g in needs:
        demand[st.place(g)] += st.hh.get(g, 0)
    places = _Places(st, people, spare, demand, cross)
    placed: dict[Node, Node] = {}
    for g in sorted(needs, key=lambda g: (-st.hh.get(g, 0), g)):
        hh, leaving, dst = st.hh.get(g, 0), needs[g], st.place(g)
        for src, funded in places.order(dst):
            if funded and places.budget[dst][src] <= 0:
                continue
            fits = [(spare(p) - hh, p) for p in places.at[src]
                    if p != leaving and g not in st.grids[p] and st.slots(p) >= 1 and st.load[p] + hh <= cap - EPS]
            if fits:
                p = min(fits)[1]
                if leaving is not None:
                    st.remove(leaving, g, "full_time")
                st.add(p, g, "full_time")
                placed[g] = p
                places.spend(src, dst, hh)
                break
    return placed


def find_workers(st: State, grids: Iterable[Node], cross: bool, role: str = "part_time") -> dict[Node, Node]:
    """One more worker for each of ``grids`` (in ``role``), among people who already work on some grid, have room
    for one more and carry no more households than the limit; nearest first, fewest grids first. Returns
    grid -> person (the model is updated)."""
    grids = sorted(set(grids))
    if not grids:
        return {}
    cap = st.t.worker_max_households
    room = {p: n for p, gs in st.grids.items() if gs and (n := st.slots(p)) >= 1 and st.load[p] <= cap}
    demand: dict[Place, int] = defaultdict(int)
    for g in grids:
        demand[st.place(g)] += 1
    places = _Places(st, room, room.__getitem__, demand, cross)
    found: dict[Node, Node] = {}
    for g in grids:
        dst = st.place(g)
        for src, funded in places.order(dst):
            if funded and places.budget[dst][src] <= 0:
                continue
            fits = [(len(st.grids[p]), p) for p in places.at[src] if g not in st.grids[p] and st.slots(p) >= 1]
            if fits:
                p = min(fits)[1]
                st.add(p, g, role)
                found[g] = p
                places.spend(src, dst, 1)
                break
    return found
