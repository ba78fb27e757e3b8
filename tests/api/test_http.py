"""The API over real HTTP against the real Neo4j with the Laoting data: each role sees what it may, no more."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest

from graph.store import datasets
from tests.api.conftest import LIMITED_COMMUNITY, client, dump
from tests.conftest import TINY

pytestmark = pytest.mark.neo4j
PHONE = re.compile(r"(?<![\d.])1[3589]\d{9}(?!\d)")


def test_health_is_open_and_everything_else_needs_a_token(server: dict[str, Any]) -> None:
    with client(server, None) as c:
        assert c.get("/health").json() == {"status": "ok", "neo4j": True}
        for path in ("/api/v1/report", "/api/v1/findings", "/api/v1/communities", "/openapi.json"):
            assert c.get(path).status_code == 401, path
        assert c.get("/explorer").status_code == 303  # pages send the browser to /login (tests/api/web)
        assert c.get("/api/v1/report", headers={"Authorization": "Bearer nope"}).status_code == 401


def test_report_and_findings_filters(server: dict[str, Any]) -> None:
    with client(server, "viewer") as c:
        rep = c.get("/api/v1/report").json()
        assert rep["version"] == 1 and rep["dataset"]["fingerprint"] == server["dataset"].fingerprint
        page = c.get("/api/v1/findings", params={"rule": "GRID_NO_WORKER", "page_size": 5}).json()
        assert page["total"] == rep["summary"]["by_rule"]["GRID_NO_WORKER"]
        assert len(page["items"]) == min(5, page["total"]) and all(f["rule"] == "GRID_NO_WORKER" for f in page["items"])
        high = c.get("/api/v1/findings", params={"severity": "high", "page_size": 1000}).json()
        assert high["total"] == sum(1 for f in rep["findings"] if f["severity"] == "high")
        assert c.get("/api/v1/findings", params={"page_size": 0}).status_code == 422


def test_viewer_limited_to_one_community_sees_nothing_outside_it(server: dict[str, Any]) -> None:
    ds = server["dataset"]
    other = next(c["id"] for c in ds.rows("communities") if c["id"] != LIMITED_COMMUNITY)
    grid_of = {g["id"]: g.get("community_id") for g in ds.rows("grids")}
    outsider = next(a["person_id"] for a in ds.rows("grid_assignments") if grid_of[a["grid_id"]] == other)
    with client(server, "viewer_c1") as c:
        rep = c.get("/api/v1/report").json()
        assert rep["findings"] and all(f["scope"]["community_id"] == LIMITED_COMMUNITY for f in rep["findings"])
        assert [x["community_id"] for x in c.get("/api/v1/communities").json()] == [LIMITED_COMMUNITY]
        assert c.get(f"/api/v1/communities/{other}").status_code == 404
        assert c.get(f"/api/v1/people/{outsider}").status_code == 404
        assert c.get(f"/api/v1/communities/{LIMITED_COMMUNITY}").status_code == 200


def test_no_phone_number_reaches_a_viewer_but_an_analyst_sees_them(server: dict[str, Any]) -> None:
    ds = server["dataset"]
    worker = next(a["person_id"] for a in ds.rows("grid_assignments")
                  if a["grid_id"] in {g["id"] for g in ds.rows("grids") if g.get("community_id") == LIMITED_COMMUNITY})
    phone = next(p["phone"] for p in ds.rows("people") if p["id"] == worker)
    paths = ["/api/v1/report", "/api/v1/findings?page_size=1000", "/api/v1/communities",
             f"/api/v1/communities/{LIMITED_COMMUNITY}", f"/api/v1/people/{worker}",
             "/api/v1/report/download?format=csv", "/api/v1/report/download?format=html"]
    for who in ("viewer", "viewer_c1"):
        with client(server, who) as c:
            for path in paths:
                r = c.get(path)
                assert r.status_code == 200, (who, path)
                assert not PHONE.search(dump(r)), (who, path)
            assert c.get(f"/api/v1/people/{worker}").json()["phone"] == "***"
    with client(server, "analyst") as c:
        assert c.get(f"/api/v1/people/{worker}").json()["phone"] == phone


def test_roles_for_whatif_and_upload(server: dict[str, Any], tmp_path) -> None:  # type: ignore[no-untyped-def]
    with client(server, "viewer") as c:
        assert c.post("/api/v1/whatif", json={"remove": ["WG00001"]}).status_code == 403
    with client(server, "analyst") as c:
        r = c.post("/api/v1/whatif", json={"remove": ["WG00001"]}).json()
        assert r["removed"] == ["WG00001"] and isinstance(r["appear"], list)
        files = {"file": ("x.xlsx", b"not a workbook", "application/octet-stream")}
        assert c.post("/api/v1/datasets", files=files).status_code == 403


def workbook(folder, edits: dict[tuple[str, int, str], str] | None = None) -> bytes:  # type: ignore[no-untyped-def]
    import pandas as pd

    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="xlsxwriter") as xw:
        for f in sorted(folder.glob("*.csv")):
            df = pd.read_csv(f, dtype=str, keep_default_na=False)
            for (table, row, col), value in (edits or {}).items():
                if table == f.stem:
                    df.loc[row - 2, col] = value
            df.to_excel(xw, sheet_name=f.stem, index=False)
    return buf.getvalue()


REFUSALS = [
    {("grids", 3, "kind"): "tower"},
    {("grids", 2, "community_id"): "CM9"},
    {("party_orgs", 6, "area_id"): "LD1"},
    {("demands", 2, "whistled_at"): "2026-08-01 10:00"},
    {("buildings", 2, "households"): "-1"},
    {("grids", 2, "id"): "LD1"},
]


@pytest.mark.parametrize("edits", REFUSALS)
def test_refused_uploads_return_422_and_change_nothing(server: dict[str, Any], db, edits) -> None:  # type: ignore[no-untyped-def]
    before = datasets.current(db)
    with client(server, "admin") as c:
        r = c.post("/api/v1/datasets", files={"file": ("bad.xlsx", workbook(TINY, edits), "application/octet-stream")})
    assert r.status_code == 422
    body = r.json()
    (table, row, col), _ = next(iter(edits.items()))
    assert any(p["table"] == table and p["row"] == row and p["column"] == col for p in body["problems"]) or \
        any(p["table"] == "buildings" and p["column"] == "id" for p in body["problems"])
    assert body["zh"] and body["en"]
    assert datasets.current(db) == before


def test_downloads(server: dict[str, Any]) -> None:
    with client(server, "viewer") as c:
        csv_ = c.get("/api/v1/report/download", params={"format": "csv"})
        assert csv_.status_code == 200 and "规则" in csv_.text
        xlsx = c.get("/api/v1/report/download", params={"format": "xlsx"})
        assert xlsx.content[:2] == b"PK"
        html = c.get("/api/v1/report/download", params={"format": "html"})
        assert "空白点报告" in html.text and "<svg" in html.text


def test_upload_by_admin_replaces_the_data_set_then_restore(server: dict[str, Any], db, laoting_dir) -> None:  # type: ignore[no-untyped-def]
    with client(server, "admin") as c:
        r = c.post("/api/v1/datasets", files={"file": ("tiny.xlsx", workbook(TINY), "application/octet-stream")})
        assert r.status_code == 201, r.text
        with client(server, "viewer") as v:
            ids = {x["community_id"] for x in v.get("/api/v1/communities").json()}
        assert ids == {"CM1", "CM2"}
        r = c.post("/api/v1/datasets", files={"file": ("lt.xlsx", workbook(laoting_dir), "application/octet-stream")})
        assert r.status_code == 201
    datasets.write_dataset(db, server["dataset"])  # as the other tests expect
    server["app"].state.service.forget()
