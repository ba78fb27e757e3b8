"""The report for a terminal: the summary first, then findings grouped by rule and street, then the rows; fits the
terminal's width (60–200 columns), folds long text instead of cutting it, prints data as text (never markup)."""

from __future__ import annotations

import io
import shutil
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from api.escape import CONTROL
from api.report.labels import CATEGORY_ZH, SEVERITY_ZH, num, pct, rule_zh, zh_date
from api.report.view import build

MIN_WIDTH, MAX_WIDTH = 60, 200
SEV_STYLE = {"high": "bold red", "medium": "yellow", "low": "dim"}


def terminal_width(width: int | None = None) -> int:
    """``width`` (or the terminal's) kept within 60–200 columns.

    >>> terminal_width(20), terminal_width(120), terminal_width(500)
    (60, 120, 200)
    """
    w = width or shutil.get_terminal_size((100, 24)).columns
    return max(MIN_WIDTH, min(MAX_WIDTH, w))


def _table(*cols: str, title: str, ratios: tuple[int, ...] = ()) -> Table:
    t = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, expand=bool(ratios), show_lines=False)
    for i, c in enumerate(cols):
        t.add_column(c, overflow="fold", ratio=ratios[i] if ratios else None)
    return t


def to_text(report: dict[str, Any], limit: int | None = 60, width: int | None = None) -> str:
    """The text report; ``limit`` rows of findings (``None``: all of them)."""
    v = build(report)
    h = v["headline"]
    console = Console(record=True, width=terminal_width(width), file=io.StringIO(), highlight=False,
                      color_system=None)
    title = f"{v['county']}{v['scope']}基层治理空白点报告 / gap report"
    console.print(Text(title, style="bold"))
    console.print(Text(f"截至 {zh_date(report['as_of'])}（as of {report['as_of']}）· 数据集 "
                       f"{report['dataset']['fingerprint'][:12]}" + (f" · {v['display'].issuer}" if v["display"].issuer
                                                                        else "")))
    t = _table("指标 / figure", "数值 / value", title="摘要 / Summary")
    for label, value in (
            ("社区平均覆盖得分 / mean coverage score", num(h["coverage_score"])),
            ("无网格员的网格 / grids without a worker", num(h["grids_uncovered"])),
            ("负担户数超标的网格员 / overloaded workers", num(h["overloaded_workers"])),
            ("超期未办结诉求 / overdue demands", num(h["overdue_demands"])),
            ("三率（响应/办结/满意）/ responded, resolved, satisfied",
             f"{pct(h['responded_rate'])} / {pct(h['resolved_rate'])} / {pct(h['satisfied_rate'])}"),
            ("发现 / findings", f"{h['findings']}（高 {h['by_severity']['high']}，中 {h['by_severity']['medium']}，"
                                f"低 {h['by_severity']['low']}）")):
        t.add_row(Text(label), Text(value))
    if v["since"]:
        sc = v["since"]
        moved = f"，覆盖得分 {sc['score']['arrow']} {sc['score']['text']}" if sc["score"] else ""
        t.add_row(Text(f"较上月（{sc['from']} → {sc['to']}）/ since last month"),
                  Text(f"消除 {sc['closed']}，新增 {sc['opened']}{moved}"))
    console.print(t)
    if v["weakest"]:
        t = _table("社区 / community", "街道 / street", "得分 / score", "主要问题 / main problem",
                   title="覆盖得分最低的社区 / weakest communities")
        for c in v["weakest"]:
            t.add_row(Text(c["name"]), Text(c["street"]), Text(num(c["coverage_score"])), Text(c["main_problem"]))
        console.print(t)
    plan = v["plan"]
    t = _table("项目 / item", "数量 / count", title=(
        "补位方案可消除 / the plan would clear" if plan["source"] == "plan"
        else f"有补位建议的发现 {plan['total']} 条 / findings with a suggestion"))
    for label, value in plan["items"]:
        t.add_row(Text(str(label)), Text(str(value)))
    console.print(t)
    t = _table("规则 / rule", "类别", "严重", "数量", "按街道 / by street", title="发现分组 / findings by rule and street")
    for g in v["groups"]:
        t.add_row(Text(g["rule_zh"] + " " + g["rule"]), Text(CATEGORY_ZH.get(g["category"], g["category"])),
                  Text(SEVERITY_ZH[g["severity"]], style=SEV_STYLE[g["severity"]]), Text(str(g["count"])),
                  Text("，".join(f"{s} {n}" for s, n in g["streets"])))
    console.print(t)
    rows = report["findings"] if limit is None else report["findings"][:limit]
    names = v["names"]
    title = f"发现明细（{len(rows)}/{len(report['findings'])} 条）/ findings"
    wide = console.width >= 110
    rows_table: Table | None = None
    if wide:
        rows_table = _table("严重", "规则", "对象", "街道/社区", "说明", "建议", ratios=(1, 3, 3, 3, 6, 5), title=title)
        rows_table.columns[0].min_width = 4
    else:
        console.print(Text(title, style="italic"))
    for f in rows:
        place = "/".join(x for x in (names.street(f["scope"].get("street_id")),
                                     names.community(f["scope"].get("community_id"))) if x)
        sev = Text(SEVERITY_ZH[f["severity"]], style=SEV_STYLE[f["severity"]])
        subject, sug = f"{f['subject']['name']} {f['subject']['id']}", (f.get("suggestion") or {}).get("zh", "")
        if rows_table is not None:
            rows_table.add_row(sev, Text(rule_zh(f["rule"])), Text(subject), Text(place), Text(f["message"]["zh"]), Text(sug))
            continue
        console.print(Text.assemble(sev, " ", f["rule"], " · ", subject, " · ", place), overflow="fold")
        console.print(Text("    " + f["message"]["zh"]), overflow="fold")
        if sug:
            console.print(Text("    建议：" + sug), overflow="fold")
    if rows_table is not None:
        console.print(rows_table)
    more = len(report["findings"]) - len(rows)
    if more:
        console.print(Text(f"另有 {more} 条未列出，加 --all 列出全部，或用 --street/--community/--severity/--rule 筛选 / "
                           f"{more} more: --all lists every one"))
    return CONTROL.sub("", console.export_text())  # no escape sequence from the data reaches a terminal
