"""The report of a generated Laoting and a small city, digested: what the analysis must keep giving.

``tests/data/reports.reference.json`` was written by this module from the code before the graph stopped copying
rows and holding demands as nodes (issue 18); ``tests/graph/test_reference.py`` compares today's reports to it.
Messages, suggestions and the plan are left out (they belong to the plan and wording, which change on their own);
everything the graph, the rules, the summaries and the ranking compute is in: each finding's rule, subject,
severity, scope and metrics, the per-community and per-street summaries, the totals and the ranking.

Write it again (only when a finding is meant to change): ``.venv/bin/python -m tests.graph.reference --write``
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from graph.dataformat import Dataset

REFERENCE = Path(__file__).resolve().parent.parent / "data" / "reports.reference.json"
#: A city at 1/40 of the city profile: 2 streets, 10 communities, 188 grids, 7,500 demands (a month of them).
SMALL_CITY_SCALE = 1 / 40
_cache: dict[str, Dataset] = {}


def generated(name: str) -> Dataset:
    """The generated Laoting (``laoting``) or small city (``small_city``), seed 2026, read as the loaders do."""
    if name not in _cache:
        from bench.common import city_profile
        from loaders.generate import LAOTING, generate, write_csv
        from loaders.validate import load_dataset

        profile = LAOTING if name == "laoting" else city_profile(SMALL_CITY_SCALE)
        with tempfile.TemporaryDirectory() as tmp:
            write_csv(generate(profile, seed=2026), Path(tmp))
            _cache[name] = load_dataset(Path(tmp))
    return _cache[name]


def _sha(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def digest(report: dict[str, Any]) -> dict[str, Any]:
    """What the reference keeps of a report: counts by rule and a SHA-256 of each computed part."""
    # a scope as version 1 gave it (the county was added to scopes for provinces; tests/graph/test_scope.py)
    findings = [{**{k: f[k] for k in ("rule", "severity", "subject", "metrics")},
                 "scope": {k: f["scope"].get(k) for k in ("street_id", "community_id")}} for f in report["findings"]]
    summary = report["summary"]
    return {
        "as_of": report["as_of"],
        "findings": len(findings),
        "by_rule": dict(sorted(Counter(f["rule"] for f in findings).items())),
        "sha256": {
            "findings": _sha(findings),
            "communities": _sha(summary["communities"]),
            "streets": _sha(summary["streets"]),
            "totals": _sha({k: v for k, v in summary.items() if k not in ("communities", "streets")}),
            "ranking": _sha(report["ranking"]),
        },
    }


#: The reports kept: each data set at its default moment and thresholds, and the small city mid-month with low
#: demand thresholds (so that WORKER_DEMAND_BACKLOG fires and demands raised after the moment are left out).
CASES: dict[str, tuple[str, dict[str, Any], str | None]] = {
    "laoting": ("laoting", {}, None),
    "small_city": ("small_city", {}, None),
    "small_city_mid_month": ("small_city", {"worker_max_open_demands": 2, "demand_overdue_days": 3},
                             "2026-10-16T12:00:00"),
}


def report_of(case: str) -> dict[str, Any]:
    from datetime import datetime

    from graph.findings import Thresholds
    from graph.report import build_report

    data, thresholds, as_of = CASES[case]
    return build_report(generated(data), Thresholds(**thresholds), datetime.fromisoformat(as_of) if as_of else None)


def current() -> dict[str, Any]:
    """Today's digests of every case."""
    return {case: digest(report_of(case)) for case in CASES}


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        REFERENCE.write_text(json.dumps(current(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {REFERENCE}")
    else:
        print(json.dumps(current(), ensure_ascii=False, indent=1))
