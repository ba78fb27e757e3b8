"""Load benchmark: orgnet's batched UNWIND load vs one MERGE per row per transaction vs neo4j-admin import.

Run: .venv/bin/python bench/bench_load.py [--profile laoting|city] [--scale N] [--sample 2000]
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from bench.common import dataset_dir, peak_rss_mib, save, timer
from graph.dataformat import TABLES, Dataset
from graph.settings import get_settings
from graph.store import datasets
from graph.store.connection import connect
from graph.store.db import Database
from loaders.validate import load_dataset


def rows_in(ds: Dataset) -> int:
    """Records written: every node (the county's too) and every relationship."""
    return sum(len(ds.rows(t.name)) for t in TABLES if t.label) + 1 + sum(1 for _ in references(ds))


def plain_merge(db: Database, ds: Dataset, sample: int) -> dict[str, float]:
    """The plain approach on a sample: one MERGE per person row, each its own transaction."""
    key = "bench-" + uuid.uuid4().hex
    rows = [{k: v for k, v in r.items() if v is not None} for r in ds.rows("people")[:sample]]
    t0 = time.perf_counter()
    for r in rows:
        db.write("MERGE (n:Entity:Person {ds: $ds, id: $id}) SET n += $props", {"ds": key, "id": r["id"], "props": r})
    dt = time.perf_counter() - t0
    db.write("MATCH (n:Entity {ds: $ds}) DETACH DELETE n", {"ds": key})
    return {"rows": len(rows), "seconds": round(dt, 3), "rows_per_s": round(len(rows) / dt, 1)}


def references(ds: Dataset) -> Iterator[tuple[str, str, str]]:
    """Every relationship orgnet makes, as (from id, to id, type): references, link tables, streets' county."""
    for t in TABLES:
        for r in ds.rows(t.name):
            if t.rel:
                yield r[t.refs[0].name], r[t.refs[1].name], t.rel
                continue
            for c in t.refs:
                if r.get(c.name) is not None:
                    yield r["id"], r[c.name], c.rel or ""
            if t.name == "streets":
                yield r["id"], f"county:{r['county']}", "IN_COUNTY"


def admin_import(ds: Dataset, lib: Path) -> dict[str, float]:
    """Neo4j's offline importer (neo4j-admin database import full) into a scratch DBMS home."""
    home = Path(tempfile.mkdtemp(prefix="orgnet-import-"))
    (home / "conf").mkdir()
    (home / "conf" / "neo4j.conf").write_text("server.directories.data=data\nserver.directories.logs=logs\n")
    files: list[str] = []
    for t in TABLES:
        if not t.label or not ds.has(t.name):
            continue
        path = home / f"{t.name}.csv"
        cols = [c.name for c in t.columns if c.name != "id"]
        with path.open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["id:ID", ":LABEL", *cols])
            for r in ds.rows(t.name):
                w.writerow([r["id"], f"Entity;{t.label}", *["" if r[c] is None else r[c] for c in cols]])
        files.append(f"--nodes={path}")
    county = home / "county.csv"
    county.write_text("id:ID,:LABEL,name\n" + "".join(
        f"county:{c},Entity;County,{c}\n" for c in sorted({r["county"] for r in ds.rows("streets")})), encoding="utf-8")
    files.append(f"--nodes={county}")
    rel = home / "rels.csv"
    n_rels = 0
    with rel.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow([":START_ID", ":END_ID", ":TYPE"])
        for start, end, typ in references(ds):
            w.writerow([start, end, typ])
            n_rels += 1
    env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")}
    cmd = ["java", "-cp", f"{lib}/*", "org.neo4j.server.startup.Neo4jAdminCommand", "database", "import", "full",
           *files, f"--relationships={rel}", "--skip-bad-relationships=true", "--overwrite-destination=true", "neo4j"]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    dt = time.perf_counter() - t0
    shutil.rmtree(home, ignore_errors=True)
    if proc.returncode != 0:
        return {"error": (proc.stdout + proc.stderr)[-800:]}  # type: ignore[dict-item]
    n = sum(len(ds.rows(t.name)) for t in TABLES if t.label) + 1 + n_rels
    return {"rows": n, "seconds": round(dt, 3), "rows_per_s": round(n / dt, 1)}


def drop_current(db: Database) -> None:
    """Leave the database without a data set (the state the offline importer starts from)."""
    db.write("MATCH (d:DataSet {current: true}) SET d.current = false, d.status = 'replaced'")
    datasets.cleanup(db)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--profile", default="laoting", choices=["laoting", "city"])
    ap.add_argument("--scale", type=int, default=1)
    ap.add_argument("--sample", type=int, default=2000)
    ap.add_argument("--batch", type=int, default=10000)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    folder = dataset_dir(args.profile, args.scale)
    t: dict[str, float] = {}
    with timer(t, "read_and_validate_s"):
        ds = load_dataset(folder)
    n = rows_in(ds)
    with connect() as db:
        drop_current(db)
        with timer(t, "orgnet_load_s"):  # into a database without a data set, as the importer does
            datasets.write_dataset(db, ds, batch=args.batch, workers=args.workers)
        with timer(t, "orgnet_replace_s"):  # load it again: write the new one, switch, remove the old one
            datasets.write_dataset(db, ds, batch=args.batch, workers=args.workers)
        plain = plain_merge(db, ds, args.sample)
    imp = admin_import(ds, get_settings().orgnet_neo4j_lib)
    result = {"profile": args.profile, "scale": args.scale, "rows_written": n, "workers": args.workers, **t,
              "orgnet_rows_per_s": round(n / t["orgnet_load_s"], 1), "plain_merge_sample": plain,
              "plain_merge_estimated_s": round(n / plain["rows_per_s"], 1), "neo4j_admin_import": imp,
              "peak_rss_mib": peak_rss_mib()}
    if "seconds" in imp:
        result["orgnet_vs_import"] = round(t["orgnet_load_s"] / imp["seconds"], 2)
    save(f"load-{args.profile}" + (f"-{args.scale}" if args.profile == "city" else ""), result)


if __name__ == "__main__":
    main()
