"""The report service's check for a new data set, with a fake query runner (no server needed)."""

from __future__ import annotations

import threading
import time
from typing import Any

from api.service import ReportService


class FakeDb:
    """Answers the 'which data set is current' query; ``gate`` holds the answer back."""

    def __init__(self) -> None:
        self.key = "A"
        self.calls = 0
        self.gate = threading.Event()

    def read(self, query: str, params: Any = None) -> list[dict[str, Any]]:
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
