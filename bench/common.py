"""Shared helpers for the benchmarks: data sets, timers, machine facts, a results file."""

from __future__ import annotations

import json
import os
import platform
import resource
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "artifacts" / "bench"


def machine() -> dict[str, Any]:
    """The facts a benchmark result is meaningless without."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal"))) // 1024 // 1024
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": mem, "python": platform.python_version(),
            "os": platform.platform()}


@contextmanager
def timer(results: dict[str, float], name: str) -> Iterator[None]:
    t0 = time.perf_counter()
    yield
    results[name] = round(time.perf_counter() - t0, 3)


def peak_rss_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def dataset_dir(profile: str, scale: int = 1) -> Path:
    """A generated data set, made once and reused."""
    from loaders.generate import LAOTING, city, generate, write_csv

    d = ROOT / "data" / "bench" / (profile if profile == "laoting" else f"city-{scale}")
    if not (d / "streets.csv").is_file():
        write_csv(generate(LAOTING if profile == "laoting" else city(scale), seed=2026), d)
    return d


def save(name: str, result: dict[str, Any]) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.json"
    path.write_text(json.dumps({"machine": machine(), **result}, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return path
