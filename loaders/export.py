"""Write a data set back out in the data format (CSV folder), and the empty template workbook."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path
from typing import Any

from graph.dataformat import TABLES, Dataset


def cell(value: Any) -> str:
    """A typed value as the data format writes it.

    >>> cell(datetime(2026, 9, 1, 9, 0)), cell(True), cell(None), cell(2.5)
    ('2026-09-01 09:00', 'true', '', '2.5')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M" if value.second == 0 else "%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def export_csv(ds: Dataset, out: Path) -> list[Path]:
    """Write each table the data set gave as ``<table>.csv`` (UTF-8, code-name headers, original row order)."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for spec in TABLES:
        if not ds.has(spec.name):
            continue
        cols = [c.name for c in spec.columns]
        path = out / f"{spec.name}.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(cols)
            for row in sorted(ds.rows(spec.name), key=lambda r: r["_row"]):
                w.writerow([cell(row.get(c)) for c in cols])
        written.append(path)
    return written


def template_workbook(path: Path) -> None:
    """An empty workbook: one sheet per table with both header spellings, and a sheet explaining the columns."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    head = wb.add_format({"bold": True, "bg_color": "#C00000", "font_color": "#FFFFFF"})
    sub = wb.add_format({"italic": True, "font_color": "#777777"})
    help_ws = wb.add_worksheet("说明")
    help_ws.write_row(0, 0, ["表 table", "表名", "必需", "列 column", "列名", "类型", "必填", "取值 / 引用"], head)
    type_zh = {"text": "文本", "int": "非负整数", "number": "非负数", "bool": "是/否", "date": "日期 YYYY-MM-DD",
               "datetime": "时间 YYYY-MM-DD HH:MM", "enum": "取值之一"}
    row = 1
    for spec in TABLES:
        ws = wb.add_worksheet(spec.name)
        ws.write_row(0, 0, [c.name for c in spec.columns], head)
        ws.write_row(1, 0, [c.zh for c in spec.columns], sub)
        ws.write_comment(1, 0, "第 2 行为中文列名，仅作说明：填写数据前请删除本行（两种列名任选其一）/ "
                               "row 2 shows the Chinese headers: delete it before filling in (either spelling works)")
        ws.set_column(0, len(spec.columns) - 1, 16)
        ws.freeze_panes(1, 0)
        for c in spec.columns:
            allowed = "、".join(sorted(set(c.values.values()))) if c.values else "→ " + "/".join(c.refs) if c.refs else ""
            help_ws.write_row(row, 0, [spec.name, spec.zh, "是" if spec.required else "否", c.name, c.zh,
                                       type_zh[c.type], "是" if c.required else "否", allowed])
            row += 1
    help_ws.set_column(0, 7, 18)
    wb.close()
