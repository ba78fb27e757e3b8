"""The rule catalogue (rules.md): what each rule is, and how a finding is made and ordered."""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(frozen=True)
class Meaning:
    """What a rule means exactly, in one line each language, and the thresholds it reads."""

    zh: str
    en: str
    thresholds: tuple[str, ...] = ()


#: rule -> its exact meaning (docs/rules.md is generated from this and CATALOGUE)
MEANING: dict[str, Meaning] = {
    "GRID_NO_WORKER": Meaning(
        "没有任何人员（专职或兼职）被分配到该网格。",
        "No one at all (full-time or part-time) is assigned to the grid."),
    "GRID_NO_FULL_TIME": Meaning(
        "住宅网格有网格员，但其中没有一名专职网格员。",
        "A residential grid has workers, but none of them is full-time."),
    "GRID_NO_PARTY_ORG": Meaning(
        "没有网格党支部或网格党小组建在该网格上（任何类型的网格）。",
        "No grid branch or grid group is built on the grid (any kind of grid)."),
    "COMPOUND_NO_HOME_BRANCH": Meaning(
        "没有家园党支部建在该小区上。",
        "No home branch is built on the compound."),
    "BUILDING_NO_GROUP": Meaning(
        "户数大于 0 的楼栋上没有建楼门党小组。",
        "A building with more than 0 households has no building group built on it."),
    "GROUP_NO_CENTRAL_HOUSEHOLD": Meaning(
        "该楼门党小组名下没有任何党员中心户。",
        "No central household belongs to the building group."),
    "COMMUNITY_NO_PAIRING": Meaning(
        "没有任何单位到该社区双报到（pairings 中没有该社区）。",
        "No agency dual-reports to the community (it appears in no pairings row)."),
    "COMMUNITY_NO_BAOLIAN": Meaning(
        "没有任何单位包联该社区（baolian 中没有该社区）。",
        "No agency holds contact responsibility for the community (it appears in no baolian row)."),
    "AGENCY_NOT_PAIRED": Meaning(
        "该单位没有到任何社区双报到。",
        "The agency dual-reports to no community."),
    "AGENCY_MEMBERS_UNREPORTED": Meaning(
        "该单位的在职党员（党员=是且工作单位为该单位）中至少一人没有到社区报到的记录；发现中给出总人数和未报到人数。",
        "At least one of the agency's in-service party members (party member, working at this agency) has no "
        "member_reports row; the finding gives both counts."),
    "ORG_NO_SECRETARY": Meaning(
        "县委、街道党工委、社区党委、家园党支部、网格党支部或单位党组织没有填写书记（楼门党小组和网格党小组不要求）。",
        "A county, street or community committee, home branch, grid branch or agency org has no secretary "
        "(building groups and grid groups need none)."),
    "ORG_DETACHED": Meaning(
        "沿上级党组织向上追溯到不了县委：缺少上级（非县委却没有上级）或上级形成循环；断点及其以下的每个组织各是一条发现。",
        "Following parent_id upward never reaches a county committee: a parent is missing (on an organisation that "
        "is not a county committee) or the chain loops; every organisation on or below the break is a subject."),
    "GRID_OVERSIZED": Meaning(
        "住宅网格的户数超过阈值（有楼栋数据时按楼栋户数之和计）。",
        "A residential grid has more households than the threshold (the sum of its buildings' when the data set "
        "has buildings).", ("grid_max_households",)),
    "SERVICE_CENTER_BELOW_STANDARD": Meaning(
        "党群服务中心面积为空或 0（严重程度高），或低于阈值（严重程度中）。",
        "The service centre's floor area is empty or 0 (severity high), or below the threshold (medium).",
        ("service_center_min_m2",)),
    "FUNDS_BELOW_STANDARD": Meaning(
        "社区工作经费或服务群众专项经费低于其阈值；空值按 0 计。",
        "Work funds or service funds are below their threshold; an empty value counts as 0.",
        ("work_funds_min", "service_funds_min")),
    "STAFF_BELOW_STANDARD": Meaning(
        "社区填有人口，且社区工作者人数（不重复）× 10000 ÷ 人口低于阈值。",
        "The community has a population, and its distinct community staff × 10,000 ÷ population is below the "
        "threshold.", ("staff_per_10k_min",)),
    "WORKER_OVERLOADED": Meaning(
        "专职网格员的负担户数超过阈值（超过 1.5 倍为高，否则为中）；"
        "负担 = 其任专职的每个住宅网格的户数 ÷ 该网格专职人数，再求和。",
        "A full-time worker's household load exceeds the threshold (high above 1.5 × it, else medium); load = the "
        "sum over the residential grids where they are full-time of households ÷ that grid's full-time workers.",
        ("worker_max_households",)),
    "WORKER_TOO_MANY_GRIDS": Meaning(
        "此人被分配到的网格数（不论专职兼职）超过阈值。",
        "The person is assigned to more grids than the threshold, in any role.", ("worker_max_grids",)),
    "ROLE_CONCENTRATION": Meaning(
        "此人的职责数超过阈值；每项网格分配、每个任书记的党组织、每条社区工作者记录、每个党员中心户、每个领办的书记项目各计一项。",
        "The person holds more responsibilities than the threshold, counting one per grid assignment, party org "
        "they are secretary of, community_staff row, central household and project they lead.",
        ("person_max_roles",)),
    "CENTRAL_HOUSEHOLD_OVERLOADED": Meaning(
        "党员中心户的联系户数超过阈值。",
        "A central household keeps in touch with more households than the threshold.",
        ("central_household_max_linked",)),
    "SOLE_WORKER": Meaning(
        "此人是至少一个有户数或人数（> 0）的网格唯一的网格员：一旦缺位，该网格无人负责；发现列出这些网格和受影响的户数、人数。",
        "The person is the only worker of at least one grid with households or people > 0: losing them leaves it "
        "uncovered; the finding lists those grids and the households and people at risk."),
    "AGENCY_OVERSTRETCHED": Meaning(
        "该单位通过双报到和包联合计联系的不同社区数超过阈值。",
        "The agency is tied to more distinct communities than the threshold, through pairings and baolian together.",
        ("agency_max_communities",)),
    "WORKER_DEMAND_BACKLOG": Meaning(
        "此人代办的、在报告时点仍未办结的诉求数超过阈值。",
        "The person is the handler of more demands open at the report's moment than the threshold.",
        ("worker_max_open_demands",)),
    "DEMAND_OVERDUE": Meaning(
        "诉求在报告时点仍未办结，且提出已超过阈值天数。",
        "The demand is open at the report's moment and was raised more than the threshold's days before it.",
        ("demand_overdue_days",)),
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
