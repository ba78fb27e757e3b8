"""Response models of the HTTP API (what /openapi.json describes)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

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


class Report(BaseModel):
    version: int
    as_of: str
    thresholds: dict[str, Any]
    dataset: dict[str, Any]
    findings: list[FindingOut]
    summary: dict[str, Any]
    ranking: list[dict[str, Any]] = Field(default_factory=list)


class FindingsPage(BaseModel):
    total: int
    page: int
    page_size: int
    items: list[FindingOut]


class CommunityRow(BaseModel):
    community_id: str
    name: str
    street_id: str
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
    remove: list[str] = Field(min_length=1, max_length=100)


class WhatIfOut(BaseModel):
    removed: list[str]
    unknown: list[str]
    as_of: str
    appear: list[FindingOut]
    disappear: list[FindingOut]


class Loaded(BaseModel):
    fingerprint: str
    counts: dict[str, int]
