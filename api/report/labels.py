"""Chinese (and English) labels for everything a report shows: severities, categories, kinds, thresholds, rates."""

from __future__ import annotations

from typing import Any

from graph.rules.catalogue import CATALOGUE

SEVERITY_ZH = {"high": "高", "medium": "中", "low": "低"}
CATEGORY_ZH = {"coverage": "空白点", "structure": "组织结构", "overload": "超负荷", "demand": "诉求办理"}
KIND_ZH = {"grid": "网格", "compound": "小区", "building": "楼栋", "party_org": "党组织", "community": "社区",
           "agency": "单位", "person": "人员", "central_household": "党员中心户", "demand": "诉求", "street": "街道"}
#: Every field of :class:`Thresholds`, in Chinese (a test keeps this complete).
THRESHOLD_ZH = {
    "grid_max_households": "网格户数上限（户）",
    "service_center_min_m2": "党群服务中心面积下限（平方米）",
    "work_funds_min": "社区工作经费下限（元/年）",
    "service_funds_min": "服务群众专项经费下限（元/年）",
    "staff_per_10k_min": "每万名城镇常住人口社区工作者下限（人）",
    "worker_max_households": "专职网格员负担户数上限（户）",
    "worker_max_grids": "网格员负责网格数上限（个）",
    "person_max_roles": "一人兼任职务上限（个）",
    "central_household_max_linked": "党员中心户联系户数上限（户）",
    "agency_max_communities": "单位联系社区数上限（个）",
    "worker_max_open_demands": "网格员未办结诉求上限（件）",
    "demand_overdue_days": "诉求办结时限（天）",
    "plan_cross_street": "补位方案可跨街道调整",
}
SHARE_ZH = {"grids_with_worker": "网格有网格员", "residential_grids_with_full_time": "住宅网格有专职网格员",
            "grids_with_party_org": "网格建有党组织", "compounds_with_home_branch": "小区建有家园党支部",
            "buildings_with_group": "楼栋建有楼门党小组", "paired": "社区有双报到单位", "baolian": "社区有包联单位"}
#: Keys a plan summary may carry (issue 13), in Chinese; unknown keys are shown as they are.
PLAN_ZH = {"actions": "补位措施", "findings_cleared": "可消除的发现", "cleared": "可消除的发现",
           "findings_remaining": "仍待解决的发现", "remaining": "仍待解决的发现", "people": "涉及人员",
           "grids_covered": "可补齐的网格", "households_moved": "调整户数", "by_rule": "按规则",
           "adjusted": "调整人员", "part_time_added": "新增兼职网格员", "hire_full_time": "需增配专职网格员",
           "new_ties": "新建结对/包联", "findings": "发现总数", "by_kind": "按措施类型"}
#: The coverage shares (graph.summary.SCORE_PARTS) in English, beside SHARE_ZH.
SHARE_EN = {"grids_with_worker": "grids with a worker",
            "residential_grids_with_full_time": "residential grids with a full-time worker",
            "grids_with_party_org": "grids with a party organisation",
            "compounds_with_home_branch": "compounds with a home branch",
            "buildings_with_group": "buildings with a building group",
            "paired": "communities with a dual-report agency", "baolian": "communities with a baolian agency"}
#: Kinds of plan action (graph.plan), in Chinese.
ACTION_ZH = {"assign": "指派", "hand_over": "移交", "back_up": "B 岗兼任", "pair": "双报到结对", "baolian": "包联",
             "hire": "增配", "advice": "组织研究"}


def rule_zh(rule: str) -> str:
    """The rule's Chinese name (the code itself for an unknown rule).

    >>> rule_zh("GRID_NO_WORKER"), rule_zh("NEW_RULE")
    ('网格无网格员', 'NEW_RULE')
    """
    entry = CATALOGUE.get(rule)
    return entry[3] if entry else rule


def pct(rate: float | None, digits: int = 1) -> str:
    """A rate (0–1) as a percentage, or a dash when there is none.

    >>> pct(0.8567), pct(None), pct(1)
    ('85.7%', '—', '100.0%')
    """
    return "—" if rate is None else f"{100 * rate:.{digits}f}%"


def num(value: Any) -> str:
    """A number for reading: integers with thousands separators, others to one decimal; a dash for none.

    >>> num(12345), num(83.25), num(None)
    ('12,345', '83.2', '—')
    """
    if value is None:
        return "—"
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer() and abs(value) >= 1000):
        return f"{int(value):,}"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def zh_date(iso: str) -> str:
    """An ISO moment's date in Chinese.

    >>> zh_date("2026-11-17T08:00:00")
    '2026年11月17日'
    """
    y, m, d = iso[:10].split("-")
    return f"{int(y)}年{int(m)}月{int(d)}日"
