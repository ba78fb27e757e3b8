"""A province on Dask: time and peak memory per worker against the largest county alone, 1 vs 2 workers.

    .venv/bin/python -m bench.bench_province --counties 16 --scale 1 [--data DIR] [--runs 3]

With ``--loaded`` it measures instead the province already loaded into the running Neo4j (``orgnet load``; nothing
is loaded here): ``orgnet report`` in one process (a data set of several counties: its counties' parts one after another) against
``orgnet report --workers 1`` and ``--workers 2`` (on Dask; all read the counties' parts of the kept snapshot, and
the first such run cuts them, reported apart).

Every run is ``orgnet analyze PROVINCE`` in a fresh process (``--workers N`` for N > 0), sampled every 0.2 s:
the peak RSS of the driver and of each worker process. The largest county alone is the same command on that
county's folder. Figures are medians of ``--runs`` runs with their min–max.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psutil

from bench.common import ROOT, save

ORGNET = [sys.executable, "-m", "api.cli"]


def sampled(cmd: list[str]) -> dict[str, Any]:
    """Run ``cmd``; its wall time, the driver's peak RSS and the largest peak RSS among its child processes (MiB)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peaks: dict[int, float] = {}
    root = psutil.Process(proc.pid)

    def watch() -> None:
        while proc.poll() is None:
            try:
                for p in [root, *root.children(recursive=True)]:
                    rss = p.memory_info().rss / 2**20
                    peaks[p.pid] = max(peaks.get(p.pid, 0.0), rss)
            except psutil.Error:
                pass
            time.sleep(0.2)

    t = threading.Thread(target=watch)
    t.start()
    _, stderr = proc.communicate()
    t.join()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {stderr.decode()[-2000:]}")
    others = [v for pid, v in peaks.items() if pid != proc.pid]
    return {"seconds": round(time.perf_counter() - t0, 2), "driver_mib": round(peaks.get(proc.pid, 0.0), 1),
            "worker_max_mib": round(max(others), 1) if others else None}


def households(county: Path) -> int:
    with (county / "buildings.csv").open(encoding="utf-8") as fh:
        return sum(int(r["households"] or 0) for r in csv.DictReader(fh))


def median(runs: list[dict[str, Any]], key: str) -> dict[str, Any]:
    vals = [r[key] for r in runs if r[key] is not None]
    return {"median": statistics.median(vals), "min": min(vals), "max": max(vals)} if vals else {}


def loaded(runs: int) -> None:
    """``orgnet report`` over the loaded data set: one process, then by county on 1 and 2 Dask workers."""
    report = [*ORGNET, "report", "-f", "json", "-o", "/dev/null"]
    result: dict[str, Any] = {"command": " ".join(sys.argv)}
    result["first_workers_2_run_cutting_the_parts"] = sampled([*report, "--workers", "2"])
    for name, extra in (("one_process", []), ("workers_1", ["--workers", "1"]), ("workers_2", ["--workers", "2"])):
        got = [sampled([*report, *extra]) for _ in range(runs)]
        result[name] = {"seconds": median(got, "seconds"), "driver_mib": median(got, "driver_mib"),
                        "worker_max_mib": median(got, "worker_max_mib")}
    result["speedup_2_over_1"] = round(result["workers_1"]["seconds"]["median"]
                                       / result["workers_2"]["seconds"]["median"], 2)
    result["workers_2_over_one_process"] = round(result["one_process"]["seconds"]["median"]
                                                 / result["workers_2"]["seconds"]["median"], 2)
    save("province-loaded", result)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--counties", type=int, default=16)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--data", type=Path, help="an existing province folder (else one is generated and removed)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--workers", default="0,1,2", help="comma-separated; 0 = counties one after another in-process")
    ap.add_argument("--loaded", action="store_true", help="measure orgnet report over the province in Neo4j")
    args = ap.parse_args()
    if args.loaded:
        loaded(args.runs)
        return
    tmp = None
    path = args.data
    if path is None:
        tmp = Path(tempfile.mkdtemp(prefix="orgnet-province-bench-"))
        path = tmp / "province"
        subprocess.run([*ORGNET, "generate", "--profile", "province", "--counties", str(args.counties),
                        "--scale", str(args.scale), "--out", str(path)], cwd=ROOT, check=True)
    try:
        counties = sorted(p for p in path.iterdir() if (p / "streets.csv").is_file())
        sizes = {p.name: households(p) for p in counties}
        largest = max(counties, key=lambda p: sizes[p.name])
        result: dict[str, Any] = {"command": " ".join(sys.argv), "counties": len(counties),
                                  "households": sum(sizes.values()), "largest_county": largest.name,
                                  "largest_households": sizes[largest.name]}
        alone = [sampled([*ORGNET, "analyze", str(largest), "-f", "json", "-o", "/dev/null"]) for _ in range(args.runs)]
        result["largest_alone"] = {"seconds": median(alone, "seconds"), "peak_mib": median(alone, "driver_mib")}
        for w in (int(x) for x in args.workers.split(",")):
            extra = ["--workers", str(w)] if w else []
            runs = [sampled([*ORGNET, "analyze", str(path), "-f", "json", "-o", "/dev/null", *extra])
                    for _ in range(args.runs)]
            result[f"workers_{w}"] = {"seconds": median(runs, "seconds"), "driver_mib": median(runs, "driver_mib"),
                                      "worker_max_mib": median(runs, "worker_max_mib")}
        if "workers_1" in result and "workers_2" in result:
            result["speedup_2_over_1"] = round(result["workers_1"]["seconds"]["median"]
                                               / result["workers_2"]["seconds"]["median"], 2)
        peak = result["largest_alone"]["peak_mib"]["median"]
        for w in (1, 2):
            if f"workers_{w}" in result and result[f"workers_{w}"]["worker_max_mib"]:
                result[f"workers_{w}"]["worker_over_largest_alone"] = round(
                    result[f"workers_{w}"]["worker_max_mib"]["median"] / peak, 2)
        if "workers_0" in result:
            result["workers_0"]["driver_over_largest_alone"] = round(result["workers_0"]["driver_mib"]["median"] / peak, 2)
        save("province", result)
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
