"""graph.scope: the one scoping function — a data set and a report limited to an area hold nothing from outside."""

from __future__ import annotations

from graph.report import build_report
from graph.scope import Area, area_counts, scope_dataset, scope_findings, scope_report
from loaders.validate import load_dataset
from tests.conftest import TINY


def test_a_community_keeps_only_its_own_rows() -> None:
    ds = load_dataset(TINY)
    part = scope_dataset(ds, Area(None, "CM1"))
    assert [c["id"] for c in part.rows("communities")] == ["CM1"]
    assert [s["id"] for s in part.rows("streets")] == ["ST1"]
    grids = {g["id"] for g in part.rows("grids")}
    assert grids and all(g.get("community_id") == "CM1" for g in part.rows("grids"))
    assert all(a["grid_id"] in grids for a in part.rows("grid_assignments"))
    assert all(b["grid_id"] in grids for b in part.rows("buildings"))
    assert all(d["grid_id"] in grids for d in part.rows("demands"))
    people = {p["id"] for p in part.rows("people")}
    assert {a["person_id"] for a in part.rows("grid_assignments")} <= people < {p["id"] for p in ds.rows("people")}
    assert area_counts(ds, Area(None, "CM1"))["grids"] == len(grids) < ds.counts()["grids"]
    assert scope_dataset(ds, Area()) is ds
    assert scope_dataset(ds, Area("ST1", "CM2")).counts()["communities"] == 1
    assert scope_dataset(ds, Area("NOPE", "CM1")).counts()["communities"] == 0


def test_a_limited_report_has_only_its_findings_totals_and_counts() -> None:
    ds = load_dataset(TINY)
    rep = build_report(ds)
    area = Area(None, "CM2")
    out = scope_report(rep, area, area_counts(ds, area))
    assert out["findings"] == scope_findings(rep["findings"], area)
    assert all(f["scope"]["community_id"] == "CM2" for f in out["findings"])
    assert sum(out["summary"]["by_rule"].values()) == len(out["findings"]) < len(rep["findings"])
    assert out["dataset"]["counts"]["communities"] == 1 and out["scope"] == {"street_id": None, "community_id": "CM2"}
    assert [c["community_id"] for c in out["summary"]["communities"]] == ["CM2"] and out["summary"]["streets"] == []
    assert all(r["scope"]["community_id"] == "CM2" for r in out["ranking"])
