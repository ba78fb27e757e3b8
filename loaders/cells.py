"""Parse one cell as typed by hand: placeholders, full-width digits, 1,234, 是/否 √/×, 2026年11月5日, Excel serials.

Each parser appends the kinds of normalisation it applied to ``notes`` (see :data:`KINDS`), so the caller can
count them in a notice; it raises :class:`CellError` (a ValueError) when the text does not fit the column.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from graph.dataformat import Column

LOCAL_ZONE = ZoneInfo("Asia/Shanghai")
INT64_MAX = 2**63 - 1
#: what offices type for "nothing here"
PLACEHOLDERS = frozenset({"无", "暂无", "空", "—", "——", "-", "--", "－", "/", "／", "\\", "n/a", "N/A"})
EXCEL_ERRORS = frozenset({"#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!",
                          "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#UNKNOWN!", "#CONNECT!", "#BUSY!"})
TRUE = frozenset({"true", "1", "是", "yes", "y", "t", "√", "✓", "✔", "对", "有"})
FALSE = frozenset({"false", "0", "否", "no", "n", "f", "×", "✗", "✘", "错"})
ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad")
_THOUSANDS = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_SERIAL = re.compile(r"^\d{5}(?:\.\d+)?$")
_LOCAL = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
                    r"(?:[\sT]*(\d{1,2})\s*[:：时点]\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2})(?:\.\d+)?\s*秒?)?\s*分?)?"
                    r"\s*(Z|[+-]\d{2}:?\d{2})?$")

#: kind -> (中文, English, level) of a normalisation, as counted in a notice
KINDS: dict[str, tuple[str, str, str]] = {
    "trimmed": ("去除编号首尾空格", "trimmed ids and references", "info"),
    "invisible": ("删除不可见字符（零宽空格等）", "removed invisible characters (zero-width spaces …)", "info"),
    "nfkc": ("全角字符转为半角", "full-width characters made half-width", "info"),
    "placeholder": ("占位符（无、—、/ 等）视为空", "placeholders (无, —, / …) read as empty", "info"),
    "thousands": ("去除千分位逗号", "thousands separators removed", "info"),
    "serial": ("Excel 日期序号转为日期", "Excel date serial numbers read as dates", "info"),
    "date_style": ("本地日期写法转为标准日期", "local date styles (2026年11月5日, 2026/11/5 …) read", "info"),
    "offset": ("带时区的时间换算为北京时间", "times with a UTC offset converted to Asia/Shanghai local time", "info"),
    "time_dropped": ("日期列含时刻，只取日期", "a time of day in a date-only column: the time is dropped",
                     "warning"),
    "bool_style": ("是/否写法（√/×、Y/N 等）已识别", "yes/no spellings (√/×, Y/N …) read", "info"),
    "enum_case": ("取值的大小写或空格已规范", "enumeration values matched ignoring case and spaces", "info"),
}


class CellError(ValueError):
    """A cell that does not fit its column, with the reason in Chinese and English."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


def tidy(col: Column, text: str, notes: list[str]) -> str:
    """Strip a cell; for ids, references and typed columns also fold full-width forms (NFKC), drop zero-width.

    >>> from graph.dataformat import BY_NAME
    >>> n: list[str] = []
    >>> tidy(BY_NAME["grids"].column("id"), "\\u3000ＷＧ１\\u200b ", n), n
    ('WG1', ['trimmed', 'invisible', 'nfkc'])
    """
    out = text.strip()
    keyish = col.name == "id" or bool(col.refs)
    if out is not text and keyish:
        notes.append("trimmed")
    if out.isascii():
        return out
    before = out
    for z in ZERO_WIDTH:
        if z in out:
            out = out.replace(z, "")
    if out != before:
        notes.append("invisible")
    if keyish or col.type != "text" or col.name == "phone":
        folded = unicodedata.normalize("NFKC", out)
        if folded != out:
            notes.append("nfkc")
            out = folded
    return out.strip()


def parse_moment(text: str, notes: list[str]) -> tuple[datetime, bool]:
    """A date or time as typed; ``(moment, has_time)``. Offsets are converted to Asia/Shanghai local time.

    >>> n: list[str] = []
    >>> parse_moment("2026年11月5日", n), parse_moment("2026/11/5 9:00", n)[0], n
    ((datetime.datetime(2026, 11, 5, 0, 0), False), datetime.datetime(2026, 11, 5, 9, 0), ['date_style', 'date_style'])
    >>> parse_moment("2026年11月5日 9时30分", n)[0], parse_moment("2026-11-5", n)[0]
    (datetime.datetime(2026, 11, 5, 9, 30), datetime.datetime(2026, 11, 5, 0, 0))
    >>> parse_moment("2026-11-05T01:00:00Z", n)[0], parse_moment("46000", n)[0]
    (datetime.datetime(2026, 11, 5, 9, 0), datetime.datetime(2025, 12, 9, 0, 0))
    """
    if _SERIAL.match(text):
        days = float(text)
        if not 20000 <= days <= 80000:
            raise ValueError
        notes.append("serial")
        moment = datetime(1899, 12, 30) + timedelta(seconds=round(days * 86400))
        return moment, days != int(days)
    try:
        moment = datetime.fromisoformat(text)
        has_time = len(text) > 10
    except ValueError:
        m = _LOCAL.match(text)
        if m is None:
            raise
        y, mo, d, hh, mi, ss, tz = m.groups()
        moment = datetime(int(y), int(mo), int(d), int(hh or 0), int(mi or 0), int(ss or 0))
        has_time = hh is not None
        if tz:
            tz = "+00:00" if tz == "Z" else tz if ":" in tz else f"{tz[:3]}:{tz[3:]}"
            moment = datetime.fromisoformat(moment.isoformat() + tz)
        notes.append("date_style")
    if moment.tzinfo is not None:
        notes.append("offset")
        moment = moment.astimezone(LOCAL_ZONE).replace(tzinfo=None)
    return moment, has_time


def _number(text: str, notes: list[str]) -> float:
    try:
        f = float(text)
    except ValueError:
        if not _THOUSANDS.match(text):
            raise
        notes.append("thousands")
        f = float(text.replace(",", ""))
    if not math.isfinite(f) or f < 0:
        raise ValueError
    return f


def parse_cell(col: Column, text: str, notes: list[str] | None = None) -> Any:
    """Parse one non-empty, tidied cell; raise ValueError (or CellError) when it does not fit the column's type.

    >>> from graph.dataformat import BY_NAME
    >>> parse_cell(BY_NAME["grids"].column("kind"), "住宅"), parse_cell(BY_NAME["grids"].column("kind"), "Residential")
    ('residential', 'residential')
    >>> parse_cell(BY_NAME["grids"].column("households"), "1,420")
    1420
    >>> parse_cell(BY_NAME["people"].column("party_member"), "√")
    True
    >>> parse_cell(BY_NAME["demands"].column("raised_at"), "2026-09-01 09:00+08:00")
    datetime.datetime(2026, 9, 1, 9, 0)
    """
    notes = [] if notes is None else notes
    t = col.type
    if t == "text":
        return text
    if t == "enum":
        v = col.values.get(text)
        if v is None:
            v = col.values.get(text.lower()) or col.values.get(_SPACES.sub("_", text.lower()))
            if v is None:
                raise ValueError
            notes.append("enum_case")
        return v
    if t == "int":
        try:
            n = int(text)
        except ValueError:
            f = _number(text, notes)
            if f != int(f):
                raise ValueError from None
            n = int(f)
        if n < 0:
            raise ValueError
        if n > INT64_MAX:
            raise CellError("数值超出 64 位整数范围", "the number does not fit in 64 bits")
        if (col.lo is not None and n < col.lo) or (col.hi is not None and n > col.hi):
            raise ValueError
        return n
    if t == "number":
        f = _number(text, notes)
        return int(f) if f == int(f) and f <= INT64_MAX else f
    if t == "bool":
        low = text.lower()
        if low in TRUE or low in FALSE:
            if low not in _PLAIN_BOOLS:
                notes.append("bool_style")
            return low in TRUE
        raise ValueError
    if t == "date":
        if len(text) == 10:
            try:
                return date.fromisoformat(text)
            except ValueError:
                pass
        moment, has_time = parse_moment(text, notes)
        if has_time and moment.time() != datetime.min.time():
            notes.append("time_dropped")
        return moment.date()
    if t == "datetime":
        if len(text) in (16, 19):
            try:
                return datetime.fromisoformat(text)
            except ValueError:
                pass
        moment, has_time = parse_moment(text, notes)
        if not has_time:
            raise ValueError
        return moment
    raise AssertionError(t)


_SPACES = re.compile(r"[\s\-]+")
_PLAIN_BOOLS = frozenset({"true", "false", "1", "0", "是", "否", "yes", "no"})
