"""Reading benchmark: a data set's files → raw tables → a validated data set, CSV and .xlsx (calamine, openpyxl).

Run: .venv/bin/python -m bench.bench_read [--profile laoting|city] [--scale N] [--engines calamine,openpyxl]

For the Laoting profile the CSV folder is also written as one workbook (XlsxWriter, one sheet per table) and read
with each engine. The load average is recorded: on a shared machine it says how far to trust the seconds.
"""

from __future__ import annotations

import argparse
import csv
import os
from pathlib import Path

from bench.common import ROOT, dataset_dir, peak_rss_mib, save, timer
from loaders.read import read_container, read_workbook
from loaders.validate import validate


def as_workbook(folder: Path) -> Path:
    """The CSV folder as one .xlsx (numbers as numbers, as an office's workbook holds them)."""
    import xlsxwriter

    path = ROOT / "data" / "bench" / f"{folder.name}.xlsx"
    if path.is_file():
        return path
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": True})
    for f in sorted(folder.glob("*.csv")):
        ws = wb.add_worksheet(f.stem)
        with f.open(encoding="utf-8", newline="") as fh:
            for i, row in enumerate(csv.reader(fh)):
                ws.write_row(i, 0, row)
    wb.close()
    return path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--profile", default="laoting", choices=["laoting", "city"])
    ap.add_argument("--scale", type=int, default=1)
    ap.add_argument("--engines", default="calamine,openpyxl")
    args = ap.parse_args()
    folder = dataset_dir(args.profile, args.scale)
    times: dict[str, float] = {}
    load_before = os.getloadavg()[0]
    with timer(times, "csv_read"):
        raw = read_container(folder)
    with timer(times, "csv_validate"):
        ds = validate(raw)
    rows = sum(ds.counts().values())
    if args.profile == "laoting":
        book = as_workbook(folder)
        for engine in args.engines.split(","):
            with timer(times, f"xlsx_{engine}_read"):
                raw = read_workbook(book, engine)
            with timer(times, f"xlsx_{engine}_validate"):
                assert validate(raw).counts() == ds.counts()
    save(f"read-{args.profile}", {"profile": args.profile, "scale": args.scale, "rows": rows, "seconds": times,
                                  "peak_rss_mib": peak_rss_mib(),
                                  "load_average": [round(load_before, 1), round(os.getloadavg()[0], 1)]})


if __name__ == "__main__":
    main()
