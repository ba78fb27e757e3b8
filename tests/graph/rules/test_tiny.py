"""The rule catalogue on tests/data/tiny: from files and from the real Neo4j, exactly the expected pairs."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from graph.report import build_report, pairs
from graph.store import datasets
from loaders.validate import load_dataset
from tests.conftest import TINY, TINY_EXPECTED

EXPECTED = json.loads(TINY_EXPECTED.read_text(encoding="utf-8"))
WANT = {(f["rule"], f["subject"]) for f in EXPECTED["findings"]}


def test_files_path_gives_exactly_the_expected_pairs() -> None:
    report = build_report(load_dataset(TINY))
    assert report["as_of"] == EXPECTED["as_of"]
    assert pairs(report) == WANT


def test_findings_are_sorted_and_complete() -> None:
    report = build_report(load_dataset(TINY))
    order = {"high": 0, "medium": 1, "low": 2}
    keys = [(order[f["severity"]], f["rule"], f["subject"]["id"]) for f in report["findings"]]
    assert keys == sorted(keys)
    for f in report["findings"]:
        assert f["message"]["zh"] and f["message"]["en"] and f["category"] and f["subject"]["name"]
    assert sum(report["summary"]["by_rule"].values()) == len(report["findings"])


def test_worker_overloaded_metrics_and_severity() -> None:
    report = build_report(load_dataset(TINY))
    f = next(f for f in report["findings"] if f["rule"] == "WORKER_OVERLOADED")
    assert f["subject"]["id"] == "RY1" and f["metrics"]["load_households"] == 900.0 and f["severity"] == "high"


@pytest.mark.neo4j
def test_neo4j_path_gives_the_same_report(db) -> None:  # type: ignore[no-untyped-def]
    ds = load_dataset(TINY)
    datasets.write_dataset(db, ds)
    back = datasets.read_dataset(db)
    assert back.fingerprint == ds.fingerprint
    assert back.tables == ds.tables
    moment = datetime(2026, 9, 20, 15)
    from_db = build_report(back, as_of=moment)
    from_files = build_report(ds, as_of=moment)
    assert from_db["findings"] == from_files["findings"]
    assert pairs(from_db) == WANT


def test_demand_edges_change_no_finding() -> None:
    from graph.network import build_graph
    from graph.rules.analysis import evaluate

    ds = load_dataset(TINY)
    moment = datetime(2026, 9, 20, 15)
    with_edges = build_graph(ds, demand_edges=True)
    without = build_graph(ds)
    assert with_edges.number_of_edges() - without.number_of_edges() == 3 * 3 - 1  # SQ003 has no department
    key = lambda fs: [(f.rule, f.subject_id, f.metrics) for f in fs]  # noqa: E731
    assert key(evaluate(with_edges, as_of=moment)) == key(evaluate(without, as_of=moment))
