"""What every command shares: the consoles, reading a data set, failing in one line, thresholds and output."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from api.cli import failure
from graph.dataformat import Dataset
from graph.errors import DataRefused, OrgnetError
from graph.findings import Thresholds
from graph.settings import Settings, get_settings

if TYPE_CHECKING:
    from graph.store.db import Database

out = Console(soft_wrap=True)
err = failure.err


def fail(exc: OrgnetError, code: int = 1) -> NoReturn:
    """Print ``exc`` in one line (all of it with ``--debug``) and exit with ``code``."""
    failure.report(exc)
    raise typer.Exit(code)


def stop(zh: str, en: str, code: int = 1) -> NoReturn:
    """Print one bilingual line and exit with ``code``."""
    failure.say(f"错误 / error: {zh} / {en}")
    raise typer.Exit(code)


def print_problems(exc: DataRefused, limit: int = 200) -> None:
    """Print a refusal: what was read, then every problem (up to ``limit``), Chinese first, data escaped."""
    from loaders.report_read import print_refusal

    print_refusal(err, exc, limit)


def read_files(path: Path) -> Dataset:
    """Read and validate a data set (or a province of them) from files; a refusal prints every problem, exits 2."""
    from loaders.province import is_province, load_any

    if not path.exists():
        stop(f"找不到 {path}", f"{path} does not exist")
    if path.is_dir() and not is_province(path) and not any(p.suffix.lower() == ".csv" for p in path.iterdir()):
        stop(f"文件夹 {path} 中没有 CSV 文件（每个表一个，如 streets.csv）",
             f"the folder {path} holds no CSV file (one per table, such as streets.csv)")
    try:
        return load_any(path)
    except DataRefused as exc:
        print_problems(exc)
        raise typer.Exit(2) from None
    except FileNotFoundError:
        stop(f"{path} 既不是 CSV 文件夹也不是 .xlsx 工作簿", f"{path} is neither a folder of CSV files nor an .xlsx workbook")


@contextmanager
def starting(settings: Settings) -> Iterator[None]:
    """Show "starting Neo4j…" (a spinner on a terminal) while the local server is started, then how long it took."""
    from graph.store.server import LocalServer

    if not settings.uses_local_server or LocalServer(settings).pid() is not None:
        yield
        return
    t0, text = time.monotonic(), "正在启动 Neo4j… / starting Neo4j…"
    if err.is_terminal:
        with err.status(text):
            yield
    else:
        err.print(text, highlight=False)
        yield
    err.print(f"Neo4j 已启动 / started ({time.monotonic() - t0:.1f} s)", highlight=False)


def open_db(settings: Settings | None = None) -> Database:
    """A connection to the configured Neo4j, starting the local server (with a spinner) when needed."""
    from graph.store.connection import connect

    settings = settings or get_settings()
    try:
        with starting(settings):
            return connect(settings)
    except OrgnetError as exc:
        fail(exc)


def no_dataset() -> NoReturn:
    stop("Neo4j 中还没有数据集，请先运行 orgnet load PATH", "no data set in Neo4j yet: run orgnet load PATH first")


def read_neo4j(db: Database | None = None) -> Dataset:
    """The current data set in Neo4j (exit 1 with a reason when there is none or Neo4j fails); over ``db`` when
    given (left open), else over a connection of its own."""
    from graph.store import datasets

    try:
        if db is not None:
            ds = datasets.read_dataset(db)
        else:
            with open_db() as own:
                ds = datasets.read_dataset(own)
    except OrgnetError as exc:
        fail(exc)
    if not ds.tables:
        no_dataset()
    return ds


def ensure_parent(path: Path) -> None:
    """Create the folder ``path`` goes into when it is missing, and say so."""
    folder = path.parent
    if folder.is_dir():
        return
    if folder.exists():
        stop(f"{folder} 是文件而不是文件夹", f"{folder} is a file, not a folder")
    try:
        folder.mkdir(parents=True)
    except OSError as exc:
        stop(f"无法创建文件夹 {folder}：{exc.strerror}", f"cannot create the folder {folder}: {exc.strerror}")
    err.print(escape(f"已创建文件夹 / created the folder {folder}"), highlight=False)


def progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=err, transient=False)


Fmt = Annotated[str, typer.Option("--format", "-f", help="json | text | html | xlsx | csv | pdf")]
OutFile = Annotated[Path | None, typer.Option("--out", "-o", help="输出文件或文件夹 / output file or folder (stdout if omitted)")]
Lang = Annotated[str, typer.Option("--lang", help="CSV 语言 / CSV language: zh | en")]
All = Annotated[bool, typer.Option("--all", help="文本格式列出全部发现 / text: list every finding")]
Street = Annotated[str | None, typer.Option("--street", help="只看一个街道（编号或名称）/ one street, id or name")]
Community = Annotated[str | None, typer.Option("--community", help="只看一个社区（编号或名称）/ one community")]
County = Annotated[str | None, typer.Option("--county", help="只看一个县（省级数据集）/ one county of a province")]
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
         rule: list[str] | None = None, county: str | None = None) -> None:
    """Narrow the report as asked (county, area, severities, rules), then write it in ``fmt``."""
    from api import formats
    from api.report.filters import UnknownChoice, narrow

    if fmt not in formats.FORMATS:
        raise typer.BadParameter(f"未知格式 / unknown format {fmt}; one of {', '.join(formats.FORMATS)}")
    if lang not in formats.LANGS:
        raise typer.BadParameter(f"未知语言 / unknown language {lang}; zh or en")
    if fmt in formats.BINARY and out_file is None:
        raise typer.BadParameter(f"{fmt} 需要 --out / {fmt} needs --out")
    if out_file is not None and not out_file.is_dir() and out_file.suffix:
        ensure_parent(out_file)
    try:
        report = narrow(report, street, community, severity, rule, county)
        written = formats.write(report, fmt, out_file, lang=lang, limit=None if show_all else 60)
    except UnknownChoice as exc:
        raise typer.BadParameter(exc.bilingual()) from None
    except OrgnetError as exc:
        fail(exc)
    if written is not None:
        err.print(f"报告已写入 / report written: {escape(str(written))} ({len(report['findings'])} 条发现 / findings)",
                  highlight=False)


