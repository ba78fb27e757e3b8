"""The one seam to Neo4j: the only module that imports the driver; everything else asks it.

Every statement goes through :class:`Database` with parameters (never string-built values).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from typing import Any, TypeVar

from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable

import neo4j
from graph.errors import DatabaseError
from neo4j import GraphDatabase

log = logging.getLogger(__name__)
T = TypeVar("T")

#: Statement texts are constants; values always travel as parameters.
Params = Mapping[str, Any]


class Database:
    """A connection to one Neo4j database.

    Use :func:`connect` to get one for the configured (or local) server.
    """

    def __init__(self, uri: str, user: str, password: str, database: str = "neo4j") -> None:
        self.uri = uri
        self.database = database
        self._driver = GraphDatabase.driver(uri, auth=(user, password), max_connection_pool_size=64)

    def close(self) -> None:
        """Close the driver and its connections."""
        self._driver.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def ping(self) -> bool:
        """True when the server answers a query."""
        try:
            self.read("RETURN 1 AS ok")
            return True
        except DatabaseError:
            return False

    def read(self, query: str, params: Params | None = None) -> list[dict[str, Any]]:
        """Run a read query in its own transaction and return its records as dicts."""
        return self._execute(query, params, neo4j.RoutingControl.READ)

    def write(self, query: str, params: Params | None = None) -> list[dict[str, Any]]:
        """Run a write query in its own (auto-retried) transaction."""
        return self._execute(query, params, neo4j.RoutingControl.WRITE)

    def write_rows(self, query: str, rows: Sequence[Any], batch: int = 5000, extra: Params | None = None,
                   progress: Callable[[int], None] | None = None, workers: int = 1) -> int:
        """Run ``query`` (which reads ``$rows``) once per batch of rows, each batch its own transaction.

        With ``workers`` > 1 that many batches are in flight at once (the server writes them on its own
        threads); the batches must not depend on each other. Deadlocks between them are retried.
        """
        chunks = [list(rows[i:i + batch]) for i in range(0, len(rows), batch)]

        def run(chunk: list[Any]) -> int:
            self.write(query, {**(extra or {}), "rows": chunk})
            return len(chunk)

        if workers <= 1 or len(chunks) <= 1:
            for chunk in chunks:
                n = run(chunk)
                if progress:
                    progress(n)
            return len(rows)
        pool = ThreadPoolExecutor(workers, thread_name_prefix="orgnet-write")
        try:
            for done in as_completed([pool.submit(run, c) for c in chunks]):
                n = done.result()
                if progress:
                    progress(n)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        return len(rows)

    def write_batched(self, query: str, params: Params | None = None) -> None:
        """Run a statement that commits in batches of its own (``CALL { ... } IN TRANSACTIONS``)."""
        try:
            with self._driver.session(database=self.database) as s:
                s.run(query, dict(params or {})).consume()
        except (Neo4jError, ServiceUnavailable, OSError) as exc:
            raise _wrap(exc) from exc

    def stream(self, query: str, params: Params | None = None) -> Iterator[list[Any]]:
        """Yield the records of a read query as value lists, without holding them all."""
        try:
            with self._driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as s:
                result = s.run(query, dict(params or {}))
                for record in result:
                    yield list(record.values())
        except (Neo4jError, ServiceUnavailable, OSError) as exc:
            raise _wrap(exc) from exc

    @contextmanager
    def transaction(self) -> Iterator[neo4j.ManagedTransaction]:
        """One explicit write transaction: committed when the block ends, rolled back on error."""
        try:
            with self._driver.session(database=self.database) as s, s.begin_transaction() as tx:
                yield tx  # type: ignore[misc]
                tx.commit()
        except (Neo4jError, ServiceUnavailable, OSError) as exc:
            raise _wrap(exc) from exc

    def _execute(self, query: str, params: Params | None, mode: neo4j.RoutingControl) -> list[dict[str, Any]]:
        try:
            records, _, _ = self._driver.execute_query(
                query, dict(params or {}), database_=self.database, routing_=mode
            )
        except (Neo4jError, ServiceUnavailable, OSError) as exc:
            raise _wrap(exc) from exc
        return [r.data() for r in records]


def _wrap(exc: Exception) -> DatabaseError:
    if isinstance(exc, AuthError):
        return DatabaseError(f"Neo4j refused the credentials: {exc}", f"Neo4j 拒绝了用户名或密码：{exc}")
    if isinstance(exc, ServiceUnavailable | OSError):
        return DatabaseError(f"Neo4j does not answer: {exc}", f"Neo4j 无响应：{exc}")
    return DatabaseError(f"Neo4j refused a statement: {exc}", f"Neo4j 拒绝执行语句：{exc}")


def answers(uri: str, user: str, password: str, database: str = "neo4j") -> bool:
    """True when a server at ``uri`` accepts the credentials and runs a query."""
    try:
        with Database(uri, user, password, database) as db:
            return db.ping()
    except (DatabaseError, ValueError):
        return False


def set_initial_password(uri: str, new_password: str) -> None:
    """Replace the default ``neo4j/neo4j`` credentials of a fresh server with ``new_password``."""
    try:
        with GraphDatabase.driver(uri, auth=("neo4j", "neo4j")) as d, d.session(database="system") as s:
            s.run("ALTER CURRENT USER SET PASSWORD FROM $old TO $new",
                  old="neo4j", new=new_password).consume()
    except (Neo4jError, ServiceUnavailable, OSError) as exc:
        raise _wrap(exc) from exc
