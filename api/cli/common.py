"""What every command shares: the consoles, reading a data set, failing in one line, thresholds and output."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from api.escape import safe
from graph.dataformat import Dataset
from graph.errors import DataRefused, OrgnetError
from graph.findings import Thresholds
from graph.settings import get_settings

out = Console()
err = Console(stderr=True)


def fail(exc: OrgnetError, code: int = 1) -> None:
    err.print(f"[red]错误 / error:[/red] {safe(exc.bilingual())}", highlight=False)
    raise typer.Exit(code)


def print_problems(exc: DataRefused, limit: int = 200) -> None:
    """Print a refusal: every problem (up to ``limit``), Chinese first."""
    err.print(f"[red]{safe(exc.zh)}[/red]\n{safe(exc.en)}", highlight=False)
    for p in exc.problems[:limit]:
        err.print(f"  • {safe(p.line())}", highlight=False, soft_wrap=True)
    if len(exc.problems) > limit:
        err.print(f"  … 另有 {len(exc.problems) - limit} 处问题 / {len(exc.problems) - limit} more", highlight=False)


def read_files(path: Path) -> Dataset:
    """Read and validate a data set from files; a refusal prints every problem and exits 2."""
    from loaders.validate import load_dataset

    try:
        return load_dataset(path)
    except DataRefused as exc:
        print_problems(exc)
        raise typer.Exit(2) from None
    except FileNotFoundError as exc:
        err.print(f"错误 / error: 找不到数据集 / no data set: {safe(exc)}", highlight=False)
        raise typer.Exit(1) from None


def read_neo4j() -> Dataset:
    """The current data set in Neo4j (exit 1 with a reason when there is none or Neo4j fails)."""
    from graph.store import datasets
    from graph.store.connection import connect

    try:
        with connect() as db:
            ds = datasets.read_dataset(db)
    except OrgnetError as exc:
        fail(exc)
    if not ds.tables:
        err.print("Neo4j 中还没有数据集，请先 orgnet load / no data set in Neo4j yet: run orgnet load first")
        raise typer.Exit(1)
    return ds


def progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=err, transient=False)


Fmt = Annotated[str, typer.Option("--format", "-f", help="json | text | html | xlsx | csv")]
OutFile = Annotated[Path | None, typer.Option("--out", "-o", help="输出文件 / output file (stdout if omitted)")]
AsOf = Annotated[str | None, typer.Option("--as-of", help="报告时点 / the report's moment, YYYY-MM-DD[ HH:MM[:SS]]")]
Thr = Annotated[list[str] | None, typer.Option("--threshold", "-t", help="阈值 / NAME=VALUE, e.g. grid_max_households=450")]


def parse_thresholds(pairs: list[str] | None) -> Thresholds:
    from pydantic import ValidationError

    values = dict(get_settings().config_file().get("thresholds", {}))
    for p in pairs or []:
        name, _, value = p.partition("=")
        values[name.strip()] = value.strip()
    unknown = set(values) - set(Thresholds.model_fields)
    if unknown:
        raise typer.BadParameter(f"未知阈值 / unknown threshold(s): {', '.join(sorted(unknown))}")
    try:
        return Thresholds(**values)
    except ValidationError as exc:
        raise typer.BadParameter(f"阈值无效 / invalid threshold: {exc}") from None


def parse_as_of(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        raise typer.BadParameter(f"时间格式应为 YYYY-MM-DD[ HH:MM[:SS]] / bad --as-of: {text}") from None


def emit(report: dict[str, Any], fmt: str, out_file: Path | None) -> None:
    from api import formats

    if fmt not in formats.FORMATS:
        raise typer.BadParameter(f"未知格式 / unknown format {fmt}; one of {', '.join(formats.FORMATS)}")
    if fmt == "xlsx" and out_file is None:
        raise typer.BadParameter("xlsx 需要 --out / xlsx needs --out")
    formats.write(report, fmt, out_file)
    if out_file is not None:
        err.print(f"报告已写入 / report written: {out_file} ({len(report['findings'])} 条发现 / findings)")


