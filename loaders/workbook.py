"""Read an .xlsx workbook's sheets as grids of cell texts: merged cells, formulas, error values, hidden sheets.

Values come from python-calamine (fast). Calamine reads an Excel error (#N/A) and a formula saved without its
value both as an empty cell, so the sheets' XML is scanned for such cells (only sheets that hold any) and they
are put back: the error as its text, the formula as :data:`NO_VALUE` + formula, refused where it is read.
``engine="openpyxl"`` reads the same with openpyxl (slower; kept for comparison, see bench/bench_read.py).
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any
from xml.etree import ElementTree as ET

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
    if isinstance(value, date):        # calamine gives a date for a date-time cell at midnight
        return value.isoformat() + " 00:00:00"
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    return str(value)


def _formula_cells(data: bytes) -> dict[str, dict[tuple[int, int], str]]:
    """Sheet title -> (row, column) -> formula, only when the workbook holds formulas at all (a second, fast pass)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        if not any(b"<f>" in zf.read(n) or b"<f " in zf.read(n)
                   for n in zf.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")):
            return {}
    import openpyxl  # here, not at the top: a CSV folder never needs it (0.2 s to import)

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


def read_sheets(data: bytes, wanted: set[str] | None = None, engine: str = "calamine") -> list[Sheet]:
    """The sheets titled in ``wanted`` (every sheet when None); raises what the engine raises."""
    if engine == "calamine":
        return read_sheets_calamine(data, wanted)
    import openpyxl

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


_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_REF = re.compile(r"([A-Z]+)(\d+)")


def _rc(ref: str) -> tuple[int, int]:
    m = _REF.match(ref)
    if m is None:
        raise ValueError(ref)
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1


def _sheet_paths(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet title -> its XML part in the package."""
    rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target", "") for r in rels}
    out = {}
    for sh in ET.fromstring(zf.read("xl/workbook.xml")).iter(f"{_NS}sheet"):
        t = target.get(sh.get(_REL), "")
        out[sh.get("name", "")] = t.lstrip("/") if t.startswith("/") else posixpath.normpath(f"xl/{t}")
    return out


def _unread_cells(xml: bytes) -> dict[tuple[int, int], str]:
    """(row, column) -> text for error cells and formulas without a saved value (calamine reads both as empty)."""
    if b"<f" not in xml and b't="e"' not in xml:
        return {}
    out = {}
    for _, el in ET.iterparse(io.BytesIO(xml)):
        if el.tag != f"{_NS}c":
            continue
        f, v = el.find(f"{_NS}f"), el.find(f"{_NS}v")
        if el.get("t") == "e":
            out[_rc(el.get("r", ""))] = v.text if v is not None and v.text else "#N/A"
        elif f is not None and (v is None or v.text is None):
            out[_rc(el.get("r", ""))] = NO_VALUE + "=" + (f.text or "")
        el.clear()
    return out


def read_sheets_calamine(data: bytes, wanted: set[str] | None = None) -> list[Sheet]:
    """The sheets titled in ``wanted`` (every sheet when None), via python-calamine."""
    from python_calamine import CalamineWorkbook, SheetVisibleEnum

    wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    sheets = []
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        paths = _sheet_paths(zf)
        for meta in wb.sheets_metadata:
            if wanted is not None and meta.name not in wanted:
                continue
            ws = wb.get_sheet_by_name(meta.name)
            sheet = Sheet(meta.name, meta.visible != SheetVisibleEnum.Visible)
            rows = [[text(v) for v in row] for row in ws.to_python(skip_empty_area=False)]
            part = paths.get(meta.name)
            fixes = _unread_cells(zf.read(part)) if part in zf.namelist() else {}
            for (r, c), value in fixes.items():
                _put(rows, r, c, value)
            for (r0, c0), (r1, c1) in ws.merged_cell_ranges or []:
                value = rows[r0][c0] if r0 < len(rows) and c0 < len(rows[r0]) else ""
                if not value:
                    continue
                for r in range(r0, r1 + 1):
                    for c in range(c0, c1 + 1):
                        if (r, c) != (r0, c0):
                            _put(rows, r, c, value)
                            sheet.merged[(r, c)] = (r0, c0)
            sheet.rows = rows
            sheets.append(sheet)
    wb.close()
    return sheets


def _put(rows: list[list[str]], r: int, c: int, value: str) -> None:
    while len(rows) <= r:
        rows.append([])
    row = rows[r]
    if len(row) <= c:
        row.extend([""] * (c + 1 - len(row)))
    row[c] = value


def workbook_sheets(data: bytes) -> list[tuple[str, bool]]:
    """``(title, hidden)`` of every sheet, in order."""
    from python_calamine import CalamineWorkbook, SheetVisibleEnum

    wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    try:
        return [(m.name, m.visible != SheetVisibleEnum.Visible) for m in wb.sheets_metadata]
    finally:
        wb.close()
