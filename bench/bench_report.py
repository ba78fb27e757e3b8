"""Report benchmark: read from Neo4j, build the graph, evaluate the rules, the whole report — against the floor
(the fastest read of every node and relationship we found), each run measuring both; then ``orgnet report --fresh``
itself as a separate process (wall time and peak RSS), and ``orgnet report`` giving the report kept for the data set
(graph.store.reportcache). Figures: median and min–max of ``--runs``.

Run: .venv/bin/python -m bench.bench_report [--data DIR | --profile laoting|city [--scale S]] [--runs 3]
     [--replace-current]   (load the data set over the one in Neo4j when they differ; refused otherwise)
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import Any

from bench.common import data_args, data_name, data_path, orgnet, peak_rss_mib, run_measured, save, spread, spreads, timer
from graph.dataformat import TABLES
from graph.findings import Thresholds
from graph.gcpause import gc_paused
from graph.network import Net
from graph.report import build_report
from graph.rules import analysis
from graph.store import datasets
from graph.store.connection import connect
from graph.store.db import Database
from graph.store.snapshots import archive
from loaders.validate import load_dataset


def floor_read(db: Database, ds_key: str) -> tuple[float, int]:
    """The fastest read of every node (all properties) and relationship we found: per label, rows as lists
    grouped many to a record, times as text; relationships as (from, type, to) triples, likewise grouped."""
    t0 = time.perf_counter()
    n = 0
    for t in TABLES:
        if t.label:
            cols = ["_row", *[c.name for c in t.columns]]
            timed = [c.name for c in t.columns if c.type in ("date", "datetime")]
            q = (f"MATCH (n:{t.label} {{ds: $ds}}) WITH n._row / 20000 AS b, "
                 "[k IN $keys | CASE WHEN k IN $timed THEN toString(n[k]) ELSE n[k] END] AS row RETURN b, collect(row)")
            n += sum(len(rows) for _, rows in db.stream(q, {"ds": ds_key, "keys": cols, "timed": timed}))
    q = (f"{datasets.keyed('= $ds', 'a')} MATCH (a)-[r]->(b) WITH elementId(r) AS e, [a.id, type(r), b.id] AS row "
         "WITH row, toInteger(split(e, ':')[-1]) / 20000 AS bt RETURN bt, collect(row)")
    n += sum(len(rows) for _, rows in db.stream(q, {"ds": ds_key}))
    return time.perf_counter() - t0, n


def floor_paged(db: Database, ds_key: str, batch: int = 20000) -> tuple[float, int]:
    """The same nodes and relationships as :func:`floor_read`, read the way the report reads its tables: keyset
    pages of ``batch`` nodes over each label's (ds, id) index, two queries in flight, values as the driver gives
    them; each page's nodes with every property (the read's own query), then (another page query) their outgoing
    relationships as (from, type, to) triples."""
    from concurrent.futures import ThreadPoolExecutor

    def pages(q: str) -> int:
        n, after = 0, ""
        while True:
            got = db.read(q, {"ds": ds_key, "batch": batch, "after": after}, plain=True)[0]
            n += len(got["rows"])
            if got["n"] < batch:
                return n
            after = got["last"]

    def relationships(label: str) -> str:
        return (f"MATCH (n:{label} {{ds: $ds}}) USING INDEX n:{label}(ds, id) WHERE n.id > $after "
                "WITH n ORDER BY n.ds, n.id LIMIT $batch OPTIONAL MATCH (n)-[r]->(b) "
                "RETURN max(n.id) AS last, count(DISTINCT n) AS n, "
                "collect(CASE WHEN r IS NULL THEN null ELSE [n.id, type(r), b.id] END) AS rows")

    t0 = time.perf_counter()
    labelled = sorted((t for t in TABLES if t.label), key=lambda t: t.name != "demands")
    jobs = [q for t in labelled for q in (datasets._read_query(t), relationships(t.label or ""))]
    with ThreadPoolExecutor(2) as pool:
        n = sum(pool.map(pages, jobs))
    return time.perf_counter() - t0, n


def ensure_current(db: Database, args: argparse.Namespace) -> None:
    """The data set to measure must be the current one: load it only when asked (it replaces what is there), and
    kept as a snapshot (``bench-<name>``) as ``orgnet load`` keeps it, so that ``orgnet report`` can keep its report."""
    wanted = load_dataset(data_path(args))
    current = datasets.current(db) or {}
    kept, label = archive(), f"bench-{data_name(args)}"
    if current.get("fingerprint") == wanted.fingerprint:
        if kept.latest_with(wanted.fingerprint) is None:
            print(f"快照 / keeping the current data set as snapshot {label}", file=sys.stderr)
            with kept.keeping(wanted, label) as written:
                written()
        return
    if not args.replace_current:
        sys.exit(f"Neo4j 中的当前数据集（{current.get('source') or '无 / none'}）不是 {data_path(args)}；"
                 "加 --replace-current 以载入并替换它 / the current data set in Neo4j is not this one; "
                 "add --replace-current to load it over the current one")
    print(f"载入 / loading {data_path(args)} over the current data set ({current.get('source') or 'none'}), "
          f"kept as snapshot {label}", file=sys.stderr)
    with kept.keeping(wanted, label) as written:
        datasets.write_dataset(db, wanted, ready=written)


def one_run(db: Database) -> dict[str, float]:
    """Every phase once, the floor in the same run."""
    t: dict[str, float] = {}
    key = datasets.nodes_key(datasets.current(db))  # type: ignore[arg-type]
    floor_s, n_floor = floor_read(db, key)
    t["floor_read_s"] = round(floor_s, 3)
    paged_s, n_paged = floor_paged(db, key)
    assert n_paged == n_floor, (n_paged, n_floor)
    t["floor_paged_s"] = round(paged_s, 3)
    with timer(t, "read_from_neo4j_s", cpu=True):
        ds = datasets.read_dataset(db)
    with gc_paused():  # as in the report: the collector off while the graph and the findings are made
        with timer(t, "build_net_s", cpu=True):
            net = Net(ds)
        with timer(t, "rules_s", cpu=True):
            ctx = analysis.context(net, Thresholds(), analysis.default_as_of(ds))
            [f for rule in analysis.ALL_RULES for f in rule(net, ctx)]
    del net
    with timer(t, "full_report_from_tables_s", cpu=True):
        build_report(ds)
    t["report_s"] = round(t["read_from_neo4j_s"] + t["full_report_from_tables_s"], 3)
    t["report_vs_floor"] = round(t["report_s"] / floor_s, 2)
    t["report_vs_fastest_full_read"] = round(t["report_s"] / min(floor_s, paged_s), 2)
    return t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    data_args(ap)
    ap.add_argument("--replace-current", action="store_true", help="load the data set over the current one if they differ")
    args = ap.parse_args()
    with connect() as db:
        ensure_current(db, args)
        info: dict[str, Any] = dict(datasets.current(db) or {})
        runs = [one_run(db) for _ in range(args.runs)]
    cli = [run_measured(orgnet("report", "-f", "json", "-o", os.devnull, "--fresh"), {**os.environ})
           for _ in range(args.runs)]
    # built anew each time above (and kept by each run): now the report kept for the data set, given again
    again = [run_measured(orgnet("report", "-f", "json", "-o", os.devnull), {**os.environ}) for _ in range(args.runs)]
    failed = [r for r in cli + again if r["exit"]]
    save(f"report-{data_name(args)}", {
        "data": str(data_path(args)), "dataset": {"source": info.get("source"), "counts": info.get("counts")},
        "in_process": spreads(runs), "runs": runs, "peak_rss_mib_in_process": peak_rss_mib(),
        "orgnet_report": {"seconds": spread([r["seconds"] for r in cli]), "cpu_s": spread([r["cpu_s"] for r in cli]),
                          "peak_rss_mib": spread([r["peak_rss_mib"] for r in cli]), "failed": failed},
        "orgnet_report_kept": {"seconds": spread([r["seconds"] for r in again]),
                               "peak_rss_mib": spread([r["peak_rss_mib"] for r in again])},
    })


if __name__ == "__main__":
    main()
