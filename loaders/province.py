"""A province: a folder of county folders, each a data set of its own; found, checked and combined here.

A province is how the ledgers arrive from the counties: one folder (or workbook) per county beside each other.
Each county is read and validated on its own, so a task needs only its county in memory; ids must be unique
across the province and no reference may cross from one county into another.

>>> is_province(Path("/nonexistent"))
False
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from graph.dataformat import TABLES, Dataset
from graph.errors import DataRefused
from loaders.problems import Problem

#: A county folder or workbook holds one of these (CSV named by table code or Chinese name, or a workbook).
_MARKERS = ("streets.csv", "街道.csv")


def _is_county(path: Path) -> bool:
    return (path.is_dir() and any((path / m).is_file() for m in _MARKERS)) or path.suffix.lower() == ".xlsx"


def is_province(path: Path) -> bool:
    """True when ``path`` is a folder of county data sets (and not a data set itself)."""
    return path.is_dir() and not _is_county(path) and any(_is_county(p) for p in path.iterdir())


def county_paths(path: Path) -> list[Path]:
    """The county data sets of a province, in name order (the order their findings are merged in)."""
    return sorted((p for p in path.iterdir() if _is_county(p)), key=lambda p: p.name)


def id_owners(datasets: Iterable[tuple[str, Dataset]]) -> dict[str, str]:
    """Which county holds each id (for naming a reference that crosses counties)."""
    owners: dict[str, str] = {}
    for county, ds in datasets:
        for spec in TABLES:
            if spec.has_id:
                owners.update((r["id"], county) for r in ds.rows(spec.name))
    return owners


def combine(parts: list[tuple[str, Dataset]]) -> Dataset:
    """One data set of the whole province (for a single-process run), refusing ids that two counties share."""
    tables: dict[str, list[dict]] = {}
    seen: dict[str, str] = {}
    problems: list[Problem] = []
    for county, ds in parts:
        for spec in TABLES:
            rows = ds.rows(spec.name)
            if spec.name in ds.tables:
                tables.setdefault(spec.name, []).extend(rows)
            if not spec.has_id:
                continue
            for r in rows:
                other = seen.setdefault(r["id"], county)
                if other != county:
                    problems.append(Problem(spec.name, r.get("_row", 0), "id", r["id"],
                                            f"编号同时出现在 {other} 与 {county}", f"id used by both {other} and {county}",
                                            county))
    if problems:
        raise DataRefused(problems, "province")
    fingerprint = "+".join(ds.fingerprint[:16] for _, ds in parts)
    return Dataset(tables, fingerprint=fingerprint, source=f"{len(parts)} 个县 / counties")


def crossing_problems(county: str, refused: DataRefused, owners: dict[str, str]) -> list[Problem]:
    """The refusal of one county, with each unknown reference that points into another county said so."""
    out = []
    for p in refused.problems:
        other = owners.get(p.value)
        if other and other != county and p.column:
            out.append(Problem(p.table, p.row, p.column, p.value, f"引用跨县：{p.value} 属于 {other}",
                               f"reference crosses counties: {p.value} belongs to {other}", p.file or county))
        else:
            out.append(p)
    return out


def load_province(path: Path) -> Dataset:
    """Every county under ``path`` read, validated and combined into one data set (for loading into Neo4j).

    Every county's problems are reported together; an unknown reference to another county's id is named as a
    reference across counties.
    """
    from loaders.validate import load_dataset

    parts: list[tuple[str, Dataset]] = []
    refused: list[tuple[str, DataRefused]] = []
    for county in county_paths(path):
        try:
            parts.append((county.name, load_dataset(county)))
        except DataRefused as exc:
            refused.append((county.name, exc))
    if refused:
        owners = id_owners(parts)
        raise DataRefused([p for name, exc in refused for p in crossing_problems(name, exc, owners)], str(path.name))
    return combine(parts)


def load_any(path: Path) -> Dataset:
    """A data set, or a province of county data sets combined."""
    from loaders.validate import load_dataset

    return load_province(path) if is_province(path) else load_dataset(path)
