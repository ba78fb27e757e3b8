"""The local server's start and the first loads after it, with and without the class-data archive.

    .venv/bin/python -m bench.bench_start [--profile laoting | --data DIR] [--runs 3]

Each run, for each way of starting (``archive``: the class-data archive of Neo4j's jars, written first if there
is none; ``no-archive``: ``ORGNET_NEO4J_CLASS_ARCHIVE=false``), in a new scratch ``ORGNET_HOME`` on a free port
(the project's own server and data are not touched), every step an ``orgnet`` command of its own:

1. ``db start`` in the new home (config, initial password, store), and at once ``load`` of the data set whole:
   ``make demo``'s first steps on a new machine;
2. ``db stop`` and ``db start`` again, and at once ``load`` of next month (``bench.bench_history.next_month``:
   only its changes are written; the warm-up the start began is stopped for it);
3. once that warm-up has ended, ``load`` of the data set again (its changes back): the same kind of load on a
   server that is no longer cold; then ``db stop``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from bench.bench_history import next_month
from bench.common import data_args, data_name, data_path, orgnet, run_measured, save, spreads
from graph.settings import Settings
from graph.store.server import LocalServer, free_port
from loaders.export import export_csv
from loaders.validate import load_dataset

STEPS = ("start_new_home", "first_load_whole", "stop", "start", "month_after_start", "month_warm", "stop_again")


def step(cmd: list[str], env: dict[str, str]) -> float:
    """One ``orgnet`` command's wall time; fails loudly when it failed."""
    got = run_measured(cmd, env)
    if got["exit"]:
        raise SystemExit(f"{' '.join(cmd[2:])} failed: {got.get('stderr')}")
    return float(got["seconds"])


def one_run(month1: Path, month2: Path, archive: bool) -> dict[str, float]:
    """The steps of the module's docstring in a new home; each one's seconds."""
    home = Path(tempfile.mkdtemp(prefix="orgnet-start-"))
    env = {**os.environ, "ORGNET_HOME": str(home), "ORGNET_NEO4J_PORT": str(free_port()),
           "ORGNET_NEO4J_CLASS_ARCHIVE": "true" if archive else "false"}
    env.pop("NEO4J_URI", None)
    out: dict[str, float] = {}
    try:
        out["start_new_home"] = step(orgnet("db", "start"), env)
        out["first_load_whole"] = step(orgnet("load", str(month1), "--label", "m1"), env)
        out["stop"] = step(orgnet("db", "stop"), env)
        out["start"] = step(orgnet("db", "start"), env)
        out["month_after_start"] = step(orgnet("load", str(month2), "--label", "m2"), env)
        LocalServer(Settings(orgnet_home=home, neo4j_uri=None)).warmed(timeout=600, ask=False)
        out["month_warm"] = step(orgnet("load", str(month1), "--label", "m1"), env)
        out["stop_again"] = step(orgnet("db", "stop"), env)
    finally:
        run_measured(orgnet("db", "stop"), env)
        shutil.rmtree(home, ignore_errors=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    data_args(ap)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="orgnet-start-data-"))
    try:
        ds = load_dataset(data_path(args))
        export_csv(ds, work / "m1")
        export_csv(next_month(ds), work / "m2")
        if not any((Settings(neo4j_uri=None).orgnet_neo4j_lib.parent / "cds").glob("*.jsa")):
            one_run(work / "m1", work / "m2", archive=True)  # writes the archive at its first clean stop
        result: dict[str, Any] = {"command": "bench.bench_start", "data": data_name(args)}
        for archive in (True, False):
            runs = [one_run(work / "m1", work / "m2", archive) for _ in range(args.runs)]
            result["archive" if archive else "no-archive"] = {"runs": runs, **spreads(runs)}
        save(f"start-{data_name(args)}", result)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
