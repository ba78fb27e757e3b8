"""The report service behind the API: one report per (data set, thresholds, moment), served from a cache."""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from datetime import datetime

from api.index import Snapshot
from graph.dataformat import Dataset
from graph.errors import DatasetChanged, OrgnetError
from graph.findings import Thresholds
from graph.report import build_report
from graph.store import datasets
from graph.store.db import Database

log = logging.getLogger(__name__)


class ReportService:
    """Reads the current data set from Neo4j and caches it and its reports by data-set key.

    A request first asks Neo4j which data set is current (one small query), then works only on that
    data set's cached copy: while a new one loads, requests keep seeing the previous one whole.
    """

    def __init__(self, db: Database, thresholds: Thresholds | None = None, max_reports: int = 16,
                 recheck_s: float = 1.0) -> None:
        self.db = db
        self.recheck_s = recheck_s  # how often to ask Neo4j which data set is current
        self._key: tuple[float, str | None] = (0.0, None)
        self._generation = 0  # bumped by forget(): a check that started before it must not undo it
        self._checking = threading.Lock()
        self.thresholds = thresholds or Thresholds()
        self._lock = threading.Lock()
        self._datasets: dict[str, Dataset] = {}
        self._reports: OrderedDict[tuple[str, str, str], Snapshot] = OrderedDict()
        self._max = max_reports

    def current_key(self) -> str | None:
        """The current data set's key, asked of Neo4j at most every ``recheck_s`` seconds.

        A load through this service is seen at once (:meth:`forget`); one from elsewhere within ``recheck_s``.
        """
        at, key = self._key
        now = time.monotonic()
        if key is None or now - at >= self.recheck_s:
            key = self._ask()
            self._key = (now, key)
        return key

    def _ask(self) -> str | None:
        """Ask Neo4j for the current data set's key."""
        info = datasets.current(self.db)
        return info["ds"] if info else None

    def _cache_key(self, key: str, as_of: datetime | None) -> tuple[str, str, str]:
        return key, self.thresholds.model_dump_json(), as_of.isoformat() if as_of else ""

    def peek(self, as_of: datetime | None = None) -> Snapshot | None:
        """The snapshot :meth:`report` would return, when that needs no call to Neo4j; else None.

        When the known key is due for a check, one check starts in the background and the known snapshot
        is returned meanwhile: fifty requests arriving together do not each ask Neo4j (and wait).
        """
        at, key = self._key
        if key is None:
            return None
        if time.monotonic() - at >= self.recheck_s:
            self._check_in_background()
        return self._reports.get(self._cache_key(key, as_of))

    def _check_in_background(self) -> None:
        if not self._checking.acquire(blocking=False):
            return  # one check at a time
        generation = self._generation

        def check() -> None:
            try:
                key = self._ask()
                if generation == self._generation:
                    self._key = (time.monotonic(), key)
            except OrgnetError as exc:  # keep serving what we have; the next request tries again
                log.warning("could not ask Neo4j for the current data set: %s", exc)
            finally:
                self._checking.release()

        threading.Thread(target=check, name="orgnet-current-check", daemon=True).start()

    def forget(self) -> None:
        """Ask Neo4j again on the next request (after a load)."""
        self._generation += 1
        self._key = (0.0, None)

    def dataset(self, key: str) -> Dataset:
        with self._lock:
            if key not in self._datasets:
                ds = datasets.read_dataset(self.db, key)
                self._datasets = {key: ds}  # a new data set replaces the old copy and its reports
                self._reports.clear()
            return self._datasets[key]

    def current_dataset(self, attempts: int = 5) -> tuple[str, Dataset]:
        """(key, data set) of the current data set, read again if a load replaced it while it was read."""
        for _ in range(attempts):
            key = self.current_key()
            if key is None:
                raise LookupError("no data set loaded")
            try:
                return key, self.dataset(key)
            except DatasetChanged:
                log.info("data set %s was replaced while being read; reading the current one", key)
                self.forget()
        raise DatasetChanged("the data set kept changing while it was read", "数据集在读取期间反复变化")

    def report(self, as_of: datetime | None = None) -> Snapshot:
        """The current data set with its report; computed once per data set, thresholds and moment."""
        key, ds = self.current_dataset()
        ck = self._cache_key(key, as_of)
        with self._lock:
            hit = self._reports.get(ck)
        if hit is not None:
            return hit
        snap = Snapshot.build(ds, build_report(ds, self.thresholds, as_of))
        with self._lock:
            self._reports[ck] = snap
            while len(self._reports) > self._max:
                self._reports.popitem(last=False)
        return snap
