"""What every rendering shows, computed once from a report: headline numbers, the weakest communities, findings
grouped by rule and street, overdue demands by department, names for codes, the download's file name."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Any

from api.report.labels import ACTION_ZH, KIND_ZH, PLAN_ZH, SEVERITY_ZH, THRESHOLD_ZH, rule_zh
from graph.colours import Display, score_band
from graph.findings import SEVERITY_ORDER

UNPLACED = "（未归属街道）"


class Names:
    """Street and community names for their codes, from the report's summary."""

    def __init__(self, report: dict[str, Any]) -> None:
        summary = report.get("summary", {})
        self.streets = {s["street_id"]: s.get("name") or s["street_id"] for s in summary.get("streets", [])}
        self.communities = {c["community_id"]: c.get("name") or c["community_id"] for c in summary.get("communities", [])}

    def street(self, sid: str | None) -> str:
        return self.streets.get(sid, sid) if sid else ""

    def community(self, cid: str | None) -> str:
        return self.communities.get(cid, cid) if cid else ""


def county_of(report: dict[str, Any]) -> str:
    """The county's name, from the streets' rows (empty when the report does not carry it)."""
    summary = report.get("summary", {})
    counties = {s.get("county") for s in summary.get("streets", []) + summary.get("communities", []) if s.get("county")}
    return sorted(counties)[0] if len(counties) == 1 else "、".join(sorted(counties))


def scope_label(report: dict[str, Any], names: Names) -> str:
    """The area a (scoped) report covers, by name: empty for the whole county."""
    scope = report.get("scope") or {}
    if scope.get("community_id"):
        return names.community(scope["community_id"])
    if scope.get("street_id"):
        return names.street(scope["street_id"])
    return ""


def file_name(report: dict[str, Any], ext: str) -> str:
    """The download's name: county, scope, 空白点报告, the report's date.

    >>> file_name({"as_of": "2026-11-17T00:00:00", "summary": {"streets": [{"street_id": "S", "county": "乐亭县"}]}}, "xlsx")
    '乐亭县-空白点报告-2026-11-17.xlsx'
    """
    names = Names(report)
    parts = [county_of(report) or "orgnet", scope_label(report, names), "空白点报告", report["as_of"][:10]]
    stem = "-".join(p for p in parts if p)
    return re.sub(r'[\x00-\x1f\x7f/\\:*?"<>|]', "_", stem) + f".{ext}"


def _weighted(rows: list[dict[str, Any]], key: str) -> float | None:
    total = sum(r.get("demands") or 0 for r in rows if r.get(key) is not None)
    if not total:
        return None
    return round(sum((r.get("demands") or 0) * r[key] for r in rows if r.get(key) is not None) / total, 4)


def headline(report: dict[str, Any]) -> dict[str, Any]:
    """The county's (or the area's) headline numbers.

    The coverage score is the mean of the communities' scores; the three rates (三率) are the communities'
    rates weighted by their demands (the satisfied rate by demands, not by ratings: the summary holds no
    count of ratings).
    """
    findings = report["findings"]
    comms = report.get("summary", {}).get("communities", [])
    scores = [c["coverage_score"] for c in comms if c.get("coverage_score") is not None]
    by_rule = Counter(f["rule"] for f in findings)
    return {
        "coverage_score": round(sum(scores) / len(scores), 1) if scores else None,
        "communities": len(comms),
        "grids_uncovered": len({f["subject"]["id"] for f in findings if f["rule"] == "GRID_NO_WORKER"}),
        "overloaded_workers": len({f["subject"]["id"] for f in findings if f["rule"] == "WORKER_OVERLOADED"}),
        "overdue_demands": by_rule.get("DEMAND_OVERDUE", 0),
        "demands": sum(c.get("demands") or 0 for c in comms),
        "responded_rate": _weighted(comms, "responded_rate"),
        "resolved_rate": _weighted(comms, "resolved_rate"),
        "satisfied_rate": _weighted(comms, "satisfied_rate"),
        "findings": len(findings),
        "by_severity": {s: sum(1 for f in findings if f["severity"] == s) for s in SEVERITY_ZH},
    }


def main_problem(findings: list[dict[str, Any]]) -> str:
    """The rule with the most findings (most severe first on a tie), as「name N 处」.

    >>> main_problem([{"rule": "GRID_NO_WORKER", "severity": "high"}] * 2)
    '网格无网格员 2 处'
    """
    if not findings:
        return "无发现"
    count = Counter(f["rule"] for f in findings)
    worst = {f["rule"]: SEVERITY_ORDER[f["severity"]] for f in findings}
    rule = min(count, key=lambda r: (-count[r], worst[r], r))
    return f"{rule_zh(rule)} {count[rule]} 处"


def weakest(report: dict[str, Any], n: int = 5) -> list[dict[str, Any]]:
    """The ``n`` communities with the lowest coverage score, each with its main problem."""
    by_comm: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in report["findings"]:
        by_comm[f["scope"].get("community_id") or ""].append(f)
    names = Names(report)
    comms = [c for c in report.get("summary", {}).get("communities", []) if c.get("coverage_score") is not None]
    comms.sort(key=lambda c: (c["coverage_score"], -sum(c.get("findings", {}).values()), c["community_id"]))
    return [{**c, "street": names.street(c.get("street_id")), "main_problem": main_problem(by_comm[c["community_id"]]),
             "n_findings": len(by_comm[c["community_id"]])} for c in comms[:n]]


def plan_summary(report: dict[str, Any]) -> dict[str, Any]:
    """What the plan would clear: ``report["plan"]["summary"]`` when the report has a plan, else the findings
    that carry a suggestion, by rule. ``items`` are (label, value) rows; ``source`` says which."""
    summary = (report.get("plan") or {}).get("summary")
    if summary:
        items = []
        for k, v in summary.items():
            if k not in PLAN_ZH:  # the sentence (zh/en) is shown as the headline; hire details live in the plan
                continue
            if isinstance(v, dict):
                v = "，".join(f"{ACTION_ZH.get(str(a)) or rule_zh(str(a))} {b}" for a, b in v.items())
            elif isinstance(v, list):
                v = len(v)
            items.append((PLAN_ZH[k], v))
        return {"source": "plan", "items": items, "total": summary.get("cleared"), "text": summary.get("zh")}
    with_sug = [f for f in report["findings"] if f.get("suggestion")]
    by_rule = Counter(f["rule"] for f in with_sug)
    return {"source": "suggestions", "total": len(with_sug),
            "items": [(rule_zh(r), n) for r, n in sorted(by_rule.items(), key=lambda x: (-x[1], x[0]))]}


def groups(report: dict[str, Any], names: Names) -> list[dict[str, Any]]:
    """Findings grouped by rule (most first), each with its count by street and its rows."""
    by_rule: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in report["findings"]:
        by_rule[f["rule"]].append(f)
    out = []
    for rule, fs in by_rule.items():
        streets = Counter(names.street(f["scope"].get("street_id")) or UNPLACED for f in fs)
        sev = Counter(f["severity"] for f in fs)
        out.append({"rule": rule, "rule_zh": rule_zh(rule), "category": fs[0]["category"], "count": len(fs),
                    "severity": min(sev, key=SEVERITY_ORDER.__getitem__), "by_severity": dict(sev),
                    "streets": sorted(streets.items(), key=lambda x: (-x[1], x[0])), "findings": fs})
    out.sort(key=lambda g: (-g["count"], SEVERITY_ORDER[g["severity"]], g["rule"]))
    return out


def departments(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Overdue demands by department (most first): how many, the oldest and the mean age in days."""
    ages: dict[str, list[float]] = defaultdict(list)
    for f in report["findings"]:
        if f["rule"] == "DEMAND_OVERDUE":
            m = f.get("metrics", {})
            name = m.get("department") or m.get("department_id") or "（未指派部门）"
            ages[name].append(float(m.get("age_days") or 0))
    rows = [{"department": d, "overdue": len(a), "oldest_days": max(a), "mean_days": round(sum(a) / len(a), 1)}
            for d, a in ages.items()]
    return sorted(rows, key=lambda r: (-r["overdue"], -r["oldest_days"], r["department"]))


def change(delta: float | None, better: str = "up") -> dict[str, Any] | None:
    """How a figure moved since last month, for display: arrow, signed text and whether that is good.

    >>> change(2.5), change(-1, better="down")["good"], change(0)["arrow"], change(None)
    ({'arrow': '▲', 'text': '+2.5', 'good': True, 'delta': 2.5}, True, '→', None)
    """
    if delta is None:
        return None
    if delta == 0:
        return {"arrow": "→", "text": "0", "good": None, "delta": 0}
    up = delta > 0
    return {"arrow": "▲" if up else "▼", "text": f"{delta:+g}", "good": up == (better == "up"), "delta": delta}


def since(report: dict[str, Any]) -> dict[str, Any] | None:
    """The "since last month" figures (较上月) of the report's own area, each area's coverage-score change, and
    the findings opened and closed by rule; None when the report has no earlier snapshot to compare with."""
    s = report.get("since")
    if not s:
        return None
    scope = report.get("scope") or {}
    own = s["areas"].get(scope.get("community_id") or scope.get("street_id") or "county", {})

    def moved(row: dict[str, Any], key: str, better: str = "up") -> dict[str, Any] | None:
        return change((row.get(key) or {}).get("delta"), better)

    rules = sorted({f["rule"] for f in s["opened"]} | {f["rule"] for f in s["closed"]})
    by_rule = [(rule_zh(r), sum(f["rule"] == r for f in s["opened"]), sum(f["rule"] == r for f in s["closed"]))
               for r in rules]
    return {"from": s["from"], "to": s["to"], "opened": len(s["opened"]), "closed": len(s["closed"]),
            "by_rule": sorted(by_rule, key=lambda x: (-(x[1] + x[2]), x[0])),
            "score": moved(own, "coverage_score"), "overdue": moved(own, "overdue_demands", "down"),
            "areas": {a: moved(row, "coverage_score") for a, row in s["areas"].items()}}


def thresholds(report: dict[str, Any]) -> list[tuple[str, str, Any]]:
    """(Chinese label, key, value) for every threshold the report used."""
    return [(THRESHOLD_ZH.get(k, k), k, v) for k, v in report.get("thresholds", {}).items()]


def build(report: dict[str, Any], display: Display | None = None) -> dict[str, Any]:
    """Everything a rendering needs, in one dict."""
    display = display or Display()
    names = Names(report)
    summary = report.get("summary", {})
    streets = sorted(summary.get("streets", []), key=lambda s: (s.get("coverage_score") is None,
                                                                  s.get("coverage_score") or 0, s["street_id"]))
    comms = [{**c, "street": names.street(c.get("street_id")), "band": score_band(c.get("coverage_score"), display)}
             for c in summary.get("communities", [])]
    comms.sort(key=lambda c: (c.get("coverage_score") is None, c.get("coverage_score") or 0, c["community_id"]))
    ranking = [{**r, "street": names.street((r.get("scope") or {}).get("street_id")),
                "community": names.community((r.get("scope") or {}).get("community_id"))}
               for r in report.get("ranking", [])]
    head = headline(report)
    return {"county": county_of(report), "scope": scope_label(report, names), "names": names, "display": display,
            "headline": head, "band": score_band(head["coverage_score"], display), "weakest": weakest(report),
            "plan": plan_summary(report), "streets": [{**s, "band": score_band(s.get("coverage_score"), display)}
                                                      for s in streets],
            "communities": comms, "groups": groups(report, names), "departments": departments(report),
            "ranking": ranking, "thresholds": thresholds(report), "kinds": KIND_ZH, "since": since(report)}
