"""Load benchmark: orgnet's batched UNWIND load vs one MERGE per row per transaction vs neo4j-admin import.

Each run loads the data set into a database without one (with ``--fresh-server`` right after ``orgnet db stop``
and ``orgnet db start``: the first load on a cold JVM), then removes it and loads it again (the second load), then
loads it once more over itself (write, switch, remove the replaced one), and runs the offline importer on the same
rows: the ratios are taken within the run. Figures: median and min–max of ``--runs``.
It removes the current data set from Neo4j, so it asks for ``--replace-current``.

Run: .venv/bin/python -m bench.bench_load [--data DIR | --profile laoting|city [--scale S]] [--runs 3]
     --replace-current [--fresh-server [--settle]] [--sample 2000]
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from bench.common import data_args, data_name, data_path, peak_rss_mib, save, spreads, timer
from graph.dataformat import TABLES, Dataset
from graph.settings import get_settings
from graph.store import datasets
from graph.store.connection import connect, warmed_up
from graph.store.db import Database
from graph.store.server import LocalServer
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
    datasets.delete_nodes(db, key)
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
    """Neo4j's offline importer (neo4j-admin database import full) into a scratch DBMS home, removed after."""
    home, result = _import(ds, lib)
    shutil.rmtree(home, ignore_errors=True)
    return result


def admin_import_home(ds: Dataset, lib: Path) -> tuple[Path, float]:
    """The importer into a scratch DBMS home that is kept (the caller removes it): (home, seconds)."""
    home, result = _import(ds, lib)
    if "seconds" not in result:
        shutil.rmtree(home, ignore_errors=True)
        raise SystemExit(f"neo4j-admin import failed: {result.get('error')}")
    return home, result["seconds"]


def _import(ds: Dataset, lib: Path) -> tuple[Path, dict[str, float]]:
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
           *files, f"--relationships={rel}", "--skip-bad-relationships=true", "--overwrite-destination=true",
           f"--report-file={home / 'import.report'}", "neo4j"]  # not the working folder's import.report
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    dt = time.perf_counter() - t0
    for f in home.glob("*.csv"):
        f.unlink()
    if proc.returncode != 0:
        return home, {"error": (proc.stdout + proc.stderr)[-800:]}  # type: ignore[dict-item]
    n = sum(len(ds.rows(t.name)) for t in TABLES if t.label) + 1 + n_rels
    return home, {"rows": n, "seconds": round(dt, 3), "rows_per_s": round(n / dt, 1)}


def drop_current(db: Database) -> None:
    """Leave the database without a data set (the state the offline importer starts from)."""
    db.write("MATCH (d:DataSet {current: true}) SET d.current = false, d.status = 'replaced'")
    datasets.cleanup(db)


def restart_server() -> float:
    """``orgnet db stop`` (when it runs) then ``orgnet db start`` (the project's own server); the seconds the start
    took."""
    cli = [sys.executable, "-m", "api.cli", "db"]
    if LocalServer(get_settings()).pid() is not None:
        subprocess.run([*cli, "stop"], check=True, capture_output=True)
    t0 = time.perf_counter()
    subprocess.run([*cli, "start"], check=True, capture_output=True)
    return round(time.perf_counter() - t0, 3)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    data_args(ap)
    ap.add_argument("--sample", type=int, default=2000)
    ap.add_argument("--batch", type=int, default=10000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--replace-current", action="store_true", help="agree that the current data set is removed")
    ap.add_argument("--fresh-server", action="store_true", help="restart the local server before each run's first load")
    ap.add_argument("--settle", action="store_true",
                    help="with --fresh-server: let the warm-up finish (plans, a month's plans, the rehearsed load of "
                         "the snapshot kept last) before the first load, as when a load comes a while after a start")
    args = ap.parse_args()
    folder = data_path(args)
    t: dict[str, float] = {}
    with timer(t, "read_and_validate_s"):
        ds = load_dataset(folder)
    n = rows_in(ds)
    lib = get_settings().orgnet_neo4j_lib
    runs = []
    with connect() as db:
        current = datasets.current(db)
        if current and not args.replace_current:
            sys.exit(f"这会删除 Neo4j 中的当前数据集（{current.get('source')}）；加 --replace-current 以继续 / "
                     "this removes the current data set from Neo4j; add --replace-current to go on")
    for _ in range(args.runs):
        r: dict[str, float] = {}
        if args.fresh_server:
            with connect() as db:
                drop_current(db)
            r["db_start_s"] = restart_server()
            if args.settle:
                r["warm_up_s"] = round(LocalServer(get_settings()).warmed(timeout=1800, ask=False), 3)
        with connect() as db:
            drop_current(db)
            with timer(r, "first_load_s"):  # into a database without a data set, as the importer does
                r["waited_for_warm_up_s"] = round(warmed_up(), 3)  # as orgnet load does
                datasets.write_dataset(db, ds, batch=args.batch, workers=args.workers)
            drop_current(db)
            with timer(r, "orgnet_load_s"):  # the second load, plans cached
                datasets.write_dataset(db, ds, batch=args.batch, workers=args.workers)
            with timer(r, "orgnet_replace_s"):  # load it again: write the new one, switch, remove the old one
                datasets.write_dataset(db, ds, batch=args.batch, workers=args.workers)
        imp = admin_import(ds, lib)
        if "seconds" not in imp:
            sys.exit(f"neo4j-admin import failed: {imp.get('error')}")
        r["import_s"] = imp["seconds"]
        r["load_vs_import"] = round(r["orgnet_load_s"] / imp["seconds"], 2)
        r["first_load_vs_import"] = round(r["first_load_s"] / imp["seconds"], 2)
        r["first_vs_second"] = round(r["first_load_s"] / r["orgnet_load_s"], 2)
        runs.append(r)
        print(r, flush=True)
    with connect() as db:
        plain = plain_merge(db, ds, args.sample)
    result = {"data": str(folder), "rows_written": n, "workers": args.workers, "fresh_server": args.fresh_server,
              "settle": args.settle,
              **t, **spreads(runs), "runs": runs,
              "orgnet_rows_per_s": round(n / sorted(x["orgnet_load_s"] for x in runs)[len(runs) // 2], 1),
              "plain_merge_sample": plain, "plain_merge_estimated_s": round(n / plain["rows_per_s"], 1),
              "peak_rss_mib": peak_rss_mib()}
    save(f"load-{data_name(args)}", result)


if __name__ == "__main__":
    main()
