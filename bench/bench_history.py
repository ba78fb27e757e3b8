"""History: what a kept month costs on disk against one data set in Neo4j, and how long a month's diff takes.

    .venv/bin/python -m bench.bench_history [--profile city | --data DIR] [--runs 3]

Per data set (the city profile by default; nothing is loaded into the running Neo4j):

- **storage**: the snapshot orgnet keeps for a month (its Parquet folder, ``graph.store.snapshots.write_tables``)
  against the same rows as one Neo4j store (``neo4j-admin database import full`` into a scratch DBMS, the store
  and its transaction logs measured with ``du``); the ratio is what one more month adds, as a share of one data set.
- **month-over-month diff**: a second month made from the first (5 % of the people, grid assignments and buildings
  changed, removed or added), then ``graph.history.diff`` of the two (findings opened/closed/persisting, every
  row added/removed/changed, every area's figures) — with both reports already kept (as ``orgnet diff`` finds them
  after the first time) and, once, including building both reports (the first ``orgnet diff`` of a new month).
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.bench_load import admin_import_home
from bench.common import data_args, data_name, data_path, peak_rss_mib, save, spread
from graph.dataformat import Dataset
from graph.history import diff
from graph.report import build_report
from graph.settings import get_settings
from graph.store.snapshots import write_tables
from loaders.validate import load_dataset


def du(path: Path) -> int:
    """Bytes on disk under ``path``."""
    return int(subprocess.run(["du", "-sb", str(path)], capture_output=True, text=True, check=True).stdout.split()[0])


def next_month(ds: Dataset, share: float = 0.05, seed: int = 7) -> Dataset:
    """``ds`` with ``share`` of the people, grid assignments and buildings changed: a third of them edited, a
    third removed (with what refers to them, for people) and a third added as copies under new ids."""
    r = random.Random(seed)
    tables = {k: [dict(row) for row in v] for k, v in ds.tables.items()}
    people = tables["people"]
    # people whom a row refers to other than as its person (a handler, a leader, a secretary) stay: removing
    # them would make the month refuse to load; the rows that name them as their person go with them
    held = {v for name, rows in tables.items() for row in rows for k, v in row.items()
            if k.endswith("_id") and not k.endswith("person_id") and not (name == "people" and k == "id")}
    free = [i for i, p in enumerate(people) if p["id"] not in held]
    picked = r.sample(free, int(len(people) * share))
    third = len(picked) // 3
    for i in picked[:third]:
        people[i]["phone"] = f"1390000{i % 10000:04d}"
    gone = {people[i]["id"] for i in picked[third:2 * third]}
    for name, rows in tables.items():
        tables[name] = [row for row in rows if not any(v in gone for k, v in row.items() if k.endswith("person_id")
                                                       or (name == "people" and k == "id"))]
    for i in picked[2 * third:]:
        tables["people"].append({**people[i], "id": f"{people[i]['id']}-N"})
    buildings = tables["buildings"]
    for i in r.sample(range(len(buildings)), int(len(buildings) * share)):
        buildings[i]["households"] = (buildings[i].get("households") or 0) + 3
    assignments = tables["grid_assignments"]
    grids = [g["id"] for g in tables["grids"]]
    for i in r.sample(range(len(assignments)), int(len(assignments) * share)):
        assignments[i]["grid_id"] = r.choice(grids)
    first: dict[tuple[Any, Any], dict[str, Any]] = {}
    for a in assignments:  # a move may land on a grid the person already had: keep one row per pair
        first.setdefault((a["person_id"], a["grid_id"]), a)
    tables["grid_assignments"] = list(first.values())
    return Dataset(tables, fingerprint=ds.fingerprint + "-next", source="next month")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    data_args(ap)
    ap.set_defaults(profile="city")
    args = ap.parse_args()
    ds = load_dataset(data_path(args))
    work = Path(tempfile.mkdtemp(prefix="orgnet-history-"))
    try:
        t0 = time.perf_counter()
        write_tables(ds, work / "snapshot")
        snapshot_s = time.perf_counter() - t0
        snapshot_bytes = du(work / "snapshot")
        home, imported = admin_import_home(ds, get_settings().orgnet_neo4j_lib)
        try:
            store_bytes = du(home / "data" / "databases" / "neo4j") + du(home / "data" / "transactions" / "neo4j")
        finally:
            shutil.rmtree(home, ignore_errors=True)
        nxt = next_month(ds)
        cold, warm = [], []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            ra, rb = build_report(ds), build_report(nxt)
            built = time.perf_counter() - t0
            t0 = time.perf_counter()
            d = diff("month-1", "month-2", ra, rb, ds, nxt)
            warm.append(time.perf_counter() - t0)
            cold.append(built + warm[-1])
        result = {
            "data": data_name(args), "rows": sum(ds.counts().values()),
            "snapshot_mib": round(snapshot_bytes / 2**20, 1), "snapshot_write_s": round(snapshot_s, 2),
            "neo4j_store_mib": round(store_bytes / 2**20, 1), "neo4j_import_s": imported,
            "month_adds_share_of_one_data_set": round(snapshot_bytes / store_bytes, 3),
            "diff_with_reports_kept_s": spread(warm), "diff_building_both_reports_s": spread(cold),
            "diff": {"opened": len(d["opened"]), "closed": len(d["closed"]), "persisting": len(d["persisting"]),
                     "tables_changed": {k: {x: len(y) for x, y in v.items()} for k, v in d["entities"].items()}},
            "peak_rss_mib": peak_rss_mib()}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    save(f"history-{data_name(args)}", result)


if __name__ == "__main__":
    main()
