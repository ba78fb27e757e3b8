"""The ``orgnet`` command line (Typer + rich): thin wiring of settings, services and printing."""

from __future__ import annotations

import logging
import sys
import time
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

app = typer.Typer(help="orgnet：找出基层治理网络中的空白点 / find the blank spots in grassroots governance",
                  no_args_is_help=True, pretty_exceptions_enable=False)
db_app = typer.Typer(help="本地 Neo4j 服务器 / the project's local Neo4j server", no_args_is_help=True)
app.add_typer(db_app, name="db")
out = Console()
err = Console(stderr=True)


def _fail(exc: OrgnetError, code: int = 1) -> None:
    err.print(f"[red]错误 / error:[/red] {exc.bilingual()}", highlight=False)
    raise typer.Exit(code)


def print_problems(exc: DataRefused, limit: int = 200) -> None:
    """Print a refusal: what was read, then every problem (up to ``limit``), Chinese first, data escaped."""
    from loaders.report_read import print_refusal

    print_refusal(err, exc, limit)


def _read_files(path: Path) -> Dataset:
    """Read and validate a data set from files; a refusal prints every problem and exits 2."""
    from loaders.validate import load_dataset

    try:
        return load_dataset(path)
    except DataRefused as exc:
        print_problems(exc)
        raise typer.Exit(2) from None
    except FileNotFoundError as exc:
        err.print(f"错误 / error: 找不到数据集 / no data set: {escape(str(exc))}")
        raise typer.Exit(1) from None


def _read_neo4j() -> Dataset:
    """The current data set in Neo4j (exit 1 with a reason when there is none or Neo4j fails)."""
    from graph import store
    from graph.db import connect

    try:
        with connect() as db:
            ds = store.read_dataset(db)
    except OrgnetError as exc:
        _fail(exc)
    if not ds.tables:
        err.print("Neo4j 中还没有数据集，请先 orgnet load / no data set in Neo4j yet: run orgnet load first")
        raise typer.Exit(1)
    return ds


@app.callback()
def main(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="详细日志 / verbose logs")] = False) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


@db_app.command("start")
def db_start() -> None:
    """启动本地 Neo4j / start the local Neo4j server (installs it on first use)."""
    from graph.server import LocalServer

    server = LocalServer(get_settings())
    try:
        t0 = time.monotonic()
        started = server.start()
    except OrgnetError as exc:
        _fail(exc)
    if started:
        out.print(f"Neo4j 已启动 / started: {server.uri()} ({time.monotonic() - t0:.1f} s)")
    else:
        out.print(f"Neo4j 已在运行 / already running: {server.uri()} (pid {server.pid()})")


@db_app.command("stop")
def db_stop() -> None:
    """停止本地 Neo4j / stop the local Neo4j server."""
    from graph.server import LocalServer

    server = LocalServer(get_settings())
    if server.stop():
        out.print("Neo4j 已停止 / stopped")
    else:
        out.print("Neo4j 未在运行 / not running")


@db_app.command("status")
def db_status() -> None:
    """本地 Neo4j 的状态 / where the local server listens and whether it answers."""
    from graph.server import LocalServer

    settings = get_settings()
    if not settings.uses_local_server:
        from graph.db import connect

        with connect(settings, start=False) as db:
            ok = db.ping()
        answer = "应答 / answers" if ok else "无应答 / no answer"
        out.print(f"外部服务器 / external server {settings.neo4j_uri}: {answer}")
        raise typer.Exit(0 if ok else 1)
    st = LocalServer(settings).status()
    state = "运行中 / running" if st.running else "未运行 / not running"
    answer = "应答 / answers" if st.answers else "无应答 / does not answer"
    out.print(f"{state}; {st.uri}; pid {st.pid or '-'}; {answer}; home {st.home}")
    raise typer.Exit(0 if st.answers else 1)


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=err, transient=False)


@app.command()
def validate(path: Path) -> None:
    """只校验数据集 / validate a data set (a CSV folder or an .xlsx workbook) and report its problems."""

    from loaders.report_read import print_notices, print_reading

    ds = _read_files(path)
    print_reading(out, ds.reading)
    print_notices(out, ds.reading)
    out.print(f"数据集有效 / the data set is valid: {sum(ds.counts().values())} 行 / rows")


@app.command()
def load(path: Path,
         batch: Annotated[int, typer.Option(help="每批行数 / rows per write transaction")] = 10000,
         workers: Annotated[int, typer.Option(help="同时写入的批数 / batches written at once")] = 2) -> None:
    """校验并载入数据集 / validate a data set and replace the graph in Neo4j with it, atomically."""
    from graph import store
    from graph.db import connect
    from loaders.report_read import print_notices, print_reading

    ds = _read_files(path)
    print_reading(err, ds.reading)
    print_notices(err, ds.reading)
    try:
        with connect() as db, _progress() as bar:
            task = bar.add_task("写入 / writing", total=None)

            def shown(step: str, n: int) -> None:
                if step == store.PLANNED:
                    bar.update(task, total=n)
                elif step == store.REMOVING:
                    bar.update(task, description="删除被替换的数据集 / removing the replaced data set")
                else:
                    bar.update(task, advance=n, description=f"写入 / writing {step}")

            t0 = time.monotonic()
            store.write_dataset(db, ds, progress=shown, batch=batch, workers=workers)
    except OrgnetError as exc:
        _fail(exc)
    total = sum(ds.counts().values())
    out.print(f"已载入 / loaded {total} 行 / rows in {time.monotonic() - t0:.1f} s; "
              f"指纹 / fingerprint {ds.fingerprint[:16]}")


@app.command()
def generate(out_dir: Annotated[Path, typer.Option("--out", help="输出文件夹 / output folder")],
             profile: Annotated[str, typer.Option(help="laoting | city")] = "laoting",
             scale: Annotated[int, typer.Option(help="city 的规模倍数 / city scale")] = 1,
             seed: Annotated[int, typer.Option(help="随机种子 / seed (same seed, same bytes)")] = 2026) -> None:
    """生成合成数据集 / write a synthetic data set in the data format."""
    from loaders import generate as gen

    if profile not in ("laoting", "city"):
        raise typer.BadParameter("profile: laoting | city")
    t0 = time.monotonic()
    tables = gen.generate(gen.LAOTING if profile == "laoting" else gen.city(scale), seed=seed)
    gen.write_csv(tables, out_dir)
    rows = sum(len(v) for v in tables.values())
    out.print(f"已生成 / generated {profile}: {rows} 行 / rows → {out_dir} ({time.monotonic() - t0:.1f} s)")


@app.command()
def export(out_dir: Path) -> None:
    """导出 Neo4j 中的数据集 / write the data set in Neo4j back out as CSV files in the data format."""
    from loaders.export import export_csv

    ds = _read_neo4j()
    files = export_csv(ds, out_dir)
    out.print(f"已导出 / exported {len(files)} 个表 / tables → {out_dir}")


@app.command()
def template(out_file: Annotated[Path, typer.Option("--out", help="模板工作簿 / the .xlsx to write")]) -> None:
    """生成空白台账模板 / write an empty template workbook (every sheet, both header spellings, a help sheet)."""
    from loaders.export import template_workbook

    template_workbook(out_file)
    out.print(f"模板已写入 / template written: {out_file}")


Fmt = Annotated[str, typer.Option("--format", "-f", help="json | text | html | xlsx | csv")]
OutFile = Annotated[Path | None, typer.Option("--out", "-o", help="输出文件 / output file (stdout if omitted)")]
AsOf = Annotated[str | None, typer.Option("--as-of", help="报告时点 / the report's moment, YYYY-MM-DD[ HH:MM[:SS]]")]
Thr = Annotated[list[str] | None, typer.Option("--threshold", "-t", help="阈值 / NAME=VALUE, e.g. grid_max_households=450")]


def _thresholds(pairs: list[str] | None) -> Thresholds:
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


def _as_of(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        raise typer.BadParameter(f"时间格式应为 YYYY-MM-DD[ HH:MM[:SS]] / bad --as-of: {text}") from None


def _emit(report: dict[str, Any], fmt: str, out_file: Path | None) -> None:
    from api import formats

    if fmt not in formats.FORMATS:
        raise typer.BadParameter(f"未知格式 / unknown format {fmt}; one of {', '.join(formats.FORMATS)}")
    if fmt == "xlsx" and out_file is None:
        raise typer.BadParameter("xlsx 需要 --out / xlsx needs --out")
    formats.write(report, fmt, out_file)
    if out_file is not None:
        err.print(f"报告已写入 / report written: {out_file} ({len(report['findings'])} 条发现 / findings)")


@app.command()
def report(as_of: AsOf = None, fmt: Fmt = "text", out_file: OutFile = None, threshold: Thr = None) -> None:
    """从 Neo4j 中的数据生成报告 / the gap report for the data set in Neo4j."""
    from graph.report import build_report

    thresholds, moment = _thresholds(threshold), _as_of(as_of)
    ds = _read_neo4j()
    _emit(build_report(ds, thresholds, moment), fmt, out_file)


@app.command()
def analyze(path: Path, as_of: AsOf = None, fmt: Fmt = "text", out_file: OutFile = None,
            threshold: Thr = None) -> None:
    """直接从文件生成报告（不用数据库）/ the same report straight from a data set's files."""
    from graph.report import build_report

    thresholds, moment = _thresholds(threshold), _as_of(as_of)
    ds = _read_files(path)
    _emit(build_report(ds, thresholds, moment), fmt, out_file)


@app.command()
def whatif(remove: Annotated[list[str], typer.Option("--remove", "-r", help="要移除的人员/单位/网格编号 / ids to remove")],
           path: Annotated[Path | None, typer.Option("--data", help="数据集文件（缺省用 Neo4j）/ data set files")] = None,
           as_of: AsOf = None, threshold: Thr = None,
           as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False) -> None:
    """假设分析：移除某人、某单位或某网格后，哪些发现会出现或消失 / what appears or disappears without them."""
    from graph.whatif import what_if

    thresholds, moment = _thresholds(threshold), _as_of(as_of)
    ds = _read_files(path) if path is not None else _read_neo4j()
    result = what_if(ds, remove, thresholds, moment)
    if as_json:
        from api.formats import to_json

        print(to_json(result))
        return
    if result["unknown"]:
        err.print(f"未找到 / not found: {', '.join(result['unknown'])}")
    out.print(f"移除 / removing {', '.join(result['removed'])}（截至 as of {result['as_of']}）")
    for sign, key, zh in (("+", "appear", "新出现 / would appear"), ("-", "disappear", "将消失 / would disappear")):
        out.print(f"[bold]{zh}: {len(result[key])}[/bold]")
        for f in result[key]:
            out.print(f"  {sign} {f['rule']} {f['subject']['id']} {f['message']['zh']}", highlight=False)
    if result["unknown"] and not result["removed"]:
        raise typer.Exit(1)


@app.command()
def serve(host: Annotated[str, typer.Option(help="监听地址 / listen address (loopback by default)")] = "127.0.0.1",
          port: Annotated[int, typer.Option(help="端口 / port")] = 8000) -> None:
    """运行 HTTP API 与图谱浏览 / run the HTTP API and the explorer."""
    import uvicorn

    from api.app import create_app
    from graph.db import connect

    settings = get_settings()
    try:
        db = connect(settings)
    except OrgnetError as exc:
        _fail(exc)
    if host not in ("127.0.0.1", "localhost", "::1"):
        err.print(f"[yellow]注意：在 {host} 上监听，局域网内可访问 / listening beyond loopback on {host}[/yellow]")
    out.print(f"API: http://{host}:{port}/docs  浏览 / explorer: http://{host}:{port}/explorer")
    uvicorn.run(create_app(db, settings), host=host, port=port, log_level="warning")


@app.command()
def token(role: Annotated[str, typer.Option(help="viewer | analyst | admin")],
          name: Annotated[str, typer.Option(help="持有人 / who holds it")] = "token",
          street_id: Annotated[str | None, typer.Option(help="仅限该街道 / limit to a street")] = None,
          community_id: Annotated[str | None, typer.Option(help="仅限该社区 / limit to a community")] = None) -> None:
    """签发 API 令牌（只保存其哈希）/ issue an API token (only its hash is stored)."""
    import os

    from api.auth import issue

    settings = get_settings()
    path = Path(os.environ.get("ORGNET_TOKENS_FILE", settings.orgnet_home / "tokens.jsonl"))
    try:
        secret = issue(path, role, name, street_id, community_id)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    err.print(f"令牌只显示这一次 / shown once; its hash is in {path}")
    print(secret)


if __name__ == "__main__":  # pragma: no cover
    app()
