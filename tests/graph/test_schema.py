"""The graph schema on the real server: every label has its uniqueness constraint; applying twice is safe."""

from __future__ import annotations

import pytest

from graph import schema
from graph.dataformat import LABELS


@pytest.mark.neo4j
def test_schema_is_applied_and_idempotent(db) -> None:  # type: ignore[no-untyped-def]
    schema.apply(db)
    schema.apply(db)
    rows = db.read("SHOW CONSTRAINTS YIELD labelsOrTypes, properties, type RETURN labelsOrTypes, properties, type")
    unique = {r["labelsOrTypes"][0] for r in rows if r["type"] == "UNIQUENESS" and r["properties"] == ["ds", "id"]}
    assert set(LABELS) <= unique


def test_statements_name_only_known_labels() -> None:
    for stmt in schema.statements():
        assert "$" not in stmt and ";" not in stmt
