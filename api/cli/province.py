"""Running a province (many counties) from the command line: the per-county progress and the failed counties."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from api.cli.common import err
from api.county_parts import Parts
from graph.dataformat import Dataset
from graph.findings import Thresholds

if TYPE_CHECKING:
    from graph.store.db import Database

Workers = Annotated[int | None, typer.Option("--workers", help="并行进程数（Dask LocalCluster）/ Dask worker processes")]
Scheduler = Annotated[str | None, typer.Option("--scheduler", envvar="DASK_SCHEDULER_ADDRESS",
                                               help="已有 Dask 集群 / an existing cluster, tcp://HOST:PORT")]


def partitioned_report(source: Path | Dataset | Parts, thresholds: Thresholds, as_of: datetime | None,
                       workers: int | None, scheduler: str | None) -> tuple[dict[str, Any], bool]:
    """The merged report of the counties of ``source`` — a province folder, a data set read from Neo4j, or the
    county parts of the current data set's snapshot — with a progress line per county; (report, all fine)."""
    from api.distributed import analyze_dataset, analyze_extracts, analyze_province, counties_in, counties_of

    if isinstance(source, Parts):
        names = sorted(source.extracts)
    else:
        names = counties_in(source) if isinstance(source, Dataset) else [p.name for p in counties_of(source)]
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=err) as bar:
        tasks = {n: bar.add_task(f"{escape(n)}: 等待 / waiting", total=2) for n in names}

        def shown(county: str, state: str) -> None:
            bar.update(tasks[county], description=f"{escape(county)}: {state}", advance=1)

        if isinstance(source, Parts):
            outcome = analyze_extracts(source.extracts, as_of.isoformat() if as_of else source.moment, thresholds,
                                       workers, scheduler, progress=shown)
        elif isinstance(source, Dataset):
            outcome = analyze_dataset(source, thresholds, as_of, workers, scheduler, progress=shown)
        else:
            outcome = analyze_province(source, thresholds, as_of, workers, scheduler, progress=shown)
    for f in outcome.failed:
        err.print(f"[red]{escape(f['zh'])}[/red] / {escape(f['en'])}", highlight=False)
        for p in f["problems"][:20]:
            err.print(f"  • {escape(str(p.get('file') or p.get('table')))} {p.get('row')} {escape(str(p.get('column')))}"
                      f"「{escape(str(p.get('value')))}」{escape(str(p.get('zh')))}", highlight=False)
    if outcome.report is None:
        err.print("没有任何县完成分析 / no county could be analysed")
        raise typer.Exit(2)
    return outcome.report, not outcome.failed


def current_parts(db: Database, always: bool) -> tuple[Parts | None, dict[str, Any]]:
    """The county parts of the current data set's kept snapshot (cut on first use) and the data set's record; the
    parts are None when no snapshot has its fingerprint (then the data set is read from Neo4j) and, unless
    ``always``, when the data set has a single county (one county is one report)."""
    from api.cli.common import fail, no_dataset
    from api.county_parts import county_parts
    from graph.errors import OrgnetError
    from graph.store import datasets
    from graph.store.snapshots import archive

    try:
        info = datasets.current(db)
        if info is None:
            no_dataset()
        counties = db.read("MATCH (k:County {ds: $key}) RETURN count(k) AS n",
                           {"key": datasets.nodes_key(info)})[0]["n"]
    except OrgnetError as exc:
        fail(exc)
    if counties < 2 and not always:
        return None, info
    kept = archive()
    snap = kept.latest_with(info["fingerprint"])
    return (county_parts(kept, snap) if snap else None), info
