"""Findings point to the plan: the actions that address each, why none clears it, and the version-1 suggestion."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from graph.findings import Finding
from graph.plan.model import State
from graph.rules.catalogue import name_of

Key = tuple[str, str]


def annotate(findings: list[Finding], plan: dict[str, Any], st: State) -> None:
    """Set ``actions`` (ids) and ``why`` on every finding, and ``suggestion`` from the plan where it acts."""
    clearing: dict[Key, list[dict[str, Any]]] = defaultdict(list)
    serving: dict[Key, list[dict[str, Any]]] = defaultdict(list)
    for a in plan["actions"]:
        for k in a["clears"]:
            clearing[(k[0], k[1])].append(a)
        for k in a.get("serves", []):
            serving[(k[0], k[1])].append(a)
        if a["kind"] == "advice":
            for sid in a["subject_ids"]:
                serving[(a["rule"], sid)].append(a)
    for f in findings:
        key = (f.rule, f.subject_id)
        acts, helps = clearing.get(key, []), serving.get(key, [])
        f.actions = [a["id"] for a in [*acts, *helps]]
        f.why = None if acts else _why(f, helps, st)
        v1 = _suggestion(f, acts, helps, st)
        if v1 is not None:
            f.suggestion = v1
        elif f.rule in ("GRID_NO_WORKER", "GRID_NO_FULL_TIME", "WORKER_OVERLOADED", "SOLE_WORKER",
                        "COMMUNITY_NO_PAIRING", "COMMUNITY_NO_BAOLIAN", "AGENCY_NOT_PAIRED") and f.why:
            f.suggestion = {"kind": "none", **f.why}


def _why(f: Finding, helps: list[dict[str, Any]], st: State) -> dict[str, str]:
    t = st.t
    hire = next((a for a in helps if a["kind"] == "hire"), None)
    if hire is not None:
        return {"zh": f"本社区及街道内没有余力足够的专职网格员，{hire['zh'].split('（')[0]}（{hire['id']}，按社区只计一次）",
                "en": f"no full-time worker nearby has room: {hire['en']} ({hire['id']}, counted once)"}
    advice = next((a for a in helps if a["kind"] == "advice"), None)
    if advice is not None:
        return {"zh": f"需由组织研究落实：{advice['text']}（{advice['id']}），不在人员调整之内",
                "en": f"needs a decision, not a change of duties ({advice['id']})"}
    if f.rule in ("SOLE_WORKER", "GRID_NO_WORKER"):
        return {"zh": f"本社区、本街道内没有可兼任的网格员（均已达 {t.worker_max_grids} 个网格或 {t.person_max_roles} 项职责）",
                "en": "no worker in the community or street has room for one more grid"}
    if f.rule in ("COMMUNITY_NO_PAIRING", "COMMUNITY_NO_BAOLIAN", "AGENCY_NOT_PAIRED"):
        return {"zh": f"所有单位联系社区均已达 {t.agency_max_communities} 个，需新增联系单位",
                "en": "every agency is at its limit of communities"}
    if f.rule == "WORKER_OVERLOADED":
        return {"zh": "负担来自多人共担或超大网格，附近无人有余力分担，需先拆分网格",
                "en": "the load comes from shared or oversized grids no one nearby can share: split them"}
    return {"zh": "本计划未涉及", "en": "not covered by this plan"}


def _suggestion(f: Finding, acts: list[dict[str, Any]], helps: list[dict[str, Any]], st: State
                ) -> dict[str, Any] | None:
    """The version-1 ``suggestion`` of a finding the plan acts on (same kinds and keys as before the plan)."""
    net = st.net
    text = {"zh": "；".join(a["zh"] for a in acts), "en": "; ".join(a["en"] for a in acts), "actions": [a["id"] for a in acts]}
    if not acts:
        hire = next((a for a in helps if a["kind"] == "hire"), None)
        if hire and f.rule in ("GRID_NO_WORKER", "GRID_NO_FULL_TIME", "WORKER_OVERLOADED"):
            return {"kind": "add_workers", "community_id": hire.get("community_id"), "street_id": hire.get("street_id"),
                    "count": hire["count"], "zh": hire["zh"], "en": hire["en"], "actions": [hire["id"]]}
        return None
    if f.rule in ("GRID_NO_WORKER", "GRID_NO_FULL_TIME"):
        a = acts[0]
        return {"kind": "assign_full_time" if a.get("role") == "full_time" else "assign", "grid_id": a["grid_id"],
                "person_id": a["person_id"], "name": name_of(net, a["person_id"]),
                "load_before": round(st.load[a["person_id"]] - (st.hh.get(a["grid_id"], 0) if a.get("role") == "full_time"
                                                                   and st.residential(a["grid_id"]) else 0), 1),
                "households": st.hh.get(a["grid_id"], 0), **text}
    if f.rule == "WORKER_OVERLOADED":
        return {"kind": "hand_over", "hand_over": [{"grid_id": a["grid_id"], "person_id": a["person_id"],
                                                    "name": name_of(net, a["person_id"]), "zh": a["zh"], "en": a["en"]}
                                                   for a in acts], **text}
    if f.rule == "SOLE_WORKER":
        return {"kind": "back_up", "backups": [{"grid_id": a["grid_id"], "person_id": a["person_id"],
                                                "name": name_of(net, a["person_id"])} for a in acts
                                               if a["kind"] in ("back_up", "assign")], **text}
    if f.rule in ("COMMUNITY_NO_PAIRING", "COMMUNITY_NO_BAOLIAN"):
        a = acts[0]
        return {"kind": "pair_agency", "agency_id": a["agency_id"], "name": name_of(net, a["agency_id"]), **text}
    if f.rule == "AGENCY_NOT_PAIRED":
        a = acts[0]
        return {"kind": "pair_community", "community_id": a["community_id"], "name": name_of(net, a["community_id"]),
                **text}
    return None
