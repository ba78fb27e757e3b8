"""One scoping function for every answer: a report limited to an area (a street or a community), totals recomputed.

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
from typing import Any


@dataclass(frozen=True)
class Area:
    """A part of the county: everything (no ids), one street, or one community (optionally with its street)."""

    street_id: str | None = None
    community_id: str | None = None

    @property
    def is_whole(self) -> bool:
        """True when the area is the whole data set."""
        return not (self.street_id or self.community_id)

    def contains(self, scope: dict[str, Any] | None) -> bool:
        """True when something with this ``scope`` ({street_id, community_id}) lies inside the area.

        Something with no place (an agency that reports nowhere) lies only in the whole data set.

        >>> Area(community_id="C1").contains({"street_id": "ST1", "community_id": None})
        False
        """
        if self.is_whole:
            return True
        scope = scope or {}
        if self.community_id and scope.get("community_id") != self.community_id:
            return False
        return not (self.street_id and scope.get("street_id") != self.street_id)

    def as_dict(self) -> dict[str, str | None]:
        return {"street_id": self.street_id, "community_id": self.community_id}


def totals(findings: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """Counts of findings by rule, severity and category: the summary's totals, always from the findings shown.

    >>> totals([{"rule": "R", "severity": "high", "category": "coverage"}])["by_severity"]
    {'high': 1}
    """
    return {"by_rule": dict(sorted(Counter(f["rule"] for f in findings).items())),
            "by_severity": dict(Counter(f["severity"] for f in findings)),
            "by_category": dict(Counter(f["category"] for f in findings))}


def scope_report(report: dict[str, Any], area: Area) -> dict[str, Any]:
    """``report`` limited to ``area``: its findings, summaries, ranking and totals, nothing from outside it.

    The whole data set's report comes back unchanged; a limited one says which area it covers
    (``report["scope"]``).
    """
    if area.is_whole:
        return report
    findings = [f for f in report["findings"] if area.contains(f.get("scope"))]
    summary = report.get("summary", {})
    communities = [c for c in summary.get("communities", []) if area.contains(c)]
    streets = [s for s in summary.get("streets", [])
               if area.contains({"street_id": s.get("street_id"), "community_id": area.community_id})
               and not area.community_id]
    ranking = [r for r in report.get("ranking", []) if area.contains(r.get("scope"))]
    out = {**report, "findings": findings, "ranking": ranking, "scope": area.as_dict(),
           "summary": {**summary, **totals(findings), "communities": communities, "streets": streets}}
    if report.get("plan") is not None:
        out["plan"] = scope_plan(report["plan"], area, len(findings))
    return out


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
