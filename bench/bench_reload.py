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
    """``clients`` concurrent keep-alive readers of /api/v1/findings until ``stop``; puts [(seconds, status,
    data set, total, sent at (epoch seconds))] on ``results``. Plain asyncio streams and a minimal HTTP/1.1
    exchange, so that the client process spends little CPU per request (httpx took most of a core and its
    queue showed as latency)."""
    import asyncio
    import json
    from urllib.parse import urlsplit

    host, port = urlsplit(base).hostname or "127.0.0.1", urlsplit(base).port or 80
    head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    request = (f"GET /api/v1/findings?page_size=1 HTTP/1.1\r\nHost: {host}:{port}\r\n{head}\r\n").encode()
    seen: list[tuple[float, int, str, int, float]] = []

    async def one() -> None:
        reader, writer = await asyncio.open_connection(host, port)
        while not stop.is_set():
            t0, sent = time.perf_counter(), time.time()
            writer.write(request)
            status_line = await reader.readline()
            length, dataset = 0, ""
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("latin-1").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
                elif name.lower() == "x-orgnet-dataset":
                    dataset = value.strip()
            body = await reader.readexactly(length)
            status = int(status_line.split()[1])
            total = json.loads(body).get("total", -1) if status == 200 else -1
            seen.append((time.perf_counter() - t0, status, dataset, total, sent))
        writer.close()

    async def run() -> None:
        await asyncio.gather(*(one() for _ in range(clients)))

    asyncio.run(run())
    results.put(seen)


def percentiles(lat: list[float]) -> dict[str, Any]:
    """Requests, p50, p99 and max (ms) of sorted latencies (seconds)."""
    if not lat:
        return {"requests": 0}
    return {"requests": len(lat), "p50_ms": round(1000 * statistics.median(lat), 1),
            "p99_ms": round(1000 * lat[int(0.99 * (len(lat) - 1))], 1), "max_ms": round(1000 * lat[-1], 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--profile", default="laoting", help="laoting | city")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--reloads", type=int, default=2)
    ap.add_argument("--baseline", type=float, default=10, help="seconds of reading before the first reload")
    ap.add_argument("--switch-ms", type=float, default=None, help="sys.setswitchinterval, in ms (default: Python's)")
    args = ap.parse_args()
    if args.switch_ms:
        import sys

        sys.setswitchinterval(args.switch_ms / 1000)
    settings = get_settings()
    where = settings.neo4j_uri or f"the local server under {settings.orgnet_home}"
    print(f"注意 / note: this benchmark replaces the data set in {where}")
    folder = dataset_dir(args.profile)
    db = connect(settings)
    tokens = TokenStore([{"sha256": digest("bench"), "role": "admin", "name": "bench"}])
    app = create_app(db, settings, tokens)
    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=srv.run, daemon=True).start()
    while not srv.started:
        time.sleep(0.05)
    base, headers = f"http://127.0.0.1:{port}", {"Authorization": "Bearer bench"}
    # two versions that differ (the second without its last demand), as workbooks for the upload (made once,
    # kept beside the generated data set: a city's take minutes to write)
    kept = [folder.parent / f"{folder.name}-reload-{x}.xlsx" for x in "ab"]
    if not all(k.is_file() for k in kept):
        tmp = Path(tempfile.mkdtemp(prefix="orgnet-reload-"))
        ds = load_dataset(folder)
        ds.tables["demands"] = ds.tables["demands"][:-1]
        export_csv(ds, tmp / "b")
        for k, src in zip(kept, (folder, tmp / "b"), strict=True):
            k.write_bytes(workbook(src))
        del ds
    books = [k.read_bytes() for k in kept]
    with httpx.Client(base_url=base, headers=headers, timeout=600) as c:
        assert c.post("/api/v1/datasets", files={"file": ("a.xlsx", books[0], "application/octet-stream")}).status_code == 201
        assert c.get("/api/v1/findings", params={"page_size": 1}).status_code == 200
    # the clients run in a process of their own (asyncio, one event loop): the figures are the server's, not
    # those of fifty client threads sharing its interpreter's lock
    ctx = multiprocessing.get_context("spawn")
    stop, results = ctx.Event(), ctx.Queue()
    readers = ctx.Process(target=read_in_a_loop, args=(base, headers, args.clients, stop, results), daemon=True)
    readers.start()
    time.sleep(args.baseline)  # the clients read alone first: the figures without a reload, for comparison
    reloads, windows = [], []
    with httpx.Client(base_url=base, headers=headers, timeout=1200) as c:
        for i in range(args.reloads):
            t0, w0 = time.perf_counter(), time.time()
            r = c.post("/api/v1/datasets", files={"file": ("d.xlsx", books[(i + 1) % 2], "application/octet-stream")})
            reloads.append({"status": r.status_code, "seconds": round(time.perf_counter() - t0, 1)})
            windows.append((w0, time.time()))
    time.sleep(2)
    stop.set()
    seen: list[tuple[float, int, str, int, float]] = results.get(timeout=600)
    readers.join(60)
    srv.should_exit = True
    lat = sorted(s[0] for s in seen)
    totals: dict[str, set[int]] = {}
    for _, _, fp, total, _ in seen:
        totals.setdefault(fp, set()).add(total)
    during = sorted(s[0] for s in seen if any(a <= s[4] <= b for a, b in windows))
    before = sorted(s[0] for s in seen if s[4] < windows[0][0])
    service = app.state.service
    result: dict[str, Any] = {
        "profile": args.profile, "clients": args.clients, "reloads": reloads, "requests": len(seen),
        "failed": sum(1 for s in seen if s[1] != 200), "mixed": any(len(v) > 1 for v in totals.values()),
        "data_sets_seen": len(totals), "p50_ms": round(1000 * statistics.median(lat), 1),
        "p99_ms": round(1000 * lat[int(0.99 * (len(lat) - 1))], 1), "max_ms": round(1000 * lat[-1], 1),
        "during_reloads": percentiles(during), "before_any_reload": percentiles(before),
        "report_builds": service.builds, "builds_at_once_max": service.most_at_once,
        "peak_rss_mib": round(peak_rss_mib(), 0),
        # the largest child: an upload read or a report built in its own process (ORGNET_ISOLATE), or the clients
        "children_peak_rss_mib": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 0),
        "isolate": settings.orgnet_isolate, "machine": machine()}
    save("reload", result)
    db.close()


if __name__ == "__main__":
    main()
