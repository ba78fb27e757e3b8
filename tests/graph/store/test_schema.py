"""The graph schema on the real server: every label has its uniqueness constraint; applying twice is safe."""

from __future__ import annotations

import pytest

from graph.dataformat import LABELS
from graph.store import schema


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


@pytest.mark.neo4j
def test_apply_creates_only_what_is_missing(db) -> None:  # type: ignore[no-untyped-def]
    schema.apply(db)
    db.write("DROP INDEX dataset_current")
    db.write("DROP CONSTRAINT grid_ds_id")
    schema.apply(db)
    names = {r["name"]: r["state"] for r in db.read("SHOW INDEXES YIELD name, state RETURN name, state")}
    assert {"dataset_current", "grid_ds_id"} <= set(names)
    assert set(names.values()) == {"ONLINE"}


@pytest.mark.neo4j
def test_apply_drops_the_index_of_earlier_versions_that_no_query_uses(db) -> None:  # type: ignore[no-untyped-def]
    db.write("CREATE INDEX entity_ds IF NOT EXISTS FOR (n:Entity) ON (n.ds)")
    assert "entity_ds" in {r["name"] for r in db.read("SHOW INDEXES YIELD name RETURN name")}
    schema.apply(db)
    names = {r["name"] for r in db.read("SHOW INDEXES YIELD name RETURN name")}
    assert "entity_ds" not in names and "entity_ds_id" in names
