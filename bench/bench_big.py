"""Large data set: load, report, what-if and export from Neo4j at a multiple of the city (8× by default), each
command its own process (wall, CPU, peak RSS, exit code), under the server's own transaction memory limit.

Run: .venv/bin/python -m bench.bench_big [--scale 8] --replace-current [--keep]
The big data set replaces the current one while it is measured; afterwards the one that was current is loaded
back from its snapshot, the big snapshot is dropped and the generated and exported files are deleted (8× the
city is ≈ 400 MB of CSV, 5 million rows) unless --keep.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import sys
from pathlib import Path
from typing import Any

from bench.common import OUT, dataset_dir, load_back, orgnet, run_measured, save, scale_name
from graph.store import datasets, snapshots
from graph.store.connection import connect

LIMIT = "dbms.memory.transaction.total.max"


def rows_in(folder: Path) -> dict[str, int]:
    """Data rows of every CSV file in ``folder`` (records, not lines: a quoted field may hold a line break)."""
    out = {}
    for f in sorted(folder.glob("*.csv")):
        with f.open(encoding="utf-8-sig", newline="") as fh:
            out[f.stem] = sum(1 for _ in csv.reader(fh)) - 1
    return out


def first_id(folder: Path, table: str) -> str:
    with (folder / f"{table}.csv").open(encoding="utf-8-sig", newline="") as fh:
        return str(next(csv.DictReader(fh))["id"])


def step(name: str, cmd: list[str]) -> dict[str, Any]:
    r = run_measured(cmd)
    print(f"{name}: {r['seconds']} s, CPU {r['cpu_s']} s, peak {r['peak_rss_mib']} MiB, exit {r['exit']}"
          + (f"\n{r['stderr']}" if r["exit"] else ""), file=sys.stderr, flush=True)
    return r


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=8)
    ap.add_argument("--replace-current", action="store_true", help="agree that the big data set replaces the current one "
                    "while it is measured (the current one is loaded back afterwards)")
    ap.add_argument("--keep", action="store_true", help="keep the generated and exported files and the big snapshot")
    args = ap.parse_args()
    if not args.replace_current:
        sys.exit("这会暂时替换 Neo4j 中的当前数据集；加 --replace-current 表示同意 / this replaces the current data set "
                 "while it runs: add --replace-current to agree")
    with connect() as db:
        before = datasets.current(db) or {}
        limit = {r["name"]: r["value"] for r in db.read("SHOW SETTINGS YIELD name, value WHERE name = $n", {"n": LIMIT})}
    archive = snapshots.archive()
    print(f"当前 / current: {before.get('source') or 'none'}; {LIMIT} = {limit.get(LIMIT)}", file=sys.stderr)
    data = dataset_dir("city", args.scale)
    generated = rows_in(data)
    print(f"generated {data}: {sum(generated.values())} rows", file=sys.stderr, flush=True)
    out = OUT / f"big-{scale_name(args.scale)}"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    result: dict[str, Any] = {"scale": args.scale, "rows": sum(generated.values()), LIMIT: limit.get(LIMIT),
                              "csv_mib": round(sum(f.stat().st_size for f in data.iterdir()) / 2**20, 1)}
    label = f"big-{scale_name(args.scale)}"
    result["load"] = step("load", orgnet("load", str(data), "--whole", "--label", label))
    report = out / "report.json"
    result["report"] = step("report", orgnet("report", "-f", "json", "-o", str(report)))
    result["report_bytes"] = report.stat().st_size if report.exists() else 0
    person = first_id(data, "people")
    result["whatif"] = step("whatif", orgnet("whatif", "-r", person, "--json"))
    result["export"] = step("export", orgnet("export", str(out / "export")))
    exported = rows_in(out / "export") if (out / "export").is_dir() else {}
    result["export_rows_match"] = exported == generated
    if exported != generated:
        result["export_rows"] = {"generated": generated, "exported": exported}
    if not args.keep:
        load_back(before)
        if any(s.label == label for s in archive.snapshots()):
            archive.drop(label)
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(data, ignore_errors=True)
    save(f"big-{scale_name(args.scale)}", result)


if __name__ == "__main__":
    main()
