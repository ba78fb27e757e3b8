"""The report service behind the API: one report per (data set, thresholds, moment), built once, served from a cache.

- **One build per cache key at a time** (single flight): every request for a report that is being built waits
  for that build; builds run one at a time on one worker thread, so however many requests arrive, memory holds
  at most the current data set, the one being read, and a bounded number of reports.
- **The previous snapshot until the new one is built**: when a load has switched data sets, requests keep
  getting the previous data set's report (whole, never a mixture) while the new one is built.
- **The last good snapshot while Neo4j is down**, with :attr:`ReportService.stale` set (the API says so in a
  header); a request answers from memory without waiting on Neo4j whenever a snapshot is known.
- ``as_of`` is taken at the grain of :data:`AS_OF_GRAIN` (one hour, floored), so distinct moments cannot be
  used to force builds; the report states the moment it used.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timedelta

from api import isolated
from api.index import Snapshot
from graph.dataformat import Dataset
from graph.errors import DatabaseError, DatasetChanged, OrgnetError
from graph.findings import Thresholds
from graph.gcpause import gc_paused
from graph.report import build_report
from graph.settings import Settings
from graph.store import datasets
from graph.store.db import Database
from graph.store.snapshots import archive

log = logging.getLogger(__name__)
AS_OF_GRAIN = timedelta(hours=1)
CacheKey = tuple[str, str, str]


def coarse(as_of: datetime | None, grain: timedelta = AS_OF_GRAIN) -> datetime | None:
    """``as_of`` floored to ``grain`` (the only moments the service builds reports for).

    >>> coarse(datetime(2026, 3, 1, 14, 59, 59, 999))
    datetime.datetime(2026, 3, 1, 14, 0)
    """
    if as_of is None:
        return None
    step = int(grain.total_seconds())
    base = datetime(2000, 1, 1, tzinfo=as_of.tzinfo)
    return base + timedelta(seconds=int((as_of - base).total_seconds()) // step * step)


class ReportService:
    """Reads the current data set from Neo4j and caches it and its reports by data-set key.

    A request first asks Neo4j which data set is current (one small query, at most every ``recheck_s``
    seconds, in the background when a report is known), then works only on that data set's cached copy.
    """

    def __init__(self, db: Database, thresholds: Thresholds | None = None, max_reports: int = 16,
                 recheck_s: float = 1.0, settings: Settings | None = None, isolate: bool = False) -> None:
        self.db = db
        #: with ``isolate``, reports are read and built in a child process connecting with ``settings``
        #: (:mod:`api.isolated`): the serving process only takes the result in
        self.settings = settings
        self.isolate = isolate and settings is not None
        self.recheck_s = recheck_s  # how often to ask Neo4j which data set is current
        self._key: tuple[float, str | None] = (0.0, None)
        self._generation = 0  # bumped by forget(): a check that started before it must not undo it
        self._checking = threading.Lock()
        self.thresholds = thresholds or Thresholds()
        self._lock = threading.Lock()
        self._datasets: dict[str, Dataset] = {}
        self._reports: OrderedDict[CacheKey, Snapshot] = OrderedDict()
        self._building: dict[CacheKey, Future[Snapshot]] = {}
        self._builder = ThreadPoolExecutor(1, thread_name_prefix="orgnet-report-build")
        self._max = max_reports
        #: reports built so far, and the most built at once (one, by construction; the tests check it)
        self.builds = 0
        self.most_at_once = 0
        self._running = 0
        #: monotonic time since when Neo4j has not answered, or None
        self.down_since: float | None = None

    @property
    def stale(self) -> bool:
        """True while Neo4j does not answer: what is served is the last good snapshot."""
        return self.down_since is not None

    def _ask(self) -> str | None:
        """Ask Neo4j for the current data set's key (and note whether it answered)."""
        try:
            info = datasets.current(self.db)
        except DatabaseError:
            if self.down_since is None:
                self.down_since = time.monotonic()
            raise
        self.down_since = None
        return info["ds"] if info else None

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

    def _cache_key(self, key: str, as_of: datetime | None) -> CacheKey:
        return key, self.thresholds.model_dump_json(), as_of.isoformat() if as_of else ""

    def _latest(self, as_of: datetime | None) -> Snapshot | None:
        """The newest cached snapshot for ``as_of`` of any data set (the previous one, during a switch)."""
        want = self._cache_key("", as_of)[1:]
        with self._lock:
            return next((s for ck, s in reversed(self._reports.items()) if ck[1:] == want), None)

    def peek(self, as_of: datetime | None = None) -> Snapshot | None:
        """The snapshot :meth:`report` would return, when that needs no call to Neo4j; else None.

        When the known key is due for a check, one check starts in the background and the known snapshot
        is returned meanwhile: fifty requests arriving together do not each ask Neo4j (and wait).
        """
        as_of = coarse(as_of)
        at, key = self._key
        if key is None:
            return None
        if time.monotonic() - at >= self.recheck_s:
            self._check_in_background()
        with self._lock:
            hit = self._reports.get(self._cache_key(key, as_of))
        return hit

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
        """The data set ``key``, read once (the previous one is kept until a report of the new one exists)."""
        with self._lock:
            have = self._datasets.get(key)
        if have is not None:
            return have
        ds = datasets.read_dataset(self.db, key)
        with self._lock:
            self._datasets[key] = ds
        return ds

    def _build(self, ck: CacheKey, as_of: datetime | None) -> Snapshot:
        """Build one report (on the single builder thread), then drop other data sets' copies and reports."""
        self._running += 1
        self.most_at_once = max(self.most_at_once, self._running)
        try:
            if self.isolate and self.settings is not None:
                ds, rep = isolated.build(self.settings, ck[0], self.thresholds, as_of)
            else:
                ds = self.dataset(ck[0])
                rep = build_report(ds, self.thresholds, as_of)
                if self.settings is not None:  # 较上月, as the child adds it
                    archive(self.settings).add_since(rep, ds.fingerprint, build_report)
            with gc_paused():  # its look-ups are long-lived too
                snap = Snapshot.build(ds, rep)
            self.builds += 1
        finally:
            self._running -= 1
        with self._lock:
            self._reports[ck] = snap
            for old in [k for k in self._reports if k[0] != ck[0]]:
                del self._reports[old]
            while len(self._reports) > self._max:
                self._reports.popitem(last=False)
            self._datasets = {ck[0]: ds}
            self._building.pop(ck, None)
        return snap

    def _future(self, ck: CacheKey, as_of: datetime | None) -> Future[Snapshot]:
        """The build of ``ck``: the one in flight, or a new one (single flight)."""
        with self._lock:
            fut = self._building.get(ck)
            if fut is None:
                fut = self._builder.submit(self._build, ck, as_of)
                self._building[ck] = fut
                fut.add_done_callback(lambda f, ck=ck: self._forget_failed(ck, f))  # type: ignore[misc]
            return fut

    def _forget_failed(self, ck: CacheKey, fut: Future[Snapshot]) -> None:
        if fut.exception() is not None:
            with self._lock:
                if self._building.get(ck) is fut:
                    del self._building[ck]

    def prepare(self) -> None:
        """Build the current data set's report now (after a load), waiting for it."""
        try:
            key = self.current_key()
            if key is not None:
                self._future(self._cache_key(key, None), None).result()
        except DatasetChanged:
            self.forget()

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

    def report(self, as_of: datetime | None = None, attempts: int = 5) -> Snapshot:
        """The current data set with its report; computed once per data set, thresholds and (coarse) moment.

        While the current data set's report is being built, the previous data set's is returned; while Neo4j
        does not answer, the last good one (:attr:`stale`). Raises LookupError when nothing is loaded.
        """
        as_of = coarse(as_of)
        known = self.peek(as_of)
        if known is not None:
            return known
        for _ in range(attempts):
            try:
                key = self.current_key()
            except DatabaseError:
                last = self._latest(as_of)
                if last is None:
                    raise
                return last
            if key is None:
                raise LookupError("no data set loaded")
            ck = self._cache_key(key, as_of)
            with self._lock:
                hit = self._reports.get(ck)
            if hit is not None:
                return hit
            fut = self._future(ck, as_of)
            previous = self._latest(as_of)
            if previous is not None and not fut.done():
                return previous  # the new data set's report is on its way; the previous one meanwhile
            try:
                return fut.result()
            except DatasetChanged:
                log.info("data set %s was replaced while being read; reading the current one", key)
                self.forget()
        raise DatasetChanged("the data set kept changing while it was read", "数据集在读取期间反复变化")
