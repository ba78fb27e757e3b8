"""The plan command: the county-wide plan, from Neo4j or straight from files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from api.cli.app import app
from api.cli.common import AsOf, OutFile, Thr, err, parse_as_of, parse_thresholds, read_files, read_neo4j

PlanFmt = Annotated[str, typer.Option("--format", "-f", help="text | json | xlsx | html")]


@app.command()
def plan(path: Annotated[Path | None, typer.Argument(help="数据集文件（缺省用 Neo4j）/ data set files")] = None,
         fmt: PlanFmt = "text", out_file: OutFile = None, as_of: AsOf = None, threshold: Thr = None) -> None:
    """补位计划：按街道、社区列出可执行的调整、兼任、结对与增配 / the county-wide plan, by street and community."""
    from api import plan_formats
    from graph.report import build_report

    if fmt not in plan_formats.FORMATS:
        raise typer.BadParameter(f"未知格式 / unknown format {fmt}; one of {', '.join(plan_formats.FORMATS)}")
    if fmt == "xlsx" and out_file is None:
        raise typer.BadParameter("xlsx 需要 --out / xlsx needs --out")
    thresholds, moment = parse_thresholds(threshold), parse_as_of(as_of)
    ds = read_files(path) if path is not None else read_neo4j()
    report = build_report(ds, thresholds, moment)
    plan_formats.write(report["plan"], fmt, out_file)
    if out_file is not None:
        err.print(f"计划已写入 / plan written: {out_file}（{len(report['plan']['actions'])} 项行动 / actions）")
    err.print(report["plan"]["summary"]["zh"], highlight=False)
