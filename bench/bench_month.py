"""Loading a month: ``orgnet load`` of next month's ledgers (only the changes written) against loading them fresh.

    .venv/bin/python -m bench.bench_month [--profile city | --data DIR] --replace-current [--runs 3]

Month 1 is the data set; month 2 is made from it as in ``bench.bench_history`` (5 % of the people, grid
assignments and buildings edited, removed or added). Both are written as CSV folders. Per run, each a whole
``orgnet load`` command (reading and validating the files included), into the project's running server:

1. **fresh**: month 1 into a database without a data set (the current one is removed first: ``--replace-current``
   says that you agree);
2. **month**: month 2 over it, the way a county loads its next month (only the changes are written);
3. once, at the end, **whole**: month 2 again with ``--whole``, over month 2 (the way every load went before).

The snapshots these loads keep go to a scratch archive (``ORGNET_SNAPSHOTS``), not the project's own.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from bench.bench_history import next_month
from bench.bench_load import drop_current
from bench.common import data_args, data_name, data_path, orgnet, run_measured, save, spread
from graph.settings import get_settings
from graph.store.connection import connect
from loaders.export import export_csv
from loaders.validate import load_dataset


def load(folder: Path, env: dict[str, str], *extra: str) -> dict[str, Any]:
    """One ``orgnet load`` command, measured; fails loudly when the load failed."""
    got = run_measured(orgnet("load", str(folder), "--label", folder.name, *extra), env)
    if got["exit"]:
        raise SystemExit(f"orgnet load {folder} failed: {got.get('stderr')}")
    return got


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    data_args(ap)
    ap.set_defaults(profile="city")
    ap.add_argument("--replace-current", action="store_true",
                    help="agree that the current data set in the running server is removed")
    args = ap.parse_args()
    if not args.replace_current:
        raise SystemExit("this benchmark removes the current data set: pass --replace-current to agree")
    work = Path(tempfile.mkdtemp(prefix="orgnet-month-"))
    try:
        ds = load_dataset(data_path(args))
        export_csv(ds, work / "2026-01")
        export_csv(next_month(ds), work / "2026-02")
        env = {**os.environ, "ORGNET_SNAPSHOTS": str(work / "snapshots")}
        fresh, month, ratio = [], [], []
        for _ in range(args.runs):
            with connect(get_settings()) as db:
                drop_current(db)
            shutil.rmtree(work / "snapshots", ignore_errors=True)
            fresh.append(load(work / "2026-01", env))
            month.append(load(work / "2026-02", env))
            ratio.append(month[-1]["seconds"] / fresh[-1]["seconds"])
        whole = load(work / "2026-02", env, "--whole")
        result = {"data": data_name(args), "rows": sum(ds.counts().values()),
                  "fresh_load_s": spread([r["seconds"] for r in fresh]),
                  "month_load_s": spread([r["seconds"] for r in month]),
                  "month_over_fresh": spread(ratio),
                  "month_peak_rss_mib": spread([r["peak_rss_mib"] for r in month]),
                  "whole_month_over_the_last_s": whole["seconds"]}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    save(f"month-{data_name(args)}", result)


if __name__ == "__main__":
    main()
