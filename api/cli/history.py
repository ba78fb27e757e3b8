"""History commands: the kept snapshots, what changed between two of them, and an area's trend."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from api.cli.app import app
from api.cli.common import fail, out
from graph.errors import OrgnetError

history_app = typer.Typer(help="快照（每次载入保留一份）/ the kept snapshots (one per load)", no_args_is_help=True)
app.add_typer(history_app, name="history")
Fmt = Annotated[str, typer.Option("--format", "-f", help="text | json")]


def _report(label: str) -> dict[str, Any]:
    from graph.report import build_report
    from graph.store.snapshots import archive

    return archive().cached_report(label, build_report)


@history_app.command("list")
def history_list() -> None:
    """列出快照 / list the kept snapshots, oldest first."""
    from graph.store.snapshots import archive

    table = Table("标签 / label", "载入时间 / loaded", "行数 / rows", "指纹 / fingerprint", "来源 / source")
    for s in archive().snapshots():
        table.add_row(escape(s.label), s.loaded_at, str(sum(s.counts.values())), s.fingerprint[:16], escape(s.source))
    out.print(table)


@history_app.command("drop")
def history_drop(label: str) -> None:
    """删除一个快照 / remove one snapshot (nothing else)."""
    from graph.store.snapshots import archive

    try:
        archive().drop(label)
    except OrgnetError as exc:
        fail(exc)
    out.print(f"已删除快照 / dropped snapshot {escape(label)}")


def _two(a: str | None, b: str | None) -> tuple[str, str]:
    from graph.store.snapshots import SnapshotError, archive

    labels = [s.label for s in archive().snapshots()]
    if b is None:
        b = labels[-1] if labels else None
    if a is None:
        a = labels[labels.index(b) - 1] if b in labels and labels.index(b) > 0 else None
    if a is None or b is None:
        fail(SnapshotError("a diff needs two snapshots: load two months first",
                           "比较需要两个快照：请先载入两个月的台账"))
    assert a is not None and b is not None
    return a, b


@app.command("diff")
def diff_cmd(a: Annotated[str | None, typer.Argument(help="较早的快照 / the earlier snapshot")] = None,
             b: Annotated[str | None, typer.Argument(help="较晚的快照 / the later snapshot")] = None,
             fmt: Fmt = "text") -> None:
    """两个快照之间的变化（缺省：上月对本月）/ what changed between two snapshots (default: previous vs current)."""
    from graph.history import diff
    from graph.store.snapshots import archive

    a, b = _two(a, b)
    try:
        result = diff(a, b, _report(a), _report(b), archive().dataset(a), archive().dataset(b))
    except OrgnetError as exc:
        fail(exc)
    if fmt == "json":
        print(json.dumps(result, ensure_ascii=False, indent=1, default=str))
        return
    out.print(f"[bold]{escape(a)} → {escape(b)}[/bold]：新出现 / opened {len(result['opened'])}，"
              f"已消除 / closed {len(result['closed'])}，仍存在 / persisting {len(result['persisting'])}")
    rules = sorted(set(result["by_rule"]["opened"]) | set(result["by_rule"]["closed"]))
    table = Table("规则 / rule", "新出现 / opened", "已消除 / closed")
    for r in rules:
        table.add_row(r, str(result["by_rule"]["opened"].get(r, 0)), str(result["by_rule"]["closed"].get(r, 0)))
    out.print(table)
    ents = Table("表 / table", "新增 / added", "删除 / removed", "变更 / changed")
    for name, e in result["entities"].items():
        ents.add_row(name, str(len(e["added"])), str(len(e["removed"])), str(len(e["changed"])))
    out.print(ents)
    county = result["kpis"]["county"]
    out.print("全县 / county: " + "；".join(f"{k} {v['before']} → {v['after']}" for k, v in county.items()
                                          if isinstance(v, dict) and v.get("before") is not None))


@app.command("trend")
def trend_cmd(street: Annotated[str | None, typer.Option("--street", help="街道编号 / street id")] = None,
              community: Annotated[str | None, typer.Option("--community", help="社区编号 / community id")] = None,
              fmt: Fmt = "text") -> None:
    """一个区域在各快照中的指标 / an area's figures over every snapshot (the county's by default)."""
    from graph.history import KPIS, trend
    from graph.store.snapshots import archive

    area = community or street or "county"
    rows = trend([(s.label, _report(s.label)) for s in archive().snapshots()], area)
    if fmt == "json":
        print(json.dumps({"area": area, "trend": rows}, ensure_ascii=False, indent=1))
        return
    table = Table("快照 / snapshot", *[f"{zh}" for zh in KPIS.values()], "发现 / findings")
    for r in rows:
        table.add_row(r["label"], *["-" if r[k] is None else str(r[k]) for k in KPIS], str(r["findings"]))
    out.print(f"[bold]{escape(area)}[/bold]")
    out.print(table)
