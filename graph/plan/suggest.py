"""Rule-level suggestions (advice) for findings that no change of duties clears; the plan does the rest."""

from __future__ import annotations

import math
from typing import Any

from graph.findings import Context, Finding
from graph.network import Net


def attach(net: Net, ctx: Context, findings: list[Finding]) -> None:
    """Fill ``suggestion`` on the findings that have a rule-level one (the plan, graph.plan.plan, fills the rest)."""
    for f in findings:
        if f.suggestion is None:
            f.suggestion = _simple(net, ctx, f)


def _simple(net: Net, ctx: Context, f: Finding) -> dict[str, Any] | None:
    t = ctx.thresholds
    if f.rule == "CENTRAL_HOUSEHOLD_OVERLOADED":
        n = math.ceil(f.metrics["linked_households"] / t.central_household_max_linked) - 1
        return {"kind": "add_central_households", "count": n, "zh": f"建议在本楼门再确定 {n} 户党员中心户分担联系",
                "en": f"name {n} more central household(s) in the group to share the contacts"}
    if f.rule == "WORKER_TOO_MANY_GRIDS":
        n = len(f.metrics["grids"]) - t.worker_max_grids
        return {"kind": "hand_over_grids", "count": n, "zh": f"建议移交 {n} 个网格", "en": f"hand over {n} grid(s)"}
    if f.rule == "DEMAND_OVERDUE":
        return {"kind": "escalate", "zh": "建议社区吹哨、街道督办，部门限期办结",
                "en": "have the community whistle and the street supervise until the department resolves it"}
    if f.rule == "AGENCY_MEMBERS_UNREPORTED":
        return {"kind": "report_members", "count": f.metrics["unreported"],
                "zh": f"督促 {f.metrics['unreported']} 名在职党员到居住社区报到",
                "en": f"have {f.metrics['unreported']} members report to the community they live in"}
    if f.rule in ("ORG_NO_SECRETARY", "ORG_DETACHED", "GRID_NO_PARTY_ORG", "COMPOUND_NO_HOME_BRANCH",
                  "BUILDING_NO_GROUP", "GROUP_NO_CENTRAL_HOUSEHOLD", "ROLE_CONCENTRATION", "WORKER_DEMAND_BACKLOG"):
        text = {
            "ORG_NO_SECRETARY": ("尽快选配书记", "appoint a secretary"),
            "ORG_DETACHED": ("理顺隶属关系，明确上级党组织", "attach it to its parent organisation"),
            "GRID_NO_PARTY_ORG": ("依托网格建立网格党小组（支部建到网格上）", "form a grid group on the grid"),
            "COMPOUND_NO_HOME_BRANCH": ("组建家园党支部", "form a home branch for the compound"),
            "BUILDING_NO_GROUP": ("组建楼门党小组", "form a building group"),
            "GROUP_NO_CENTRAL_HOUSEHOLD": ("确定党员中心户", "name a central household"),
            "ROLE_CONCENTRATION": ("分解职责，由其他同志分担", "spread the responsibilities"),
            "WORKER_DEMAND_BACKLOG": ("将部分诉求转交同网格其他网格员", "pass some demands to other workers"),
        }[f.rule]
        return {"kind": "action", "zh": text[0], "en": text[1]}
    return None
