"""Write a report as json, text, csv, xlsx or html (Chinese first)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from rich.console import Console
from rich.table import Table

from api.escape import safe
from graph.rules.catalogue import CATALOGUE

FORMATS = ("json", "text", "html", "xlsx", "csv")
SEVERITY_ZH = {"high": "高", "medium": "中", "low": "低"}
CATEGORY_ZH = {"coverage": "空白点", "structure": "组织结构", "overload": "超负荷", "demand": "诉求办理"}
COLUMNS = [("rule", "规则"), ("rule_zh", "规则名称"), ("severity", "严重程度"), ("subject_id", "对象编号"),
           ("subject_kind", "对象类型"), ("subject_name", "对象名称"), ("street_id", "街道"),
           ("community_id", "社区"), ("message_zh", "说明"), ("suggestion_zh", "建议"), ("message_en", "message"),
           ("metrics", "依据 / metrics")]


def flat(f: dict[str, Any]) -> dict[str, Any]:
    """One finding as a flat row (the columns of csv and xlsx)."""
    sug = f.get("suggestion") or {}
    return {"rule": f["rule"], "rule_zh": CATALOGUE[f["rule"]][3], "severity": f["severity"],
            "subject_id": f["subject"]["id"], "subject_kind": f["subject"]["kind"], "subject_name": f["subject"]["name"],
            "street_id": f["scope"].get("street_id") or "", "community_id": f["scope"].get("community_id") or "",
            "message_zh": f["message"]["zh"], "suggestion_zh": sug.get("zh", ""), "message_en": f["message"]["en"],
            "metrics": json.dumps(f["metrics"], ensure_ascii=False, default=str)}


def to_json(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=1, default=str)


def to_csv(report: dict[str, Any]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow([f"{zh} {en}" if zh != en else en for en, zh in COLUMNS])
    for f in report["findings"]:
        row = flat(f)
        w.writerow([row[k] for k, _ in COLUMNS])
    return "\ufeff" + buf.getvalue()  # a BOM so that Excel opens it as UTF-8


def to_xlsx(report: dict[str, Any]) -> bytes:
    """One sheet per category (Chinese headers), a summary sheet and the thresholds."""
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    head = wb.add_format({"bold": True, "bg_color": "#C00000", "font_color": "#FFFFFF"})
    for cat, zh in CATEGORY_ZH.items():
        ws = wb.add_worksheet(zh)
        ws.write_row(0, 0, [z for _, z in COLUMNS], head)
        rows = [flat(f) for f in report["findings"] if f["category"] == cat]
        for i, row in enumerate(rows, start=1):
            ws.write_row(i, 0, [SEVERITY_ZH.get(row[k], row[k]) if k == "severity" else row[k] for k, _ in COLUMNS])
        ws.set_column(0, 1, 22)
        ws.set_column(8, 9, 50)
        ws.autofilter(0, 0, max(len(rows), 1), len(COLUMNS) - 1)
        ws.freeze_panes(1, 0)
    ws = wb.add_worksheet("社区概况")
    cols = [("community_id", "社区编号"), ("name", "社区"), ("street_id", "街道"), ("coverage_score", "覆盖得分"),
            ("households_per_full_time", "户/专职网格员"), ("grids", "网格数"), ("demands", "诉求数"),
            ("resolved_rate", "办结率"), ("satisfied_rate", "满意率")]
    ws.write_row(0, 0, [z for _, z in cols], head)
    for i, c in enumerate(report["summary"].get("communities", []), start=1):
        ws.write_row(i, 0, [c.get(k) for k, _ in cols])
    ws = wb.add_worksheet("阈值")
    ws.write_row(0, 0, ["阈值 threshold", "值 value"], head)
    for i, (k, v) in enumerate(report["thresholds"].items(), start=1):
        ws.write_row(i, 0, [k, v])
    ws.write_row(len(report["thresholds"]) + 2, 0, ["as_of", report["as_of"]])
    wb.close()
    return buf.getvalue()


def to_text(report: dict[str, Any], limit: int = 60) -> str:
    console = Console(record=True, width=140, file=io.StringIO())
    console.print(f"[bold]空白点报告 / gap report[/bold]  截至 as of {report['as_of']}  "
                  f"数据集 {safe(report['dataset']['fingerprint'][:12])}")
    by_rule = Table("规则 rule", "名称", "数量 count", title="按规则 / by rule")
    for rule, n in report["summary"]["by_rule"].items():
        by_rule.add_row(rule, CATALOGUE[rule][3], str(n))
    console.print(by_rule)
    t = Table("严重", "规则", "对象", "说明", "建议", title=f"发现（前 {limit} 条）/ findings (first {limit})")
    for f in report["findings"][:limit]:
        t.add_row(SEVERITY_ZH[f["severity"]], f["rule"], safe(f"{f['subject']['id']} {f['subject']['name']}"),
                  safe(f["message"]["zh"]), safe((f.get("suggestion") or {}).get("zh", "")))
    console.print(t)
    console.print(f"共 {len(report['findings'])} 条发现 / {len(report['findings'])} findings")
    return console.export_text()


def to_html(report: dict[str, Any]) -> str:
    """A printable Chinese report with inline SVG charts (no script, nothing fetched)."""
    env = Environment(loader=PackageLoader("api", "templates"), autoescape=select_autoescape())
    by_rule = report["summary"]["by_rule"]
    top = max(by_rule.values(), default=1)
    comms = sorted(report["summary"].get("communities", []), key=lambda c: c.get("coverage_score") or 0)[:30]
    return env.get_template("report.html").render(
        r=report, by_rule=by_rule, top=top, catalogue=CATALOGUE, sev=SEVERITY_ZH, cats=CATEGORY_ZH,
        communities=comms, findings=report["findings"][:2000])


def render(report: dict[str, Any], fmt: str) -> str | bytes:
    """The report in ``fmt`` (one of :data:`FORMATS`)."""
    writers: dict[str, Callable[[dict[str, Any]], str | bytes]] = {
        "json": to_json, "text": to_text, "csv": to_csv, "xlsx": to_xlsx, "html": to_html}
    return writers[fmt](report)


def write(report: dict[str, Any], fmt: str, out: Path | None) -> None:
    """Write the report to ``out`` (UTF-8 for text formats), or print it when ``out`` is None."""
    data = render(report, fmt)
    if out is None:
        if isinstance(data, bytes):
            raise ValueError("xlsx needs --out")
        print(data)
    elif isinstance(data, bytes):
        out.write_bytes(data)
    else:
        out.write_text(data, encoding="utf-8")
