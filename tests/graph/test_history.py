"""Month over month on a generated series: the diff is exactly the difference of the two reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.history import diff, trend
from graph.report import build_report, pairs
from loaders.generate import series, write_csv
from loaders.validate import load_dataset


@pytest.fixture(scope="module")
def months(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("series")
    out = []
    for label, tables in series(3, seed=5):
        write_csv(tables, root / label)
        out.append((label, root / label))
    return out


def test_the_series_is_labelled_by_month_and_every_month_is_valid(months: list[tuple[str, Path]]) -> None:
    assert [m for m, _ in months] == ["2026-09", "2026-10", "2026-11"]
    for label, path in months:
        ds = load_dataset(path)
        latest = max(d["raised_at"] for d in ds.rows("demands"))
        assert latest.strftime("%Y-%m") == label


def test_the_diff_equals_the_difference_of_the_reports(months: list[tuple[str, Path]]) -> None:
    (a, pa), (b, pb) = months[0], months[1]
    ds_a, ds_b = load_dataset(pa), load_dataset(pb)
    ra, rb = build_report(ds_a), build_report(ds_b)
    d = diff(a, b, ra, rb, ds_a, ds_b)
    key = {(f["rule"], f["subject"]["id"]) for f in d["opened"]}
    assert key == pairs(rb) - pairs(ra)
    assert {(f["rule"], f["subject"]["id"]) for f in d["closed"]} == pairs(ra) - pairs(rb)
    assert {(f["rule"], f["subject"]["id"]) for f in d["persisting"]} == pairs(ra) & pairs(rb)
    assert d["opened"] and d["closed"]
    # the churn shows as entity changes: a new compound, workers moved, left and hired, households changed
    assert d["entities"]["compounds"]["added"] == ["XQM001"]
    assert d["entities"]["grid_assignments"]["added"] and d["entities"]["grid_assignments"]["removed"]
    assert any("households" in c for c in d["entities"]["buildings"]["changed"].values())
    assert d["entities"]["demands"]["added"]
    assert ("COMPOUND_NO_HOME_BRANCH", "XQM001") in key
    county = d["kpis"]["county"]
    assert county["findings"]["before"] == len(ra["findings"]) and county["findings"]["after"] == len(rb["findings"])
    street = ra["summary"]["streets"][0]["street_id"]
    assert d["kpis"][street]["coverage_score"]["before"] == ra["summary"]["streets"][0]["coverage_score"]


def test_a_trend_lists_an_area_over_the_months(months: list[tuple[str, Path]]) -> None:
    reports = [(label, build_report(load_dataset(p))) for label, p in months]
    rows = trend(reports)
    assert [r["label"] for r in rows] == [m for m, _ in months]
    assert [r["findings"] for r in rows] == [len(r["findings"]) for _, r in reports]
    community = reports[0][1]["summary"]["communities"][0]["community_id"]
    assert len(trend(reports, community)) == 3


def test_since_last_month_is_the_difference_of_the_reports_and_scopes_to_an_area(
        months: list[tuple[str, Path]]) -> None:
    from graph.history import since
    from graph.scope import Area, scope_report

    (a, pa), (b, pb) = months[0], months[1]
    ra, rb = build_report(load_dataset(pa)), build_report(load_dataset(pb))
    s = since(a, b, ra, rb)
    assert (s["from"], s["to"]) == (a, b)
    assert {(f["rule"], f["subject_id"]) for f in s["opened"]} == pairs(rb) - pairs(ra)
    assert {(f["rule"], f["subject_id"]) for f in s["closed"]} == pairs(ra) - pairs(rb)
    street = rb["summary"]["streets"][0]["street_id"]
    assert s["areas"][street]["coverage_score"]["after"] == rb["summary"]["streets"][0]["coverage_score"]
    mine = scope_report({**rb, "since": s}, Area(street_id=street))["since"]
    assert mine["opened"] and all(f["scope"]["street_id"] == street for f in mine["opened"] + mine["closed"])
    assert len(mine["opened"]) == sum(f["scope"].get("street_id") == street for f in s["opened"])
    assert "county" not in mine["areas"] and street in mine["areas"]
    assert all(row["scope"]["street_id"] == street for row in mine["areas"].values())


def test_since_last_month_is_shown_in_every_rendering(months: list[tuple[str, Path]], tmp_path: Path) -> None:
    import openpyxl

    from api.report.html import to_html
    from api.report.text import to_text
    from api.report.xlsx import to_xlsx
    from graph.history import since

    (a, pa), (b, pb) = months[0], months[1]
    ra, rb = build_report(load_dataset(pa)), build_report(load_dataset(pb))
    rep = {**rb, "since": since(a, b, ra, rb)}
    closed, opened = len(rep["since"]["closed"]), len(rep["since"]["opened"])
    html = to_html(rep)
    assert f"较上月（{a} → {b}）</b>：消除 {closed} 处发现，新增 {opened} 处" in html
    assert html.count('<th class="n" data-sortable>较上月</th>') == 2  # streets and communities
    assert "较上月" not in to_html(rb)  # no earlier snapshot: no column
    assert f"消除 {closed}，新增 {opened}" in to_text(rep, width=160)
    path = tmp_path / "r.xlsx"
    path.write_bytes(to_xlsx(rep))
    wb = openpyxl.load_workbook(path)
    summary = {r[0]: r[1] for r in wb["摘要"].iter_rows(values_only=True) if r and r[0]}
    assert summary[f"较上月（{a}）消除的发现（条）"] == closed
    head = [c.value for c in wb["社区概况"][1]]
    col = head.index("覆盖得分较上月")
    moved = {k: v["coverage_score"]["delta"] for k, v in rep["since"]["areas"].items()
             if v["kind"] == "community" and v["coverage_score"]["delta"]}
    assert moved, "the series moves some community's score"
    rows = {r[head.index("社区编号")]: r[col] for r in wb["社区概况"].iter_rows(min_row=2, values_only=True)}
    assert {k: rows[k] for k in moved} == moved
