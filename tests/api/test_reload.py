"""Requests during a reload: none fails, and every answer comes whole from one data set or the other."""

from __future__ import annotations

import threading
from typing import Any

import httpx
import pytest

from graph.store import datasets
from tests.api.conftest import TOKENS
from tests.api.test_http import workbook
from tests.conftest import TINY

pytestmark = pytest.mark.neo4j


def test_no_failed_request_and_no_mixed_answer_during_a_reload(server: dict[str, Any], db, laoting_dir) -> None:  # type: ignore[no-untyped-def]
    seen: list[tuple[int, str, int, int]] = []
    stop = threading.Event()

    def hammer() -> None:
        with httpx.Client(base_url=server["base"], timeout=120,
                          headers={"Authorization": f"Bearer {TOKENS['viewer']}"}) as c:
            while not stop.is_set():
                r = c.get("/api/v1/findings", params={"page_size": 1})
                body = r.json() if r.status_code == 200 else {}
                seen.append((r.status_code, r.headers.get("X-Orgnet-Dataset", ""), body.get("total", -1),
                             len(body.get("items", []))))

    threads = [threading.Thread(target=hammer) for _ in range(8)]
    for th in threads:
        th.start()
    try:
        with httpx.Client(base_url=server["base"], timeout=900,  # an upload answers once the new report is built
                          headers={"Authorization": f"Bearer {TOKENS['admin']}"}) as c:
            for book in (workbook(TINY), workbook(laoting_dir)):
                assert c.post("/api/v1/datasets", files={"file": ("d.xlsx", book, "application/octet-stream")}).status_code == 201
    finally:
        stop.set()
        for th in threads:
            th.join(60)
        datasets.write_dataset(db, server["dataset"], wait=True)  # as the other tests expect
        server["app"].state.service.forget()
    assert seen and all(code == 200 for code, *_ in seen), {code for code, *_ in seen}
    totals: dict[str, set[int]] = {}
    for _, fp, total, _ in seen:
        totals.setdefault(fp, set()).add(total)
    assert len(totals) >= 2, "the reload happened while requests were running"
    assert all(len(v) == 1 for v in totals.values()), totals  # one data set, one answer: never a mixture
