"""The rule catalogue (rules.md): what each rule is, and how a finding is made and ordered."""

from __future__ import annotations

from typing import Any

from graph.derive import scope_of
from graph.findings import Context, Finding
from graph.network import Net, Node

#: rule -> (category, default severity, subject kind, 中文名)
CATALOGUE: dict[str, tuple[str, str, str, str]] = {
    "GRID_NO_WORKER": ("coverage", "high", "grid", "网格无网格员"),
    "GRID_NO_FULL_TIME": ("coverage", "medium", "grid", "住宅网格无专职网格员"),
    "GRID_NO_PARTY_ORG": ("coverage", "high", "grid", "网格未建党组织"),
    "COMPOUND_NO_HOME_BRANCH": ("coverage", "medium", "compound", "小区无家园党支部"),
    "BUILDING_NO_GROUP": ("coverage", "low", "building", "楼栋无楼门党小组"),
    "GROUP_NO_CENTRAL_HOUSEHOLD": ("coverage", "low", "party_org", "楼门党小组无党员中心户"),
    "COMMUNITY_NO_PAIRING": ("coverage", "high", "community", "社区无单位双报到"),
    "COMMUNITY_NO_BAOLIAN": ("coverage", "high", "community", "社区无包联单位"),
    "AGENCY_NOT_PAIRED": ("coverage", "medium", "agency", "单位未到社区报到"),
    "AGENCY_MEMBERS_UNREPORTED": ("coverage", "medium", "agency", "单位在职党员未全部报到"),
    "ORG_NO_SECRETARY": ("coverage", "medium", "party_org", "党组织无书记"),
    "ORG_DETACHED": ("structure", "high", "party_org", "党组织脱离上级"),
    "GRID_OVERSIZED": ("structure", "medium", "grid", "网格户数超标"),
    "SERVICE_CENTER_BELOW_STANDARD": ("structure", "high", "community", "党群服务中心面积不达标"),
    "FUNDS_BELOW_STANDARD": ("structure", "medium", "community", "经费不达标"),
    "STAFF_BELOW_STANDARD": ("structure", "medium", "community", "社区工作者配备不足"),
    "WORKER_OVERLOADED": ("overload", "high", "person", "网格员负担户数超标"),
    "WORKER_TOO_MANY_GRIDS": ("overload", "medium", "person", "网格员负责网格过多"),
    "ROLE_CONCENTRATION": ("overload", "medium", "person", "一人身兼数职"),
    "CENTRAL_HOUSEHOLD_OVERLOADED": ("overload", "low", "central_household", "中心户联系户数过多"),
    "SOLE_WORKER": ("overload", "high", "person", "唯一网格员（单点风险）"),
    "AGENCY_OVERSTRETCHED": ("overload", "medium", "agency", "单位联系社区过多"),
    "WORKER_DEMAND_BACKLOG": ("overload", "medium", "person", "网格员积压诉求过多"),
    "DEMAND_OVERDUE": ("demand", "medium", "demand", "诉求超期未办结"),
}

def make(rule: str, net: Net, ctx: Context, n: Node, metrics: dict[str, Any], zh: str, en: str,
         severity: str | None = None, suggestion: dict[str, Any] | None = None) -> Finding:
    """A finding of ``rule`` about node ``n``, with its subject name and scope filled in."""
    category, default_sev, kind, _ = CATALOGUE[rule]
    a = net.attr(n)
    name = a.get("name") or (net.attr(a["person_id"]).get("name") if kind == "central_household" else None) or n
    return Finding(rule, category, severity or default_sev, n, kind, str(name),
                   dict(scope_of(net, n, ctx.scope_cache)), metrics, zh, en, suggestion)


def name_of(net: Net, n: Node | None) -> str:
    """A node's name, or its id when it has none."""
    if n is None:
        return ""
    return str(net.attr(n).get("name") or n) if n in net else n
