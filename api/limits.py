"""Upload limits: body size, zip members and expansion, rows, cell length, and how much of a refusal is echoed.

Every check here runs before (or instead of) parsing: a workbook is a zip, so its members' declared sizes are
read from the central directory and its worksheets' rows are counted while streaming, in bounded memory.

>>> short("x" * 300, 10)
'xxxxxxxxxx… (300 字符 / chars)'
>>> short("abc", 10)
'abc'
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

from graph.settings import Settings
from loaders.problems import Problem

ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")
VALUE_ECHO = 100  # characters of a refused value echoed back (enough to find it; 200 refusals stay ~150 kB)


@dataclass(frozen=True)
class Limits:
    """What an upload may be (``ORGNET_UPLOAD_*`` settings)."""

    max_bytes: int = 50 * 1024 * 1024
    max_unzipped: int = 1024 * 1024 * 1024
    max_ratio: float = 100.0
    max_rows: int = 500_000
    max_cell: int = 32_000
    max_problems: int = 200

    @classmethod
    def from_settings(cls, s: Settings) -> Limits:
        return cls(s.orgnet_upload_max_bytes, s.orgnet_upload_max_unzipped, s.orgnet_upload_max_ratio,
                   s.orgnet_upload_max_rows, s.orgnet_upload_max_cell, s.orgnet_upload_max_problems)


SHORTENED = re.compile(r"… \(\d+ 字符 / chars\)$")


def short(text: str, limit: int = VALUE_ECHO) -> str:
    """``text`` cut to ``limit`` characters, saying how long it was (a text already cut is kept as it is).

    >>> short(short("y" * 500, 10), 10)
    'yyyyyyyyyy… (500 字符 / chars)'
    """
    cut = SHORTENED.search(text)
    if len(text) <= limit or (cut and cut.start() <= limit):
        return text
    return f"{text[:limit]}… ({len(text)} 字符 / chars)"


def safe_name(filename: str | None) -> str:
    """The uploaded file's own name, without any folder, safe to use as a file name.

    >>> safe_name("../../etc/passwd"), safe_name(None), safe_name("C:\\\\x\\\\台账.xlsx")
    ('passwd', 'upload.xlsx', '台账.xlsx')
    """
    name = PurePath((filename or "").replace("\\", "/")).name.strip()
    name = re.sub(r"[\x00-\x1f/]", "", name)[:120]
    return name if name and name not in (".", "..") else "upload.xlsx"


def _problem(name: str, zh: str, en: str) -> Problem:
    return Problem("", 0, "", "", zh, en, name)


def check_workbook(path: Path, name: str, limits: Limits) -> list[Problem]:
    """Problems with the zip container at ``path`` before anything parses it (empty when it may be parsed).

    Refuses members whose declared size or expansion ratio is too large (a shared-strings bomb) and
    worksheets with more rows than ``limits.max_rows`` (counted while decompressing, in bounded memory).
    """
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return [_problem(name, "不是有效的 .xlsx 工作簿", "not a valid .xlsx workbook")]
    with zf:
        infos = zf.infolist()
        total = sum(i.file_size for i in infos)
        if total > limits.max_unzipped:
            return [_problem(name, f"工作簿解压后 {total} 字节，超过上限 {limits.max_unzipped}",
                             f"the workbook unpacks to {total} bytes, more than the limit {limits.max_unzipped}")]
        for i in infos:
            ratio = i.file_size / max(i.compress_size, 1)
            if i.file_size > 1024 * 1024 and ratio > limits.max_ratio:
                return [_problem(name, f"工作簿成员 {short(i.filename, 80)} 压缩比 {ratio:.0f}，超过上限 "
                                       f"{limits.max_ratio:g}（疑似压缩炸弹）",
                                 f"workbook member {short(i.filename, 80)} expands {ratio:.0f} times, more than "
                                 f"{limits.max_ratio:g} (a zip bomb?)")]
        for i in infos:
            if i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml"):
                rows = _count_rows(zf, i, limits.max_unzipped)
                if rows > limits.max_rows + 1:  # + the header row
                    return [_problem(name, f"工作表 {short(i.filename, 80)} 有 {rows} 行，超过上限 {limits.max_rows}",
                                     f"worksheet {short(i.filename, 80)} has {rows} rows, more than "
                                     f"the limit {limits.max_rows}")]
    return []


def _count_rows(zf: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> int:
    """Rows of one worksheet, counted in 1 MiB pieces (never more than ``cap`` bytes read)."""
    n, tail, seen = 0, b"", 0
    with zf.open(info) as fh:
        while chunk := fh.read(1 << 20):
            seen += len(chunk)
            buf = tail + chunk
            n += len(ROW_TAG.findall(buf))
            tail = buf[-8:]
            n -= len(ROW_TAG.findall(tail))  # counted again with the next piece
            if seen > cap:
                break
    return n + len(ROW_TAG.findall(tail))


def check_cells(tables: dict[str, list[dict[str, Any]]], name: str, limits: Limits) -> list[Problem]:
    """Cells longer than ``limits.max_cell`` characters (the first few, each value shortened)."""
    out: list[Problem] = []
    for table, rows in tables.items():
        for row in rows:
            for col, value in row.items():
                if isinstance(value, str) and len(value) > limits.max_cell:
                    out.append(Problem(table, row.get("_row", 0), col, short(value),
                                       f"单元格超过 {limits.max_cell} 个字符", f"cell longer than {limits.max_cell} "
                                       "characters", f"{name}[{table}]"))
                    if len(out) >= limits.max_problems:
                        return out
    return out


def refusal(zh: str, en: str, problems: list[Problem], limits: Limits, hide: str = "") -> dict[str, Any]:
    """A refusal's JSON: the first ``max_problems`` problems, values shortened, ``hide`` (a server folder)
    removed from every text, and how many problems there were in all."""

    def clean(text: str) -> str:
        return short(text.replace(hide, "") if hide else text, 2000)

    shown = [{**p.to_dict(), "value": short(p.value.replace(hide, "") if hide else p.value), "zh": clean(p.zh), "en": clean(p.en),
              "file": clean(p.file)} for p in problems[: limits.max_problems]]
    return {"zh": clean(zh), "en": clean(en), "problems": shown, "problems_total": len(problems)}
