"""Data-set commands: validate, load, generate, export, template."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from api.cli.app import app
from api.cli.common import ensure_parent, err, fail, open_db, out, progress, read_files, read_neo4j
from graph.errors import OrgnetError


@app.command()
def validate(path: Path) -> None:
    """只校验数据集 / validate a data set (a CSV folder or an .xlsx workbook) and report its problems."""

    from loaders.report_read import print_notices, print_reading

    ds = read_files(path)
    print_reading(out, ds.reading)
    print_notices(out, ds.reading)
    out.print(f"数据集有效 / the data set is valid: {sum(ds.counts().values())} 行 / rows")


@app.command()
def load(path: Path,
         label: Annotated[str | None, typer.Option(help="快照标签（缺省为台账月份）/ snapshot label (default: month)")] = None,
         batch: Annotated[int, typer.Option(help="每批行数 / rows per write transaction")] = 10000,
         workers: Annotated[int, typer.Option(help="同时写入的批数 / batches written at once")] = 2,
         wait: Annotated[bool, typer.Option("--wait/--no-wait",
                                            help="另一个载入进行中时等待 / wait while another load runs")] = True,
         whole: Annotated[bool, typer.Option("--whole", help="整体写入，不只写变更 / write the whole data set, "
                                             "not only what changed since the current one")] = False) -> None:
    """校验并载入数据集 / validate a data set and replace the graph in Neo4j with it, atomically (kept as a snapshot)."""
    from api.cli.tokens import audit_log, cli_who
    from graph.errors import LoadInProgress
    from graph.moment import default_as_of
    from graph.store import datasets
    from graph.store.connection import loading
    from graph.store.snapshots import archive, label_of
    from loaders.report_read import print_notices, print_reading

    def waiting(busy: LoadInProgress) -> None:
        err.print(f"另一个载入正在进行（{busy.holder}，始于 {busy.since}），等待中… / another load is in progress "
                  f"({busy.holder}, since {busy.since}); waiting…", highlight=False, markup=False, soft_wrap=True)

    ds = read_files(path)
    print_reading(err, ds.reading)
    print_notices(err, ds.reading)
    label = label or label_of(default_as_of(ds))
    bar = progress()  # shown once the load holds the lock (a waiting or refused load shows no bar)
    task = bar.add_task("写入 / writing", total=None)
    changed: list[int] = []
    removing: list[float] = []

    def shown(step: str, n: int) -> None:
        if step == datasets.CHANGES:
            changed.append(n)
        elif step == datasets.PLANNED:
            bar.start()
            bar.update(task, total=n)
        elif step == datasets.REMOVING:
            removing.append(time.monotonic())  # the new data set is current from here on
            bar.update(task, description="删除被替换的数据集 / removing the replaced data set")
        else:
            bar.update(task, advance=n, description=f"写入 / writing {step}")

    t0 = time.monotonic()
    try:
        kept = archive()
        with open_db() as db, kept.keeping(ds, label) as snapshot_written, loading(db) as warmed:
            datasets.write_dataset(db, ds, progress=shown, batch=batch, workers=workers, wait=wait, on_wait=waiting,
                                   who=f"orgnet load {path.name}", before=None if whole else kept.find,
                                   ready=snapshot_written,  # a server that has just started is still warming up:
                                   warmed=warmed)
    except OrgnetError as exc:
        bar.stop()
        audit_log().record("load", cli_who(), f"failed: {exc.en}", None, path=str(path))
        fail(exc)
    bar.stop()
    audit_log().record("load", cli_who(), "loaded", None, path=str(path), fingerprint=ds.fingerprint)
    total = sum(ds.counts().values())
    how = ("" if not changed else "，没有增删改的行 / no row added, removed or changed" if not changed[0]
           else f"，只写入变更的 {changed[0]} 行 / only the {changed[0]} changed rows written")
    done = time.monotonic()
    took = (f"{removing[0] - t0:.1f} s，删除被替换的数据集 / removing the replaced data set {done - removing[0]:.1f} s"
            if removing else f"{done - t0:.1f} s")
    out.print(f"已载入 / loaded {total} 行 / rows{how} in {took}; "
              f"指纹 / fingerprint {ds.fingerprint[:16]}; 快照 / snapshot {label}", highlight=False, markup=False)


@app.command()
def generate(out_dir: Annotated[Path, typer.Option("--out", help="输出文件夹 / output folder")],
             profile: Annotated[str, typer.Option(help="laoting | city | province")] = "laoting",
             scale: Annotated[float, typer.Option(help="city/province 的规模倍数 / scale")] = 1,
             counties: Annotated[int, typer.Option(help="province 的县数 / counties in a province")] = 16,
             seed: Annotated[int, typer.Option(help="随机种子 / seed (same seed, same bytes)")] = 2026,
             months: Annotated[int, typer.Option(help="按月生成的月数（每月一个文件夹）/ a monthly series")] = 0) -> None:
    """生成合成数据集 / write a synthetic data set (a province: one folder per county; ``--months N``: one per month)."""
    from loaders import generate as gen

    if months:
        t0 = time.monotonic()
        for label, tables in gen.series(months, seed, gen.LAOTING if profile == "laoting" else gen.city(int(scale))):
            gen.write_csv(tables, out_dir / label)
        out.print(f"已生成 / generated {months} 个月 / months → {out_dir} ({time.monotonic() - t0:.1f} s)")
        return
    if profile not in ("laoting", "city", "province"):
        raise typer.BadParameter("profile: laoting | city | province")
    t0 = time.monotonic()
    if profile == "province":
        rows = 0
        for code, _name, county_tables in gen.province(counties, scale, seed):
            gen.write_csv(county_tables, out_dir / code)
            rows += sum(len(v) for v in county_tables.values())
        out.print(f"已生成 / generated province: {counties} 个县 / counties, {rows} 行 / rows → {out_dir} "
                  f"({time.monotonic() - t0:.1f} s)")
        return
    city = gen.city(int(scale)) if scale == int(scale) else gen.scaled(gen.city(), scale)
    tables = gen.generate(gen.LAOTING if profile == "laoting" else city, seed=seed)
    gen.write_csv(tables, out_dir)
    rows = sum(len(v) for v in tables.values())
    out.print(f"已生成 / generated {profile}: {rows} 行 / rows → {escape(str(out_dir))} ({time.monotonic() - t0:.1f} s)")


@app.command()
def export(out_dir: Path) -> None:
    """导出 Neo4j 中的数据集 / write the data set in Neo4j back out as CSV files in the data format."""
    from loaders.export import export_csv

    ds = read_neo4j()
    files = export_csv(ds, out_dir)
    out.print(f"已导出 / exported {len(files)} 个表 / tables → {escape(str(out_dir))}")


@app.command()
def template(out_file: Annotated[Path, typer.Option("--out", help="模板工作簿 / the .xlsx to write")]) -> None:
    """生成空白台账模板 / write an empty template workbook (every sheet, both header spellings, a help sheet)."""
    from loaders.export import template_workbook

    ensure_parent(out_file)
    template_workbook(out_file)
    out.print(f"模板已写入 / template written: {escape(str(out_file))}")
