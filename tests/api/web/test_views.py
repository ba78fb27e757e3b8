"""The dashboard's numbers from a scoped report: tiles, rows by score, the severity × category table."""

from __future__ import annotations

from api.web.views import area_rows, by_severity_category, headline, plan_summary
from graph.colours import display_settings, score_band
from graph.report import build_report
from graph.scope import Area, scope_report
from loaders.validate import load_dataset
from tests.conftest import TINY


def test_tiles_and_rows_come_from_the_scoped_report_only() -> None:
    rep = build_report(load_dataset(TINY))
    community = rep["summary"]["communities"][0]
    scoped = scope_report(rep, Area(community_id=community["community_id"]))
    tiles = headline(scoped)
    assert tiles["score"] == community["coverage_score"]
    assert tiles["grids_without_worker"] == sum(1 for f in scoped["findings"] if f["rule"] == "GRID_NO_WORKER")
    rows = area_rows(scoped)
    assert [r["id"] for r in rows] == [community["community_id"]]
    assert rows[0]["colour"] == score_band(community["coverage_score"], display_settings())
    whole = area_rows(rep)
    scores = [r["score"] for r in whole if r["score"] is not None]
    assert scores == sorted(scores)
    matrix = by_severity_category(scoped["findings"])
    assert matrix["total"] == len(scoped["findings"]) == sum(r["total"] for r in matrix["rows"])


def test_the_plan_summary_is_shown_when_there_is_one() -> None:
    assert plan_summary({"findings": []}) is None
    summary = {"zh": "本计划：调整 3 人", "en": "this plan: 3 people adjusted", "adjusted": 3, "part_time_added": 1200,
               "hire_full_time": 1, "new_ties": 2, "cleared": 12, "findings": 40, "actions": 9,
               "hires": [{"action_id": "A1", "count": 1}], "by_kind": {"assign": 3}}
    lines = plan_summary({"plan": {"summary": summary}})
    assert lines == [("本计划 / the plan", "本计划：调整 3 人"), ("调整人员 / people adjusted", "3"),
                     ("新增兼职网格员 / part-time back-ups", "1,200"), ("需增配专职网格员 / full-time workers to hire", "1"),
                     ("新建结对/包联 / new pairings and baolian", "2"), ("补位措施 / actions", "9"),
                     ("可消除的发现 / findings cleared", "12 / 40")]
    assert not any("A1" in v or "assign" in v for _, v in lines)  # no raw action lists or keys on the dashboard
