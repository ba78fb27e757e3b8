"""Scale curve: wall time, CPU time and peak RSS of ``orgnet validate``, ``orgnet analyze`` (the whole report from
the files), ``orgnet load`` and ``orgnet report`` on the city profile at several scales, each command its own
process, one at a time; then the fit.

Run: .venv/bin/python -m bench.bench_scale [--scales 0.25 0.5 1 2] [--runs 3] [--commands validate analyze]
     [--keep] [--replace-current]
``load`` and ``report`` use Neo4j: each run removes the current data set first (so every load goes into a
database without one, untimed), loads the scale's data set whole and builds its report anew (``--fresh``); they
replace the current data set while they run, so they need ``--replace-current``, and load it back from its
snapshot at the end. Generated data sets are deleted afterwards unless --keep (2× the city is 100 MB of CSV).
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import dataset_dir, load_back, orgnet, run_measured, save, scale_name, spread

#: each command's line for a data set folder and the run's snapshot label
COMMANDS: dict[str, Callable[[Path, str], list[str]]] = {
    "validate": lambda d, _: orgnet("validate", str(d)),
    "analyze": lambda d, _: orgnet("analyze", str(d), "-f", "json", "-o", os.devnull),
    "load": lambda d, label: orgnet("load", str(d), "--whole", "--label", label),
    "report": lambda d, _: orgnet("report", "-f", "json", "--fresh", "-o", os.devnull),
}
NEO4J = ("load", "report")


def fit(xs: list[float], ys: list[float]) -> dict[str, float]:
    """Least squares ``y = a + b·x``, its R², and the exponent k of ``y ∝ x^k`` (k ≤ 1: no faster than linear).

    >>> fit([1, 2, 4], [3, 5, 9])
    {'intercept': 1.0, 'slope': 2.0, 'r2': 1.0, 'exponent': 0.792}
    """
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx
    a = my - b * mx
    ss = sum((y - my) ** 2 for y in ys)
    r2 = 1 - sum((y - a - b * x) ** 2 for x, y in zip(xs, ys, strict=True)) / ss if ss else 1.0
    lx, ly = [math.log(x) for x in xs], [math.log(y) for y in ys]
    mlx, mly = sum(lx) / n, sum(ly) / n
    k = sum((u - mlx) * (v - mly) for u, v in zip(lx, ly, strict=True)) / sum((u - mlx) ** 2 for u in lx)
    return {"intercept": round(a, 3), "slope": round(b, 3), "r2": round(r2, 4), "exponent": round(k, 3)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scales", type=float, nargs="+", default=[0.25, 0.5, 1, 2])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--commands", nargs="+", choices=list(COMMANDS), default=["validate", "analyze"])
    ap.add_argument("--keep", action="store_true", help="keep the generated data sets")
    ap.add_argument("--replace-current", action="store_true", help="agree that load and report replace the current "
                    "data set while they run (it is loaded back from its snapshot afterwards)")
    args = ap.parse_args()
    neo4j = [n for n in args.commands if n in NEO4J]
    if neo4j and not args.replace_current:
        sys.exit("load 与 report 会暂时替换 Neo4j 中的当前数据集；加 --replace-current 表示同意 / load and report replace "
                 "the current data set while they run: add --replace-current to agree")
    before = _current() if neo4j else {}
    points: list[dict[str, Any]] = []
    try:
        for scale in args.scales:
            points.append(_point(scale, args.commands, args.runs))
            p = points[-1]
            print(f"scale {scale_name(scale)}: " + ", ".join(
                f"{n} {p[n]['seconds']['median']} s (CPU {p[n]['cpu_s']['median']} s) "
                f"{p[n]['peak_rss_mib']['median']} MiB" for n in args.commands), flush=True)
            if not args.keep:
                shutil.rmtree(dataset_dir("city", scale))
    finally:
        if neo4j:
            if not load_back(before):  # nothing to load back: the database stays without a data set
                _drop_current()
    xs = [p["scale"] for p in points]
    fits = {f"{n}_{m}": fit(xs, [p[n][m]["median"] for p in points])
            for n in args.commands for m in ("seconds", "cpu_s", "peak_rss_mib")} if len(points) > 2 else {}
    save("scale", {"points": points, "fit": fits})


def _point(scale: float, commands: list[str], runs: int) -> dict[str, Any]:
    """Every command ``runs`` times on the scale's data set (a run's commands in turn); their spreads."""
    from graph.store.snapshots import archive

    d = dataset_dir("city", scale)
    point: dict[str, Any] = {"scale": scale, "csv_mib": round(sum(f.stat().st_size for f in d.iterdir()) / 2**20, 1)}
    got: dict[str, list[dict[str, Any]]] = {n: [] for n in commands}
    for i in range(runs):
        label = f"scale-{scale_name(scale)}-{i}"
        for name in commands:
            if name == "load":
                _drop_current()
            got[name].append(run_measured(COMMANDS[name](d, label)))
        if any(s.label == label for s in archive().snapshots()):
            archive().drop(label)
    for name, rs in got.items():
        point[name] = {"seconds": spread([r["seconds"] for r in rs]), "cpu_s": spread([r["cpu_s"] for r in rs]),
                       "peak_rss_mib": spread([r["peak_rss_mib"] for r in rs]), "failed": [r for r in rs if r["exit"]]}
    return point


def _current() -> dict[str, Any]:
    from graph.store import datasets
    from graph.store.connection import connect

    with connect() as db:
        return datasets.current(db) or {}


def _drop_current() -> None:
    from bench.bench_load import drop_current
    from graph.store.connection import connect

    with connect() as db:
        drop_current(db)


if __name__ == "__main__":
    main()
