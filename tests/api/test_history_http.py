"""The history routes over real HTTP: snapshots, diff and trends, each limited to the caller's area."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import httpx
import pytest
import uvicorn

from api.app import create_app
from api.auth import TokenStore, digest
from graph.report import build_report, pairs
from graph.settings import Settings
from graph.store import datasets
from graph.store.server import free_port
from graph.store.snapshots import archive
from loaders.generate import series, write_csv
from loaders.validate import load_dataset

pytestmark = pytest.mark.neo4j


@pytest.fixture(scope="module")
def history_server(db, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("hist")
    settings = Settings(orgnet_snapshots=root / "snapshots")
    data = {}
    for label, tables in series(2, seed=4):
        write_csv(tables, root / label)
        ds = load_dataset(root / label)
        with archive(settings).keeping(ds, label):
            pass
        data[label] = ds
    community = next(iter(data.values())).rows("communities")[0]
    before = datasets.read_dataset(db)
    datasets.write_dataset(db, data[label], wait=True)  # the latest month is current: its report says 较上月
    tokens = TokenStore([{"sha256": digest("all"), "role": "viewer", "name": "县"},
                         {"sha256": digest("one"), "role": "viewer", "name": "社区", "community_id": community["id"],
                          "street_id": community["street_id"]}])
    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(db, settings, tokens), host="127.0.0.1", port=port,
                                        log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            httpx.get(f"{base}/health", timeout=2)
            break
        except httpx.HTTPError:
            time.sleep(0.1)
    yield {"base": base, "data": data, "community": community}
    srv.should_exit = True
    thread.join(10)
    datasets.write_dataset(db, before, wait=True)  # as the other tests expect


def get(s: dict[str, Any], token: str, path: str) -> httpx.Response:
    return httpx.get(s["base"] + path, headers={"Authorization": f"Bearer {token}"}, timeout=120)


def test_snapshots_diff_and_trend_for_the_county(history_server: dict[str, Any]) -> None:
    labels = list(history_server["data"])
    assert [s["label"] for s in get(history_server, "all", "/api/v1/snapshots").json()] == labels
    d = get(history_server, "all", "/api/v1/diff").json()
    ra, rb = (build_report(history_server["data"][x]) for x in labels)
    assert (d["from"], d["to"]) == tuple(labels)
    assert {(f["rule"], f["subject"]["id"]) for f in d["opened"]} == pairs(rb) - pairs(ra)
    assert d["entities"]["compounds"]["added"]
    t = get(history_server, "all", "/api/v1/trends").json()
    assert [r["label"] for r in t["trend"]] == labels
    assert get(history_server, "all", "/api/v1/diff?from=2001-01").status_code == 404


def test_a_community_viewer_sees_only_their_community(history_server: dict[str, Any]) -> None:
    c = history_server["community"]
    d = get(history_server, "one", "/api/v1/diff").json()
    for k in ("opened", "closed", "persisting"):
        assert all(f["scope"]["community_id"] == c["id"] for f in d[k])
    assert d["entities"] == {} and set(d["kpis"]) == {c["id"]}
    assert get(history_server, "one", "/api/v1/trends").json()["area"] == c["id"]
    assert get(history_server, "one", "/api/v1/trends?street_id=" + c["street_id"]).status_code == 404
    assert "counts" not in get(history_server, "one", "/api/v1/snapshots").json()[0]


def test_the_report_and_the_dashboard_say_what_changed_since_last_month(history_server: dict[str, Any]) -> None:
    labels = list(history_server["data"])
    ra, rb = (build_report(history_server["data"][x]) for x in labels)
    since = get(history_server, "all", "/api/v1/report").json()["since"]
    assert (since["from"], since["to"]) == tuple(labels)
    assert {(f["rule"], f["subject_id"]) for f in since["opened"]} == pairs(rb) - pairs(ra)
    assert {(f["rule"], f["subject_id"]) for f in since["closed"]} == pairs(ra) - pairs(rb)
    c = history_server["community"]
    mine = get(history_server, "one", "/api/v1/report").json()["since"]
    assert set(mine["areas"]) == {c["id"]}
    assert all(f["scope"]["community_id"] == c["id"] for f in mine["opened"] + mine["closed"])
    page = get(history_server, "all", "/").text
    assert f"较上月（{labels[0]} → {labels[1]}）" in page
    assert f"消除 {len(since['closed'])} 处发现，新增 {len(since['opened'])} 处" in page


def test_the_report_and_findings_of_a_kept_snapshot(history_server: dict[str, Any]) -> None:
    first, _ = list(history_server["data"])
    ra = build_report(history_server["data"][first])
    rep = get(history_server, "all", f"/api/v1/report?snapshot={first}").json()
    assert {(f["rule"], f["subject"]["id"]) for f in rep["findings"]} == pairs(ra)
    assert rep["dataset"]["fingerprint"] == history_server["data"][first].fingerprint and rep["since"] is None
    page = get(history_server, "all", f"/api/v1/findings?snapshot={first}&page_size=1000").json()
    assert page["total"] == len(ra["findings"])
    c = history_server["community"]
    mine = get(history_server, "one", f"/api/v1/findings?snapshot={first}&page_size=1000").json()
    assert mine["total"] == sum(f["scope"].get("community_id") == c["id"] for f in ra["findings"]) < page["total"]
    import csv
    import io

    got = get(history_server, "all", f"/api/v1/report/download?format=csv&snapshot={first}")
    assert got.status_code == 200 and len(list(csv.reader(io.StringIO(got.text)))) == len(ra["findings"]) + 1
    assert get(history_server, "all", "/api/v1/report?snapshot=2001-01").status_code == 404
    assert get(history_server, "all", "/api/v1/report?snapshot=../x").status_code == 422
    early = get(history_server, "all", f"/api/v1/report?snapshot={first}&as_of=2026-01-01T00:30").json()
    assert early["as_of"].startswith("2026-01-01T00:00")  # the snapshot's report at that moment (to the hour)
    ds = history_server["data"][first]
    assert {(f["rule"], f["subject"]["id"]) for f in early["findings"]} == pairs(build_report(ds, as_of=datetime(2026, 1, 1)))
