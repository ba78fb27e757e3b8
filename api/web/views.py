"""What the dashboard and the area pages show, as plain data from a report already limited to the viewer's area.

Every function here takes a report that went through ``graph.scope.scope_report``; nothing is filtered again.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from api.explorer import CATEGORY_ZH, RANK, SEVERITY_ZH, worst
from api.report.labels import PLAN_ZH
from api.web.figures import grid_households, household_loads
from graph.colours import display_settings, score_band
from graph.dataformat import Dataset

RATES = (("responded_rate", "响应率", "responded"), ("resolved_rate", "办结率", "resolved"),
         ("satisfied_rate", "满意率", "satisfied"))


def _weighted(rows: list[dict[str, Any]], key: str) -> float | None:
    """A demand-weighted mean of a per-area rate (None when no area has demands).

    >>> _weighted([{"demands": 10, "r": 0.5}, {"demands": 30, "r": 1.0}, {"demands": 0, "r": None}], "r")
    0.875
    """
    pairs = [(r["demands"], r[key]) for r in rows if r.get("demands") and r.get(key) is not None]
    total = sum(n for n, _ in pairs)
    return round(sum(n * v for n, v in pairs) / total, 4) if total else None


def headline(rep: dict[str, Any]) -> dict[str, Any]:
    """The dashboard's tiles over the report's area: mean coverage score, blank grids, overloads, overdue, 三率."""
    comms = rep["summary"].get("communities", [])
    scores = [c["coverage_score"] for c in comms if c.get("coverage_score") is not None]
    rules = Counter(f["rule"] for f in rep["findings"])
    overloaded = {f["subject"]["id"] for f in rep["findings"] if f["rule"] == "WORKER_OVERLOADED"}
    score = round(sum(scores) / len(scores), 1) if scores else None
    return {"score": score, "colour": score_band(score, display_settings()), "communities": len(comms),
            "grids_without_worker": rules.get("GRID_NO_WORKER", 0), "overloaded_workers": len(overloaded),
            "overdue_demands": rules.get("DEMAND_OVERDUE", 0), "demands": sum(c.get("demands") or 0 for c in comms),
            "rates": [{"zh": zh, "en": en, "value": _weighted(comms, key)} for key, zh, en in RATES]}


def area_rows(rep: dict[str, Any], street_names: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Streets and communities of the report's area, weakest coverage first, each with its colour and link."""
    rows = []
    names = {**(street_names or {}), **{s["street_id"]: s["name"] for s in rep["summary"].get("streets", [])}}
    for s in rep["summary"].get("streets", []):
        rows.append({"kind": "街道", "id": s["street_id"], "name": s["name"], "street": "", "county": s.get("county"),
                     "href": f"/streets/{s['street_id']}", **_row(s)})
    for c in rep["summary"].get("communities", []):
        rows.append({"kind": "社区", "id": c["community_id"], "name": c["name"], "county": c.get("county"),
                     "street": names.get(c["street_id"], c["street_id"]), "href": f"/communities/{c['community_id']}",
                     **_row(c)})
    return sorted(rows, key=lambda r: (r["score"] is None, r["score"] if r["score"] is not None else 0, r["id"]))


def county_rows(rep: dict[str, Any]) -> list[dict[str, Any]]:
    """A province's counties (empty for one county), weakest mean coverage first, each linking to its view.

    >>> rep = {"summary": {"streets": [{"street_id": "S1", "county": "甲县"}, {"street_id": "S2", "county": "乙县"}],
    ...        "communities": [{"county": "甲县", "coverage_score": 50.0, "grids": 3, "households": 90}]},
    ...        "findings": [{"severity": "high", "scope": {"county": "甲县"}}]}
    >>> [(r["name"], r["score"], r["high"], r["href"]) for r in county_rows(rep)]
    [('甲县', 50.0, 1, '/?county_id=%E7%94%B2%E5%8E%BF'), ('乙县', None, 0, '/?county_id=%E4%B9%99%E5%8E%BF')]
    """
    from urllib.parse import quote

    summary = rep["summary"]
    counties = list(dict.fromkeys(s.get("county") for s in summary.get("streets", []) if s.get("county")))
    if len(counties) < 2:
        return []
    severities: dict[str, Counter[str]] = defaultdict(Counter)
    for f in rep["findings"]:
        severities[f["scope"].get("county")][f["severity"]] += 1
    rows = []
    for name in counties:
        comms = [c for c in summary.get("communities", []) if c.get("county") == name]
        scores = [c["coverage_score"] for c in comms if c.get("coverage_score") is not None]
        score = round(sum(scores) / len(scores), 1) if scores else None
        rows.append({"name": name, "href": f"/?county_id={quote(name)}", "explorer": f"/explorer?county_id={quote(name)}",
                     "score": score,
                     "colour": score_band(score, display_settings()),
                     "streets": sum(1 for s in summary["streets"] if s.get("county") == name),
                     "communities": len(comms), "grids": sum(c.get("grids") or 0 for c in comms),
                     "households": sum(c.get("households") or 0 for c in comms),
                     **{k: severities[name][k] for k in ("high", "medium", "low")}})
    return sorted(rows, key=lambda r: (r["score"] is None, r["score"] or 0, r["name"]))


def _row(block: dict[str, Any]) -> dict[str, Any]:
    f = block.get("findings", {})
    return {"score": block.get("coverage_score"), "colour": score_band(block.get("coverage_score"), display_settings()),
            "grids": block.get("grids"), "households": block.get("households"),
            "per_worker": block.get("households_per_full_time"),
            "high": f.get("high", 0), "medium": f.get("medium", 0), "low": f.get("low", 0)}


def by_severity_category(findings: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts of findings in a severity × category table (rows high, medium, low), with totals.

    >>> by_severity_category([{"severity": "high", "category": "coverage"}])["rows"][0]["cells"][0]
    1
    """
    cats = list(CATEGORY_ZH)
    grid: dict[str, Counter[str]] = defaultdict(Counter)
    for f in findings:
        grid[f["severity"]][f["category"]] += 1
    rows = [{"severity": s, "zh": SEVERITY_ZH[s], "cells": [grid[s][c] for c in cats], "total": sum(grid[s].values())}
            for s in ("high", "medium", "low")]
    return {"categories": [(c, CATEGORY_ZH[c]) for c in cats], "rows": rows, "total": len(findings)}


#: the plan summary's figures, named in Chinese as the report names them (api.report.labels.PLAN_ZH)
PLAN_FIGURES = tuple((k, PLAN_ZH[k], en) for k, en in (
    ("adjusted", "people adjusted"), ("part_time_added", "part-time back-ups"),
    ("hire_full_time", "full-time workers to hire"), ("new_ties", "new pairings and baolian"), ("actions", "actions")))


def plan_summary(rep: dict[str, Any]) -> list[tuple[str, str]] | None:
    """The plan's summary as (名称 name, value) lines for the dashboard, or None when the report has no plan.

    >>> plan_summary({"plan": {"summary": {"zh": "本计划：…", "adjusted": 2, "cleared": 5, "findings": 9}}})
    [('本计划 / the plan', '本计划：…'), ('调整人员 / people adjusted', '2'), ('可消除的发现 / findings cleared', '5 / 9')]
    """
    summary = (rep.get("plan") or {}).get("summary")
    if not isinstance(summary, dict):
        return None
    lines = [("本计划 / the plan", str(summary["zh"]))] if summary.get("zh") else []
    lines += [(f"{zh} / {en}", f"{summary[k]:,}") for k, zh, en in PLAN_FIGURES if k in summary]
    if "cleared" in summary and "findings" in summary:
        lines.append(("可消除的发现 / findings cleared", f"{summary['cleared']:,} / {summary['findings']:,}"))
    return lines


def finding_rows(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Findings as table rows (severity rank for sorting)."""
    return [{"rule": f["rule"], "category": f["category"], "category_zh": CATEGORY_ZH.get(f["category"], f["category"]),
             "severity": f["severity"], "severity_zh": SEVERITY_ZH.get(f["severity"], f["severity"]),
             "rank": RANK.get(f["severity"], 0), "subject": f["subject"]["id"], "subject_name": f["subject"].get("name", ""),
             "zh": f["message"]["zh"], "en": f["message"].get("en", ""),
             "suggestion": (f.get("suggestion") or {}).get("zh", "")} for f in findings]


def people_rows(ds: Dataset, rep: dict[str, Any], community_ids: set[str]) -> list[dict[str, Any]]:
    """The grid workers and community staff of ``community_ids``: roles, grids, households of their grids, the
    household load of a full-time worker (as the rules count it), findings."""
    grids = {g["id"]: g for g in ds.rows("grids")}
    names = {p["id"]: p["name"] for p in ds.rows("people")}
    households = grid_households(ds)
    loads = household_loads(ds, households)
    out: dict[str, dict[str, Any]] = {}

    def person(pid: str) -> dict[str, Any]:
        return out.setdefault(pid, {"id": pid, "name": names.get(pid, pid), "roles": [], "grids": [],
                                    "households": 0, "findings": [], "worst": "", "load": loads.get(pid)})

    role_zh = {"full_time": "专职网格员", "part_time": "兼职网格员", "secretary": "书记", "deputy_secretary": "副书记",
               "worker": "社区工作者"}
    for a in ds.rows("grid_assignments"):
        g = grids[a["grid_id"]]
        if g.get("community_id") in community_ids:
            p = person(a["person_id"])
            p["roles"].append(role_zh[a["role"]])
            p["grids"].append(g["name"])
            p["households"] += households[g["id"]]
    for s in ds.rows("community_staff"):
        if s["community_id"] in community_ids:
            person(s["person_id"])["roles"].append(role_zh[s["position"]])
    severities: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in rep["findings"]:
        who = out.get(f["subject"]["id"])
        if who is not None:
            who["findings"].append(f["rule"])
            severities[who["id"]].append(f)
    for p in out.values():
        p["roles"] = sorted(set(p["roles"]))
        p["worst"] = worst(severities[p["id"]]) or ""
    return sorted(out.values(), key=lambda p: (-(p["load"] or 0), -p["households"], p["id"]))
