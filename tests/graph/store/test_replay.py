"""A load's bookkeeping statements, kept for the next warm-up: what is kept, and replaying them changes nothing."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from graph.dataformat import Dataset
from graph.store import datasets, replay
from loaders.validate import load_dataset
from tests.conftest import TINY


class _Seam:
    """What :func:`replay.recording` needs of a database: a recorder to set."""

    recorder: Any = None


def test_what_a_load_ran_besides_its_rows_is_kept_once_it_succeeded(tmp_path: Path) -> None:
    path, db = tmp_path / replay.FILE, _Seam()
    with replay.recording(db, path):  # type: ignore[arg-type]
        db.recorder("MATCH (l:LoadLock {name: $name}) RETURN l.holder AS holder", {"name": "load"})
        db.recorder("UNWIND $rows AS r CREATE (n:Entity:Person)", {"rows": [{"id": "p1"}], "ds": "x"})
        db.recorder("CREATE INDEX x IF NOT EXISTS FOR (n:Entity) ON (n.ds, n.id)", {})
        db.recorder("MATCH (d:DataSet {ds: $ds}) SET d.at = $at", {"ds": "x", "at": object()})  # not JSON
        db.recorder("MATCH (d:DataSet {ds: $key}) DELETE d", {"key": "k1"})
        db.recorder("MATCH (d:DataSet {ds: $key}) DELETE d", {"key": "k2"})  # the first parameters stay
    assert db.recorder is None
    assert replay.kept(path) == [("MATCH (l:LoadLock {name: $name}) RETURN l.holder AS holder", {"name": "warm"}),
                                 ("MATCH (d:DataSet {ds: $key}) DELETE d", {"key": "wa"})]  # stand-ins
    # a later load adds what it ran to what is kept; a load that failed adds nothing
    with replay.recording(db, path):  # type: ignore[arg-type]
        db.recorder("MATCH (d:DataSet {current: true}) RETURN d {.*} AS d", {})
    with pytest.raises(RuntimeError), replay.recording(db, path):  # type: ignore[arg-type]
        db.recorder("MATCH (n) DETACH DELETE n", {})
        raise RuntimeError("the load failed")
    assert [q for q, _ in replay.kept(path)] == ["MATCH (d:DataSet {current: true}) RETURN d {.*} AS d",
                                                 "MATCH (l:LoadLock {name: $name}) RETURN l.holder AS holder",
                                                 "MATCH (d:DataSet {ds: $key}) DELETE d"]
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    older = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**older, "code": "another"}), encoding="utf-8")  # kept by other code: not replayed
    assert replay.kept(path) == []
    path.write_text("[[1, 2", encoding="utf-8")  # damaged: nothing to replay, and the next load writes it anew
    assert replay.kept(path) == []
    with replay.recording(db, path):  # type: ignore[arg-type]
        db.recorder("MATCH (d:DataSet {current: true}) RETURN d {.*} AS d", {})
    assert len(replay.kept(path)) == 1
    with replay.recording(db, None):  # type: ignore[arg-type]  # a server orgnet does not start: nothing kept
        assert db.recorder is None


def _state(db: Any) -> list[Any]:
    return db.read("MATCH (n) WHERE n:DataSet OR n:LoadLock RETURN labels(n) AS l, properties(n) AS p "
                   "ORDER BY coalesce(n.ds, n.name)") + db.read("MATCH (n) RETURN count(n) AS n")


@pytest.mark.neo4j
def test_replaying_a_real_loads_statements_plans_them_and_changes_nothing(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / replay.FILE
    old = load_dataset(TINY)
    new = Dataset(copy.deepcopy(old.tables), fingerprint=old.fingerprint + "-next", source="next")
    new.tables["people"][0]["name"] = new.tables["people"][0]["name"] + "一"
    with replay.recording(db, path):
        datasets.write_dataset(db, old)  # whole
    with replay.recording(db, path):
        datasets.write_dataset(db, new, before=lambda fp: old if fp == old.fingerprint else None)  # its changes
    statements = [q for q, _ in replay.kept(path)]
    assert any("LoadLock" in q for q in statements) and any("CREATE (d:DataSet" in q for q in statements)
    assert not any("$rows" in q for q in statements)
    before = _state(db)
    assert replay.replay(db, path) == len(statements)  # every one of them ran (and was rolled back)
    assert _state(db) == before
    assert datasets.current(db)["fingerprint"] == new.fingerprint
