"""One scoping function for every answer: a report limited to an area (a county, a street or a community), totals recomputed.

Every surface that shows a report — the API for every role, the explorer, downloads, ``orgnet report --street``
— limits it here, so that no total, chart, ranking row or finding from outside the area can slip through.

>>> area = Area(street_id="ST1")
>>> area.contains({"street_id": "ST1", "community_id": "C1"}), area.contains({"street_id": "ST2"})
(True, False)
>>> Area().is_whole
True
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from graph.dataformat import Dataset


@dataclass(frozen=True)
class Area:
    """A part of the data set: everything (no ids), one county (of a province), one street, or one community
    (optionally with its street)."""

    street_id: str | None = None
    community_id: str | None = None
    county: str | None = None

    @property
    def is_whole(self) -> bool:
        """True when the area is the whole data set."""
        return not (self.street_id or self.community_id or self.county)

    def contains(self, scope: dict[str, Any] | None) -> bool:
        """True when something with this ``scope`` ({street_id, community_id, county}) lies inside the area.

        Something with no place (an agency that reports nowhere) lies only in the whole data set, or in its
        county when its county is known.

        >>> Area(community_id="C1").contains({"street_id": "ST1", "community_id": None})
        False
        >>> Area(county="乐亭县").contains({"street_id": "ST1", "county": "乐亭县"}), Area(county="滦南县").contains({})
        (True, False)
        """
        if self.is_whole:
            return True
        scope = scope or {}
        if self.county and scope.get("county") != self.county:
            return False
        if self.community_id and scope.get("community_id") != self.community_id:
            return False
        return not (self.street_id and scope.get("street_id") != self.street_id)

    def as_dict(self) -> dict[str, str | None]:
        out = {"street_id": self.street_id, "community_id": self.community_id}
        return {**out, "county": self.county} if self.county else out


def totals(findings: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """Counts of findings by rule, severity and category: the summary's totals, always from the findings shown.

    >>> totals([{"rule": "R", "severity": "high", "category": "coverage"}])["by_severity"]
    {'high': 1}
    """
    return {"by_rule": dict(sorted(Counter(f["rule"] for f in findings).items())),
            "by_severity": dict(Counter(f["severity"] for f in findings)),
            "by_category": dict(Counter(f["category"] for f in findings))}


def scope_report(report: dict[str, Any], area: Area, counts: dict[str, int] | None = None) -> dict[str, Any]:
    """``report`` limited to ``area``: its findings, summaries, ranking and totals, nothing from outside it.

    ``counts`` are the area's row counts (:func:`area_counts`); they replace ``dataset.counts``, which
    otherwise would show the whole county's figures. The whole data set's report comes back unchanged; a
    limited one says which area it covers (``report["scope"]``).

    >>> rep = {"findings": [{"rule": "R", "severity": "high", "category": "c", "scope": {"street_id": "S2"}}],
    ...        "summary": {"communities": [], "streets": [{"street_id": "S2"}]},
    ...        "ranking": [{"person_id": "P1", "scope": {"street_id": "S2"}}], "dataset": {"counts": {"grids": 9}}}
    >>> out = scope_report(rep, Area(street_id="S1"), counts={"grids": 2})
    >>> out["findings"], out["ranking"], out["summary"]["by_rule"], out["dataset"]["counts"]
    ([], [], {}, {'grids': 2})
    """
    if area.is_whole:
        return report
    findings = [f for f in report["findings"] if area.contains(f.get("scope"))]
    summary = report.get("summary", {})
    communities = [c for c in summary.get("communities", []) if area.contains(c)]
    streets = [s for s in summary.get("streets", [])
               if area.contains({"street_id": s.get("street_id"), "community_id": area.community_id,
                                 "county": s.get("county")})
               and not area.community_id]
    ranking = [r for r in report.get("ranking", []) if area.contains(r.get("scope"))]
    dataset = dict(report.get("dataset", {}))
    dataset["counts"] = counts if counts is not None else {k: 0 for k in dataset.get("counts", {})}
    out = {**report, "findings": findings, "ranking": ranking, "scope": area.as_dict(), "dataset": dataset,
           "summary": {**summary, **totals(findings), "communities": communities, "streets": streets}}
    if report.get("plan") is not None:
        out["plan"] = scope_plan(report["plan"], area, len(findings))
    if report.get("since") is not None:
        out["since"] = scope_since(report["since"], area)
    return out


def scope_since(since: dict[str, Any], area: Area) -> dict[str, Any]:
    """A "since last month" block (graph.history.since) limited to ``area``: its findings and its areas' figures
    (the county's own row only for the whole county).

    >>> s = {"from": "a", "to": "b", "opened": [{"rule": "R", "subject_id": "x", "scope": {"street_id": "S2"}}],
    ...      "closed": [], "areas": {"county": {"kind": "county", "scope": {"street_id": None}},
    ...                              "S1": {"kind": "street", "scope": {"street_id": "S1"}}}}
    >>> out = scope_since(s, Area(street_id="S1"))
    >>> out["opened"], list(out["areas"])
    ([], ['S1'])
    """
    if area.is_whole:
        return since
    return {**since, **{k: [f for f in since[k] if area.contains(f.get("scope"))] for k in ("opened", "closed")},
            "areas": {a: row for a, row in since["areas"].items()
                      if row.get("kind") != "county" and area.contains(row.get("scope"))}}


def scope_plan(plan: dict[str, Any], area: Area, findings: int) -> dict[str, Any]:
    """The plan limited to ``area``: the actions that take place there (by the action's scope), summed again.

    >>> plan = {"actions": [
    ...     {"id": "A1", "kind": "back_up", "person_id": "P1", "grid_id": "G1", "clears": [["SOLE_WORKER", "P9"]],
    ...      "scope": {"street_id": "S1", "community_id": "C1"}},
    ...     {"id": "A2", "kind": "hire", "community_id": "C2", "count": 2, "clears": [], "serves": [["R", "G2"]],
    ...      "scope": {"street_id": "S1", "community_id": "C2"}}], "summary": {}}
    >>> p = scope_plan(plan, Area(community_id="C1"), 3)
    >>> [a["id"] for a in p["actions"]], p["summary"]["hire_full_time"], p["summary"]["cleared"]
    (['A1'], 0, 1)
    >>> scope_plan(plan, Area(street_id="S1"), 3)["summary"]["hires"][0]["count"]
    2
    """
    from graph.plan.counts import summary

    actions = [a for a in plan["actions"] if area.contains(a.get("scope"))]
    return {"actions": actions, "summary": summary(actions, findings)}



def scope_findings(findings: list[dict[str, Any]], area: Area) -> list[dict[str, Any]]:
    """The findings inside ``area`` (a what-if's, a person's, a page's)."""
    return findings if area.is_whole else [f for f in findings if area.contains(f.get("scope"))]


def street_of(ds: Dataset, community_id: str) -> str | None:
    """The street a community belongs to (None for an unknown community)."""
    return next((c["street_id"] for c in ds.rows("communities") if c["id"] == community_id), None)


def scope_dataset(ds: Dataset, area: Area) -> Dataset:
    """The part of ``ds`` inside ``area``: its places, what hangs on them, and only the people who work,
    serve or live there (an agency only when it is paired with or holds baolian in the area).

    Counts of the result are the area's counts (:func:`area_counts`); pages built from it cannot show
    anything from elsewhere.
    """
    from graph.dataformat import Dataset as _Dataset

    if area.is_whole:
        return ds
    county = {s["id"]: s.get("county") for s in ds.rows("streets")}
    home = street_of(ds, area.community_id) if area.community_id else area.street_id

    def inside(street: str | None, community: str | None = None) -> bool:
        return area.contains({"street_id": street, "community_id": community, "county": county.get(street or "")})

    streets = [s for s in ds.rows("streets") if (home is None or s["id"] == home)
               and inside(s["id"], area.community_id)]
    street_places = set() if area.community_id else {s["id"] for s in streets}
    comms = [c for c in ds.rows("communities") if inside(c["street_id"], c["id"])]
    cids = {c["id"] for c in comms}
    grids = [g for g in ds.rows("grids") if g.get("community_id") in cids or (
        not g.get("community_id") and not area.community_id and inside(g.get("street_id")))]
    gids = {g["id"] for g in grids}
    compounds = [x for x in ds.rows("compounds") if x["community_id"] in cids]
    buildings = [b for b in ds.rows("buildings") if b["grid_id"] in gids]
    demands = [d for d in ds.rows("demands") if d["grid_id"] in gids]
    pairings = [x for x in ds.rows("pairings") if x["community_id"] in cids]
    baolian = [x for x in ds.rows("baolian") if x["community_id"] in cids]
    agencies = {x["agency_id"] for x in pairings + baolian}
    # a county's agencies and its county-level projects also follow where its people live (derive.county_of)
    residents = [p for p in ds.rows("people") if p.get("home_community_id") in cids] if area.county else []
    agencies |= {p["agency_id"] for p in residents if p.get("agency_id")}
    places = street_places | cids | gids | agencies \
        | {x["id"] for x in compounds} | {b["id"] for b in buildings}
    orgs = [o for o in ds.rows("party_orgs") if o.get("area_id") in places]
    if area.county:  # and the committees above them (the county committee has no area of its own)
        orgs = _with_parents(ds, orgs)
    oids = {o["id"] for o in orgs}
    assignments = [a for a in ds.rows("grid_assignments") if a["grid_id"] in gids]
    staff = [s for s in ds.rows("community_staff") if s["community_id"] in cids]
    households = [h for h in ds.rows("central_households") if h["building_group_id"] in oids]
    members = [m for m in ds.rows("member_reports") if m["community_id"] in cids]
    projects = [p for p in ds.rows("projects") if p.get("target_id") in cids | street_places]
    if area.county:  # and the county's own projects (no target), led by one of its secretaries or residents
        leaders = {o.get("secretary_id") for o in orgs} | {p["id"] for p in residents}
        projects += [p for p in ds.rows("projects") if not p.get("target_id") and p["leader_id"] in leaders]
        projects.sort(key=lambda p: p.get("_row", 0))
    pids = ({a["person_id"] for a in assignments + staff + households + members}
            | {o["secretary_id"] for o in orgs if o.get("secretary_id")}
            | {d["handler_id"] for d in demands if d.get("handler_id")} | {p["leader_id"] for p in projects})
    people = [p for p in ds.rows("people") if p["id"] in pids or p.get("home_community_id") in cids]
    kept = {"streets": streets, "communities": comms, "compounds": compounds, "grids": grids, "buildings": buildings,
            "party_orgs": orgs, "people": people, "grid_assignments": assignments, "community_staff": staff,
            "central_households": households, "agencies": [a for a in ds.rows("agencies") if a["id"] in agencies],
            "pairings": pairings, "member_reports": members, "baolian": baolian, "projects": projects,
            "departments": _departments(ds, area, demands, len(set(county.values())) > 1), "demands": demands}
    return _Dataset({t: rows for t, rows in kept.items() if ds.has(t)}, ds.fingerprint, ds.source, list(ds.ignored))


def _with_parents(ds: Dataset, orgs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``orgs`` and every organisation above them, in the ledger's order."""
    parent = {o["id"]: o.get("parent_id") for o in ds.rows("party_orgs")}
    keep = {o["id"] for o in orgs}
    for o in orgs:
        up = o.get("parent_id")
        while up and up not in keep and up in parent:
            keep.add(up)
            up = parent[up]
    return [o for o in ds.rows("party_orgs") if o["id"] in keep]


def _departments(ds: Dataset, area: Area, demands: list[dict[str, Any]], province: bool) -> list[dict[str, Any]]:
    """The county's departments for a street or community (they serve the whole county); in a province, those
    that handle the area's demands (a department belongs to one county, which its ledger does not say)."""
    if not area.county and not province:
        return ds.rows("departments")
    used = {d.get("department_id") for d in demands}
    return [d for d in ds.rows("departments") if d["id"] in used]


def area_counts(ds: Dataset, area: Area) -> dict[str, int]:
    """Row counts of each table inside ``area`` (a limited report's ``dataset.counts``)."""
    return scope_dataset(ds, area).counts()
