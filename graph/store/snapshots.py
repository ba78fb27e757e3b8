"""Snapshots: every successful load kept as immutable Parquet files beside Neo4j, one folder per label (month).

Neo4j holds the current data set; the archive holds every month's ledgers as loaded, so that any two months can
be compared and trends drawn. A snapshot is written to a hidden folder first and renamed into place only after the
load into Neo4j succeeded: a refused, failed or killed load leaves every snapshot as it was.

>>> label_of(datetime(2026, 11, 5, 9, 30))
'2026-11'
"""

from __future__ import annotations

import concurrent.futures
import json
import logging
import os
import re
import shutil
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph import history
from graph.dataformat import BY_NAME, TABLES, Dataset
from graph.errors import OrgnetError
from graph.imports import blocked
from graph.settings import Settings, get_settings
from graph.store import reportcache

if TYPE_CHECKING:
    from graph.findings import Thresholds

log = logging.getLogger(__name__)

#: How many snapshots are kept when nothing else is configured (three years of months).
KEEP = 36
_LABEL = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$")


class SnapshotError(OrgnetError):
    """A snapshot is missing, or its label is not usable."""


@dataclass(frozen=True)
class Snapshot:
    """One kept data set: its label, when it was loaded, its identity and its row counts."""

    label: str
    loaded_at: str
    fingerprint: str
    source: str
    counts: dict[str, int]
    path: Path


def label_of(moment: datetime) -> str:
    """The default label of a data set: the month of its latest time stamp."""
    return moment.strftime("%Y-%m")


def check_label(label: str) -> str:
    """A label usable as a folder name (letters, digits, ``._-``), or :class:`SnapshotError`."""
    if not _LABEL.match(label):
        raise SnapshotError(f"snapshot label {label!r} must be letters, digits, '.', '_' or '-' (at most 64)",
                            f"快照标签「{label}」只能由字母、数字、.、_、- 组成（不超过 64 个字符）")
    return label


class Archive:
    """The snapshots under ``root`` (``ORGNET_HOME/snapshots``)."""

    def __init__(self, root: Path, keep: int = KEEP) -> None:
        self.root, self.keep = root, keep

    def snapshots(self) -> list[Snapshot]:
        """Every snapshot, oldest first (by label: months sort as text)."""
        if not self.root.is_dir():
            return []
        out = []
        for d in sorted(p for p in self.root.iterdir() if p.is_dir() and not p.name.startswith(".")):
            meta = json.loads((d / "meta.json").read_text(encoding="utf-8"))
            out.append(Snapshot(meta["label"], meta["loaded_at"], meta["fingerprint"], meta["source"],
                                meta["counts"], d))
        return out

    def get(self, label: str) -> Snapshot:
        for s in self.snapshots():
            if s.label == label:
                return s
        known = ", ".join(s.label for s in self.snapshots()) or "-"
        raise SnapshotError(f"no snapshot {label!r} (kept: {known})", f"没有快照「{label}」（现有：{known}）")

    @contextmanager
    def keeping(self, ds: Dataset, label: str) -> Iterator[Callable[[], None]]:
        """Write ``ds`` as snapshot ``label`` around a load: kept only when the block (the load) succeeds.

        The files are written while the block runs; it gets a function that waits until they are (and raises if
        they could not be): a load calls it before it makes the data set current, so that no data set becomes
        current without its snapshot.
        """
        check_label(label)
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._sweep()
        tmp = self.root / f".{label}.{os.getpid()}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        # written while the load runs: the load mostly waits for Neo4j, the Parquet files mostly for zstd and disk
        with ThreadPoolExecutor(1, thread_name_prefix="orgnet-snapshot") as pool:
            written = pool.submit(write_tables, ds, tmp)
            try:
                yield written.result
                written.result()
            except BaseException:
                written.cancel()
                concurrent.futures.wait([written])
                shutil.rmtree(tmp, ignore_errors=True)
                raise
        meta = {"label": label, "loaded_at": datetime.now().replace(microsecond=0).isoformat(),
                "fingerprint": ds.fingerprint, "source": Path(ds.source).name if ds.source else "",
                "counts": ds.counts(), "tables": sorted(ds.tables)}
        (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
        final = self.root / label
        if final.exists():  # the same month loaded again (corrected ledgers): the new one replaces it
            old = self.root / f".{label}.{os.getpid()}.old"
            os.replace(final, old)
            os.replace(tmp, final)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, final)
        self.retain()

    def _sweep(self) -> None:
        """Remove what a killed load left behind (hidden folders of processes that are gone)."""
        for d in self.root.glob(".*.tmp"):
            pid = d.name.rsplit(".", 2)[-2]
            if not pid.isdigit() or not _alive(int(pid)):
                shutil.rmtree(d, ignore_errors=True)

    def drop(self, label: str) -> None:
        """Remove one snapshot (and nothing else)."""
        shutil.rmtree(self.get(label).path)

    def retain(self) -> list[str]:
        """Remove the oldest snapshots beyond ``keep``; returns their labels."""
        gone = [s.label for s in self.snapshots()[:-self.keep]] if self.keep > 0 else []
        for label in gone:
            self.drop(label)
        return gone

    def dataset(self, label: str, limit: int | None = None) -> Dataset:
        """The data set kept as ``label``, exactly as it was loaded (with ``limit``, the first rows of each table)."""
        snap = self.get(label)
        meta = json.loads((snap.path / "meta.json").read_text(encoding="utf-8"))
        return Dataset(read_tables(snap.path, meta["tables"], limit), fingerprint=snap.fingerprint, source=snap.source)

    def latest_with(self, fingerprint: str) -> Snapshot | None:
        """The latest snapshot kept with ``fingerprint`` (of the data set loaded from those files), or None."""
        return next((s for s in reversed(self.snapshots()) if s.fingerprint == fingerprint), None)

    def find(self, fingerprint: str) -> Dataset | None:
        """The data set of the latest snapshot with ``fingerprint`` (what was loaded from those files), or None."""
        snap = self.latest_with(fingerprint)
        if snap is None:
            return None
        try:
            return self.dataset(snap.label)
        except (OSError, ValueError) as exc:  # a damaged snapshot: the load writes the data set whole
            log.warning("snapshot %s cannot be read: %s", snap.label, exc)
            return None

    def cached_report(self, label: str, build: Callable[..., dict[str, Any]], thresholds: Thresholds | None = None,
                      as_of: datetime | None = None) -> dict[str, Any]:
        """The report of snapshot ``label`` (``build(dataset, thresholds, as_of)``: default thresholds, at its own
        moment, unless given), built once per version of the analysis code and kept beside it
        (graph.store.reportcache)."""
        snap = self.get(label)
        name = reportcache.key(thresholds, as_of)
        report = reportcache.get(snap.path, name)
        if report is None:
            report = build(self.dataset(label), thresholds, as_of)
            _keep_beside(snap, name, report)
        return report

    def kept_report(self, fingerprint: str, thresholds: Thresholds | None,
                    as_of: datetime | None) -> dict[str, Any] | None:
        """The report kept beside the latest snapshot with ``fingerprint`` for these thresholds and moment, made by
        this version of the code; None when there is none (then :meth:`keep_report` keeps the one built)."""
        snap = self.latest_with(fingerprint)
        return reportcache.get(snap.path, reportcache.key(thresholds, as_of)) if snap else None

    def keep_report(self, fingerprint: str, thresholds: Thresholds | None, as_of: datetime | None,
                    report: dict[str, Any]) -> None:
        """Keep ``report`` (of the data set with ``fingerprint``) beside its latest snapshot, if one is kept."""
        snap = self.latest_with(fingerprint)
        if snap is not None:
            _keep_beside(snap, reportcache.key(thresholds, as_of), report)

    def since(self, report: dict[str, Any], fingerprint: str,
              build: Callable[..., dict[str, Any]]) -> dict[str, Any] | None:
        """The "since last month" block of ``report`` (graph.history.since): against the snapshot kept before
        the latest one with ``fingerprint`` (the report's own data set); None when there is none."""
        snaps = self.snapshots()
        mine = [i for i, s in enumerate(snaps) if s.fingerprint == fingerprint]
        if not mine or mine[-1] == 0:
            return None
        before, now = snaps[mine[-1] - 1], snaps[mine[-1]]
        try:
            previous = self.cached_basis(before.label, build)
        except (OSError, ValueError, OrgnetError) as exc:  # a damaged snapshot costs the column, not the report
            log.warning("no comparison with snapshot %s: %s", before.label, exc)
            return None
        return history.since(before.label, now.label, previous, report)

    def cached_basis(self, label: str, build: Callable[..., dict[str, Any]]) -> dict[str, Any]:
        """What a later report compares with (graph.history.basis): kept beside the snapshot, so that a report
        never reads the whole earlier report again (a city's is a hundred megabytes of JSON)."""
        folder = self.get(label).path
        kept = reportcache.get(folder, reportcache.basis_name())
        if kept is not None:
            return kept
        made = history.basis(self.cached_report(label, build))
        reportcache.put(folder, reportcache.basis_name(), made)
        return made

    def add_since(self, report: dict[str, Any], fingerprint: str, build: Callable[..., dict[str, Any]]) -> None:
        """Put :meth:`since` into ``report`` (as ``report["since"]``) when there is an earlier snapshot."""
        since = self.since(report, fingerprint, build)
        if since is not None:
            report["since"] = since


def _keep_beside(snap: Snapshot, name: str, report: dict[str, Any]) -> None:
    """Keep ``report`` beside ``snap`` as ``name`` (graph.store.reportcache); a full disk, or the snapshot replaced
    meanwhile, costs the next report's time, not this one (the report was built all the same)."""
    try:
        reportcache.put(snap.path, name, report)
    except OSError as exc:
        log.warning("report not kept beside snapshot %s: %s", snap.label, exc)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def archive(settings: Settings | None = None) -> Archive:
    """The configured archive: ``ORGNET_SNAPSHOTS`` (default ``ORGNET_HOME/snapshots``), keeping
    ``ORGNET_SNAPSHOTS_KEEP`` (36) snapshots."""
    settings = settings or get_settings()
    return Archive(settings.orgnet_snapshots or settings.orgnet_home / "snapshots", settings.orgnet_snapshots_keep)


def write_tables(ds: Dataset, folder: Path) -> None:
    """One Parquet file per given table (types kept: dates, times, numbers, booleans)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, mode=0o700)
    with without_pandas():
        _write_tables(ds, folder, pa, pq)


def _write_tables(ds: Dataset, folder: Path, pa: Any, pq: Any) -> None:
    for spec in TABLES:
        if not ds.has(spec.name):
            continue
        names = [c.name for c in spec.columns] + ["_row"]
        rows = ds.rows(spec.name)
        table = pa.Table.from_arrays([pa.array([r.get(n) for r in rows], type=_arrow_type(spec.column(n).type)
                                               if n != "_row" else pa.int64()) for n in names], names=names)
        pq.write_table(table, folder / f"{spec.name}.parquet", compression="zstd")


def read_tables(folder: Path, tables: list[str], limit: int | None = None) -> dict[str, list[dict[str, Any]]]:
    """The tables of a snapshot (with ``limit``, the first ``limit`` rows of each), typed as the loaders typed them:
    a whole "number" is an int there (420, not 420.0; Parquet keeps the column's one type, float), which shows in
    every message that prints it."""
    import pyarrow.parquet as pq

    out = {}
    for name in tables:
        with without_pandas():  # pq.read_table would also import pyarrow.dataset (0.4 s)
            table = pq.ParquetFile(folder / f"{name}.parquet").read()
            rows = (table if limit is None else table.slice(0, limit)).to_pylist()
        numbers = [c.name for c in BY_NAME[name].columns if c.type == "number"]
        for row in rows if numbers else ():
            for c in numbers:
                v = row.get(c)
                if isinstance(v, float) and v.is_integer():
                    row[c] = int(v)
        out[name] = rows
    return out


def without_pandas() -> AbstractContextManager[None]:
    """pyarrow imports pandas (0.5 s, half of a month's load of a county) the first time it converts Python values,
    to ask whether it was handed a data frame; orgnet never hands it one. Blocked only while pandas is not imported
    (a notebook that imported it keeps it), and only for these calls: pyarrow takes pandas up later when asked to.
    """
    return blocked("pandas")


def _arrow_type(kind: str) -> Any:
    import pyarrow as pa

    return {"int": pa.int64(), "number": pa.float64(), "bool": pa.bool_(), "date": pa.date32(),
            "datetime": pa.timestamp("us")}.get(kind, pa.string())
