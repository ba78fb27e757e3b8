"""The server's heavy work runs in child processes: same results, errors arrive as themselves, and the serving
process neither parses an upload nor builds a report itself."""

from __future__ import annotations

import io
import pickle
from typing import Any

import httpx
import pytest

from api import isolated
from api.service import ReportService
from graph.errors import DatasetChanged, LoadInProgress
from graph.report import build_report
from graph.store import datasets
from loaders.validate import load_dataset
from tests.api.conftest import TOKENS
from tests.api.test_http import workbook
from tests.conftest import TINY


def test_parts_give_back_the_same_data_set_and_report() -> None:
    ds = load_dataset(TINY)
    rep = build_report(ds)
    buf = io.BytesIO()
    isolated.write_parts(buf, ds, rep, chunk=3)  # many parts, even for the tiny data set
    buf.seek(0)
    back, rep2 = isolated.read_parts(buf)
    assert back.tables == ds.tables and back.fingerprint == ds.fingerprint and back.source == ds.source
    assert rep2 == rep


def test_an_error_of_the_child_arrives_as_itself() -> None:
    err = pickle.loads(pickle.dumps(DatasetChanged("gone", "已替换")))
    assert type(err) is DatasetChanged and err.zh == "已替换" and str(err) == "gone"
    with pytest.raises(LoadInProgress) as caught:
        isolated.run(_raise_busy)
    assert caught.value.holder == "someone" and caught.value.since == "08:00"


def _raise_busy() -> None:
    raise LoadInProgress("someone", "08:00")


@pytest.mark.neo4j
def test_a_report_built_in_a_child_equals_one_built_here(db, settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    if datasets.current(db) is None:
        datasets.write_dataset(db, load_dataset(TINY))
    calls: list[Any] = []
    service = ReportService(db, settings=settings, isolate=True)
    monkeypatch.setattr("api.service.build_report", lambda *a, **k: calls.append(a))  # must not run here
    snap = service.report()
    assert calls == [] and service.builds == 1
    here = datasets.read_dataset(db)
    assert snap.ds.tables == here.tables and snap.ds.fingerprint == here.fingerprint
    monkeypatch.undo()
    expected = build_report(here, service.thresholds, None)
    assert {k: v for k, v in snap.report.items() if k != "since"} == expected


@pytest.mark.neo4j
def test_an_upload_is_read_in_a_child(server: dict[str, Any], db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def not_here(*a: Any, **k: Any) -> None:
        raise AssertionError("the serving process read the workbook itself")

    expected = load_dataset(TINY).counts()
    monkeypatch.setattr("loaders.validate.load_dataset", not_here)
    monkeypatch.setattr("api.isolated.write_parts", not_here)
    try:
        with httpx.Client(base_url=server["base"], timeout=300,
                          headers={"Authorization": f"Bearer {TOKENS['admin']}"}) as c:
            r = c.post("/api/v1/datasets", files={"file": ("tiny.xlsx", workbook(TINY), "application/octet-stream")})
            assert r.status_code == 201, r.text
            assert r.json()["counts"] == expected
            bad = c.post("/api/v1/datasets", files={"file": ("bad.xlsx", b"not a workbook", "application/octet-stream")})
            assert bad.status_code == 422 and bad.json()["problems_total"] >= 1
            assert "/tmp" not in bad.text and "bad.xlsx" in bad.text
    finally:
        monkeypatch.undo()
        datasets.write_dataset(db, server["dataset"], wait=True)  # as the other tests expect
        server["app"].state.service.forget()


def test_the_heavy_work_yields_the_cpu_to_the_process_answering_requests() -> None:
    import os

    mine = os.nice(0)
    assert isolated.run(os.nice, 0) >= mine + 10  # a report build
    assert isolated.run(os.nice, 0, fresh=True) >= mine + 10  # an upload
