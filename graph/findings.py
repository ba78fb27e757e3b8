"""Findings, thresholds and the evaluation context shared by every rule."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


class Thresholds(BaseModel):
    """The rule thresholds, with the defaults of rules.md.

    >>> Thresholds().grid_max_households
    500
    >>> Thresholds(worker_max_grids=5).worker_max_grids
    5
    """

    grid_max_households: int = Field(500, ge=0, description="住宅网格最多户数 / most households in a residential grid")
    service_center_min_m2: float = Field(500, ge=0,
                                         description="党群服务中心最小面积（平方米）/ least service-centre floor area, m²")
    work_funds_min: float = Field(50_000, ge=0, description="社区工作经费下限（元/年）/ least work funds, yuan a year")
    service_funds_min: float = Field(100_000, ge=0,
                                     description="服务群众专项经费下限（元/年）/ least service funds, yuan a year")
    staff_per_10k_min: float = Field(18, ge=0,
                                     description="每万名居民最少社区工作者数 / least community staff per 10,000 residents")
    worker_max_households: float = Field(500, ge=0,
                                         description="专职网格员最多负担户数 / most households one full-time worker carries")
    worker_max_grids: int = Field(3, ge=0, description="一人最多负责的网格数 / most grids one person is assigned to")
    person_max_roles: int = Field(4, ge=0, description="一人最多职责数 / most responsibilities one person holds")
    central_household_max_linked: int = Field(15, ge=0,
                                              description="党员中心户最多联系户数 / most households one central household links")
    agency_max_communities: int = Field(3, ge=0, description="单位最多联系社区数 / most communities one agency is tied to")
    worker_max_open_demands: int = Field(10, ge=0, description="一人最多代办的未办结诉求 / most open demands one person carries")
    demand_overdue_days: float = Field(7, ge=0, description="诉求办结时限（天）/ days before an open demand is overdue")
    plan_cross_street: bool = Field(False, description="补位方案可跨街道调整网格员 / the plan may move a worker to "
                                                       "a grid in another street (off: within a street only)")


@dataclass
class Finding:
    """One (rule, subject) finding with its evidence and, where one exists, a suggestion."""

    rule: str
    category: str
    severity: str
    subject_id: str
    subject_kind: str
    subject_name: str
    scope: dict[str, str | None]
    metrics: dict[str, Any]
    zh: str
    en: str
    suggestion: dict[str, Any] | None = None
    actions: list[str] | None = None          # the plan's actions that address it (None: no plan was made)
    why: dict[str, str] | None = None         # when no action of the plan clears it: why

    def sort_key(self) -> tuple[int, str, str]:
        return (SEVERITY_ORDER[self.severity], self.rule, self.subject_id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule, "category": self.category, "severity": self.severity,
            "subject": {"id": self.subject_id, "kind": self.subject_kind, "name": self.subject_name},
            "scope": self.scope, "metrics": self.metrics, "message": {"zh": self.zh, "en": self.en},
            "suggestion": self.suggestion,
            **({"actions": self.actions, "why": self.why} if self.actions is not None else {}),
        }


@dataclass
class Context:
    """What every rule may read besides the graph: thresholds, the report's moment, derived figures."""

    thresholds: Thresholds
    as_of: datetime
    grid_households: dict[str, int] = field(default_factory=dict)
    scope_cache: dict[str, dict[str, str | None]] = field(default_factory=dict)


def at_risk(households: int, people: int) -> tuple[str, str]:
    """The (Chinese, English) phrase for who is left uncovered; a grid without households names only people.

    >>> at_risk(320, 900)
    ('320 户/900 人', '320 households and 900 people')
    >>> at_risk(0, 327)
    ('327 人', '327 people')
    """
    if households and people:
        return f"{households} 户/{people} 人", f"{households} households and {people} people"
    if people:
        return f"{people} 人", f"{people} people"
    return f"{households} 户", f"{households} households"
