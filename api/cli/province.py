"""Running a province (many counties) from the command line: the per-county progress and the failed counties."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from api.cli.common import err
from graph.dataformat import Dataset
from graph.findings import Thresholds

Workers = Annotated[int | None, typer.Option("--workers", help="并行进程数（Dask LocalCluster）/ Dask worker processes")]
Scheduler = Annotated[str | None, typer.Option("--scheduler", envvar="DASK_SCHEDULER_ADDRESS",
                                               help="已有 Dask 集群 / an existing cluster, tcp://HOST:PORT")]


def partitioned_report(source: Path | Dataset, thresholds: Thresholds, as_of: datetime | None, workers: int | None,
                       scheduler: str | None) -> tuple[dict[str, Any], bool]:
    """The merged report of the counties of ``source`` — a province folder, or a data set read from Neo4j — with a
    progress line per county; (report, all fine)."""
    from api.distributed import analyze_dataset, analyze_province, counties_in, counties_of

    names = counties_in(source) if isinstance(source, Dataset) else [p.name for p in counties_of(source)]
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=err) as bar:
        tasks = {n: bar.add_task(f"{escape(n)}: 等待 / waiting", total=2) for n in names}

        def shown(county: str, state: str) -> None:
            bar.update(tasks[county], description=f"{escape(county)}: {state}", advance=1)

        if isinstance(source, Dataset):
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
