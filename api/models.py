"""Response models of the HTTP API (what /openapi.json describes)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from loaders.problems import Problem


class Error(BaseModel):
    detail: str


class Health(BaseModel):
    status: str
    neo4j: bool


class Subject(BaseModel):
    id: str
    kind: str
    name: str


class Message(BaseModel):
    zh: str
    en: str


class FindingOut(BaseModel):
    rule: str
    category: str
    severity: str
    subject: Subject
    scope: dict[str, str | None]
    metrics: dict[str, Any]
    message: Message
    suggestion: dict[str, Any] | None = None
    actions: list[str] | None = None
    why: dict[str, str] | None = None


class FindingBrief(BaseModel):
    rule: str
    subject_id: str
    scope: dict[str, str | None]


class Since(BaseModel):
    """较上月 / since last month: against the snapshot kept before the report's data set (issue 16)."""

    model_config = ConfigDict(serialize_by_alias=True, validate_by_name=True)
    from_: str = Field(alias="from")
    to: str
    opened: list[FindingBrief]
    closed: list[FindingBrief]
    #: per area (``county``, street and community ids): each figure's ``before``, ``after`` and ``delta``
    areas: dict[str, dict[str, Any]]


class Report(BaseModel):
    version: int
    as_of: str
    thresholds: dict[str, Any]
    dataset: dict[str, Any]
    findings: list[FindingOut]
    summary: dict[str, Any]
    ranking: list[dict[str, Any]] = Field(default_factory=list)
    plan: dict[str, Any] | None = None
    since: Since | None = None


class FindingsPage(BaseModel):
    total: int
    page: int
    page_size: int
    items: list[FindingOut]


class CommunityRow(BaseModel):
    community_id: str
    name: str
    street_id: str
    county: str | None = Field(None, description="所属县（省级数据集里区分各县）/ the county, as the streets name it")
    coverage_score: float | None = None
    households_per_full_time: float | None = None
    findings: dict[str, int]


class Person(BaseModel):
    id: str
    name: str
    phone: str | None = None
    party_member: bool | None = None
    agency_id: str | None = None
    home_community_id: str | None = None
    grids: list[dict[str, Any]] = Field(default_factory=list)
    findings: list[FindingOut] = Field(default_factory=list)


class CommunityDetail(BaseModel):
    summary: dict[str, Any]
    findings: list[FindingOut]
    workers: list[Person]


class Refusal(BaseModel):
    zh: str
    en: str
    problems: list[Problem]


class WhatIfIn(BaseModel):
    """Remove people, agencies or grids, or carry out the whole plan (``apply_plan``): one of the two."""

    # the rule below, in the published schema too (clients and schemathesis generate from it)
    model_config = ConfigDict(json_schema_extra={"oneOf": [
        {"required": ["remove"], "properties": {"remove": {"minItems": 1}, "apply_plan": {"const": False}}},
        {"required": ["apply_plan"], "properties": {"apply_plan": {"const": True}, "remove": {"maxItems": 0}}},
    ]})

    remove: list[str] = Field(default_factory=list, max_length=100)
    apply_plan: bool = False

    @model_validator(mode="after")
    def one_of_the_two(self) -> WhatIfIn:
        if bool(self.remove) == self.apply_plan:
            raise ValueError("给出 remove（要移除的编号）或 apply_plan: true 二者之一 / "
                             "give remove or apply_plan, one of the two")
        return self


class Counts(BaseModel):
    findings: int
    by_rule: dict[str, int]


class WhatIfOut(BaseModel):
    removed: list[str]
    unknown: list[str]
    as_of: str
    appear: list[FindingOut]
    disappear: list[FindingOut]
    before: Counts | None = None
    after: Counts | None = None
    plan: dict[str, Any] | None = None


class Loaded(BaseModel):
    fingerprint: str
    counts: dict[str, int]
