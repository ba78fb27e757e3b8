"""Read an .xlsx workbook's sheets as grids of cell texts (openpyxl): merged cells, formulas, error values, hidden."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

import openpyxl

#: a cell that holds a formula Excel never computed (saved by a tool, not by Excel): refused where it is read
NO_VALUE = "\x00formula:"


@dataclass
class Sheet:
    """One sheet: its title, whether it is hidden, its cell texts, and the data cells filled from merged ranges."""

    title: str
    hidden: bool
    rows: list[list[str]] = field(default_factory=list)
    merged: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)   # (r, c) -> its range's (r0, c0)

    @property
    def empty(self) -> bool:
        return not any(any(v.strip() for v in row) for row in self.rows)


def text(value: Any) -> str:
    """A cell value as text: whole numbers without ``.0``, dates as ISO, booleans as true/false.

    >>> text(420.0), text(0.1 + 0.2), text(True), text(datetime(2026, 11, 5)), text(None)
    ('420', '0.3', 'true', '2026-11-05 00:00:00', '')
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(value, ".15g")
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    return str(value)


def _formula_cells(data: bytes) -> dict[str, dict[tuple[int, int], str]]:
    """Sheet title -> (row, column) -> formula, only when the workbook holds formulas at all (a second, fast pass)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        if not any(b"<f>" in zf.read(n) or b"<f " in zf.read(n)
                   for n in zf.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")):
            return {}
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    out: dict[str, dict[tuple[int, int], str]] = {}
    try:
        for ws in wb.worksheets:
            found = out.setdefault(ws.title, {})
            for r, row in enumerate(ws.iter_rows(values_only=True)):
                for c, v in enumerate(row):
                    if isinstance(v, str) and v.startswith("="):
                        found[(r, c)] = v
    finally:
        wb.close()
    return out


def read_sheets(data: bytes, wanted: set[str] | None = None) -> list[Sheet]:
    """The sheets titled in ``wanted`` (every sheet when None); raises what openpyxl raises."""
    wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    formulas: dict[str, dict[tuple[int, int], str]] | None = None
    sheets = []
    for ws in wb.worksheets:
        if wanted is not None and ws.title not in wanted:
            continue
        sheet = Sheet(ws.title, ws.sheet_state != "visible")
        sheets.append(sheet)
        rows = [[text(v) for v in row] for row in ws.iter_rows(values_only=True)]
        for rng in ws.merged_cells.ranges:
            value = text(ws.cell(rng.min_row, rng.min_col).value)
            if not value:
                continue
            r0, c0 = rng.min_row - 1, rng.min_col - 1
            for r in range(r0, min(rng.max_row, len(rows))):
                for c in range(c0, rng.max_col):
                    if (r, c) != (r0, c0) and c < len(rows[r]):
                        rows[r][c] = value
                        sheet.merged[(r, c)] = (r0, c0)
        if formulas is None:
            formulas = _formula_cells(data)
        for (r, c), f in formulas.get(ws.title, {}).items():
            if r < len(rows) and c < len(rows[r]) and rows[r][c] == "":
                rows[r][c] = NO_VALUE + f
        sheet.rows = rows
    wb.close()
    return sheets
