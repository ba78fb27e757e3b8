"""The findings as CSV: Chinese headers and values by default (``lang="en"`` for English), no cell a formula."""

from __future__ import annotations

import csv
import io
from typing import Any

from api.report.cells import FINDING_COLUMNS, finding_row, headers, inert
from api.report.view import Names


def to_csv(report: dict[str, Any], lang: str = "zh") -> str:
    """One row per finding, with a BOM so that Excel opens it as UTF-8; every cell formula-proof."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(headers(lang))
    names = Names(report)
    for f in report["findings"]:
        row = finding_row(f, names, lang)
        w.writerow([inert(row[k]) for k, _, _ in FINDING_COLUMNS])
    return "\ufeff" + buf.getvalue()
