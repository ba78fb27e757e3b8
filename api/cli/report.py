"""Report commands: report (from Neo4j), analyze (from files), whatif."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from api.cli.app import app
from api.cli.common import (
    All,
    AsOf,
    Community,
    County,
    Fmt,
    Lang,
    OutFile,
    Rule,
    Severity,
    Street,
    Thr,
    emit,
    err,
    open_db,
    out,
    parse_as_of,
    parse_thresholds,
    read_files,
    read_neo4j,
)
from api.cli.province import Scheduler, Workers, current_parts, partitioned_report
from api.escape import safe

if TYPE_CHECKING:
    from graph.findings import Thresholds
    from graph.store.snapshots import Archive


Fresh = Annotated[bool, typer.Option("--fresh", help="重新计算，不用为此数据集保存的报告 / build the report anew, not "
                                      "from the one kept for this data set, thresholds and moment")]


@app.command()
def report(as_of: AsOf = None, fmt: Fmt = "text", out_file: OutFile = None, threshold: Thr = None, lang: Lang = "zh",
           show_all: All = False, street: Street = None, community: Community = None, severity: Severity = None,
           rule: Rule = None, county: County = None, workers: Workers = None, scheduler: Scheduler = None,
           fresh: Fresh = False) -> None:
    """从 Neo4j 中的数据生成报告 / the gap report for the data set in Neo4j.

    A data set of several counties is analysed county by county and merged — one after another here, or in
    parallel with ``--workers`` (a Dask LocalCluster) or ``--scheduler``: the same findings as one process.
    A report once built is kept beside the data set's snapshot (for its thresholds and moment, by this version
    of orgnet) and given again until the data set changes; ``--fresh`` builds it anew.
    """
    from graph.store.snapshots import archive

    thresholds, moment = parse_thresholds(threshold), parse_as_of(as_of)
    kept = archive()
    # several counties: each county's part of the kept snapshot, one after another here (memory bounded by the
    # largest county) or in parallel on Dask; nothing is read whole
    with open_db() as db:  # one connection for every question (each connection costs a login)
        parts, info = current_parts(db, always=bool(workers or scheduler))
        rep = None if parts or workers or scheduler or fresh else kept_report(kept, info, thresholds, moment)
        ds = read_neo4j(db) if parts is None and rep is None else None
    fingerprint, complete = info["fingerprint"], True
    if ds is None:  # the counties' parts of the kept snapshot, or the report kept for this data set
        if parts is not None:
            rep, complete = partitioned_report(parts, thresholds, moment, workers, scheduler)
        assert rep is not None
        # the data set is the one in Neo4j (a merge joins its counties' fingerprints; a snapshot keeps a name)
        rep["dataset"].update(fingerprint=fingerprint, source=info.get("source", ""))
    else:
        fingerprint = ds.fingerprint
        if workers or scheduler:
            rep, complete = partitioned_report(ds, thresholds, moment, workers, scheduler)
        else:
            rep = build_report(ds, thresholds, moment)
            kept.keep_report(fingerprint, thresholds, moment, rep)
        del ds  # from here on only the report is needed
    kept.add_since(rep, fingerprint, build_report)  # 较上月: against the snapshot kept before it
    emit(rep, fmt, out_file, lang, show_all, street, community, severity, rule, county)
    if not complete:
        raise typer.Exit(1)


def build_report(ds: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """graph.report.build_report, imported when a report is built: a report given from the one kept for the data set
    never imports the analysis (NetworkX is a sixth of such a command's time)."""
    from graph.report import build_report as build

    return build(ds, *args, **kwargs)


def kept_report(kept: Archive, info: dict[str, Any], thresholds: Thresholds,
                moment: datetime | None) -> dict[str, Any] | None:
    """The report kept for the current data set (``info``: its record in Neo4j), these thresholds and this moment;
    None when none is kept."""
    return kept.kept_report(info["fingerprint"], thresholds, moment) if info.get("fingerprint") else None


@app.command()
def analyze(path: Path, as_of: AsOf = None, fmt: Fmt = "text", out_file: OutFile = None,
            threshold: Thr = None, lang: Lang = "zh", show_all: All = False, street: Street = None,
            community: Community = None, severity: Severity = None, rule: Rule = None, workers: Workers = None,
            scheduler: Scheduler = None, county: County = None) -> None:
    """直接从文件生成报告（不用数据库）/ the same report straight from a data set's files.

    A folder of county folders (a province) is analysed county by county — in parallel with ``--workers`` or on
    an existing Dask cluster with ``--scheduler`` — and merged into one report.
    """
    from loaders.province import is_province

    thresholds, moment = parse_thresholds(threshold), parse_as_of(as_of)
    if workers or scheduler or is_province(path):
        report, complete = partitioned_report(path, thresholds, moment, workers, scheduler)
        emit(report, fmt, out_file, lang, show_all, street, community, severity, rule, county)
        if not complete:
            raise typer.Exit(1)
        return
    ds = read_files(path)
    emit(build_report(ds, thresholds, moment), fmt, out_file, lang, show_all, street, community, severity, rule,
         county)


@app.command()
def whatif(remove: Annotated[list[str], typer.Option("--remove", "-r", help="要移除的人员/单位/网格编号 / ids to remove")],
           path: Annotated[Path | None, typer.Option("--data", help="数据集文件（缺省用 Neo4j）/ data set files")] = None,
           as_of: AsOf = None, threshold: Thr = None,
           as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False) -> None:
    """假设分析：移除某人、某单位或某网格后，哪些发现会出现或消失 / what appears or disappears without them."""
    from graph.plan.whatif import what_if

    thresholds, moment = parse_thresholds(threshold), parse_as_of(as_of)
    ds = read_files(path) if path is not None else read_neo4j()
    result = what_if(ds, remove, thresholds, moment)
    if as_json:
        from api.formats import to_json

        print(to_json(result))
        return
    if result["unknown"]:
        err.print(f"未找到 / not found: {safe(', '.join(result['unknown']))}", highlight=False)
    out.print(f"移除 / removing {safe(', '.join(result['removed']))}（截至 as of {result['as_of']}）", highlight=False)
    for sign, key, zh in (("+", "appear", "新出现 / would appear"), ("-", "disappear", "将消失 / would disappear")):
        out.print(f"[bold]{zh}: {len(result[key])}[/bold]")
        for f in result[key]:
            out.print(f"  {sign} {f['rule']} {safe(f['subject']['id'])} {safe(f['message']['zh'])}", highlight=False)
    if result["unknown"] and not result["removed"]:
        raise typer.Exit(1)
