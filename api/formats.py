"""Write a report as json, text, csv, xlsx, html or pdf (Chinese first); the renderings live in :mod:`api.report`.

>>> media_type("xlsx")
'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
>>> content_disposition("乐亭县-2026-11-17.csv")
'attachment; filename="orgnet-report-2026-11-17.csv"; filename*=UTF-8\\'\\'%E4%B9%90%E4%BA%AD%E5%8E%BF-2026-11-17.csv'
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

from api.report.labels import CATEGORY_ZH, SEVERITY_ZH
from api.report.view import file_name

__all__ = ["CATEGORY_ZH", "FORMATS", "SEVERITY_ZH", "content_disposition", "file_name", "media_type", "render",
           "to_json", "write"]

FORMATS = ("json", "text", "html", "xlsx", "csv", "pdf")
LANGS = ("zh", "en")
BINARY = ("xlsx", "pdf")
EXTENSION = {"text": "txt"}
MEDIA = {"csv": "text/csv; charset=utf-8", "json": "application/json", "html": "text/html; charset=utf-8",
         "text": "text/plain; charset=utf-8", "pdf": "application/pdf",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def to_json(report: dict[str, Any]) -> str:
    """The report as JSON (the version 1 contract: its keys unchanged)."""
    return json.dumps(report, ensure_ascii=False, indent=1, default=str)


def render(report: dict[str, Any], fmt: str, lang: str = "zh", limit: int | None = 60,
           width: int | None = None) -> str | bytes:
    """The report in ``fmt`` (one of :data:`FORMATS`); ``lang`` for CSV, ``limit``/``width`` for text."""
    if fmt == "json":
        return to_json(report)
    if fmt == "csv":
        from api.report.csvfile import to_csv

        return to_csv(report, lang)
    if fmt == "text":
        from api.report.text import to_text

        return to_text(report, limit, width)
    if fmt == "html":
        from api.report.html import to_html

        return to_html(report)
    if fmt == "xlsx":
        from api.report.xlsx import to_xlsx

        return to_xlsx(report)
    if fmt == "pdf":
        from api.report.pdf import to_pdf

        return to_pdf(report)
    raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")


def media_type(fmt: str) -> str:
    return MEDIA[fmt]


def download_name(report: dict[str, Any], fmt: str) -> str:
    """The file name of the report in ``fmt``: county, scope, 空白点报告, date."""
    return file_name(report, EXTENSION.get(fmt, fmt))


def content_disposition(name: str) -> str:
    """An attachment header naming ``name`` (RFC 6266/5987: an ASCII fallback and the UTF-8 ``filename*``)."""
    ascii_name = re.sub(r"[^A-Za-z0-9._-]", "", name.encode("ascii", "ignore").decode()).strip("-._")
    fallback = "orgnet-report-" + ascii_name if ascii_name else "orgnet-report"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def write(report: dict[str, Any], fmt: str, out: Path | None, lang: str = "zh", limit: int | None = 60,
          width: int | None = None) -> Path | None:
    """Write the report to ``out`` (a file, or a folder: then under its default name; UTF-8 for text formats), or
    print it when ``out`` is None. Returns the path written."""
    if out is None and fmt in BINARY:
        raise ValueError(f"{fmt} needs --out")
    data = render(report, fmt, lang, limit, width)
    if out is None:
        print(data)
        return None
    if out.is_dir():
        out = out / download_name(report, fmt)
    if isinstance(data, bytes):
        out.write_bytes(data)
    else:
        out.write_text(data, encoding="utf-8")
    return out
