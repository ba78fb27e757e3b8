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
