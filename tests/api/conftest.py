"""A real HTTP server (uvicorn on loopback) over the real Neo4j, with the Laoting data loaded and test tokens."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from api.app import create_app
from api.auth import TokenStore, digest
from graph.store import datasets
from graph.store.server import free_port
from loaders.generate import generate, write_csv
from loaders.validate import load_dataset

TOKENS = {"viewer": "v-token-all", "viewer_c1": "v-token-sq0001", "analyst": "a-token", "admin": "adm-token",
          "viewer_st": "v-token-jd002", "analyst_c1": "a-token-sq0001", "viewer_street": "v-token-street"}
LIMITED_COMMUNITY = "SQ0001"
LIMITED_STREET = "JD002"


@pytest.fixture(scope="session")
def laoting_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("laoting")
    write_csv(generate(seed=2026), d)
    add_cross_street_worker(d)
    return d


CROSS_GRID = "AA-CROSS"  # sorts before every generated grid id: its worker's scope is its street


def add_cross_street_worker(folder: Path) -> None:
    """One worker of the limited community who is also the only worker of a grid in another street: their
    SOLE_WORKER finding is scoped to that street, and they show on the limited community's page."""
    import csv

    def rows(name: str) -> list[dict[str, str]]:
        with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))

    street = {c["id"]: c["street_id"] for c in rows("communities")}
    other = next(c for c, s in street.items() if s != street[LIMITED_COMMUNITY])
    grid = next(g for g in rows("grids") if g["community_id"] == LIMITED_COMMUNITY)
    worker = next(a["person_id"] for a in rows("grid_assignments") if a["grid_id"] == grid["id"])
    with (folder / "grids.csv").open("a", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerow([CROSS_GRID, "跨街道网格", "residential", other, "", "", "50"])
    with (folder / "grid_assignments.csv").open("a", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerow([worker, CROSS_GRID, "part_time"])


@pytest.fixture(scope="session")
def server(db, settings, laoting_dir: Path,  # type: ignore[no-untyped-def]
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    ds = load_dataset(laoting_dir)
    datasets.write_dataset(db, ds)
    street = next(c["street_id"] for c in ds.rows("communities") if c["id"] == LIMITED_COMMUNITY)
    home = tmp_path_factory.mktemp("server-home")
    tokens_file = home / "tokens.jsonl"  # tokens issued by a test go here; the server reads it as it changes
    settings = settings.model_copy(update={"orgnet_audit_dir": home / "audit"})
    tokens = TokenStore([
        {"sha256": digest(TOKENS["viewer"]), "role": "viewer", "name": "县级查看"},
        {"sha256": digest(TOKENS["viewer_c1"]), "role": "viewer", "name": "社区查看", "community_id": LIMITED_COMMUNITY},
        {"sha256": digest(TOKENS["analyst"]), "role": "analyst", "name": "分析员"},
        {"sha256": digest(TOKENS["admin"]), "role": "admin", "name": "管理员"},
        {"sha256": digest(TOKENS["viewer_st"]), "role": "viewer", "name": "街道查看", "street_id": LIMITED_STREET},
        {"sha256": digest(TOKENS["analyst_c1"]), "role": "analyst", "name": "社区分析", "community_id": LIMITED_COMMUNITY},
        {"sha256": digest(TOKENS["viewer_street"]), "role": "viewer", "name": "街道查看", "street_id": street},
    ], tokens_file)
    app = create_app(db, settings, tokens)
    with serving(app) as (base, port):
        yield {"base": base, "dataset": ds, "app": app, "tokens_file": tokens_file, "street": street,
               "audit_dir": home / "audit", "port": port}


@contextmanager
def serving(app: Any) -> Iterator[tuple[str, int]]:
    """``app`` served by uvicorn on a free loopback port in a thread: (base URL, port) once /health answers."""
    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    try:
        yield base, port
    finally:
        srv.should_exit = True
        thread.join(10)


def client(server: dict[str, Any], who: str | None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {TOKENS[who]}"} if who else {}
    return httpx.Client(base_url=server["base"], headers=headers, timeout=300)


def dump(resp: httpx.Response) -> str:
    try:
        return json.dumps(resp.json(), ensure_ascii=False)
    except ValueError:
        return resp.text


@pytest.fixture(autouse=True)
def laoting_is_current(request: pytest.FixtureRequest) -> None:
    """A test of the HTTP server finds the Laoting data set current, whatever an earlier test loaded."""
    if "server" not in request.fixturenames:
        return
    srv, db = request.getfixturevalue("server"), request.getfixturevalue("db")
    current = datasets.current(db)
    if current is None or current["fingerprint"] != srv["dataset"].fingerprint:
        datasets.write_dataset(db, srv["dataset"], wait=True)
        current = datasets.current(db)
    service = srv["app"].state.service
    if service.current_key() != current["ds"]:  # the server knows another load (same data from another file)
        service.forget()
    if service.peek() is None:  # its report is not built: build it now (meanwhile the server answers from the
        service.prepare()       # previous data set's snapshot, by design)
