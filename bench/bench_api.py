"""API benchmark: requests per second and p50/p99 latency of /api/v1/findings and /api/v1/communities/{id}
on the cached report, with 50 concurrent clients on loopback (client and server share this machine).

By default it measures the data set that is current in Neo4j, whatever it is. With ``--data`` or
``--profile`` it measures that one, and loads it only with ``--replace-current`` when it is not the current one.
Figures: median and min–max of ``--runs`` (each run: every route for ``--seconds``).

Run: .venv/bin/python -m bench.bench_api [--data DIR | --profile laoting|city [--scale S] [--replace-current]]
     [--clients 50] [--seconds 20] [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from api.auth import issue
from bench.common import ROOT, data_args, data_path, save, spread
from graph.store import datasets
from graph.store.connection import connect
from graph.store.server import free_port
from loaders.validate import load_dataset


async def run(base: str, paths: list[str], clients: int, seconds: float, token: str) -> dict[str, dict[str, float]]:
    lat: dict[str, list[float]] = {p: [] for p in paths}
    fails = {p: 0 for p in paths}
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def worker(i: int, c: httpx.AsyncClient) -> None:
        path = paths[i % len(paths)]
        while time.perf_counter() < deadline:
            t0 = time.perf_counter()
            r = await c.get(path)
            lat[path].append(time.perf_counter() - t0)
            if r.status_code != 200:
                fails[path] += 1

    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30,
                                 headers={"Authorization": f"Bearer {token}"}) as c:
        await c.get(paths[0])  # warm the cache
        t0 = time.perf_counter()
        await asyncio.gather(*(worker(i, c) for i in range(clients)))
        wall = time.perf_counter() - t0
    out = {}
    for p in paths:
        xs = sorted(lat[p])
        out[p] = {"requests": len(xs), "failed": fails[p], "rps": round(len(xs) / wall, 1),
                  "p50_ms": round(1000 * statistics.median(xs), 1), "p99_ms": round(1000 * xs[int(0.99 * (len(xs) - 1))], 1)}
    return out


def _ms(text: str) -> float:
    value = float(text[:-2] if text.endswith("ms") else text[:-2] if text.endswith("us") else text[:-1])
    return round(value / 1000, 2) if text.endswith("us") else value if text.endswith("ms") else round(value * 1000, 1)


def run_wrk(base: str, paths: list[str], clients: int, seconds: float, token: str) -> dict[str, dict[str, float]]:
    """The same measurement with wrk (C, 2 threads): a much lighter client than Python on a 2-core machine."""
    out = {}
    for path in paths:
        proc = subprocess.run(["wrk", "-t2", f"-c{clients}", f"-d{int(seconds)}s", "--latency",
                               "-H", f"Authorization: Bearer {token}", base + path], capture_output=True, text=True)
        text = proc.stdout
        lat = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", text, re.M))
        errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
        out[path] = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)),  # type: ignore[union-attr]
                     "p50_ms": _ms(lat["50"]), "p99_ms": _ms(lat["99"]),
                     "requests": int(re.search(r"(\d+) requests in", text).group(1)),  # type: ignore[union-attr]
                     "failed": int(errors.group(1)) if errors else 0}
    return out


def _has(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    data_args(ap)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--replace-current", action="store_true", help="load --data/--profile over the current data set")
    args = ap.parse_args()
    given = any(a.startswith(("--data", "--profile", "--scale")) for a in sys.argv[1:])
    with connect() as db:
        current = datasets.current(db) or {}
        if given:
            wanted = load_dataset(data_path(args))
            if current.get("fingerprint") != wanted.fingerprint:
                if not args.replace_current:
                    sys.exit(f"Neo4j 中的当前数据集（{current.get('source') or '无 / none'}）不是 {data_path(args)}；"
                             "加 --replace-current 以载入并替换它 / the current data set is another one; add "
                             "--replace-current to load this one over it")
                print(f"载入 / loading {data_path(args)} over {current.get('source') or 'no data set'}", file=sys.stderr)
                datasets.write_dataset(db, wanted)
                current = datasets.current(db) or {}
        elif not current:
            sys.exit("Neo4j 中没有数据集 / no data set in Neo4j: load one, or give --data/--profile with --replace-current")
        community = db.read("MATCH (c:Community {ds: $ds}) RETURN c.id AS id ORDER BY id LIMIT 1",
                            {"ds": datasets.nodes_key(current)})[0]["id"]
    tokens = Path(tempfile.mkdtemp()) / "tokens.jsonl"
    token = issue(tokens, "viewer", "bench")
    port = free_port()
    env = {**os.environ, "ORGNET_TOKENS_FILE": str(tokens)}
    server = subprocess.Popen([sys.executable, "-m", "api.cli", "serve", "--port", str(port)], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        paths = ["/api/v1/findings?page_size=20", f"/api/v1/communities/{community}"]
        httpx.get(base + paths[0], headers={"Authorization": f"Bearer {token}"}, timeout=60)  # warm the cache
        # wrk when the machine has it: a Python client on the same two cores measures itself more than the server
        client = "wrk" if shutil.which("wrk") else "python_httpx"
        runs = [run_wrk(base, paths, args.clients, args.seconds, token) if client == "wrk" else
                asyncio.run(run(base, paths, args.clients, args.seconds, token)) for _ in range(args.runs)]
        result = {client: {p: {k: spread([r[p][k] for r in runs]) for k in ("rps", "p50_ms", "p99_ms", "failed")}
                           for p in paths}, "runs": runs}
    finally:
        server.terminate()
        server.wait(30)
    import uvicorn

    save("api", {"dataset": {"source": current.get("source"), "counts": current.get("counts")},
                 "clients": args.clients, "seconds": args.seconds,
                 "server": f"uvicorn {uvicorn.__version__} (uvloop, httptools), 1 process, loopback"
                 if _has("uvloop") and _has("httptools") else f"uvicorn {uvicorn.__version__} (asyncio, h11), 1 process",
                 "results": result})


if __name__ == "__main__":
    main()
