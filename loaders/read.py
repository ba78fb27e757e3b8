"""Read a data set's container (a folder of CSV files or one .xlsx workbook) into raw text tables."""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from charset_normalizer import from_bytes

from graph.dataformat import BY_NAME, TABLES
from loaders.problems import Problem

log = logging.getLogger(__name__)


@dataclass
class RawTable:
    """A table as read: cell texts by code column name, with spreadsheet row numbers."""

    name: str
    file: str
    columns: list[str]
    rows: list[dict[str, str]]
    row_numbers: list[int]
    ignored: list[str] = field(default_factory=list)


@dataclass
class RawDataset:
    tables: dict[str, RawTable]
    fingerprint: str
    source: str
    problems: list[Problem]


def decode(data: bytes, file: str) -> str:
    """Decode CSV bytes: UTF-8 (with or without BOM), else GB18030 (Excel's GBK export), else a guess.

    >>> decode("编号".encode("gb18030"), "x.csv")
    '编号'
    >>> decode("\\ufeffid".encode("utf-8"), "x.csv")
    'id'
    """
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    best = from_bytes(data).best()
    if best is None:
        raise UnicodeDecodeError("utf-8/gb18030", data[:1], 0, 1, f"{file}: neither UTF-8 nor GB18030")
    return str(best)


def _header_map(table: str) -> dict[str, str]:
    t = BY_NAME[table]
    out = {}
    for c in t.columns:
        out[c.name.lower()] = c.name
        out[c.zh] = c.name
    return out


def _frame_to_raw(table: str, file: str, df: pd.DataFrame, problems: list[Problem]) -> RawTable:
    hmap = _header_map(table)
    columns: list[str] = []
    ignored: list[str] = []
    keep: list[int] = []
    for i, h in enumerate(df.columns):
        key = str(h).strip().lstrip("\ufeff")
        code = hmap.get(key) or hmap.get(key.lower())
        if code is None:
            ignored.append(key)
            continue
        if code in columns:
            problems.append(Problem(table, 1, key, key, "列名重复", "column given twice", file))
            continue
        columns.append(code)
        keep.append(i)
    values: Any = df.iloc[:, keep].to_numpy(dtype=object) if keep else []
    rows, numbers = [], []
    for n, vals in enumerate(values):
        cells = {c: ("" if v is None else str(v)).strip() for c, v in zip(columns, vals, strict=True)}
        if not any(cells.values()):
            continue  # a blank row
        rows.append(cells)
        numbers.append(n + 2)
    if ignored:
        log.info("%s: ignored columns %s", file, ", ".join(ignored))
    return RawTable(table, file, columns, rows, numbers, ignored)


def read_csv_folder(folder: Path) -> RawDataset:
    """Read ``<table>.csv`` files from ``folder``."""
    problems: list[Problem] = []
    tables: dict[str, RawTable] = {}
    digest = hashlib.sha256()
    known = {t.name for t in TABLES}
    for path in sorted(folder.glob("*.csv")):
        data = path.read_bytes()
        digest.update(path.name.encode() + b"\0" + data + b"\0")
        if path.stem not in known:
            log.info("ignored file %s (not a table of the data format)", path.name)
            continue
        try:
            text = decode(data, path.name)
            df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=False)
        except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            problems.append(Problem(path.stem, 0, "", "", f"无法读取文件（已尝试 UTF-8 与 GB18030 编码）：{exc}",
                                    f"cannot read the file (tried UTF-8 and GB18030): {exc}", path.name))
            continue
        tables[path.stem] = _frame_to_raw(path.stem, path.name, df, problems)
    return RawDataset(tables, digest.hexdigest(), str(folder), problems)


def read_workbook(path: Path) -> RawDataset:
    """Read one sheet per table from an .xlsx workbook."""
    problems: list[Problem] = []
    data = path.read_bytes()
    try:
        sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, dtype=str, keep_default_na=False,
                               engine="openpyxl")
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        problems.append(Problem("", 0, "", "", f"无法读取工作簿：{exc}", f"cannot read the workbook: {exc}", path.name))
        return RawDataset({}, hashlib.sha256(data).hexdigest(), str(path), problems)
    tables = {}
    for sheet, df in sheets.items():
        name = str(sheet).strip()
        if name not in BY_NAME:
            log.info("ignored sheet %s (not a table of the data format)", name)
            continue
        tables[name] = _frame_to_raw(name, f"{path.name}[{name}]", df, problems)
    return RawDataset(tables, hashlib.sha256(data).hexdigest(), str(path), problems)


def read_container(path: Path) -> RawDataset:
    """Read a folder of CSV files or an .xlsx workbook."""
    if path.is_dir():
        return read_csv_folder(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return read_workbook(path)
    raise FileNotFoundError(f"{path}: not a folder of CSV files nor an .xlsx workbook")
