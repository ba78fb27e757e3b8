"""Data-set commands: validate, load, generate, export, template."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from api.cli.app import app
from api.cli.common import err, fail, out, progress, read_files, read_neo4j, safe
from graph.errors import OrgnetError


@app.command()
def validate(path: Path) -> None:
    """只校验数据集 / validate a data set (a CSV folder or an .xlsx workbook) and report its problems."""

    ds = read_files(path)
    out.print(f"数据集有效 / the data set is valid: {sum(ds.counts().values())} 行 / rows")
    for note in ds.ignored:
        out.print(f"  已忽略列 / ignored column: {safe(note)}", highlight=False)


@app.command()
def load(path: Path,
         batch: Annotated[int, typer.Option(help="每批行数 / rows per write transaction")] = 10000,
         workers: Annotated[int, typer.Option(help="同时写入的批数 / batches written at once")] = 2) -> None:
    """校验并载入数据集 / validate a data set and replace the graph in Neo4j with it, atomically."""
    from api.cli.tokens import audit_log, cli_who
    from graph.store import datasets
    from graph.store.connection import connect

    ds = read_files(path)
    for note in ds.ignored:
        err.print(f"已忽略列 / ignored column: {safe(note)}", highlight=False)
    try:
        with connect() as db, progress() as bar:
            task = bar.add_task("写入 / writing", total=None)

            def shown(step: str, n: int) -> None:
                if step == datasets.PLANNED:
                    bar.update(task, total=n)
                elif step == datasets.REMOVING:
                    bar.update(task, description="删除被替换的数据集 / removing the replaced data set")
                else:
                    bar.update(task, advance=n, description=f"写入 / writing {safe(step)}")

            t0 = time.monotonic()
            datasets.write_dataset(db, ds, progress=shown, batch=batch, workers=workers)
    except OrgnetError as exc:
        audit_log().record("load", cli_who(), f"failed: {exc.en}", None, path=str(path))
        fail(exc)
    audit_log().record("load", cli_who(), "loaded", None, path=str(path), fingerprint=ds.fingerprint)
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

    ds = read_neo4j()
    files = export_csv(ds, out_dir)
    out.print(f"已导出 / exported {len(files)} 个表 / tables → {out_dir}")


@app.command()
def template(out_file: Annotated[Path, typer.Option("--out", help="模板工作簿 / the .xlsx to write")]) -> None:
    """生成空白台账模板 / write an empty template workbook (every sheet, both header spellings, a help sheet)."""
    from loaders.export import template_workbook

    template_workbook(out_file)
    out.print(f"模板已写入 / template written: {out_file}")
