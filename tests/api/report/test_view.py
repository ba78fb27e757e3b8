"""What every rendering shows: headline numbers, groups, the weakest communities, the plan, names, file names,
and narrowing a report (area through graph.scope, severities, rules)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from api.report import view
from api.report.filters import UnknownChoice, narrow
from api.report.labels import THRESHOLD_ZH
from graph.findings import Thresholds


def test_every_threshold_has_a_chinese_label() -> None:
    assert set(THRESHOLD_ZH) == set(Thresholds.model_fields)
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in label) for label in THRESHOLD_ZH.values())


def test_groups_count_every_finding_once(laoting_report: dict[str, Any]) -> None:
    names = view.Names(laoting_report)
    groups = view.groups(laoting_report, names)
    assert sum(g["count"] for g in groups) == len(laoting_report["findings"]) == 360
    for g in groups:
        assert g["count"] == laoting_report["summary"]["by_rule"][g["rule"]] == len(g["findings"])
        assert sum(n for _, n in g["streets"]) == g["count"]
    assert [g["count"] for g in groups] == sorted((g["count"] for g in groups), reverse=True)
    sole = groups[0]
    assert sole["rule"] == "SOLE_WORKER"
    by_street = Counter(names.street(f["scope"]["street_id"]) for f in laoting_report["findings"]
                        if f["rule"] == "SOLE_WORKER")
    assert dict(sole["streets"]) == by_street and all(s.endswith("街道") for s in by_street)


def test_headline_is_computed_from_the_report(laoting_report: dict[str, Any]) -> None:
    h = view.headline(laoting_report)
    fs = laoting_report["findings"]
    assert h["grids_uncovered"] == sum(1 for f in fs if f["rule"] == "GRID_NO_WORKER") == 8
    assert h["overdue_demands"] == sum(1 for f in fs if f["rule"] == "DEMAND_OVERDUE") == 90
    assert h["overloaded_workers"] == len({f["subject"]["id"] for f in fs if f["rule"] == "WORKER_OVERLOADED"})
    comms = laoting_report["summary"]["communities"]
    assert h["demands"] == sum(c["demands"] for c in comms)
    resolved = sum(round(c["resolved_rate"] * c["demands"]) for c in comms)
    assert h["resolved_rate"] == pytest.approx(resolved / h["demands"], abs=1e-3)
    assert h["coverage_score"] == round(sum(c["coverage_score"] for c in comms) / len(comms), 1)
    assert sum(h["by_severity"].values()) == len(fs)


def test_weakest_communities_and_their_main_problem(laoting_report: dict[str, Any]) -> None:
    weak = view.weakest(laoting_report)
    scores = sorted(c["coverage_score"] for c in laoting_report["summary"]["communities"])
    assert [c["coverage_score"] for c in weak] == scores[:5]
    first = weak[0]
    rules = Counter(f["rule"] for f in laoting_report["findings"] if f["scope"]["community_id"] == first["community_id"])
    top_rule, n = rules.most_common(1)[0]
    assert first["main_problem"].endswith(f" {n} 处") and first["street"].endswith("街道")


def test_plan_summary_uses_the_plan_when_the_report_has_one(laoting_report: dict[str, Any]) -> None:
    without = {k: v for k, v in laoting_report.items() if k != "plan"}  # a report made before plans existed
    fallback = view.plan_summary(without)
    assert fallback["source"] == "suggestions"
    assert fallback["total"] == sum(1 for f in without["findings"] if f.get("suggestion")) > 0
    assert sum(n for _, n in fallback["items"]) == fallback["total"]
    got = view.plan_summary(laoting_report)
    plan = laoting_report["plan"]["summary"]
    assert got["source"] == "plan" and got["text"] == plan["zh"] and got["total"] == plan["cleared"] > 0
    assert ("可消除的发现", plan["cleared"]) in got["items"] and ("需增配专职网格员", plan["hire_full_time"]) in got["items"]
    assert not any(label in ("zh", "en", "hires") for label, _ in got["items"])


def test_file_name_carries_county_scope_and_date(laoting_report: dict[str, Any]) -> None:
    assert view.file_name(laoting_report, "xlsx") == "乐亭县-空白点报告-2026-11-17.xlsx"
    street = narrow(laoting_report, street="乐安街道")
    assert view.file_name(street, "csv") == "乐亭县-乐安街道-空白点报告-2026-11-17.csv"


def test_narrow_to_a_street_recomputes_every_total(laoting_report: dict[str, Any]) -> None:
    rep = narrow(laoting_report, street="乐安街道")
    sid = rep["scope"]["street_id"]
    assert rep["findings"] and all(f["scope"]["street_id"] == sid for f in rep["findings"])
    assert sum(rep["summary"]["by_rule"].values()) == len(rep["findings"])
    assert all(c["street_id"] == sid for c in rep["summary"]["communities"])
    assert [s["street_id"] for s in rep["summary"]["streets"]] == [sid]
    h = view.headline(rep)
    assert h["demands"] == sum(c["demands"] for c in rep["summary"]["communities"])
    assert narrow(laoting_report, street=sid)["findings"] == rep["findings"]


def test_narrow_by_community_severity_and_rule(laoting_report: dict[str, Any]) -> None:
    rep = narrow(laoting_report, community="乐安1社区", severities=["高", "medium"])
    assert {f["severity"] for f in rep["findings"]} <= {"high", "medium"}
    assert rep["findings"] and all(f["scope"]["community_id"] == "SQ0001" for f in rep["findings"])
    only = narrow(laoting_report, rules=["网格无网格员", "demand_overdue"])
    assert set(only["summary"]["by_rule"]) == {"GRID_NO_WORKER", "DEMAND_OVERDUE"}
    with pytest.raises(UnknownChoice, match="no street .火星街道."):
        narrow(laoting_report, street="火星街道")
    with pytest.raises(UnknownChoice):
        narrow(laoting_report, severities=["urgent"])
    with pytest.raises(UnknownChoice):
        narrow(laoting_report, rules=["NO_SUCH_RULE"])


def test_every_coverage_share_has_a_chinese_name() -> None:
    from api.report.labels import SHARE_EN, SHARE_ZH
    from graph.summary import SCORE_PARTS

    assert set(SHARE_ZH) == set(SHARE_EN) == set(SCORE_PARTS)
