"""Shared helpers for the benchmarks: data sets, timers, machine facts, a results file."""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from loaders.generate import Profile

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "artifacts" / "bench"


def machine() -> dict[str, Any]:
    """The facts a benchmark result is meaningless without (the load average: the machine is shared)."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal"))) // 1024 // 1024
    try:
        java = subprocess.run(["java", "-version"], capture_output=True, text=True, timeout=30).stderr.splitlines()[0]
    except (OSError, subprocess.SubprocessError, IndexError):
        java = "not found"
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": mem, "python": platform.python_version(),
            "java": java, "os": platform.platform(), "load_average": os.getloadavg()}


@contextmanager
def timer(results: dict[str, float], name: str, cpu: bool = False) -> Iterator[None]:
    """Wall time of the block as ``name``; with ``cpu`` also this process's CPU time as ``name`` + ``_cpu``."""
    t0, c0 = time.perf_counter(), time.process_time()
    yield
    results[name] = round(time.perf_counter() - t0, 3)
    if cpu:
        results[name.removesuffix("_s") + "_cpu_s"] = round(time.process_time() - c0, 3)


def peak_rss_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def city_profile(scale: float = 1) -> Profile:
    """The city profile at any scale (¼, ½, 1, 2 …): every count multiplied and rounded, at least 1.

    >>> city_profile(0.25).streets, city_profile(2).streets
    (15, 120)
    """
    from loaders.generate import city

    base = city(1)
    counts = {f.name: max(1, round(getattr(base, f.name) * scale)) for f in dataclasses.fields(base)
              if isinstance(getattr(base, f.name), int) and f.name != "days"}
    return dataclasses.replace(base, **counts)


def scale_name(scale: float) -> str:
    """``1``, ``2``, ``0.25`` — how a scale is written in file names and results."""
    return f"{scale:g}"


def dataset_dir(profile: str, scale: float = 1) -> Path:
    """A generated data set (seed 2026), made once under data/bench/ and reused."""
    from loaders.generate import LAOTING, generate, write_csv

    d = ROOT / "data" / "bench" / (profile if profile == "laoting" else f"city-{scale_name(scale)}")
    if not (d / "streets.csv").is_file():
        write_csv(generate(LAOTING if profile == "laoting" else city_profile(scale), seed=2026), d)
    return d


def save(name: str, result: dict[str, Any]) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.json"
    path.write_text(json.dumps({"machine": machine(), **result}, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return path


def data_args(ap: argparse.ArgumentParser) -> None:
    """``--data DIR`` (any data set: a CSV folder or an .xlsx workbook) or ``--profile laoting|city [--scale S]``
    (a generated one, made under data/bench/ on first use), and ``--runs N``."""
    ap.add_argument("--data", type=Path, help="a data set to measure (CSV folder or .xlsx); default: --profile")
    ap.add_argument("--profile", default="laoting", choices=["laoting", "city"])
    ap.add_argument("--scale", type=float, default=1, help="city scale: 0.25, 0.5, 1, 2 …")
    ap.add_argument("--runs", type=int, default=3, help="runs of each measurement (figures: median, min–max)")


def data_path(args: argparse.Namespace) -> Path:
    return Path(args.data) if args.data else dataset_dir(args.profile, args.scale)


def data_name(args: argparse.Namespace) -> str:
    """A short name for results files: the folder's name, ``laoting`` or ``city-<scale>``."""
    if args.data:
        return Path(args.data).stem
    return args.profile if args.profile == "laoting" else f"city-{scale_name(args.scale)}"


def spread(values: list[float]) -> dict[str, Any]:
    """Median, min and max of repeated measurements.

    >>> spread([3.0, 1.0, 2.0])
    {'median': 2.0, 'min': 1.0, 'max': 3.0, 'runs': 3}
    """
    return {"median": round(statistics.median(values), 3), "min": round(min(values), 3),
            "max": round(max(values), 3), "runs": len(values)}


def spreads(runs: list[dict[str, float]]) -> dict[str, dict[str, Any]]:
    """:func:`spread` of every figure the runs share."""
    return {k: spread([r[k] for r in runs]) for k in runs[0] if all(isinstance(r.get(k), int | float) for r in runs)}


#: starts the measured command from a small process of its own and says its exit code, CPU time and peak RSS: the
#: kernel counts into a child's peak RSS the memory of the process it was forked from (with vfork, the parent's
#: peak), so a command started straight from a benchmark holding a city in memory showed the benchmark's peak
LAUNCHER = ("import json, os, sys\n"
            "pid = os.posix_spawn(sys.argv[2], sys.argv[2:], dict(os.environ))\n"
            "_, status, u = os.wait4(pid, 0)\n"
            "with open(sys.argv[1], 'w') as f:\n"
            "    json.dump([os.waitstatus_to_exitcode(status), u.ru_utime + u.ru_stime, u.ru_maxrss], f)\n")


def run_measured(cmd: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run a command (output discarded); its wall time, CPU time (user + system: on a busy shared machine the
    steadier figure), peak RSS (MiB) — both from the kernel's rusage, taken by a small launcher — and exit code."""
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".json") as said:
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", LAUNCHER, said.name, *cmd], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        seconds = round(time.perf_counter() - t0, 3)
        code, cpu, maxrss = json.loads(Path(said.name).read_text() or "[-1, 0, 0]")
    out: dict[str, Any] = {"seconds": seconds, "cpu_s": round(cpu, 3), "peak_rss_mib": round(maxrss / 1024, 1),
                           "exit": code}
    if code:
        out["stderr"] = proc.stderr.decode("utf-8", "replace")[-800:]
    return out


def orgnet(*args: str) -> list[str]:
    """The command line of ``orgnet ARGS`` with this interpreter."""
    return [sys.executable, "-m", "api.cli", *args]


def load_back(before: dict[str, Any]) -> bool:
    """Load the data set that was current before a benchmark (``before``: its record in Neo4j) back from its
    snapshot; False when there was none or its snapshot is not kept."""
    from graph.store import datasets
    from graph.store.connection import connect
    from graph.store.snapshots import archive

    back = archive().find(before["fingerprint"]) if before.get("fingerprint") else None
    if back is None:
        return False
    print(f"载回 / loading back {before.get('source')}", file=sys.stderr, flush=True)
    with connect() as db:
        datasets.write_dataset(db, back)
    return True
