"""Search across the county (or the viewer's area): every match by id or name, with the view that shows it."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from api.explorer import LABEL_ZH
from graph.dataformat import Dataset
from graph.scope import Area

LIMIT = 500


def _view(street_id: str | None = None, community_id: str | None = None, focus: str = "", **extra: str) -> str:
    query = {k: v for k, v in (("street_id", street_id), ("community_id", community_id)) if v}
    return "/explorer?" + urlencode({**query, **extra, "focus": focus})


def places(ds: Dataset) -> list[tuple[str, str, str, str | None, str | None, str]]:
    """(id, name, label, street_id, community_id, view) of everything the explorer can show."""
    comm = {c["id"]: c for c in ds.rows("communities")}
    grids = {g["id"]: g for g in ds.rows("grids")}
    compounds = {x["id"]: x for x in ds.rows("compounds")}

    def where(gid: str) -> tuple[str | None, str | None]:
        g = grids[gid]
        cid = g.get("community_id")
        return (comm[cid]["street_id"] if cid else g.get("street_id")), cid

    out: list[tuple[str, str, str, str | None, str | None, str]] = []
    for s in ds.rows("streets"):
        out.append((s["id"], s["name"], "Street", s["id"], None, _view(focus=s["id"])))
    for c in comm.values():
        out.append((c["id"], c["name"], "Community", c["street_id"], c["id"], _view(c["street_id"], focus=c["id"])))
    for g in grids.values():
        sid, cid = where(g["id"])
        out.append((g["id"], g["name"], "Grid", sid, cid, _view(None if cid else sid, cid, g["id"])))
    for x in compounds.values():
        cid = x["community_id"]
        out.append((x["id"], x["name"], "Compound", comm[cid]["street_id"], cid, _view(None, cid, x["id"])))
    for b in ds.rows("buildings"):
        sid, cid = where(b["grid_id"])
        if cid:
            out.append((b["id"], b["name"], "Building", sid, cid, _view(None, cid, b["id"])))
    area_of: dict[str, tuple[str | None, str | None]] = {g: where(g) for g in grids}
    area_of.update({c: (comm[c]["street_id"], c) for c in comm})
    area_of.update({x: (comm[v["community_id"]]["street_id"], v["community_id"]) for x, v in compounds.items()})
    area_of.update({b["id"]: where(b["grid_id"]) for b in ds.rows("buildings")})
    for o in ds.rows("party_orgs"):
        sid, cid = area_of.get(o.get("area_id") or "", (None, None))
        if cid:
            out.append((o["id"], o["name"], "PartyOrg", sid, cid, _view(None, cid, o["id"])))
    names = {p["id"]: p["name"] for p in ds.rows("people")}
    seen: set[str] = set()
    for pid, gid in [(a["person_id"], a["grid_id"]) for a in ds.rows("grid_assignments")]:
        sid, cid = where(gid)
        if pid not in seen and cid:
            seen.add(pid)
            out.append((pid, names[pid], "Person", sid, cid, _view(None, cid, pid)))
    for s in ds.rows("community_staff"):
        if s["person_id"] not in seen:
            seen.add(s["person_id"])
            cid = s["community_id"]
            out.append((s["person_id"], names[s["person_id"]], "Person", comm[cid]["street_id"], cid,
                        _view(None, cid, s["person_id"])))
    for a in ds.rows("agencies"):
        out.append((a["id"], a["name"], "Agency", None, None, _view(focus=a["id"], layers="agencies")))
    return out


def search(ds: Dataset, area: Area, q: str) -> dict[str, Any]:
    """Every place, organisation or person in ``area`` whose id or name contains ``q`` (the first :data:`LIMIT`)."""
    q = q.strip().lower()
    if not q:
        return {"total": 0, "items": []}
    county = {s["id"]: s.get("county") for s in ds.rows("streets")}
    hits = [{"id": i, "name": n, "kind": LABEL_ZH[k], "href": v} for i, n, k, s, c, v in places(ds)
            if (q in i.lower() or q in n.lower())
            and area.contains({"street_id": s, "community_id": c, "county": county.get(s or "")})]
    return {"total": len(hits), "items": hits[:LIMIT]}
