"""The report service's check for a new data set, with a fake query runner (no server needed)."""

from __future__ import annotations

import threading
import time
from datetime import datetime
from typing import Any

import pytest

from api.service import ReportService
from graph.store import datasets
from loaders.validate import load_dataset
from tests.conftest import TINY


class FakeDb:
    """Answers the 'which data set is current' query; ``gate`` holds the answer back."""

    def __init__(self) -> None:
        self.key = "A"
        self.calls = 0
        self.gate = threading.Event()

    def read(self, query: str, params: Any = None, timeout: float = 0) -> list[dict[str, Any]]:
        assert "current: true" in query
        self.calls += 1
        self.gate.wait(10)
        return [{"d": {"ds": self.key}}]


def _service(db: FakeDb) -> tuple[ReportService, object]:
    service = ReportService(db, recheck_s=0.5)  # type: ignore[arg-type]
    snap = object()
    service._reports[("A", service.thresholds.model_dump_json(), "")] = snap  # type: ignore[assignment]
    service._key = (time.monotonic() - 5, "A")  # known, and due for a check
    return service, snap


def _settle(service: ReportService) -> None:
    assert service._checking.acquire(timeout=10)
    service._checking.release()


def test_requests_due_for_a_check_keep_the_known_report_and_ask_once() -> None:
    db = FakeDb()
    service, snap = _service(db)
    answers = [service.peek() for _ in range(50)]
    assert all(a is snap for a in answers)
    assert db.calls == 1  # fifty requests, one question to Neo4j
    db.key = "B"
    db.gate.set()
    _settle(service)
    assert service.peek() is None  # the new data set has no report yet: the caller builds it


def test_a_check_that_started_before_forget_does_not_undo_it() -> None:
    db = FakeDb()
    service, _ = _service(db)
    service.peek()  # starts a check that will answer "A"
    service.forget()  # a load through the API has just switched data sets
    db.gate.set()
    _settle(service)
    assert service._key[1] is None  # the next request asks Neo4j itself
    assert service.peek() is None


def _first_requests(service: ReportService, as_ofs: list[Any]) -> list[Any]:
    start = threading.Barrier(len(as_ofs))
    got: list[Any] = []

    def ask(as_of: Any) -> None:
        start.wait()
        got.append(service.report(as_of))

    threads = [threading.Thread(target=ask, args=(a,)) for a in as_ofs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(600)
    return got


@pytest.mark.neo4j
def test_fifty_simultaneous_first_requests_build_one_report(db) -> None:  # type: ignore[no-untyped-def]
    if datasets.current(db) is None:
        datasets.write_dataset(db, load_dataset(TINY))
    service = ReportService(db)
    got = _first_requests(service, [None] * 50)
    assert len(got) == 50 and all(s is got[0] for s in got)
    assert service.builds == 1 and service.most_at_once == 1


@pytest.mark.neo4j
def test_as_of_within_one_hour_is_one_report(db) -> None:  # type: ignore[no-untyped-def]
    if datasets.current(db) is None:
        datasets.write_dataset(db, load_dataset(TINY))
    service = ReportService(db)
    moments = [datetime(2026, 3, 1, 14, m, s) for m in range(0, 60, 6) for s in (0, 30)]  # 20 distinct moments
    got = _first_requests(service, moments)
    assert len(got) == 20 and all(s is got[0] for s in got)
    assert service.builds == 1 and got[0].report["as_of"].startswith("2026-03-01T14:00")
