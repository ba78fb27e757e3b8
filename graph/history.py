"""Month over month: which findings opened, closed or persist; which rows changed; how each area's figures moved.

Plain functions of two reports and two data sets (graph.store.snapshots keeps them).

>>> a = {"findings": [{"rule": "R", "subject": {"id": "x"}}, {"rule": "R", "subject": {"id": "y"}}]}
>>> b = {"findings": [{"rule": "R", "subject": {"id": "y"}}, {"rule": "S", "subject": {"id": "z"}}]}
>>> [len(v) for v in finding_changes(a, b).values()]
[1, 1, 1]
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from graph.dataformat import TABLES, Dataset

#: The figures of an area compared month over month (key in the summary row -> 中文).
KPIS = {"coverage_score": "覆盖得分", "households_per_full_time": "专职网格员人均户数", "responded_rate": "响应率",
        "resolved_rate": "解决率", "satisfied_rate": "满意率", "overdue_demands": "超期诉求"}


def _key(f: dict[str, Any]) -> tuple[str, str]:
    return f["rule"], f["subject"]["id"]


def finding_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Findings opened (only in ``after``), closed (only in ``before``) and persisting (in both, as in ``after``)."""
    old = {_key(f): f for f in before["findings"]}
    new = {_key(f): f for f in after["findings"]}
    return {"opened": [f for k, f in new.items() if k not in old],
            "closed": [f for k, f in old.items() if k not in new],
            "persisting": [f for k, f in new.items() if k in old]}


def _link_key(row: dict[str, Any], cols: list[str]) -> tuple[Any, ...]:
    return tuple(row.get(c) for c in cols)


def entity_changes(before: Dataset, after: Dataset) -> dict[str, dict[str, Any]]:
    """Per table: rows added and removed (by id, or by all columns for a link row) and, by id, what changed."""
    out: dict[str, dict[str, Any]] = {}
    for spec in TABLES:
        cols = [c.name for c in spec.columns]
        if spec.has_id:
            old = {r["id"]: r for r in before.rows(spec.name)}
            new = {r["id"]: r for r in after.rows(spec.name)}
            changed = {}
            for i in old.keys() & new.keys():
                a, b = old[i], new[i]
                if a == b:  # the same row, compared whole (in C); most rows of a month are
                    continue
                delta = {c: [a.get(c), b.get(c)] for c in cols if a.get(c) != b.get(c)}
                if delta:
                    changed[i] = delta
            entry = {"added": sorted(new.keys() - old.keys()), "removed": sorted(old.keys() - new.keys()),
                     "changed": dict(sorted(changed.items()))}
        else:
            old_links = Counter(_link_key(r, cols) for r in before.rows(spec.name))
            new_links = Counter(_link_key(r, cols) for r in after.rows(spec.name))
            entry = {"added": [dict(zip(cols, k, strict=True)) for k in sorted(new_links - old_links, key=str)],
                     "removed": [dict(zip(cols, k, strict=True)) for k in sorted(old_links - new_links, key=str)],
                     "changed": {}}
        if entry["added"] or entry["removed"] or entry["changed"]:
            out[spec.name] = entry
    return out


def area_figures(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The compared figures of the county (key ``county``), each street and each community of a report."""
    overdue: Counter[str | None] = Counter()
    found: dict[str, Counter[str | None]] = {"street_id": Counter(), "community_id": Counter()}
    for f in report["findings"]:  # one pass: each area's findings and overdue demands counted together
        for key, counter in found.items():
            counter[f["scope"].get(key)] += 1
        if f["rule"] == "DEMAND_OVERDUE":
            overdue[f["scope"].get("street_id")] += 1
            overdue[f["scope"].get("community_id")] += 1
            overdue["county"] += 1
    out: dict[str, dict[str, Any]] = {}
    summary = report["summary"]
    for kind, rows, key in (("street", summary.get("streets", []), "street_id"),
                            ("community", summary.get("communities", []), "community_id")):
        for r in rows:
            out[r[key]] = {"kind": kind, "name": r.get("name"), "street_id": r.get("street_id"), "county": r.get("county"),
                           **{k: r.get(k) for k in KPIS if k != "overdue_demands"},
                           "overdue_demands": overdue[r[key]], "findings": found[key][r[key]]}
    streets = summary.get("streets", [])
    scores = [s["coverage_score"] for s in streets if s.get("coverage_score") is not None]
    out["county"] = {"kind": "county", "name": "全县", "street_id": None,
                     "coverage_score": round(sum(scores) / len(scores), 1) if scores else None,
                     "households_per_full_time": None, "responded_rate": None, "resolved_rate": None,
                     "satisfied_rate": None, "overdue_demands": overdue["county"], "findings": len(report["findings"])}
    return out


def scope(area: str, figures: dict[str, Any]) -> dict[str, str | None]:
    """Where an area of :func:`area_figures` lies, as a finding's scope (for limiting answers to a caller's area)."""
    kind = figures.get("kind")
    return {"street_id": area if kind == "street" else figures.get("street_id"),
            "community_id": area if kind == "community" else None, "county": figures.get("county")}


def kpi_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Per area: each figure before, after and the change (None where either side lacks it)."""
    return figure_changes(area_figures(before), area_figures(after))


def figure_changes(old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """:func:`kpi_changes` from two reports' :func:`area_figures`."""
    out = {}
    for area in sorted(old.keys() | new.keys(), key=lambda a: (a != "county", a)):
        a, b = old.get(area, {}), new.get(area, {})
        row: dict[str, Any] = {"kind": (b or a).get("kind"), "name": (b or a).get("name"), "scope": scope(area, b or a)}
        for k in (*KPIS, "findings"):
            x, y = a.get(k), b.get(k)
            row[k] = {"before": x, "after": y,
                      "delta": round(y - x, 4) if isinstance(x, int | float) and isinstance(y, int | float) else None}
        out[area] = row
    return out


def diff(label_a: str, label_b: str, report_a: dict[str, Any], report_b: dict[str, Any],
         ds_a: Dataset, ds_b: Dataset) -> dict[str, Any]:
    """The difference from snapshot A to snapshot B, in the shape ``orgnet diff -f json`` writes."""
    changes = finding_changes(report_a, report_b)
    by_rule = {k: dict(sorted(Counter(f["rule"] for f in v).items())) for k, v in changes.items()}
    return {"from": label_a, "to": label_b, **changes, "by_rule": by_rule,
            "entities": entity_changes(ds_a, ds_b), "kpis": kpi_changes(report_a, report_b)}


def trend(reports: list[tuple[str, dict[str, Any]]], area: str = "county") -> list[dict[str, Any]]:
    """An area's figures over the snapshots, oldest first (the county's with ``area="county"``)."""
    rows = []
    for label, rep in reports:
        figures = area_figures(rep).get(area)
        if figures is not None:
            rows.append({"label": label, "scope": scope(area, figures),
                         **{k: figures.get(k) for k in (*KPIS, "findings")}})
    return rows


def _brief(f: dict[str, Any]) -> dict[str, Any]:
    return {"rule": f["rule"], "subject_id": f["subject"]["id"], "scope": f.get("scope") or {}}


def basis(report: dict[str, Any]) -> dict[str, Any]:
    """What a later report needs of this one to say what changed since (:func:`since`): each finding's rule,
    subject and scope, and every area's figures — a small part of the report, kept beside its snapshot."""
    return {"findings": [_brief(f) for f in report["findings"]], "figures": area_figures(report)}


def since(label_a: str, label_b: str, before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """A report's "since last month" block (较上月): the findings opened and closed since snapshot ``label_a``
    (each as rule, subject and scope) and every area's figures before and after. ``before`` is the earlier
    report or its :func:`basis`.

    >>> a = {"findings": [{"rule": "R", "subject": {"id": "x"}, "scope": {"street_id": "S"}}], "summary": {}}
    >>> b = {"findings": [], "summary": {}}
    >>> s = since("2026-10", "2026-11", a, b)
    >>> s["closed"], s["opened"], s["areas"]["county"]["findings"]
    ([{'rule': 'R', 'subject_id': 'x', 'scope': {'street_id': 'S'}}], [], {'before': 1, 'after': 0, 'delta': -1})
    >>> since("2026-10", "2026-11", basis(a), b) == s
    True
    """
    old = before if "figures" in before else basis(before)
    was = {(f["rule"], f["subject_id"]) for f in old["findings"]}
    now = {(f["rule"], f["subject"]["id"]) for f in after["findings"]}
    opened = [_brief(f) for f in after["findings"] if (f["rule"], f["subject"]["id"]) not in was]
    closed = [f for f in old["findings"] if (f["rule"], f["subject_id"]) not in now]
    return {"from": label_a, "to": label_b, "opened": opened, "closed": closed,
            "areas": figure_changes(old["figures"], area_figures(after))}
