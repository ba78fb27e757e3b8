"""Scale curve: wall time and peak RSS of ``orgnet validate`` and ``orgnet analyze`` (the whole report from the
files) on the city profile at several scales, each command its own process, one at a time; then the fit.

Run: .venv/bin/python -m bench.bench_scale [--scales 0.25 0.5 1 2] [--runs 3] [--keep]
Generated data sets are deleted afterwards unless --keep (2× the city is 100 MB of CSV and ~4 GiB in memory).
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
from typing import Any

from bench.common import dataset_dir, orgnet, run_measured, save, scale_name, spread

COMMANDS = {"validate": lambda d: orgnet("validate", str(d)),
            "analyze": lambda d: orgnet("analyze", str(d), "-f", "json", "-o", os.devnull)}


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
    ap.add_argument("--keep", action="store_true", help="keep the generated data sets")
    args = ap.parse_args()
    points: list[dict[str, Any]] = []
    for scale in args.scales:
        d = dataset_dir("city", scale)
        point: dict[str, Any] = {"scale": scale, "csv_mib": round(sum(f.stat().st_size for f in d.iterdir()) / 2**20, 1)}
        for name, cmd in COMMANDS.items():
            runs = [run_measured(cmd(d)) for _ in range(args.runs)]
            bad = [r for r in runs if r["exit"]]
            point[name] = {"seconds": spread([r["seconds"] for r in runs]), "cpu_s": spread([r["cpu_s"] for r in runs]),
                           "peak_rss_mib": spread([r["peak_rss_mib"] for r in runs]), "failed": bad}
        points.append(point)
        print(f"scale {scale_name(scale)}: " + ", ".join(
            f"{n} {point[n]['seconds']['median']} s (CPU {point[n]['cpu_s']['median']} s) "
            f"{point[n]['peak_rss_mib']['median']} MiB" for n in COMMANDS),
            flush=True)
        if not args.keep:
            shutil.rmtree(d)
    xs = [p["scale"] for p in points]
    fits = {f"{n}_{m}": fit(xs, [p[n][m]["median"] for p in points])
            for n in COMMANDS for m in ("seconds", "cpu_s", "peak_rss_mib")} if len(points) > 2 else {}
    save("scale", {"points": points, "fit": fits})


if __name__ == "__main__":
    main()
