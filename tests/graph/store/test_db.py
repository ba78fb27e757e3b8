"""The one seam to Neo4j on the real server: what it retries and what it refuses at once."""

from __future__ import annotations

import pytest

from graph.errors import DatabaseError
from graph.store import db as dbseam
from graph.store.connection import connect


@pytest.mark.neo4j
def test_a_read_waits_out_the_lock_after_someone_elses_failed_logins(db, settings) -> None:  # type: ignore[no-untyped-def]
    for _ in range(4):  # Neo4j locks the user for a few seconds after 3 failed logins in a row
        assert not dbseam.logs_in(db.uri, db.user, "not-the-password")
    fresh = connect(settings, start=False)  # a new connection must log in while the lock holds
    try:
        assert fresh.read("RETURN 1 AS one") == [{"one": 1}]
    finally:
        fresh.close()


@pytest.mark.neo4j
def test_a_wrong_password_is_refused_at_once_and_named(db) -> None:  # type: ignore[no-untyped-def]
    wrong = dbseam.Database(db.uri, db.user, "not-the-password", db.database)
    try:
        with pytest.raises(DatabaseError) as err:
            wrong.read("RETURN 1")
        assert "refused user 'neo4j'" in str(err.value)
    finally:
        wrong.close()


@pytest.mark.neo4j
def test_a_plain_read_gives_the_same_values_without_walking_them(db) -> None:  # type: ignore[no-untyped-def]
    q = "RETURN [[1, 'a', null, 2.5, true], []] AS rows, {k: [1, 2]} AS m, date('2026-01-02') AS d"
    plain, walked = db.read(q, plain=True), db.read(q)
    assert plain == walked
    assert plain[0]["rows"] == [[1, "a", None, 2.5, True], []] and plain[0]["m"] == {"k": [1, 2]}


@pytest.mark.neo4j
def test_a_transaction_names_neo4j_only_for_neo4js_errors(db) -> None:  # type: ignore[no-untyped-def]
    count = "MATCH (n:TxProbe) RETURN count(n) AS n"
    # the block's own OSError (its progress printed to a closed pipe) is not "Neo4j does not answer"
    with pytest.raises(BrokenPipeError), db.transaction() as tx:
        tx.run("CREATE (:TxProbe {k: 1})").consume()
        raise BrokenPipeError("stdout is closed")
    assert db.read(count) == [{"n": 0}]  # rolled back
    with pytest.raises(DatabaseError, match="refused a statement"), db.transaction() as tx:
        tx.run("CREATE (:TxProbe {k: 1})").consume()
        tx.run("RETURN 1 / 0 AS x").consume()
    assert db.read(count) == [{"n": 0}]
