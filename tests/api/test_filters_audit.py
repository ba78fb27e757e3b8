"""Filters are checked against their lists (unknown values are 422, never cache keys), and the server writes
the audit log: who, what, when, from where, with what result."""

from __future__ import annotations

from typing import Any

import pytest

from graph.audit import AuditLog
from tests.api.conftest import client

pytestmark = pytest.mark.neo4j


def test_unknown_filter_values_are_refused_and_never_cached(server: dict[str, Any]) -> None:
    with client(server, "viewer") as c:
        assert c.get("/api/v1/findings", params={"severity": "high"}).status_code == 200
        snap = server["app"].state.service.peek()
        before = len(snap.encoded)
        for params in ({"severity": "urgent"}, {"rule": "NO_SUCH_RULE"}, {"category": "x"},
                       {"rule": "R" * 60_000}, {"community_id": "C" * 65}):
            r = c.get("/api/v1/findings", params=params)
            assert r.status_code == 422, (params, r.status_code)
            assert r.json()["detail"][0]["loc"][0] == "query"
        for params in ({"community_id": "NOPE"}, {"street_id": "NOPE"}):
            assert c.get("/api/v1/findings", params=params).status_code == 404, params
        assert len(snap.encoded) == before
        assert c.get(f"/api/v1/people/{'P' * 65}").status_code == 422


def test_uploads_downloads_and_whatifs_are_audited(server: dict[str, Any]) -> None:
    with client(server, "viewer") as c:
        assert c.get("/api/v1/report/download", params={"format": "csv"}).status_code == 200
    with client(server, "analyst") as c:
        assert c.post("/api/v1/whatif", json={"remove": ["WG00001"]}).status_code == 200
    with client(server, "admin") as c:
        files = {"file": ("坏的.xlsx", b"not a workbook", "application/octet-stream")}
        assert c.post("/api/v1/datasets", files=files).status_code == 422
    with client(server, None) as c:
        assert c.post("/api/v1/datasets", files=files).status_code == 401
    log = AuditLog(server["audit_dir"])
    entries = list(log.entries())
    seen = {(e["action"], e["who"].get("name"), e["result"].split(":")[0]) for e in entries}
    assert ("download", "县级查看", "ok") in seen and ("whatif", "分析员", "ok") in seen
    assert ("upload", "管理员", "refused") in seen
    assert any(e["action"] == "POST /api/v1/datasets" and e["result"].startswith("refused 401") for e in entries)
    assert all(e["from"] == "127.0.0.1" for e in entries)
    assert any(e["action"] == "upload" and e["detail"]["file"] == "坏的.xlsx" and e["who"]["role"] == "admin"
               for e in entries)
    assert log.verify() == []
