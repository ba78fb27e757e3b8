"""Messy ledgers made from a small generated county, and what "the same findings as the clean form" means."""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from graph.dataformat import BY_NAME, TABLES, Dataset
from graph.errors import DataRefused
from graph.report import build_report, pairs
from loaders.generate import Profile, generate, write_csv
from loaders.problems import Problem
from loaders.validate import load_dataset

SMALL = Profile(streets=2, communities=4, res_grids=16, res_grid_branches=7, res_grid_groups=9, full_time=17,
                part_time=40, other_grids=6, other_grid_branches=2, other_grid_groups=3, other_part_time=8,
                agencies=10, paired_agencies=8, reported_members=60, unreported_members=5, staff=12, compounds=6,
                home_branches=5, projects=3, demo_city=1, demo_county=2, resolved_demands=60, open_demands=15,
                big_centres=1, buildings_per_grid=(2, 3))

Grid = list[list[Any]]


@lru_cache(maxsize=1)
def _tables() -> dict[str, list[dict[str, Any]]]:
    return generate(SMALL, seed=7)


def clean_dir(root: Path) -> Path:
    """The small county as clean CSV files."""
    out = root / "clean"
    if not out.exists():
        write_csv(_tables(), out)
    return out


def grids(root: Path) -> dict[str, Grid]:
    """Each table as rows of texts, the code-name header first (a fresh copy to mess up)."""
    out = {}
    for spec in TABLES:
        with (clean_dir(root) / f"{spec.name}.csv").open(encoding="utf-8", newline="") as fh:
            out[spec.name] = [list(r) for r in csv.reader(fh)]
    return out


def col(table: str, name: str) -> int:
    return [c.name for c in BY_NAME[table].columns].index(name)


def write_book(path: Path, sheets: dict[str, Grid], hidden: tuple[str, ...] = (),
               merges: dict[str, list[str]] | None = None) -> Path:
    """An .xlsx with one sheet per entry (openpyxl), some hidden, some ranges merged."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
        if title in hidden:
            ws.sheet_state = "hidden"
        for rng in (merges or {}).get(title, []):
            ws.merge_cells(rng)
    wb.save(path)
    return path


def write_folder(root: Path, files: dict[str, Grid], name: str = "messy", encoding: str = "utf-8",
                 delimiter: str = ",", newline: str = "\n", suffix: str = ".csv") -> Path:
    out = root / name
    out.mkdir(parents=True, exist_ok=True)
    for stem, rows in files.items():
        with (out / f"{stem}{suffix}").open("w", encoding=encoding, newline="") as fh:
            csv.writer(fh, delimiter=delimiter, lineterminator=newline).writerows(rows)
    return out


def findings(ds: Dataset) -> tuple[set[tuple[str, str]], dict[str, int], str]:
    """What must not change between a clean and a messy form: (rule, subject id) pairs, counts, as_of."""
    report = build_report(ds, with_extras=False)
    return pairs(report), ds.counts(), report["as_of"]


def same_as_clean(root: Path, path: Path) -> Dataset:
    """Load ``path``; assert it gives the clean form's findings; return it (for its notices)."""
    ds = load_dataset(path)
    assert findings(ds) == findings(load_dataset(clean_dir(root)))
    return ds


def refused(path: Path) -> list[Problem]:
    with pytest.raises(DataRefused) as info:
        load_dataset(path)
    for p in info.value.problems:
        assert p.zh and p.en and p.line()
    return list(info.value.problems)


def notes(ds: Dataset) -> list[str]:
    """Every notice as its printed line."""
    return [n.line() for n in ds.reading.notices]
