"""Reload under load: N clients read /api/v1/findings while data sets are uploaded through the API.

Every request must be answered (200), each answer whole from one data set (its ``X-Orgnet-Dataset`` header and
its total agree), from the previous data set until the new one's report is built; reports are built one at
a time. Prints p50/p99, the builds and the most at once, and the process's peak memory.

It REPLACES the data set in the configured Neo4j (ORGNET_HOME's local server, or NEO4J_URI) and says so.

The clients run in a process of their own (one asyncio loop), the API in this one; the API reads each upload and
builds each report in a child process of its own (``ORGNET_ISOLATE=0`` does both on the server's threads instead).

Run: .venv/bin/python -m bench.bench_reload [--profile laoting] [--clients 50] [--reloads 2]
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import resource
import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from api.app import create_app
from api.auth import TokenStore, digest
from bench.common import dataset_dir, machine, peak_rss_mib, save
from graph.settings import get_settings
from graph.store.connection import connect
from graph.store.server import free_port
from loaders.export import export_csv
from loaders.validate import load_dataset


def workbook(folder: Path) -> bytes:
    """The CSV files of ``folder`` as one .xlsx workbook, a sheet per table (what an upload sends)."""
    import pandas as pd

    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="xlsxwriter") as xw:
        for f in sorted(folder.glob("*.csv")):
            pd.read_csv(f, dtype=str, keep_default_na=False).to_excel(xw, sheet_name=f.stem, index=False)
    return buf.getvalue()


def read_in_a_loop(base: str, headers: dict[str, str], clients: int, stop: Any, results: Any) -> None:
    """``clients`` concurrent readers of /api/v1/findings until ``stop``; puts [(seconds, status, data set,
    total)] on ``results``."""
    import asyncio

    seen: list[tuple[float, int, str, int]] = []

    async def one(c: httpx.AsyncClient) -> None:
        while not stop.is_set():
            t0 = time.perf_counter()
            r = await c.get("/api/v1/findings", params={"page_size": 1})
            total = r.json().get("total", -1) if r.status_code == 200 else -1
            seen.append((time.perf_counter() - t0, r.status_code, r.headers.get("X-Orgnet-Dataset", ""), total))

    async def run() -> None:
        limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
        async with httpx.AsyncClient(base_url=base, headers=headers, timeout=600, limits=limits) as c:
            await asyncio.gather(*(one(c) for _ in range(clients)))

    asyncio.run(run())
    results.put(seen)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--profile", default="laoting", help="laoting | city")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--reloads", type=int, default=2)
    ap.add_argument("--switch-ms", type=float, default=None, help="sys.setswitchinterval, in ms (default: Python's)")
    args = ap.parse_args()
    if args.switch_ms:
        import sys

        sys.setswitchinterval(args.switch_ms / 1000)
    settings = get_settings()
    where = settings.neo4j_uri or f"the local server under {settings.orgnet_home}"
    print(f"注意 / note: this benchmark replaces the data set in {where}")
    folder = dataset_dir(args.profile)
    ds = load_dataset(folder)
    db = connect(settings)
    tokens = TokenStore([{"sha256": digest("bench"), "role": "admin", "name": "bench"}])
    app = create_app(db, settings, tokens)
    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=srv.run, daemon=True).start()
    while not srv.started:
        time.sleep(0.05)
    base, headers = f"http://127.0.0.1:{port}", {"Authorization": "Bearer bench"}
    # two versions that differ (the second without its last demand), as workbooks for the upload
    tmp = Path(tempfile.mkdtemp(prefix="orgnet-reload-"))
    ds.tables["demands"] = ds.tables["demands"][:-1]
    export_csv(ds, tmp / "b")
    books = [workbook(folder), workbook(tmp / "b")]
    with httpx.Client(base_url=base, headers=headers, timeout=600) as c:
        assert c.post("/api/v1/datasets", files={"file": ("a.xlsx", books[0], "application/octet-stream")}).status_code == 201
        assert c.get("/api/v1/findings", params={"page_size": 1}).status_code == 200
    # the clients run in a process of their own (asyncio, one event loop): the figures are the server's, not
    # those of fifty client threads sharing its interpreter's lock
    ctx = multiprocessing.get_context("spawn")
    stop, results = ctx.Event(), ctx.Queue()
    readers = ctx.Process(target=read_in_a_loop, args=(base, headers, args.clients, stop, results), daemon=True)
    readers.start()
    time.sleep(3)  # the clients are reading before the first reload
    reloads = []
    with httpx.Client(base_url=base, headers=headers, timeout=1200) as c:
        for i in range(args.reloads):
            t0 = time.perf_counter()
            r = c.post("/api/v1/datasets", files={"file": ("d.xlsx", books[(i + 1) % 2], "application/octet-stream")})
            reloads.append({"status": r.status_code, "seconds": round(time.perf_counter() - t0, 1)})
    time.sleep(2)
    stop.set()
    seen: list[tuple[float, int, str, int]] = results.get(timeout=600)
    readers.join(60)
    srv.should_exit = True
    lat = sorted(s[0] for s in seen)
    totals: dict[str, set[int]] = {}
    for _, _, fp, total in seen:
        totals.setdefault(fp, set()).add(total)
    service = app.state.service
    result: dict[str, Any] = {
        "profile": args.profile, "clients": args.clients, "reloads": reloads, "requests": len(seen),
        "failed": sum(1 for s in seen if s[1] != 200), "mixed": any(len(v) > 1 for v in totals.values()),
        "data_sets_seen": len(totals), "p50_ms": round(1000 * statistics.median(lat), 1),
        "p99_ms": round(1000 * lat[int(0.99 * (len(lat) - 1))], 1), "max_ms": round(1000 * lat[-1], 1),
        "report_builds": service.builds, "builds_at_once_max": service.most_at_once,
        "peak_rss_mib": round(peak_rss_mib(), 0),
        # the largest child: an upload read or a report built in its own process (ORGNET_ISOLATE), or the clients
        "children_peak_rss_mib": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 0),
        "isolate": settings.orgnet_isolate, "machine": machine()}
    save("reload", result)
    db.close()


if __name__ == "__main__":
    main()
