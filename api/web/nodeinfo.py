"""What the explorer's side panel says about a node: a short Chinese summary, its findings and links to area pages."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import networkx as nx

from api.explorer import CATEGORY_ZH, LABEL_ZH, SEVERITY_ZH
from api.web.figures import grid_households, household_loads
from graph.dataformat import Dataset
from graph.scope import Area

ROLE_ZH = {"full_time": "专职网格员", "part_time": "兼职网格员", "secretary": "书记", "deputy_secretary": "副书记",
           "worker": "社区工作者"}


def node_info(ds: Dataset, G: nx.Graph, rep: dict[str, Any], area: Area) -> dict[str, dict[str, Any]]:
    """Per drawn node: {kind, name, facts: [[名称, 值]], findings: [...], links: [[文字, 地址]]}.

    ``rep`` is the report limited to the viewer's ``area``; links go only to area pages inside it.
    """
    grids = {g["id"]: g for g in ds.rows("grids")}
    comms = {c["id"]: c for c in ds.rows("communities")}
    streets = {s["id"]: s for s in ds.rows("streets")}
    scores = {c["community_id"]: c for c in rep["summary"].get("communities", [])}
    street_rows = {s["street_id"]: s for s in rep["summary"].get("streets", [])}
    workers: dict[str, list[tuple[str, str]]] = defaultdict(list)
    grids_of: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for a in ds.rows("grid_assignments"):
        workers[a["grid_id"]].append((a["person_id"], a["role"]))
        grids_of[a["person_id"]].append((a["grid_id"], a["role"]))
    staff: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for s in ds.rows("community_staff"):
        staff[s["person_id"]].append((s["community_id"], s["position"]))
    secretary_of: dict[str, list[str]] = defaultdict(list)
    for o in ds.rows("party_orgs"):
        if o.get("secretary_id"):
            secretary_of[o["secretary_id"]].append(o["name"])
    names = {p["id"]: p["name"] for p in ds.rows("people")}
    households = grid_households(ds)
    loads = household_loads(ds, households)
    findings: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in rep["findings"]:
        if f["subject"]["id"] in G:
            findings[f["subject"]["id"]].append(
                {"rule": f["rule"], "severity": f["severity"], "severity_zh": SEVERITY_ZH.get(f["severity"], ""),
                 "category_zh": CATEGORY_ZH.get(f["category"], f["category"]), "zh": f["message"]["zh"],
                 "suggestion": (f.get("suggestion") or {}).get("zh", "")})

    def community_link(cid: str | None) -> list[list[str]]:
        if not cid or cid not in comms or not area.contains({"street_id": comms[cid]["street_id"], "community_id": cid,
                                                             "county": streets[comms[cid]["street_id"]].get("county")}):
            return []
        return [[f"{comms[cid]['name']} 社区页", f"/communities/{cid}"]]

    def street_link(sid: str | None) -> list[list[str]]:
        if not sid or sid not in streets or area.community_id or not area.contains(
                {"street_id": sid, "county": streets[sid].get("county")}):
            return []
        return [[f"{streets[sid]['name']} 街道页", f"/streets/{sid}"]]

    out: dict[str, dict[str, Any]] = {}
    for n, a in G.nodes(data=True):
        kind = a["label"]
        facts: list[list[str]] = []
        links: list[list[str]] = []
        if kind == "Person":
            roles = [f"{ROLE_ZH[r]}（{grids[g]['name']}）" for g, r in grids_of.get(n, []) if g in grids]
            roles += [f"{ROLE_ZH[p]}（{comms[c]['name']}）" for c, p in staff.get(n, []) if c in comms]
            roles += [f"书记（{o}）" for o in secretary_of.get(n, [])]
            carried = sum(households.get(g, 0) for g, _ in grids_of.get(n, []))
            facts += [["职责", "；".join(roles) or "—"], ["负责网格", str(len(grids_of.get(n, [])))],
                      ["所负责网格户数", f"{carried} 户"],
                      ["负担户数（专职分摊）", f"{loads[n]:g} 户" if n in loads else "—（非专职）"]]
            for g, _ in grids_of.get(n, [])[:3]:
                links += community_link(grids.get(g, {}).get("community_id"))
        elif kind == "Grid":
            grid = grids[n]
            ws = [f"{names.get(p, p)}（{ROLE_ZH[r]}）" for p, r in workers.get(n, [])]
            facts += [["户数", str(households.get(n, 0))], ["人数", str(grid.get("people") or 0)],
                      ["网格员", "；".join(ws) or "无 / none"]]
            links += community_link(grid.get("community_id")) or street_link(grid.get("street_id"))
        elif kind == "Community":
            row = scores.get(n, {})
            facts += [["覆盖得分", _num(row.get("coverage_score"))], ["网格", _num(row.get("grids"))],
                      ["户数", _num(row.get("households"))], ["户/专职网格员", _num(row.get("households_per_full_time"))]]
            links += community_link(n) + street_link(comms.get(n, {}).get("street_id"))
        elif kind == "Street":
            row = street_rows.get(n, {})
            facts += [["覆盖得分", _num(row.get("coverage_score"))], ["社区", _num(row.get("communities"))],
                      ["网格", _num(row.get("grids"))]]
            links += street_link(n)
        elif a.get("households") is not None:
            facts.append(["户数", str(a["households"])])
        if kind == "CentralHousehold" and a.get("linked") is not None:
            facts.append(["联系户数", str(a["linked"])])
        out[n] = {"kind": LABEL_ZH[kind], "name": a["name"], "facts": facts,
                  "findings": findings.get(n, []), "links": _unique(links)}
    return out


def _num(v: Any) -> str:
    return "—" if v is None else f"{v:g}" if isinstance(v, float) else str(v)


def _unique(links: list[list[str]]) -> list[list[str]]:
    seen: set[str] = set()
    return [x for x in links if not (x[1] in seen or seen.add(x[1]))]  # type: ignore[func-returns-value]
