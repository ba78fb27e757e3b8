"""Shared helpers for the benchmarks: data sets, timers, machine facts, a results file."""

from __future__ import annotations

import dataclasses
import json
import os
import platform
import resource
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
