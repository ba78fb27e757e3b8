"""Report benchmark: read from Neo4j, build the graph, evaluate the rules, the extras — against the floor
(the fastest read of every node and relationship we found: one query per label returning lists of values,
one for all relationships as id triples).

Run: .venv/bin/python bench/bench_report.py [--profile laoting|city] [--scale N] [--load]
"""

from __future__ import annotations

import argparse
import time

from bench.common import dataset_dir, peak_rss_mib, save, timer
from graph.dataformat import TABLES
from graph.findings import Thresholds
from graph.network import Net, build_graph
from graph.report import build_report
from graph.rules import analysis
from graph.store import datasets
from graph.store.connection import connect
from graph.store.db import Database
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
    q = ("MATCH (a:Entity {ds: $ds})-[r]->(b) WITH elementId(r) AS e, [a.id, type(r), b.id] AS row "
         "WITH row, toInteger(split(e, ':')[-1]) / 20000 AS bt RETURN bt, collect(row)")
    n += sum(len(rows) for _, rows in db.stream(q, {"ds": ds_key}))
    return time.perf_counter() - t0, n


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--profile", default="laoting", choices=["laoting", "city"])
    ap.add_argument("--scale", type=int, default=1)
    ap.add_argument("--load", action="store_true", help="load the data set first")
    args = ap.parse_args()
    t: dict[str, float] = {}
    with connect() as db:
        wanted = load_dataset(dataset_dir(args.profile, args.scale))
        if args.load or (datasets.current(db) or {}).get("fingerprint") != wanted.fingerprint:
            datasets.write_dataset(db, wanted)
        del wanted
        key = datasets.current(db)["ds"]  # type: ignore[index]
        floor_s, floor_rows = floor_read(db, key)
        t_all = time.perf_counter()
        with timer(t, "read_from_neo4j_s"):
            ds = datasets.read_dataset(db)
    with timer(t, "build_graph_s"):
        G = build_graph(ds)
    with timer(t, "rules_s"):
        net = Net(G)
        ctx = analysis.context(net, Thresholds(), analysis.default_as_of(ds))
        findings = [f for rule in analysis.ALL_RULES for f in rule(net, ctx)]
    with timer(t, "full_report_from_tables_s"):
        report = build_report(ds)
    t["all_phases_s"] = round(time.perf_counter() - t_all, 3)
    # what `orgnet report` does: read the data set, then the whole report (graph, rules, extras) from it
    t["report_from_neo4j_s"] = round(t["read_from_neo4j_s"] + t["full_report_from_tables_s"], 3)
    save(f"report-{args.profile}" + (f"-{args.scale}" if args.profile == "city" else ""), {
        "profile": args.profile, "nodes": G.number_of_nodes(), "edges": G.number_of_edges(),
        "findings": len(report["findings"]), "rule_findings": len(findings), **t,
        "floor_read_s": round(floor_s, 3), "floor_rows": floor_rows,
        "read_vs_floor": round(t["read_from_neo4j_s"] / floor_s, 2),
        "report_vs_floor": round(t["report_from_neo4j_s"] / floor_s, 2),
        "peak_rss_mib": peak_rss_mib(),
    })


if __name__ == "__main__":
    main()
