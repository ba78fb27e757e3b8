"""The county as a plan would leave it: who works on each grid, loads, grid and role counts, agency ties.

The plan changes this model as it decides, and checks each change against the thresholds the rules use, so
that carrying out the whole plan clears what it claims and opens nothing new.
"""

from __future__ import annotations

from collections import defaultdict

from graph.derive import household_loads, scope_of
from graph.findings import Context
from graph.network import Net, Node
from graph.plan.flow import Place
from graph.rules.overload import agency_communities, responsibility_counts


class State:
    """The after-plan state of everything the plan may change."""

    def __init__(self, net: Net, ctx: Context) -> None:
        self.net, self.ctx, self.t = net, ctx, ctx.thresholds
        self.max_grids, self.max_roles = self.t.worker_max_grids, self.t.person_max_roles
        self.hh = ctx.grid_households
        self.on: dict[Node, dict[Node, set[str]]] = {}
        self.grids: dict[Node, set[Node]] = defaultdict(set)
        for g in net.nodes("Grid"):
            on: dict[Node, set[str]] = {}
            for p, d in net.ins(g, "ASSIGNED_TO"):
                on.setdefault(p, set()).add(d["role"])
                self.grids[p].add(g)
            self.on[g] = on
        self.load: dict[Node, float] = defaultdict(float, household_loads(net, self.hh))
        self.roles: dict[Node, int] = responsibility_counts(net, self.grids)
        self.ties: dict[Node, set[Node]] = {a: agency_communities(net, a) for a in net.nodes("Agency")}
        self.paired: dict[Node, int] = {c: len(net.ins(c, "PAIRED_WITH")) for c in net.nodes("Community")}
        self.baolian: dict[Node, int] = {c: len(net.ins(c, "BAOLIAN")) for c in net.nodes("Community")}
        self.agency_paired: dict[Node, int] = {a: len(net.outs(a, "PAIRED_WITH")) for a in net.nodes("Agency")}
        # where each worker is: the place of their first grid (as graph.derive.scope_of places a person)
        self._places: dict[Node, Place] = {}
        self.home: dict[Node, Place] = {p: self.place(min(gs)) for p, gs in self.grids.items()}
        self._by_street: dict[str | None, list[Node]] = defaultdict(list)
        for p in sorted(self.home):
            self._by_street[self.home[p][0]].append(p)

    def place(self, n: Node) -> Place:
        """(street, community) of a grid, community or worker."""
        if n in self._places:
            return self._places[n]
        if n in getattr(self, "home", ()):
            return self.home[n]
        s = scope_of(self.net, n, self.ctx.scope_cache)
        self._places[n] = out = (s["street_id"], s["community_id"])
        return out

    def in_street(self, street: str | None) -> list[Node]:
        """The workers of a street (by where the data set places them)."""
        return self._by_street.get(street, [])

    def residential(self, g: Node) -> bool:
        return bool(self.net.attr(g).get("kind") == "residential")

    def at_risk(self, g: Node) -> bool:
        """True when a grid has households or people, so that a single worker there is a sole-worker risk."""
        return self.hh.get(g, 0) > 0 or (self.net.attr(g).get("people") or 0) > 0

    def full_time(self, g: Node) -> list[Node]:
        return sorted(p for p, roles in self.on[g].items() if "full_time" in roles)

    def slots(self, p: Node) -> int:
        """How many more grid assignments ``p`` can take without too many grids or responsibilities."""
        a, b = self.max_grids - len(self.grids[p]), self.max_roles - self.roles.get(p, 0)
        return a if a < b else b

    def add(self, p: Node, g: Node, role: str) -> None:
        """Assign ``p`` to ``g`` in ``role`` (a full-time one shares the grid's households with the others)."""
        ft = self.full_time(g)
        self.on[g].setdefault(p, set()).add(role)
        self.grids[p].add(g)
        self.roles[p] = self.roles.get(p, 0) + 1
        if role == "full_time":
            self._reshare(g, ft)

    def remove(self, p: Node, g: Node, role: str) -> None:
        """Take ``p``'s ``role`` on ``g`` away (a full-time one leaves the grid's households to the others)."""
        ft = self.full_time(g)
        self.on[g][p].discard(role)
        if not self.on[g][p]:
            del self.on[g][p]
            self.grids[p].discard(g)
        self.roles[p] -= 1
        if role == "full_time":
            self._reshare(g, ft)

    def _reshare(self, g: Node, before: list[Node]) -> None:
        if not self.residential(g):
            return
        hh = self.hh.get(g, 0)
        for q in before:
            self.load[q] -= hh / len(before)
        after = self.full_time(g)
        for q in after:
            self.load[q] += hh / len(after)

    def share_after(self, g: Node, change: int) -> float:
        """Each full-time worker's share of ``g``'s households after ``change`` more (or fewer) of them."""
        n = len(self.full_time(g)) + change
        return self.hh.get(g, 0) / n if n > 0 and self.residential(g) else 0.0

    def sole_grids(self) -> dict[Node, list[Node]]:
        """Each worker's grids where they are the only worker (and someone lives or works there)."""
        out: dict[Node, list[Node]] = defaultdict(list)
        for g, ws in self.on.items():
            if len(ws) == 1 and self.at_risk(g):
                out[next(iter(ws))].append(g)
        return out

    def tie(self, agency: Node, community: Node, table: str) -> None:
        """A new pairing or baolian of ``agency`` with ``community``."""
        self.ties[agency].add(community)
        if table == "pairings":
            self.paired[community] += 1
            self.agency_paired[agency] += 1
        else:
            self.baolian[community] += 1
