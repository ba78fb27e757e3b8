"""The one seam to Neo4j: the only module that imports the driver; everything else asks it.

Every statement goes through :class:`Database` with parameters (never string-built values). Failures come
back as one :class:`~graph.errors.DatabaseError` naming the address and the reason, within seconds: the
driver's own retries (30 s of warnings for a server that is down) are off; deadlocks are retried here.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from typing import Any, TypeVar

from graph.errors import DatabaseError
from graph.imports import blocked


def _import_driver() -> None:
    """Import the driver without its optional array support: importing it pulls in numpy, pandas and pyarrow when
    they are installed, over a second of every command's start-up (docs/benchmarks.md). orgnet passes the driver
    plain Python values and never asks it for data frames, so nothing it does depends on them. (Loaded
    already — in a notebook — they stay, and the driver uses them as usual.)"""
    with blocked("numpy", "pandas", "pyarrow", "pyarrow.compute"):
        import neo4j  # noqa: F401


_import_driver()

from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable, SessionExpired, TransientError  # noqa: E402

import neo4j  # noqa: E402
from neo4j import GraphDatabase  # noqa: E402

log = logging.getLogger(__name__)
# the driver logs a warning per retry and per notification; orgnet says what went wrong once, itself
logging.getLogger("neo4j").setLevel(logging.ERROR)
T = TypeVar("T")

#: Statement texts are constants; values always travel as parameters.
Params = Mapping[str, Any]
#: seconds to open a connection, and to wait for one from the pool
CONNECT_TIMEOUT = 4.0
#: server-side time limit of a read (each batch of a streaming read is one)
READ_TIMEOUT = 60.0
#: how long a write that hit a deadlock or another transient error is retried
RETRY_S = 30.0


def _rate_limited(exc: Neo4jError) -> bool:
    """True for Neo4j's refusal after too many failed logins of the user: it lifts after a few seconds."""
    return "AuthenticationRateLimit" in (exc.code or "")


class Database:
    """A connection to one Neo4j database.

    Use :func:`graph.store.connection.connect` to get one for the configured (or local) server.
    """

    def __init__(self, uri: str, user: str, password: str, database: str = "neo4j",
                 connect_timeout: float = CONNECT_TIMEOUT) -> None:
        self.uri = uri
        self.user = user
        self.database = database
        self._driver = GraphDatabase.driver(
            uri, auth=(user, password), max_connection_pool_size=64, connection_timeout=connect_timeout,
            connection_acquisition_timeout=connect_timeout + 1, max_transaction_retry_time=0)
        #: told every statement run (its text and parameters) while set: graph.store.replay keeps a load's
        self.recorder: Callable[[str, Params], None] | None = None

    def close(self) -> None:
        """Close the driver and its connections."""
        self._driver.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def ping(self, within: float | None = None) -> bool:
        """True when the server answers a query (within ``within`` seconds, when given)."""
        if within is None:
            try:
                self.read("RETURN 1 AS ok", timeout=5)
                return True
            except DatabaseError:
                return False
        answer: list[bool] = []
        probe = threading.Thread(target=lambda: answer.append(self.ping()), name="orgnet-ping", daemon=True)
        probe.start()
        probe.join(within)
        return bool(answer and answer[0])

    def read(self, query: str, params: Params | None = None, timeout: float = READ_TIMEOUT,
             plain: bool = False) -> list[dict[str, Any]]:
        """Run a read query in its own transaction (aborted by the server after ``timeout`` s); records as dicts.

        With ``plain`` the values are kept as the driver gives them (for queries that return no nodes,
        relationships or paths): the driver's ``Record.data()`` walks every value of every record in Python, which
        for a large read costs more than the read itself.
        """
        return self._execute(neo4j.Query(query, timeout=timeout),
                             params, neo4j.RoutingControl.READ, plain)

    def write(self, query: str, params: Params | None = None) -> list[dict[str, Any]]:
        """Run a write query in its own transaction (retried on deadlocks)."""
        return self._execute(query, params, neo4j.RoutingControl.WRITE)

    def profile(self, query: str, params: Params | None = None) -> tuple[int, list[str]]:
        """PROFILE a statement (it runs, writes included): its total db hits and the operators of its plan."""
        try:
            result = self._driver.execute_query("PROFILE " + query, dict(params or {}),
                                                database_=self.database)
        except (Neo4jError, ServiceUnavailable, OSError) as exc:
            raise self._wrap(exc) from exc
        return _walk_dict(result.summary.profile)

    def explain(self, query: str, params: Params | None = None) -> None:
        """Plan a statement without running it (Neo4j does not keep that plan for a run: see :meth:`dry_run`)."""
        self._execute("EXPLAIN " + query, params, neo4j.RoutingControl.WRITE)

    def dry_run(self, query: str, params: Params | None = None) -> None:
        """Run a statement in a transaction that is rolled back: nothing is written, and Neo4j keeps its plan for
        parameters of the same types (and lists of the same order of magnitude: graph.store.plancache)."""
        try:
            with self._driver.session(database=self.database) as s, s.begin_transaction() as tx:
                tx.run(query, dict(params or {})).consume()
                tx.rollback()
        except (Neo4jError, ServiceUnavailable, OSError) as exc:
            raise self._wrap(exc) from exc

    def write_rows(self, query: str, rows: Sequence[Any], batch: int = 5000, extra: Params | None = None,
                   progress: Callable[[int], None] | None = None, workers: int = 1,
                   check: Callable[[], None] | None = None) -> int:
        """Run ``query`` (which reads ``$rows``) once per batch of rows, each batch its own transaction.

        With ``workers`` > 1 that many batches are in flight at once (the server writes them on its own
        threads); the batches must not depend on each other. Deadlocks between them are retried.
        ``check`` runs before each batch and may raise to stop the writing.
        """
        chunks = [list(rows[i:i + batch]) for i in range(0, len(rows), batch)]

        def run(chunk: list[Any]) -> int:
            if check:
                check()
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
            raise self._wrap(exc) from exc

    def stream(self, query: str, params: Params | None = None) -> Iterator[list[Any]]:
        """Yield the records of a read query as value lists, without holding them all."""
        try:
            with self._driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as s:
                result = s.run(query, dict(params or {}))
                for record in result:
                    yield list(record.values())
        except (Neo4jError, ServiceUnavailable, OSError) as exc:
            raise self._wrap(exc) from exc

    @contextmanager
    def transaction(self) -> Iterator[neo4j.ManagedTransaction]:
        """One explicit write transaction: committed when the block ends, rolled back on error.

        The server's and the connection's errors become :class:`DatabaseError`; an ``OSError`` raised by the
        block's own code (a closed pipe it printed progress to, a file it wrote) is not Neo4j's and passes
        unchanged (the driver reports a lost connection as ``ServiceUnavailable`` or ``SessionExpired``).
        """
        own: list[OSError] = []
        try:
            with self._driver.session(database=self.database) as s, s.begin_transaction() as tx:
                try:
                    yield _Recorded(tx, self.recorder) if self.recorder else tx  # type: ignore[misc]
                except OSError as exc:
                    own.append(exc)
                    raise
                tx.commit()
        except (Neo4jError, ServiceUnavailable, SessionExpired, OSError) as exc:
            if own and exc is own[0]:
                raise
            raise self._wrap(exc) from exc

    def _execute(self, query: Any, params: Params | None, mode: neo4j.RoutingControl,
                 plain: bool = False) -> list[dict[str, Any]]:
        if self.recorder:
            self.recorder(getattr(query, "text", query), params or {})
        deadline, delay, lost = time.monotonic() + RETRY_S, 0.05, False
        while True:
            try:
                records, _, _ = self._driver.execute_query(
                    query, dict(params or {}), database_=self.database, routing_=mode)
                return [dict(zip(r.keys(), r, strict=True)) if plain else r.data() for r in records]
            except (SessionExpired, ServiceUnavailable) as exc:
                # a pooled connection that a restarted server dropped: one more try on a new connection
                if lost or "Connection refused" in str(exc) or "timed out" in str(exc):
                    raise self._wrap(exc) from exc
                lost = True
            except Neo4jError as exc:
                # retried: a deadlock between two batches in flight or a lock timeout (transient); our user locked
                # for a few seconds (dbms.security.auth_lock_time) after someone else's failed logins
                if not (isinstance(exc, TransientError) or _rate_limited(exc)) or time.monotonic() + delay > deadline:
                    raise self._wrap(exc) from exc
                log.debug("retrying after %s", exc.code)
                time.sleep(delay)
                delay = min(delay * 2, 2.0)
            except OSError as exc:
                raise self._wrap(exc) from exc

    def _wrap(self, exc: Exception) -> DatabaseError:
        return _wrap(exc, self.uri, self.user)


class _Recorded:
    """A transaction that tells ``recorder`` each statement it runs (:attr:`Database.recorder`)."""

    def __init__(self, tx: Any, recorder: Callable[[str, Params], None]) -> None:
        self._tx, self._recorder = tx, recorder

    def run(self, query: str, parameters: Params | None = None, **kwargs: Any) -> Any:
        self._recorder(query, {**(parameters or {}), **kwargs})
        return self._tx.run(query, parameters, **kwargs)


def _walk_dict(plan: dict[str, Any] | None) -> tuple[int, list[str]]:
    if not plan:
        return 0, []
    hits, ops = int(plan.get("dbHits", 0) or 0), [str(plan.get("operatorType", ""))]
    for child in plan.get("children", []):
        h, o = _walk_dict(child)
        hits, ops = hits + h, ops + o
    return hits, ops


_REASONS = (("refused", "连接被拒绝", "connection refused"), ("timed out", "连接超时", "connection timed out"),
            ("Name or service not known", "无法解析主机名", "unknown host name"),
            ("Temporary failure in name resolution", "无法解析主机名", "unknown host name"),
            ("No route to host", "无法到达主机", "no route to host"),
            ("Connection reset", "连接被重置", "connection reset"))


def reason(exc: Exception) -> tuple[str, str]:
    """(中文, English) of why a connection failed, in a few words (never the driver's internals).

    >>> reason(OSError("Failed to establish connection ... (reason [Errno 111] Connection refused)"))
    ('连接被拒绝', 'connection refused')
    """
    text = str(exc)
    for needle, zh, en in _REASONS:
        if needle.lower() in text.lower():
            return zh, en
    short = re.sub(r"\s+", " ", text.splitlines()[0] if text else type(exc).__name__)[:160]
    return "连接失败", short


def _wrap(exc: Exception, uri: str = "", user: str = "") -> DatabaseError:
    if isinstance(exc, AuthError):
        return DatabaseError(f"Neo4j at {uri} refused user {user!r} and its password (check NEO4J_USERNAME/"
                             "NEO4J_PASSWORD)", f"{uri} 的 Neo4j 拒绝了用户 {user!r} 的用户名或密码")
    if isinstance(exc, ServiceUnavailable | SessionExpired | OSError):
        zh, en = reason(exc)
        return DatabaseError(f"Neo4j does not answer at {uri}: {en}", f"{uri} 的 Neo4j 无响应：{zh}")
    if isinstance(exc, Neo4jError) and exc.code and "TransactionTimedOut" in exc.code:
        return DatabaseError(f"Neo4j at {uri} did not finish a read in time", f"{uri} 的 Neo4j 未能按时完成读取")
    if isinstance(exc, Neo4jError) and exc.code and "MemoryPoolOutOfMemory" in exc.code:
        return DatabaseError(f"Neo4j at {uri} ran out of transaction memory: {exc.message}",
                             f"{uri} 的 Neo4j 事务内存不足：{exc.message}")
    message = exc.message if isinstance(exc, Neo4jError) else str(exc)
    return DatabaseError(f"Neo4j refused a statement: {message}", f"Neo4j 拒绝执行语句：{message}")


def answers(uri: str, user: str, password: str, database: str = "neo4j") -> bool:
    """True when a server at ``uri`` accepts the credentials and runs a query."""
    try:
        with Database(uri, user, password, database) as db:
            return db.ping()
    except (DatabaseError, ValueError):
        return False


def logs_in(uri: str, user: str, password: str) -> bool:
    """True when a server at ``uri`` lets ``user`` log in with ``password`` (even if it must change it)."""
    try:
        with GraphDatabase.driver(uri, auth=(user, password), connection_timeout=CONNECT_TIMEOUT,
                                  max_transaction_retry_time=0) as d:
            return bool(d.verify_authentication())
    except (Neo4jError, ServiceUnavailable, OSError, ValueError):
        return False


def refuses_password(uri: str, user: str, password: str) -> bool:
    """True when a server at ``uri`` answers and says the credentials are wrong (not merely unreachable)."""
    try:
        with GraphDatabase.driver(uri, auth=(user, password), connection_timeout=CONNECT_TIMEOUT,
                                  max_transaction_retry_time=0) as d:
            d.verify_connectivity()
        return False
    except AuthError as exc:  # a rate limit after others' failed tries is not a wrong password
        return "RateLimit" not in (exc.code or "")
    except (Neo4jError, ServiceUnavailable, OSError, ValueError):
        return False
