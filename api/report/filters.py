"""Narrow a report to what a reader asked for: an area (through :func:`graph.scope.scope_report`, so every total
follows), severities and rules. Names or codes are accepted; an unknown one is refused with the choices."""

from __future__ import annotations

from typing import Any

from api.report.labels import SEVERITY_ZH, rule_zh
from graph.errors import OrgnetError
from graph.rules.catalogue import CATALOGUE
from graph.scope import Area, scope_report, totals

SEVERITY_OF = {**{v: k for k, v in SEVERITY_ZH.items()}, **{k: k for k in SEVERITY_ZH}}


class UnknownChoice(OrgnetError):
    """A filter value that names nothing in the report."""


def _pick(value: str, rows: list[dict[str, Any]], key: str, what_zh: str, what_en: str) -> str:
    v = value.strip()
    for r in rows:
        if v in (r[key], r.get("name")):
            return str(r[key])
    choices = "、".join(f"{r.get('name')}（{r[key]}）" for r in rows[:30])
    raise UnknownChoice(f"no {what_en} {v!r} in this report; choose one of: {choices}",
                        f"报告中没有{what_zh}「{v}」，可选：{choices}")


def narrow(report: dict[str, Any], street: str | None = None, community: str | None = None,
           severities: list[str] | None = None, rules: list[str] | None = None,
           county: str | None = None) -> dict[str, Any]:
    """``report`` limited to a county of a province (by name), a street or community (by id or name),
    severities (高/中/低 or high/…) and rules (code or Chinese name); the summary's totals are recomputed from
    the findings kept."""
    summary = report.get("summary", {})
    county = county.strip() if county else None
    counties = sorted({str(s["county"]) for s in summary.get("streets", []) if s.get("county")})
    if county and county not in counties:
        raise UnknownChoice(f"no county {county!r} in this report; choose one of: {', '.join(counties)}",
                            f"报告中没有县「{county}」，可选：{'、'.join(counties)}")
    sid = _pick(street, summary.get("streets", []), "street_id", "街道", "street") if street else None
    cid = _pick(community, summary.get("communities", []), "community_id", "社区", "community") if community else None
    if sid and cid:
        row = next(c for c in summary["communities"] if c["community_id"] == cid)
        if row.get("street_id") != sid:
            raise UnknownChoice(f"community {cid} is not in street {sid}", f"社区 {cid} 不属于街道 {sid}")
    if county and sid and not any(s["street_id"] == sid and s.get("county") == county for s in summary["streets"]):
        raise UnknownChoice(f"street {sid} is not in county {county}", f"街道 {sid} 不属于 {county}")
    if county and cid and not any(c["community_id"] == cid and c.get("county") == county
                                  for c in summary["communities"]):
        raise UnknownChoice(f"community {cid} is not in county {county}", f"社区 {cid} 不属于 {county}")
    out = scope_report(report, Area(street_id=sid, community_id=cid, county=county))
    if not severities and not rules:
        return out
    sev: set[str] = set()
    for s in severities or []:
        if s.strip().lower() not in SEVERITY_OF:
            raise UnknownChoice(f"unknown severity {s!r}: high, medium or low", f"未知严重程度「{s}」：高、中或低")
        sev.add(SEVERITY_OF[s.strip().lower()])
    by_name = {rule_zh(r): r for r in CATALOGUE}
    chosen: set[str] = set()
    for r in rules or []:
        code = r.strip().upper() if r.strip().upper() in CATALOGUE else by_name.get(r.strip())
        if code is None:
            raise UnknownChoice(f"unknown rule {r!r}; rules: {', '.join(CATALOGUE)}",
                                f"未知规则「{r}」；可选：{'、'.join(CATALOGUE)}")
        chosen.add(code)
    findings = [f for f in out["findings"] if (not sev or f["severity"] in sev) and (not chosen or f["rule"] in chosen)]
    narrowed = {**out, "findings": findings, "summary": {**out["summary"], **totals(findings)}}
    if chosen and out.get("since"):
        narrowed["since"] = {**out["since"], **{k: [f for f in out["since"][k] if f["rule"] in chosen]
                                                 for k in ("opened", "closed")}}
    return narrowed
