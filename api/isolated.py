"""The server's heavy work — reading an upload, loading it, building a report — each in a process of its own.

The process that answers requests only waits for the result, so the interpreter lock stays with the readers
while a city's workbook is parsed or its report built. A report comes back as a file of small pickles
(a few thousand rows each) read one after another, so taking it in never holds the lock for long.

>>> from graph.dataformat import Dataset
>>> import io
>>> buf = io.BytesIO()
>>> write_parts(buf, Dataset({"streets": [{"id": "S1"}, {"id": "S2"}]}, fingerprint="f"), {"findings": [1, 2, 3]},
...             chunk=2)
>>> _ = buf.seek(0)
>>> ds, rep = read_parts(buf)
>>> ds.rows("streets"), ds.fingerprint, rep
([{'id': 'S1'}, {'id': 'S2'}], 'f', {'findings': [1, 2, 3]})
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import shutil
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime
from pathlib import Path
from typing import IO, Any, TypeVar

from graph.dataformat import Dataset
from graph.errors import OrgnetError
from graph.findings import Thresholds
from graph.gcpause import gc_paused
from graph.settings import Settings

log = logging.getLogger(__name__)
T = TypeVar("T")
CHUNK = 5000  # rows per pickle: unpickling one takes a few milliseconds


_pool: ProcessPoolExecutor | None = None
_pool_lock = threading.Lock()


def _background() -> None:
    """(In a child.) Yield the CPU to the process answering requests: the child's work can wait a little."""
    os.nice(10)


def _preload() -> None:
    """(In a waiting builder.) Lower its priority and import what a build needs, so the build starts at once."""
    _background()
    import graph.report
    import graph.store.connection
    import graph.store.datasets
    import graph.store.snapshots  # noqa: F401


def _noop() -> None:
    """A task that only makes a builder start (and, having run one task, make way for a preloaded one)."""


def _builders() -> ProcessPoolExecutor:
    """One builder process at a time, started ahead and preloaded; each runs one task and exits (its memory goes
    back to the system) while the next one starts and preloads."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"), initializer=_preload,
                                        max_tasks_per_child=1)
        return _pool


def warm() -> None:
    """Start a preloaded builder now (the server calls this when it starts)."""
    _builders().submit(_noop)


def run(fn: Callable[..., T], *args: Any, fresh: bool = False) -> T:
    """``fn(*args)`` in another process: a preloaded builder, or with ``fresh`` a process of its own (spawned:
    nothing of this one's threads or locks is inherited).

    Errors orgnet raises on purpose come back as themselves; a process that dies is an :class:`OrgnetError`.
    """
    global _pool
    if fresh:
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"), initializer=_background) as pool:
            try:
                return pool.submit(fn, *args).result()
            except BrokenProcessPool as exc:
                raise OrgnetError(f"the worker process ended unexpectedly ({exc})", "工作进程意外退出") from exc
    pool = _builders()
    try:
        return pool.submit(fn, *args).result()
    except BrokenProcessPool as exc:
        with _pool_lock:
            if _pool is pool:
                _pool = None
        raise OrgnetError(f"the builder process ended unexpectedly ({exc})", "报告生成进程意外退出") from exc


def write_parts(fh: IO[bytes], ds: Dataset, report: dict[str, Any], chunk: int = CHUNK) -> None:
    """``ds`` and ``report`` as a sequence of small pickles (lists cut into ``chunk`` items)."""
    def dump(obj: Any) -> None:
        pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)

    dump(("dataset", {"fingerprint": ds.fingerprint, "source": ds.source, "ignored": ds.ignored}))
    for name, rows in ds.tables.items():
        dump(("table", name))
        for i in range(0, len(rows), chunk):
            dump(("rows", rows[i:i + chunk]))
    for key, value in report.items():
        if isinstance(value, list):
            dump(("list", key))
            for i in range(0, len(value), chunk):
                dump(("items", value[i:i + chunk]))
        else:
            dump(("value", key, value))
    dump(("end",))


def read_parts(fh: IO[bytes]) -> tuple[Dataset, dict[str, Any]]:
    """What :func:`write_parts` wrote."""
    tables: dict[str, list[Any]] = {}
    report: dict[str, Any] = {}
    head: dict[str, Any] = {}
    into: list[Any] = []
    while True:
        part = pickle.load(fh)
        kind = part[0]
        if kind == "end":
            break
        if kind == "dataset":
            head = part[1]
        elif kind == "table":
            into = tables[part[1]] = []
        elif kind == "list":
            into = report[part[1]] = []
        elif kind in ("rows", "items"):
            into.extend(part[1])
        else:
            report[part[1]] = part[2]
    return Dataset(tables, **head), report


def _build_to_file(settings: Settings, key: str, thresholds: Thresholds, as_of: datetime | None, out: str,
                   label: str | None = None) -> None:
    """(In the child.) Read data set ``key`` from Neo4j — or the kept snapshot ``label`` — build its report
    (a snapshot's is kept beside it: graph.store.reportcache), write both to ``out``."""
    from graph.report import build_report
    from graph.store import datasets
    from graph.store.connection import connect
    from graph.store.snapshots import archive

    arc = archive(settings)
    if label is not None:
        ds = arc.dataset(label)
        report = arc.cached_report(label, build_report, thresholds, as_of)
    else:
        with connect(settings, start=False) as db:
            ds = datasets.read_dataset(db, key)
        report = build_report(ds, thresholds, as_of)
    arc.add_since(report, ds.fingerprint, build_report)
    with open(out, "wb") as fh:
        write_parts(fh, ds, report)


def build(settings: Settings, key: str, thresholds: Thresholds, as_of: datetime | None,
          label: str | None = None) -> tuple[Dataset, dict[str, Any]]:
    """Data set ``key`` (or the kept snapshot ``label``) and its report, read and built in a child process."""
    folder = tempfile.mkdtemp(prefix="orgnet-build-")  # 0700: the rows are personal data
    try:
        out = os.path.join(folder, "report.pickle")
        run(_build_to_file, settings, key, thresholds, as_of, out, label)
        with open(out, "rb") as fh, gc_paused():  # millions of long-lived objects: never walked by the collector
            return read_parts(fh)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def upload(settings: Settings, path: Path, name: str, limits: Any, who: str) -> dict[str, Any]:
    """(In the child.) Check, read and validate an uploaded workbook; load it and keep its snapshot.

    Returns ``{"refusal": {...}, "problems_total": n}`` when refused (nothing written; the refusal's JSON as
    :func:`api.limits.refusal` makes it, without the server's folder), else ``{"fingerprint", "counts"}``.
    """
    from api.limits import check_cells, check_workbook, refusal
    from graph.errors import DataRefused
    from graph.moment import default_as_of
    from graph.store import datasets
    from graph.store.connection import connect, loading
    from graph.store.snapshots import archive, label_of
    from loaders.validate import load_dataset

    try:
        problems = check_workbook(path, name, limits)
        if problems:
            raise DataRefused(problems, name)
        ds = load_dataset(path)
        problems = check_cells(ds.tables, name, limits)
        if problems:
            raise DataRefused(problems, name)
    except DataRefused as exc:
        return {"refusal": refusal(exc.zh, exc.en, exc.problems, limits, hide=f"{path.parent}/"),
                "problems_total": len(exc.problems)}
    ds.source = name
    kept = archive(settings)
    with (connect(settings, start=False) as db, kept.keeping(ds, label_of(default_as_of(ds))) as snapshot_written,
          loading(db, settings) as warmed):
        datasets.write_dataset(db, ds, who=f"API upload by {who}", before=kept.find,  # a month: only its changes
                               ready=snapshot_written, warmed=warmed)
    return {"fingerprint": ds.fingerprint, "counts": ds.counts()}
