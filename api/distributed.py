"""A province's counties analysed one by one or in parallel on Dask distributed, merged into one report.

Each county runs in two steps, both plain functions of file paths so that any worker can run them and a retried
step writes the same file again (nothing is counted twice):

1. ``prepare_county`` reads and validates the county's ledgers, writes them as an extract (a pickle in a private
   working folder) and returns the county's latest time stamp — the report's moment is the latest of all counties;
2. ``analyze_county`` reads the extract, builds the county's report at the province's moment and writes it.

The driver never holds more than one county's report at a time before the merge, and a worker never more than
the county it runs. Without ``workers`` or ``scheduler`` the counties run one after another in this process.
"""

from __future__ import annotations

import logging
import os
import pickle
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from graph.atomic import written_whole
from graph.dataformat import Dataset
from graph.errors import DataRefused
from graph.findings import Thresholds
from graph.merge import merge_reports, strip_private
from loaders.province import county_paths, is_province

log = logging.getLogger(__name__)

#: How often a county's step is tried before it is given up and named in the report's problems.
TRIES = 3
Progress = Callable[[str, str], None]  # (county, state) where state is 准备/分析/完成/失败


@dataclass
class Outcome:
    """What a run produced: the merged report (None when no county succeeded) and the counties that failed."""

    report: dict[str, Any] | None
    failed: list[dict[str, Any]] = field(default_factory=list)


def _dump_atomic(path: Path, value: Any) -> None:
    """Pickle ``value`` to ``path``, whole or not at all; streamed to the file (no second copy in memory)."""
    with written_whole(path, binary=True) as fh:
        pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)


#: rows pickled at a time in an extract: pickle remembers every object it wrote (to write a repeated one once),
#: which for a whole county's rows costs more memory than the rows; so the memory is cleared between chunks
CHUNK = 5000


def dump_extract(path: Path, ds: Dataset) -> None:
    """Write a county's data set as an extract (a sequence of pickles, chunk by chunk), whole or not at all.

    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "x.pkl"
    >>> ds = Dataset({"streets": [{"id": "S1", "name": "北街", "county": "甲县", "_row": 2}]}, "fp", "src")
    >>> dump_extract(p, ds); load_extract(p) == ds
    True
    """
    with written_whole(path, binary=True) as fh:
        pickler = pickle.Pickler(fh, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.dump((ds.fingerprint, ds.source, ds.ignored, list(ds.tables)))
        for name, rows in ds.tables.items():
            for i in range(0, len(rows), CHUNK):
                pickler.clear_memo()
                pickler.dump((name, rows[i:i + CHUNK]))


def load_extract(path: Path | str) -> Dataset:
    """The data set an extract holds (:func:`dump_extract`)."""
    with open(path, "rb") as fh:
        fingerprint, source, ignored, names = pickle.load(fh)
        tables: dict[str, list[Any]] = {n: [] for n in names}
        while True:
            try:
                name, rows = pickle.load(fh)
            except EOFError:
                break
            tables[name].extend(rows)
    return Dataset(tables, fingerprint, source, ignored)


def prepare_county(path: str, workdir: str) -> dict[str, Any]:
    """Validate one county's ledgers and write its extract; a refusal is returned, not raised (it is no crash)."""
    from graph.moment import default_as_of
    from loaders.validate import load_dataset

    name = Path(path).name
    try:
        ds = load_dataset(path)
    except DataRefused as exc:
        return {"county": name, "refused": [p.to_dict() for p in exc.problems]}
    extract = Path(workdir) / f"{name}.pkl"
    dump_extract(extract, ds)
    return {"county": name, "extract": str(extract), "moment": default_as_of(ds).isoformat()}


def analyze_county(extract: str, as_of: str, thresholds: dict[str, Any], workdir: str) -> str:
    """Build one county's report at the province's moment from its extract; returns where it was written."""
    from graph.report import build_report

    ds = load_extract(extract)
    report = build_report(ds, Thresholds(**thresholds), datetime.fromisoformat(as_of), for_merge=True)
    del ds
    out = Path(workdir) / f"{Path(extract).stem}.report.pkl"  # the extract may be a kept one, read-only to us
    _dump_atomic(out, report)
    return str(out)


def counties_of(path: Path) -> list[Path]:
    """The county data sets under ``path`` (a province folder), or ``path`` itself when it is one data set."""
    return county_paths(path) if is_province(path) else [path]


class _Sequential:
    """The same two steps in this process, one county after another (memory bounded by the largest county)."""

    def map(self, fn: Callable[..., Any], calls: list[tuple[str, tuple[Any, ...]]],
            done: Callable[[str, Any, BaseException | None], None]) -> None:
        for key, args in calls:
            error: BaseException | None = None
            result: Any = None
            for _ in range(TRIES):
                try:
                    result, error = fn(*args), None
                    break
                except Exception as exc:  # a county's crash is named in the report, the rest goes on
                    log.warning("county %s failed: %s", key, exc)
                    error = exc
            done(key, result, error)


class _Dask:
    """The two steps as Dask tasks (retried on failure or on a lost worker)."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def map(self, fn: Callable[..., Any], calls: list[tuple[str, tuple[Any, ...]]],
            done: Callable[[str, Any, BaseException | None], None]) -> None:
        from dask.distributed import as_completed

        futures = {self.client.submit(fn, *args, key=f"{fn.__name__}-{key}", retries=TRIES - 1, pure=False): key
                   for key, args in calls}
        for fut in as_completed(futures):
            key = futures[fut]
            try:
                done(key, fut.result(), None)
            except Exception as exc:
                log.warning("county %s failed: %s", key, exc)
                done(key, None, exc)


@contextmanager
def executor(workers: int | None = None, scheduler: str | None = None,
             memory_limit: str = "4GiB") -> Iterator[_Sequential | _Dask]:
    """Where the counties run: an existing Dask cluster, a LocalCluster of ``workers`` processes, or here."""
    scheduler = scheduler or os.environ.get("DASK_SCHEDULER_ADDRESS")
    if not scheduler and not workers:
        yield _Sequential()
        return
    from dask.distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler) as client:
            yield _Dask(client)
        return
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, memory_limit=memory_limit,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        yield _Dask(client)


def analyze_province(path: Path, thresholds: Thresholds | None = None, as_of: datetime | None = None,
                     workers: int | None = None, scheduler: str | None = None, progress: Progress | None = None,
                     memory_limit: str = "4GiB") -> Outcome:
    """The report of every county under ``path``, merged; counties that were refused or failed are named."""
    thresholds = thresholds or Thresholds()
    counties = counties_of(path)
    shown = progress or (lambda county, state: None)
    failed: list[dict[str, Any]] = []
    prepared: dict[str, dict[str, Any]] = {}
    reports: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="orgnet-province-") as workdir, \
            executor(workers, scheduler, memory_limit) as ex:
        os.chmod(workdir, 0o700)

        def on_prepared(county: str, result: Any, error: BaseException | None) -> None:
            if error is not None:
                failed.append(_failure(county, error))
                shown(county, "失败 / failed")
            elif "refused" in result:
                failed.append({"county": county, "zh": f"{county} 的台账被拒收", "en": f"{county} was refused",
                               "problems": result["refused"]})
                shown(county, "拒收 / refused")
            else:
                prepared[county] = result
                shown(county, "已校验 / validated")

        ex.map(prepare_county, [(p.name, (str(p), workdir)) for p in largest_first(counties)], on_prepared)
        if prepared:
            moment = (as_of or max(datetime.fromisoformat(r["moment"]) for r in prepared.values())).isoformat()
            by_size = {p.name: p for p in largest_first(counties)}  # prepared in the order they finished
            _analyze_all(ex, {c: prepared[c]["extract"] for c in by_size if c in prepared}, moment, thresholds,
                         workdir, shown, failed, reports)
        report = _merge([reports[p.name] for p in counties if p.name in reports]) if reports else None
        if any(f["problems"] for f in failed):
            _name_crossings(failed, prepared)
    if report is not None and failed:
        report["problems"] = failed
    return Outcome(report, failed)


def largest_first(counties: list[Path]) -> list[Path]:
    """Counties in the order their tasks are handed out: the largest (by the size of its files) first, so that no
    worker starts the largest county when the others are nearly done (the run would wait for it alone).

    >>> largest_first([])
    []
    """
    def size(p: Path) -> int:
        return sum(f.stat().st_size for f in p.iterdir() if f.is_file()) if p.is_dir() else p.stat().st_size

    return sorted(counties, key=lambda p: -size(p))


def _analyze_all(ex: _Sequential | _Dask, extracts: dict[str, str], moment: str, thresholds: Thresholds, workdir: str,
                 shown: Progress, failed: list[dict[str, Any]], reports: dict[str, str]) -> None:
    """Step 2 for every county's extract: where each county's report was written goes into ``reports``."""
    def on_analyzed(county: str, result: Any, error: BaseException | None) -> None:
        if error is not None:
            failed.append(_failure(county, error))
            shown(county, "失败 / failed")
        else:
            reports[county] = result
            shown(county, "完成 / done")

    ex.map(analyze_county, [(c, (path, moment, thresholds.model_dump(), workdir)) for c, path in extracts.items()],
           on_analyzed)


def counties_in(ds: Dataset) -> list[str]:
    """The counties a data set holds, in name order (the order their reports are merged in).

    >>> counties_in(Dataset({"streets": [{"id": "S2", "county": "乙县"}, {"id": "S1", "county": "甲县"}]}))
    ['乙县', '甲县']
    """
    return sorted({str(s["county"]) for s in ds.rows("streets")})


def analyze_dataset(ds: Dataset, thresholds: Thresholds | None = None, as_of: datetime | None = None,
                    workers: int | None = None, scheduler: str | None = None, progress: Progress | None = None,
                    memory_limit: str = "4GiB") -> Outcome:
    """A data set already read (from Neo4j) analysed county by county and merged, as a province folder is.

    Each county's part (:func:`graph.scope.scope_dataset`: exactly that county's ledgers) is written as an extract
    one at a time; the workers then read and analyse one county each, at the whole data set's moment.
    """
    from graph.moment import default_as_of

    shown = progress or (lambda county, state: None)
    moment = (as_of or default_as_of(ds)).isoformat()
    with tempfile.TemporaryDirectory(prefix="orgnet-counties-") as folder:
        os.chmod(folder, 0o700)
        files = cut_counties(ds, Path(folder), shown)
        outcome = analyze_extracts({c: str(Path(folder) / f) for c, f in files.items()}, moment,
                                   thresholds, workers, scheduler, shown, memory_limit)
    if outcome.report is not None:  # one data set, not its counties' joined
        outcome.report["dataset"].update(fingerprint=ds.fingerprint, source=ds.source)
    return outcome


def cut_counties(ds: Dataset, folder: Path, progress: Progress | None = None) -> dict[str, str]:
    """Each county's part of ``ds`` (:func:`graph.scope.scope_dataset`: exactly its own ledgers) written into
    ``folder`` as an extract, one at a time; ``{county: file name}``, the largest county first (see largest_first)."""
    from graph.scope import Area, scope_dataset

    files, sizes = {}, {}
    for i, county in enumerate(counties_in(ds)):
        part = scope_dataset(ds, Area(county=county))
        sizes[county] = sum(part.counts().values())
        files[county] = f"county-{i:04d}.pkl"
        dump_extract(folder / files[county], part)
        del part
        if progress:
            progress(county, "已分出 / extracted")
    return {c: files[c] for c in sorted(files, key=lambda c: -sizes[c])}


def analyze_extracts(extracts: dict[str, str], moment: str, thresholds: Thresholds | None = None,
                     workers: int | None = None, scheduler: str | None = None, progress: Progress | None = None,
                     memory_limit: str = "4GiB") -> Outcome:
    """Counties' extracts (handed out in the given order) analysed at ``moment`` and merged in name order."""
    thresholds = thresholds or Thresholds()
    shown = progress or (lambda county, state: None)
    failed: list[dict[str, Any]] = []
    reports: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="orgnet-counties-") as workdir, \
            executor(workers, scheduler, memory_limit) as ex:
        os.chmod(workdir, 0o700)
        _analyze_all(ex, extracts, moment, thresholds, workdir, shown, failed, reports)
        report = _merge([reports[c] for c in sorted(extracts) if c in reports]) if reports else None
    if report is not None and failed:
        report["problems"] = failed
    return Outcome(report, failed)


def _merge(paths: list[str]) -> dict[str, Any]:
    parts = []
    for p in paths:
        with open(p, "rb") as fh:
            parts.append(pickle.load(fh))
    return strip_private(merge_reports(parts) if len(parts) > 1 else parts[0])


def _name_crossings(failed: list[dict[str, Any]], prepared: dict[str, dict[str, Any]]) -> None:
    """Say so where a refused county's unknown reference is an id of another county (a reference across counties)."""
    from loaders.problems import Problem
    from loaders.province import crossing_problems, id_owners

    def extracts() -> Iterator[tuple[str, Any]]:
        for county, r in prepared.items():
            yield county, load_extract(r["extract"])  # our own extract

    owners = id_owners(extracts())
    for f in failed:
        if f["problems"]:
            refused = DataRefused([Problem(**p) for p in f["problems"]], f["county"])
            f["problems"] = [p.to_dict() for p in crossing_problems(f["county"], refused, owners)]


def _failure(county: str, error: BaseException) -> dict[str, Any]:
    return {"county": county, "zh": f"{county} 分析失败（已重试 {TRIES} 次）：{type(error).__name__}",
            "en": f"{county} failed after {TRIES} tries: {type(error).__name__}: {error}", "problems": []}
