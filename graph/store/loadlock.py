"""The load lock: loads go strictly one at a time, serialised by one ``:LoadLock`` node in Neo4j.

The lock is taken in a transaction of its own, under a uniqueness constraint on ``LoadLock.name``; it records
who holds it (a description and a unique holder id), since when, and a lease that the holder renews in the
background. A holder that dies (``kill -9``, a lost machine) stops renewing; once its lease has run out the
next load may take the lock, and removes what the dead one left. Times are the server's clock.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

from graph.errors import DatabaseError, LoadInProgress
from graph.settings import get_settings
from graph.store.db import Database

log = logging.getLogger(__name__)
NAME = "load"


def describe(what: str) -> str:
    """Who a holder is, as people read it: what runs, on which host and process.

    >>> describe("orgnet load").startswith("orgnet load (")
    True
    """
    return f"{what} ({socket.gethostname()}, pid {os.getpid()})"


class Lease:
    """A held load lock; renewed in the background until :meth:`release` (or the ``with`` block ends)."""

    def __init__(self, db: Database, holder: str, who: str, lease_s: float) -> None:
        self.db, self.holder, self.who, self.lease_s = db, holder, who, lease_s
        self.lost = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._renew_loop, name="orgnet-load-lease", daemon=True)
        self._thread.start()

    def __enter__(self) -> Lease:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def renew(self) -> bool:
        """Push the lease's end ``lease_s`` ahead; False (and :attr:`lost`) when the lock is no longer ours."""
        rows = self.db.write("MATCH (l:LoadLock {name: $name}) WHERE l.holder = $holder "
                             "SET l.expires = datetime() + duration({milliseconds: $ms}) RETURN count(l) AS n",
                             {"name": NAME, "holder": self.holder, "ms": int(self.lease_s * 1000)})
        if not rows or rows[0]["n"] == 0:
            self.lost = True
        return not self.lost

    def _renew_loop(self) -> None:
        while not self._stop.wait(self.lease_s / 3):
            try:
                if not self.renew():
                    log.error("the load lock was taken over: this load stops")
                    return
            except DatabaseError as exc:  # the writes fail too; the lease may still hold when Neo4j is back
                log.warning("could not renew the load lock: %s", exc)

    def check(self) -> None:
        """Raise when the lock is no longer ours (the lease ran out and another load took it)."""
        if self.lost:
            raise DatabaseError("this load lost the load lock (its lease ran out); nothing of it became current",
                                "本次载入的锁已失效（租约过期），其数据未生效")

    def confirm(self, tx: Any) -> None:
        """Inside the switch's transaction: lock the lock node and check it is still ours and unexpired."""
        rec = tx.run("MATCH (l:LoadLock {name: $name}) SET l.touched = datetime() "
                     "RETURN l.holder = $holder AND l.expires >= datetime() AS mine",
                     name=NAME, holder=self.holder).single()
        if rec is None or not rec["mine"]:
            self.lost = True
            self.check()

    def release(self) -> None:
        """Stop renewing and give the lock up (only if it is still ours)."""
        self._stop.set()
        self._thread.join(5)
        try:
            self.db.write("MATCH (l:LoadLock {name: $name}) WHERE l.holder = $holder "
                          "REMOVE l.holder, l.who, l.since, l.expires", {"name": NAME, "holder": self.holder})
        except DatabaseError as exc:  # the lease runs out by itself
            log.warning("could not release the load lock: %s", exc)


def holder(db: Database) -> dict[str, Any] | None:
    """The current holder (who, since, expires, expired), or None when the lock is free."""
    rows = db.read("MATCH (l:LoadLock {name: $name}) WHERE l.holder IS NOT NULL RETURN l.holder AS holder, "
                   "l.who AS who, toString(l.since) AS since, toString(l.expires) AS expires, "
                   "l.expires < datetime() AS expired", {"name": NAME}, timeout=10)
    return rows[0] if rows else None


def _try(db: Database, who: str, lease_s: float) -> Lease:
    holder_id = uuid.uuid4().hex
    with db.transaction() as tx:
        # write first, read after: the write lock on the node makes two takers see each other's commit
        tx.run("MERGE (l:LoadLock {name: $name}) SET l.touched = datetime()", name=NAME).consume()
        rec = tx.run("MATCH (l:LoadLock {name: $name}) RETURN l.holder AS holder, l.who AS who, "
                     "toString(l.since) AS since, coalesce(l.expires < datetime(), true) AS expired",
                     name=NAME).single(strict=True)
        if rec["holder"] is not None and not rec["expired"]:
            raise LoadInProgress(rec["who"] or rec["holder"], rec["since"] or "?")
        if rec["holder"] is not None:
            log.warning("taking over the load lock of %s (since %s): its lease ran out", rec["who"], rec["since"])
        tx.run("MATCH (l:LoadLock {name: $name}) SET l.holder = $holder, l.who = $who, l.since = datetime(), "
               "l.expires = datetime() + duration({milliseconds: $ms})",
               name=NAME, holder=holder_id, who=who, ms=int(lease_s * 1000)).consume()
    return Lease(db, holder_id, who, lease_s)


def acquire(db: Database, who: str, lease_s: float | None = None, wait: bool = False,
            on_wait: Callable[[LoadInProgress], None] | None = None, poll_s: float = 1.0) -> Lease:
    """Take the load lock for ``who``; raise :class:`LoadInProgress`, or with ``wait`` try until it is free.

    ``on_wait`` is told (once per holder) whom we wait for.
    """
    lease_s = lease_s or get_settings().orgnet_load_lease
    told: str | None = None
    while True:
        try:
            return _try(db, who, lease_s)
        except LoadInProgress as busy:
            if not wait:
                raise
            if on_wait and told != busy.holder + busy.since:
                told = busy.holder + busy.since
                on_wait(busy)
            time.sleep(poll_s)
