"""``POST /api/v1/whatif`` with ``apply_plan``: before and after the whole plan, over real HTTP."""

from __future__ import annotations

from typing import Any

import pytest

from graph.store import datasets
from tests.api.conftest import client

pytestmark = pytest.mark.neo4j


def test_whatif_applies_the_plan(server: dict[str, Any], db) -> None:  # type: ignore[no-untyped-def]
    if (datasets.current(db) or {}).get("fingerprint") != server["dataset"].fingerprint:
        datasets.write_dataset(db, server["dataset"])  # another module's test loaded tiny
        server["app"].state.service.forget()
    with client(server, "viewer") as c:
        assert c.post("/api/v1/whatif", json={"apply_plan": True}).status_code == 403
    with client(server, "analyst") as c:
        r = c.post("/api/v1/whatif", json={"apply_plan": True})
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["appear"] == []
        assert len(body["disappear"]) == body["before"]["findings"] - body["after"]["findings"] > 100
        assert body["plan"]["cleared"] <= len(body["disappear"])
        assert body["plan"]["zh"].startswith("本计划：调整")
        rep = c.get("/api/v1/report").json()
        assert set(rep["plan"]) == {"actions", "summary"} and rep["plan"]["summary"] == body["plan"]
        for bad in ({}, {"apply_plan": False}, {"apply_plan": True, "remove": ["WG00001"]}):
            assert c.post("/api/v1/whatif", json=bad).status_code == 422, bad
