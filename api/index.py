"""Look-up tables over one data set and its report, built once per cached report, so requests stay cheap."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from graph.dataformat import Dataset
from graph.scope import Area, scope_dataset


@dataclass
class Snapshot:
    """One data set, its report and the look-ups the API needs, always taken together."""

    ds: Dataset
    report: dict[str, Any]
    people: dict[str, dict[str, Any]] = field(default_factory=dict)
    grids_of_person: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    workers_of_community: dict[str, list[str]] = field(default_factory=dict)
    findings_of_subject: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    findings_of_community: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    communities: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: encoded JSON answers, by route and arguments (a snapshot never changes, so neither do they)
    encoded: dict[tuple[Any, ...], bytes] = field(default_factory=dict)
    #: the data set limited to each area asked for (few: one per scope of the tokens in use)
    areas: dict[Area, Dataset] = field(default_factory=dict)
    people_in: dict[Area, frozenset[str]] = field(default_factory=dict)
    #: the counties the data set holds (several in a province), as its streets name them
    counties: frozenset[str] = frozenset()

    def within(self, area: Area) -> Dataset:
        """The data set limited to ``area`` (graph.scope.scope_dataset), computed once per area."""
        hit = self.areas.get(area)
        if hit is None:
            if len(self.areas) >= 256:
                self.areas.clear()
            hit = self.areas[area] = scope_dataset(self.ds, area)
        return hit

    def narrowed(self, area: Area, county: str | None) -> Area:
        """A caller's ``area`` narrowed to one ``county`` of the data set: never wider than ``area``.

        Raises LookupError (a bilingual message) for a county the data set does not hold, or one other than the
        county ``area`` is limited to.

        >>> snap = Snapshot(Dataset({}), {}, counties=frozenset({"甲县", "乙县"}))
        >>> snap.narrowed(Area(street_id="S1"), "甲县")
        Area(street_id='S1', community_id=None, county='甲县')
        >>> snap.narrowed(Area(county="乙县"), "甲县")
        Traceback (most recent call last):
        LookupError: 不存在或不可见 / not found or not visible
        """
        if county is None:
            return area
        if county not in self.counties:
            raise LookupError("没有这个县 / no such county")
        if area.county and area.county != county:
            raise LookupError("不存在或不可见 / not found or not visible")
        return Area(area.street_id, area.community_id, county)

    def area_people(self, area: Area) -> frozenset[str]:
        """Ids of the people inside ``area``."""
        hit = self.people_in.get(area)
        if hit is None:
            hit = self.people_in[area] = frozenset(p["id"] for p in self.within(area).rows("people"))
        return hit

    def remember(self, key: tuple[Any, ...], body: bytes, limit: int = 4096) -> bytes:
        """Keep an encoded answer (at most ``limit``; the oldest half goes when full)."""
        if len(self.encoded) >= limit:
            for k in list(self.encoded)[: limit // 2]:
                self.encoded.pop(k, None)
        self.encoded[key] = body
        return body

    @classmethod
    def build(cls, ds: Dataset, report: dict[str, Any]) -> Snapshot:
        """Index ``ds`` and ``report``.

        >>> s = Snapshot.build(Dataset({}), {"findings": [], "summary": {"communities": []}})
        >>> s.people, s.workers_of_community
        ({}, {})
        """
        grids = {g["id"]: g for g in ds.rows("grids")}
        street = {c["id"]: c["street_id"] for c in ds.rows("communities")}
        county = {s["id"]: s.get("county") for s in ds.rows("streets")}
        grids_of: dict[str, list[dict[str, Any]]] = defaultdict(list)
        workers: dict[str, set[str]] = defaultdict(set)
        for a in ds.rows("grid_assignments"):
            g = grids[a["grid_id"]]
            community = g.get("community_id")
            sid = street.get(community or "") or g.get("street_id")
            grids_of[a["person_id"]].append({"grid_id": g["id"], "name": g["name"], "role": a["role"],
                                             "community_id": community, "street_id": sid, "county": county.get(sid)})
            if community:
                workers[community].add(a["person_id"])
        by_subject: dict[str, list[dict[str, Any]]] = defaultdict(list)
        by_community: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for f in report["findings"]:
            by_subject[f["subject"]["id"]].append(f)
            if f["scope"].get("community_id"):
                by_community[f["scope"]["community_id"]].append(f)
        return cls(ds, report, {p["id"]: p for p in ds.rows("people")}, dict(grids_of),
                   {c: sorted(ps) for c, ps in workers.items()}, dict(by_subject), dict(by_community),
                   {c["community_id"]: c for c in report["summary"]["communities"]},
                   counties=frozenset(c for c in county.values() if c))
