"""A plan's summary, counted once: people adjusted, part-time back-ups, hires, new ties, findings cleared.

Plain counting over the actions' JSON, so that a plan limited to an area (graph.scope) is summed the same way.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

KIND_ORDER = {"hand_over": 0, "assign": 1, "back_up": 2, "pair": 3, "baolian": 4, "hire": 5, "advice": 6}


def summary(actions: list[dict[str, Any]], findings: int) -> dict[str, Any]:
    """The plan in figures, counted once: people adjusted, part-time back-ups, hires, new ties, findings cleared.

    >>> s = summary([{"kind": "hire", "count": 2, "community_id": "C1", "clears": [], "serves": [["R", "G1"]],
    ...               "id": "A1", "scope": {"street_id": "S1", "community_id": "C1"}}], 3)
    >>> s["zh"]
    '本计划：调整 0 人、新增兼职 0 人、需增配专职 2 人、新建结对 0 个，可消除 3 条发现中的 0 条'
    """
    adjusted = {a[k] for a in actions if a["kind"] in ("assign", "hand_over") and not a.get("role") == "part_time"
                for k in ("person_id", "from_person_id") if a.get(k)}
    part_time = {a["person_id"] for a in actions if a["kind"] == "back_up" or a.get("role") == "part_time"}
    hires = [a for a in actions if a["kind"] == "hire"]
    hire_total = sum(a["count"] for a in hires)
    ties = sum(1 for a in actions if a["kind"] in ("pair", "baolian"))
    cleared = len({tuple(k) for a in actions for k in a["clears"]})
    by_kind: dict[str, int] = defaultdict(int)
    for a in actions:
        by_kind[a["kind"]] += 1
    return {
        "adjusted": len(adjusted), "part_time_added": len(part_time), "hire_full_time": hire_total,
        "new_ties": ties, "cleared": cleared, "findings": findings, "actions": len(actions),
        "by_kind": dict(sorted(by_kind.items(), key=lambda kv: KIND_ORDER[kv[0]])),
        "hires": [{"action_id": a["id"], "street_id": a.get("street_id") or a["scope"]["street_id"],
                   "community_id": a.get("community_id"), "count": a["count"], "findings": a["serves"]}
                  for a in hires],
        "zh": f"本计划：调整 {len(adjusted)} 人、新增兼职 {len(part_time)} 人、需增配专职 {hire_total} 人、"
              f"新建结对 {ties} 个，可消除 {findings} 条发现中的 {cleared} 条",
        "en": f"this plan: {len(adjusted)} people adjusted, {len(part_time)} part-time back-ups added, "
              f"{hire_total} full-time workers to hire, {ties} new pairings/baolian; clears {cleared} of "
              f"{findings} findings",
    }
