"""What every command shares: the consoles, reading a data set, failing in one line, thresholds and output."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from graph.dataformat import Dataset
from graph.errors import DataRefused, OrgnetError
from graph.findings import Thresholds
from graph.settings import get_settings

out = Console()
err = Console(stderr=True)


def fail(exc: OrgnetError, code: int = 1) -> None:
    err.print(f"[red]错误 / error:[/red] {exc.bilingual()}", highlight=False)
    raise typer.Exit(code)


def print_problems(exc: DataRefused, limit: int = 200) -> None:
    """Print a refusal: every problem (up to ``limit``), Chinese first."""
    err.print(f"[red]{exc.zh}[/red]\n{exc.en}", highlight=False)
    for p in exc.problems[:limit]:
        err.print(f"  • {p.line()}", highlight=False, soft_wrap=True)
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
        err.print(f"错误 / error: 找不到数据集 / no data set: {exc}")
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


Fmt = Annotated[str, typer.Option("--format", "-f", help="json | text | html | xlsx | csv | pdf")]
OutFile = Annotated[Path | None, typer.Option("--out", "-o", help="输出文件或文件夹 / output file or folder (stdout if omitted)")]
Lang = Annotated[str, typer.Option("--lang", help="CSV 语言 / CSV language: zh | en")]
All = Annotated[bool, typer.Option("--all", help="文本格式列出全部发现 / text: list every finding")]
Street = Annotated[str | None, typer.Option("--street", help="只看一个街道（编号或名称）/ one street, id or name")]
Community = Annotated[str | None, typer.Option("--community", help="只看一个社区（编号或名称）/ one community")]
Severity = Annotated[list[str] | None, typer.Option("--severity", help="严重程度 / 高|中|低 or high|medium|low")]
Rule = Annotated[list[str] | None, typer.Option("--rule", help="规则编号或名称 / rule code or Chinese name")]
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


def emit(report: dict[str, Any], fmt: str, out_file: Path | None, lang: str = "zh", show_all: bool = False,
         street: str | None = None, community: str | None = None, severity: list[str] | None = None,
         rule: list[str] | None = None) -> None:
    """Narrow the report as asked (area, severities, rules), then write it in ``fmt``."""
    from api import formats
    from api.report.filters import UnknownChoice, narrow

    if fmt not in formats.FORMATS:
        raise typer.BadParameter(f"未知格式 / unknown format {fmt}; one of {', '.join(formats.FORMATS)}")
    if lang not in formats.LANGS:
        raise typer.BadParameter(f"未知语言 / unknown language {lang}; zh or en")
    if fmt in formats.BINARY and out_file is None:
        raise typer.BadParameter(f"{fmt} 需要 --out / {fmt} needs --out")
    try:
        report = narrow(report, street, community, severity, rule)
        written = formats.write(report, fmt, out_file, lang=lang, limit=None if show_all else 60)
    except UnknownChoice as exc:
        raise typer.BadParameter(exc.bilingual()) from None
    except OrgnetError as exc:
        fail(exc)
    if written is not None:
        err.print(f"报告已写入 / report written: {escape(str(written))} ({len(report['findings'])} 条发现 / findings)",
                  highlight=False)


