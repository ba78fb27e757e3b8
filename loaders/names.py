"""Recognise table names (sheets, files) and column headers as people type them (编　号, 户数（户）, Ｋｉｎｄ)."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from graph.dataformat import BY_NAME, TABLE_ALIASES, TABLES

_SPACE = re.compile(r"\s+")
#: a unit or note in brackets at the end of a header: 户数（户）, 社区工作经费(元), 面积[㎡]
_UNIT = re.compile(r"[(\[{【〔][^()\[\]{}【】〔〕]*[)\]}】〕]$")
_NUMBERING = re.compile(r"^(?:\d+|[一二三四五六七八九十]+)[.、_\-\s)）]+|^[(（][一二三四五六七八九十\d]+[)）]")
_TABLE_SUFFIXES = ("一览表", "台账", "信息表", "明细表", "登记表", "名单", "清单", "信息", "明细", "表")
#: columns offices add beside a table's own (ignored with a notice; any other unknown heading is a warning)
EXTRA_COLUMNS = {"序号", "序", "no", "no.", "备注", "说明", "备注说明", "其他", "填报人", "联系人"}
#: sheets that explain a workbook rather than hold a table
HELP_SHEETS = {"说明", "填表说明", "填报说明", "使用说明", "目录", "封面", "readme", "help", "instructions"}


def fold(text: str) -> str:
    """NFKC, no whitespace at all (ideographic spaces, Alt+Enter breaks), lower case; no zero-width characters.

    >>> fold("编\\u3000号"), fold("所属\\n社区"), fold(" Ｋｉｎｄ ")
    ('编号', '所属社区', 'kind')
    """
    text = unicodedata.normalize("NFKC", text)
    text = _SPACE.sub("", text).replace("\u200b", "").replace("\u200c", "").replace("\u200d", "")
    return text.replace("\u2060", "").replace("\ufeff", "").lower()


def header_key(text: str) -> str:
    """A header as compared with the data format's column names: folded, units in brackets and * marks dropped.

    >>> header_key("户数（户）"), header_key("*编号"), header_key("社区工作经费(元)")
    ('户数', '编号', '社区工作经费')
    """
    key = fold(text).strip("*※")
    while True:
        cut = _UNIT.sub("", key)
        if cut == key or not cut:
            return key
        key = cut


@cache
def header_map(table: str) -> dict[str, str]:
    """Folded header spelling -> code column name, for one table (code names and Chinese names)."""
    out: dict[str, str] = {}
    for c in BY_NAME[table].columns:
        out[fold(c.name)] = c.name
        out[fold(c.zh)] = c.name
    return out


def column_of(table: str, header: str) -> str | None:
    """The code column a header names in ``table``, or None.

    >>> column_of("communities", "户数（户）"), column_of("grids", "所属\\n社区"), column_of("grids", "备注")
    ('households', 'community_id', None)
    """
    if not header:
        return None
    hmap = header_map(table)
    return hmap.get(fold(header)) or hmap.get(header_key(header))


@cache
def _table_names() -> dict[str, str]:
    out: dict[str, str] = {}
    for t in TABLES:
        out[fold(t.name)] = t.name
        out[fold(t.zh)] = t.name
    for alias, name in TABLE_ALIASES.items():
        out[fold(alias)] = name
    return out


def table_of(name: str) -> str | None:
    """The table a sheet or file name stands for: code name, Chinese name or alias, numbering and 台账/表 dropped.

    >>> table_of(" 网格员 "), table_of("grids"), table_of("3.人员名单"), table_of("群众诉求台账"), table_of("说明")
    ('grid_assignments', 'grids', 'people', 'demands', None)
    """
    names = _table_names()
    key = fold(name)
    if key in names:
        return names[key]
    key = _NUMBERING.sub("", key)
    if key in names:
        return names[key]
    for suffix in _TABLE_SUFFIXES:
        if key.endswith(suffix) and key[: -len(suffix)] in names:
            return names[key[: -len(suffix)]]
    return None


def is_help(name: str) -> bool:
    """True for a sheet that explains the workbook (说明, 填表说明 …).

    >>> is_help("填表 说明"), is_help("网格")
    (True, False)
    """
    return fold(name) in HELP_SHEETS
