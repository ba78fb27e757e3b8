"""Excel and CSV read back: 摘要 first, a sheet per section, Chinese headers and values, rates as percentages,
frozen headers, filters, widths that fit; formula payloads in ledger names come out inert in both."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import openpyxl

from api.report.cells import FINDING_COLUMNS, width
from api.report.csvfile import to_csv
from api.report.xlsx import MAX_WIDTH, to_xlsx
from tests.api.report.conftest import DDE, HYPERLINK, POISON


def workbook(report: dict[str, Any], tmp_path: Path) -> Any:
    path = tmp_path / "r.xlsx"
    path.write_bytes(to_xlsx(report))
    return openpyxl.load_workbook(path)


def column_widths(ws: Any) -> dict[int, float]:
    """Column number -> width (openpyxl keeps equal neighbouring columns as one range)."""
    out = {}
    for dim in ws.column_dimensions.values():
        for col in range(dim.min, dim.max + 1):
            out[col] = dim.width
    return out


def test_summary_sheet_first_then_sections(laoting_report: dict[str, Any], tmp_path: Path) -> None:
    wb = workbook(laoting_report, tmp_path)
    assert wb.sheetnames == ["摘要", "街道概况", "社区概况", "问题汇总", "空白点", "组织结构", "超负荷", "诉求办理",
                             "部门超期诉求", "网络排名", "阈值"]
    ws = wb["摘要"]
    assert ws["A1"].value == "乐亭县基层治理空白点报告" and "2026年11月17日" in ws["A2"].value
    labels = {ws.cell(r, 1).value: ws.cell(r, 2) for r in range(5, 20)}
    assert labels["无网格员的网格（个）"].value == 8 and labels["超期未办结诉求（件）"].value == 90
    assert labels["办结率"].number_format == "0.0%" and 0 < labels["办结率"].value < 1


def test_sections_have_chinese_headers_values_filters_and_widths(laoting_report: dict[str, Any],
                                                                  tmp_path: Path) -> None:
    wb = workbook(laoting_report, tmp_path)
    total = 0
    for name in ("空白点", "组织结构", "超负荷", "诉求办理"):
        ws = wb[name]
        assert [c.value for c in ws[1]] == [zh for _, zh, _ in FINDING_COLUMNS]
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
        rows = list(ws.iter_rows(min_row=2, values_only=True))
        total += len(rows)
        assert {r[0] for r in rows} <= {"高", "中", "低"} and {r[1] for r in rows} == {name}
        assert all(r[7] is None or str(r[7]).endswith("街道") for r in rows)
        widths = column_widths(ws)
        for col in range(1, len(FINDING_COLUMNS) + 1):  # as wide as the widest cell (CJK counted double), or the cap
            widest = max(width(ws.cell(r, col).value) for r in range(1, ws.max_row + 1))
            assert widths[col] >= min(widest, MAX_WIDTH), (name, col, widths[col], widest)
    assert total == len(laoting_report["findings"])
    ws = wb["社区概况"]
    header = [c.value for c in ws[1]]
    assert "办结率" in header and "覆盖得分" in header
    rate = ws.cell(2, header.index("办结率") + 1)
    assert rate.number_format == "0.0%" and isinstance(rate.value, float)
    thresholds = wb["阈值"]
    assert thresholds["A2"].value == "网格户数上限（户）" and thresholds["B2"].value == "grid_max_households"
    grouped = wb["问题汇总"]
    assert sum(r[4] for r in grouped.iter_rows(min_row=2, values_only=True)) == len(laoting_report["findings"])


def test_formula_payloads_are_text_in_xlsx(poisoned_report: dict[str, Any], tmp_path: Path) -> None:
    wb = workbook(poisoned_report, tmp_path)
    seen = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and cell.value in {name for _, _, name in POISON}:
                    assert cell.data_type == "s"
                    seen.add(cell.value)
    assert {HYPERLINK, DDE} <= seen


def test_csv_in_chinese_by_default_english_on_request(laoting_report: dict[str, Any]) -> None:
    rows = list(csv.reader(io.StringIO(to_csv(laoting_report).lstrip("\ufeff"))))
    assert rows[0][:3] == ["严重程度", "类别", "规则"] and len(rows) == 361
    assert {r[0] for r in rows[1:]} == {"高", "中", "低"} and "空白点" in {r[1] for r in rows[1:]}
    assert all(r[7] == "" or r[7].endswith("街道") for r in rows[1:])
    en = list(csv.reader(io.StringIO(to_csv(laoting_report, "en").lstrip("\ufeff"))))
    assert en[0][:3] == ["severity", "category", "rule name"] and {r[0] for r in en[1:]} == {"high", "medium", "low"}


def test_formula_payloads_are_prefixed_in_csv(poisoned_report: dict[str, Any]) -> None:
    text = to_csv(poisoned_report).lstrip("\ufeff")
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    assert "'" + HYPERLINK in cells and "'" + DDE in cells and "'+SUM(1,2)" in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
