"""What-if: remove people, agencies or grids and see which findings appear or disappear."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from graph.dataformat import TABLES, Dataset
from graph.findings import Thresholds


def without(ds: Dataset, ids: Iterable[str]) -> Dataset:
    """The data set with the given rows removed, and what depended on them.

    Rows that need a removed row (a link row, or a required reference) go too, and so on; optional
    references to a removed row are emptied.

    >>> ds = Dataset({"grids": [{"id": "G1", "_row": 2}], "grid_assignments": [
    ...     {"person_id": "P1", "grid_id": "G1", "role": "full_time", "_row": 2}]})
    >>> without(ds, ["G1"]).rows("grid_assignments")
    []
    """
    gone = set(ids)
    tables = {name: [dict(r) for r in rows] for name, rows in ds.tables.items()}
    changed = True
    while changed:
        changed = False
        for spec in TABLES:
            rows = tables.get(spec.name)
            if rows is None:
                continue
            keep = []
            for r in rows:
                if spec.has_id and r.get("id") in gone:
                    changed = True
                    continue
                drop = False
                for c in spec.refs:
                    if r.get(c.name) in gone:
                        if c.required or spec.rel:
                            drop = True
                        else:
                            r[c.name] = None
                if drop:
                    if spec.has_id:
                        gone.add(r["id"])
                    changed = True
                    continue
                keep.append(r)
            tables[spec.name] = keep
    return Dataset(tables, ds.fingerprint, ds.source, ds.ignored)


def what_if(ds: Dataset, remove: list[str], thresholds: Thresholds | None = None,
            as_of: datetime | None = None) -> dict[str, Any]:
    """The findings that would appear and disappear if ``remove`` were gone (same moment, same thresholds)."""
    from graph.moment import default_as_of, local_moment
    from graph.report import build_report

    ids = {r["id"] for rows in ds.tables.values() for r in rows if r.get("id")}
    unknown = sorted(set(remove) - ids)
    as_of = local_moment(as_of) if as_of else default_as_of(ds)
    before = build_report(ds, thresholds, as_of, with_extras=False)["findings"]
    after = build_report(without(ds, remove), thresholds, as_of, with_extras=False)["findings"]
    key = lambda f: (f["rule"], f["subject"]["id"])  # noqa: E731
    b, a = {key(f): f for f in before}, {key(f): f for f in after}
    return {"removed": sorted(set(remove) - set(unknown)), "unknown": unknown, "as_of": as_of.isoformat(),
            "appear": [a[k] for k in sorted(a.keys() - b.keys())],
            "disappear": [b[k] for k in sorted(b.keys() - a.keys())]}


def apply_suggestions(ds: Dataset, report: dict[str, Any]) -> Dataset:
    """The data set as it would be after carrying out the report's plan (``report["plan"]``; see graph.plan.apply).

    Kept for version-1 callers: the suggestions are now the plan's actions.
    """
    from graph.plan.apply import apply_plan

    return apply_plan(ds, report["plan"])


def what_if_plan(ds: Dataset, thresholds: Thresholds | None = None, as_of: datetime | None = None) -> dict[str, Any]:
    """Before and after carrying out the whole plan: the findings that disappear and (the plan's promise: none)
    appear, with counts by rule, and the plan's summary."""
    from graph.moment import default_as_of, local_moment
    from graph.plan.apply import apply_plan
    from graph.report import build_report

    as_of = local_moment(as_of) if as_of else default_as_of(ds)
    before = build_report(ds, thresholds, as_of)
    after = build_report(apply_plan(ds, before["plan"]), thresholds, as_of, with_extras=False)
    key = lambda f: (f["rule"], f["subject"]["id"])  # noqa: E731
    b, a = {key(f): f for f in before["findings"]}, {key(f): f for f in after["findings"]}
    return {"removed": [], "unknown": [], "as_of": as_of.isoformat(),
            "appear": [a[k] for k in sorted(a.keys() - b.keys())],
            "disappear": [b[k] for k in sorted(b.keys() - a.keys())],
            "before": {"findings": len(b), "by_rule": before["summary"]["by_rule"]},
            "after": {"findings": len(a), "by_rule": after["summary"]["by_rule"]},
            "plan": before["plan"]["summary"]}
