"""Merge the reports of a province's counties, each built on its own, into the report of the whole province.

The rules, summaries and suggestions of a county depend only on that county (no reference crosses counties),
so the merged findings equal a single-process report of the whole province. Network positions are rescaled:
each county reports its people's raw betweenness and its backbone's size, and the merge normalises them over
the whole province's backbone as a single run would.
"""

from __future__ import annotations

import re
from typing import Any

from graph.findings import SEVERITY_ORDER
from graph.scope import totals

_ACTION_ID = re.compile(r"\bA\d{5}\b")
#: Private keys a county's report carries for the merge (removed from the merged report).
RAW, SIZE = "_betweenness_raw", "_backbone_nodes"


def normaliser(n: int) -> float:
    """What an undirected graph's raw betweenness is divided by to normalise it: (n − 1)(n − 2) / 2.

    >>> normaliser(4)
    3.0
    """
    return (n - 1) * (n - 2) / 2 if n > 2 else 1.0


def merge_reports(parts: list[dict[str, Any]], top: int = 20) -> dict[str, Any]:
    """One report from county reports built with the same moment and thresholds, in county order."""
    if not parts:
        raise ValueError("no county reports to merge")
    first = parts[0]
    parts = _renumbered(parts)
    findings = sorted((f for p in parts for f in p["findings"]),
                      key=lambda f: (SEVERITY_ORDER[f["severity"]], f["rule"], f["subject"]["id"]))
    counts: dict[str, int] = {}
    for p in parts:
        for table, n in p["dataset"]["counts"].items():
            counts[table] = counts.get(table, 0) + n
    summary: dict[str, Any] = {
        "communities": [c for p in parts for c in p["summary"]["communities"]],
        "streets": [s for p in parts for s in p["summary"]["streets"]],
        **totals(findings),
    }
    summary = {"by_rule": summary.pop("by_rule"), **summary}
    plan = merge_plans(parts, len(findings))
    return {
        **first,
        "dataset": {"fingerprint": "+".join(p["dataset"]["fingerprint"][:16] for p in parts),
                    "source": f"{len(parts)} 个县 / counties", "counts": counts},
        "findings": findings,
        "summary": summary,
        "ranking": merge_rankings(parts, top),
        **({"plan": plan} if plan is not None else {}),
    }


def merge_rankings(parts: list[dict[str, Any]], top: int = 20) -> list[dict[str, Any]]:
    """The province's ranking from the counties': raw betweenness over the whole backbone, most central first."""
    from graph.centrality import MIN_BETWEENNESS

    n = sum(p.get(SIZE, 0) for p in parts)
    rows = [r for p in parts for r in p["ranking"] if r[RAW] / normaliser(n) >= MIN_BETWEENNESS]
    best = sorted(rows, key=lambda r: (-r[RAW], r["person_id"]))[:top]
    return [{**{k: v for k, v in r.items() if k != RAW}, "betweenness": round(r[RAW] / normaliser(n), 5)}
            for r in best]


def strip_private(report: dict[str, Any]) -> dict[str, Any]:
    """A county report without the merge's private keys (as a single county's report looks)."""
    return {**{k: v for k, v in report.items() if k != SIZE},
            "ranking": [{k: v for k, v in r.items() if k != RAW} for r in report["ranking"]]}


def _renumbered(parts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The counties' reports with their plans' actions numbered as one plan of the whole province numbers them
    (ids follow the actions' order), every reference to an action id rewritten to match."""
    from graph.plan.actions import action_key

    if not any("plan" in p for p in parts):
        return parts
    items = sorted(((i, a) for i, p in enumerate(parts) for a in p.get("plan", {}).get("actions", [])),
                   key=lambda ia: action_key(ia[1]))
    ids: list[dict[str, str]] = [{} for _ in parts]
    for n, (i, a) in enumerate(items, 1):
        ids[i][a["id"]] = f"A{n:05d}"
    return [_remap(p, ids[i]) for i, p in enumerate(parts)]


def _remap(obj: Any, ids: dict[str, str], text: bool = False) -> Any:
    """``obj`` with action ids replaced: an action's ``id``, ``actions`` / ``action_id`` wherever they stand, and
    the ids a finding's ``why`` or ``suggestion`` names in its text."""
    if isinstance(obj, dict):
        out: dict[str, Any] = {}
        for k, v in obj.items():
            if k == "actions" and isinstance(v, list) and all(isinstance(x, str) for x in v):
                out[k] = [ids.get(x, x) for x in v]
            elif k == "action_id" and isinstance(v, str):
                out[k] = ids.get(v, v)
            elif k == "id" and isinstance(v, str) and v in ids and "kind" in obj and "clears" in obj:
                out[k] = ids[v]
            else:
                out[k] = _remap(v, ids, text or k in ("why", "suggestion"))
        return out
    if isinstance(obj, list):
        return [_remap(x, ids, text) for x in obj]
    if text and isinstance(obj, str):
        return _ACTION_ID.sub(lambda m: ids.get(m.group(0), m.group(0)), obj)
    return obj


def merge_plans(parts: list[dict[str, Any]], findings: int) -> dict[str, Any] | None:
    """One plan from the counties' (already renumbered) plans: their actions in order, the summary counted again."""
    from graph.plan.actions import action_key
    from graph.plan.counts import summary

    if not any("plan" in p for p in parts):
        return None
    actions = sorted((a for p in parts for a in p.get("plan", {}).get("actions", [])), key=action_key)
    return {"actions": actions, "summary": summary(actions, findings)}
