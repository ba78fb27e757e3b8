"""Downloads over real HTTP: named by county, scope and date (RFC 5987 filename*), scoped to the token's area,
CSV in Chinese or English, formats including PDF."""

from __future__ import annotations

import csv
import io
from typing import Any
from urllib.parse import unquote

import pytest

from tests.api.conftest import LIMITED_COMMUNITY, client

pytestmark = pytest.mark.neo4j


def name_of(resp: Any) -> str:
    cd = resp.headers["content-disposition"]
    assert cd.startswith("attachment; filename=\"orgnet-report-") and "filename*=UTF-8''" in cd
    return unquote(cd.split("filename*=UTF-8''", 1)[1])


def test_download_names_and_scope(server: dict[str, Any]) -> None:
    with client(server, "viewer") as c:
        rep = c.get("/api/v1/report").json()
        date = rep["as_of"][:10]
        x = c.get("/api/v1/report/download", params={"format": "xlsx"})
        assert x.status_code == 200 and x.content[:2] == b"PK"
        assert name_of(x) == f"乐亭县-空白点报告-{date}.xlsx"
        en = c.get("/api/v1/report/download", params={"format": "csv", "lang": "en"})
        assert en.text.lstrip("\ufeff").startswith("severity,category")
    with client(server, "viewer_c1") as c:
        r = c.get("/api/v1/report/download", params={"format": "csv"})
        community = next(x["name"] for x in rep["summary"]["communities"] if x["community_id"] == LIMITED_COMMUNITY)
        assert name_of(r) == f"乐亭县-{community}-空白点报告-{date}.csv"
        rows = list(csv.DictReader(io.StringIO(r.text.lstrip("\ufeff"))))
        assert rows and {row["社区编号"] for row in rows} == {LIMITED_COMMUNITY}
        assert {row["严重程度"] for row in rows} <= {"高", "中", "低"}
        html = c.get("/api/v1/report/download", params={"format": "html"}).text
        assert f"乐亭县{community}基层治理空白点报告" in html


@pytest.mark.browser
def test_pdf_download(server: dict[str, Any]) -> None:
    with client(server, "viewer_c1") as c:
        r = c.get("/api/v1/report/download", params={"format": "pdf"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf" and r.content[:5] == b"%PDF-"
    assert name_of(r).endswith(".pdf")
