"""A second upload while a load runs answers 409 in Chinese and English (issue 11, point 1)."""

from __future__ import annotations

from typing import Any

import pytest

from graph.store import datasets, loadlock
from tests.api.conftest import client
from tests.api.test_http import workbook
from tests.conftest import TINY

pytestmark = pytest.mark.neo4j


def test_upload_during_a_load_answers_409_and_changes_nothing(server: dict[str, Any], db) -> None:  # type: ignore[no-untyped-def]
    before = datasets.current(db)
    with loadlock.acquire(db, loadlock.describe("orgnet load other.xlsx"), wait=True), client(server, "admin") as c:
        r = c.post("/api/v1/datasets", files={"file": ("tiny.xlsx", workbook(TINY), "application/octet-stream")})
    assert r.status_code == 409, r.text
    body = r.json()
    assert "另一个载入正在进行" in body["zh"] and "another load is in progress" in body["en"]
    assert "orgnet load other.xlsx" in body["detail"] and body["since"]
    assert datasets.current(db) == before
