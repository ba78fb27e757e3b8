"""The report as an Excel workbook: 摘要 first, then one sheet per section; Chinese headers and values, rates as
percentages, frozen headers, auto-filters, widths that fit Chinese text; text always written as text."""

from __future__ import annotations

import io
from typing import Any

from api.report.cells import FINDING_COLUMNS, finding_row, width
from api.report.labels import CATEGORY_ZH, SEVERITY_ZH, zh_date
from api.report.view import build

MAX_WIDTH = 60
#: Column kinds: text, int, float, pct (a 0–1 rate shown as a percentage).
Col = tuple[str, str, str]


class Book:
    """An xlsxwriter workbook that writes strings only as strings (never a formula, URL or number)."""

    def __init__(self) -> None:
        import xlsxwriter

        self.buf = io.BytesIO()
        self.wb = xlsxwriter.Workbook(self.buf, {"in_memory": True, "strings_to_formulas": False,
                                                 "strings_to_urls": False, "strings_to_numbers": False})
        self.f = {"head": self.wb.add_format({"bold": True, "bg_color": "#8B0000", "font_color": "#FFFFFF",
                                              "text_wrap": True, "valign": "vcenter", "border": 1}),
                  "title": self.wb.add_format({"bold": True, "font_size": 16, "font_color": "#8B0000"}),
                  "bold": self.wb.add_format({"bold": True}),
                  "pct": self.wb.add_format({"num_format": "0.0%"}), "float": self.wb.add_format({"num_format": "0.0"}),
                  "dec": self.wb.add_format({"num_format": "0.00000"}),
                  "int": self.wb.add_format({"num_format": "#,##0"}), "wrap": self.wb.add_format({"text_wrap": True,
                                                                                               "valign": "top"})}

    def cell(self, ws: Any, r: int, c: int, value: Any, kind: str = "text") -> None:
        if value is None or value == "":
            ws.write_blank(r, c, None)
        elif kind in ("int", "float", "pct", "dec") and isinstance(value, int | float) and not isinstance(value, bool):
            ws.write_number(r, c, value, self.f[kind])
        else:
            ws.write_string(r, c, str(value))

    def table(self, name: str, cols: list[Col], rows: list[dict[str, Any]], wrap: tuple[str, ...] = ()) -> None:
        """A sheet: a frozen header row, an auto-filter, and widths from the widest value (CJK counted double)."""
        ws = self.wb.add_worksheet(name)
        widths = [width(h) + 4 for _, h, _ in cols]  # room for the filter button
        for c, (_, h, _) in enumerate(cols):
            ws.write_string(0, c, h, self.f["head"])
        for r, row in enumerate(rows, start=1):
            for c, (key, _, kind) in enumerate(cols):
                v = row.get(key)
                self.cell(ws, r, c, v, kind)
                shown = f"{100 * v:.1f}%" if kind == "pct" and isinstance(v, int | float) else v
                widths[c] = max(widths[c], width(shown) + 2)
        for c, (key, _, _) in enumerate(cols):
            ws.set_column(c, c, min(widths[c], MAX_WIDTH), self.f["wrap"] if key in wrap else None)
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, max(len(rows), 1), len(cols) - 1)

    def close(self) -> bytes:
        self.wb.close()
        return self.buf.getvalue()


def _summary(book: Book, report: dict[str, Any], v: dict[str, Any]) -> None:
    ws = book.wb.add_worksheet("摘要")
    h = v["headline"]
    title = f"{v['county']}{v['scope']}基层治理空白点报告"
    ws.write_string(0, 0, title, book.f["title"])
    ws.write_string(1, 0, f"截至 {zh_date(report['as_of'])}" + (f" · {v['display'].issuer}" if v["display"].issuer else ""))
    rows: list[tuple[str, Any, str]] = [
        ("社区平均覆盖得分", h["coverage_score"], "float"), ("无网格员的网格（个）", h["grids_uncovered"], "int"),
        ("负担户数超标的网格员（人）", h["overloaded_workers"], "int"), ("超期未办结诉求（件）", h["overdue_demands"], "int"),
        ("诉求总数（件）", h["demands"], "int"), ("响应率", h["responded_rate"], "pct"), ("办结率", h["resolved_rate"], "pct"),
        ("满意率", h["satisfied_rate"], "pct"), ("发现总数（条）", h["findings"], "int"),
        *[(f"严重程度「{SEVERITY_ZH[s]}」（条）", n, "int") for s, n in h["by_severity"].items()]]
    if v["since"]:
        sc = v["since"]
        rows += [(f"较上月（{sc['from']}）消除的发现（条）", sc["closed"], "int"),
                 (f"较上月（{sc['from']}）新增的发现（条）", sc["opened"], "int")]
        if sc["score"]:
            rows.append(("覆盖得分较上月变化", sc["score"]["delta"], "float"))
    ws.write_string(3, 0, "指标", book.f["head"])
    ws.write_string(3, 1, "数值", book.f["head"])
    for i, (label, value, kind) in enumerate(rows, start=4):
        ws.write_string(i, 0, label)
        book.cell(ws, i, 1, value, kind)
    r = 5 + len(rows)
    ws.write_string(r, 0, "覆盖得分最低的五个社区", book.f["bold"])
    for c, head in enumerate(("社区", "街道", "覆盖得分", "主要问题")):
        ws.write_string(r + 1, c, head, book.f["head"])
    for i, c in enumerate(v["weakest"], start=r + 2):
        for j, (value, kind) in enumerate(((c["name"], "text"), (c["street"], "text"),
                                           (c["coverage_score"], "float"), (c["main_problem"], "text"))):
            book.cell(ws, i, j, value, kind)
    r += 3 + len(v["weakest"])
    plan = v["plan"]
    ws.write_string(r, 0, "补位方案可消除" if plan["source"] == "plan" else
                    f"有补位建议的发现：{plan['total']} 条", book.f["bold"])
    for i, (label, value) in enumerate(plan["items"], start=r + 1):
        ws.write_string(i, 0, str(label))
        book.cell(ws, i, 1, value, "int")
    ws.set_column(0, 0, 34)
    ws.set_column(1, 1, 22)
    ws.set_column(2, 2, 12)
    ws.set_column(3, 3, 40)


AREA_COLS: list[Col] = [("grids", "网格数", "int"), ("households", "住宅户数", "int"),
                        ("full_time_workers", "专职网格员", "int"), ("households_per_full_time", "户/专职网格员", "float"),
                        ("coverage_score", "覆盖得分", "float"), ("high", "高", "int"), ("medium", "中", "int"),
                        ("low", "低", "int"), ("demands", "诉求数", "int"), ("responded_rate", "响应率", "pct"),
                        ("resolved_rate", "办结率", "pct"), ("satisfied_rate", "满意率", "pct")]


def _area(row: dict[str, Any], since: dict[str, Any] | None = None, key: str = "") -> dict[str, Any]:
    moved = ((since or {}).get("areas") or {}).get(row.get(key)) if key else None
    return {**row, **row.get("findings", {}), "since": moved["delta"] if moved else None}


def _cols(v: dict[str, Any]) -> list[Col]:
    """The area columns, with 较上月 after the coverage score when the report compares with last month."""
    if not v["since"]:
        return AREA_COLS
    at = [k for k, _, _ in AREA_COLS].index("coverage_score") + 1
    return [*AREA_COLS[:at], ("since", "覆盖得分较上月", "float"), *AREA_COLS[at:]]


def to_xlsx(report: dict[str, Any]) -> bytes:
    """The workbook's bytes."""
    v = build(report)
    book = Book()
    _summary(book, report, v)
    book.table("街道概况", [("name", "街道", "text"), ("street_id", "街道编号", "text"),
                        ("communities", "社区数", "int"), *_cols(v)],
               [_area(s, v["since"], "street_id") for s in v["streets"]])
    book.table("社区概况", [("name", "社区", "text"), ("street", "街道", "text"), ("community_id", "社区编号", "text"),
                        *_cols(v)], [_area(c, v["since"], "community_id") for c in v["communities"]])
    book.table("问题汇总", [("rule_zh", "规则", "text"), ("category", "类别", "text"), ("severity", "严重程度", "text"),
                        ("street", "街道", "text"), ("count", "数量", "int")],
               [{"rule_zh": g["rule_zh"], "category": CATEGORY_ZH.get(g["category"], g["category"]),
                 "severity": SEVERITY_ZH[g["severity"]], "street": s, "count": n}
                for g in v["groups"] for s, n in g["streets"]])
    cols: list[Col] = [(k, zh, "text") for k, zh, _ in FINDING_COLUMNS]
    for cat, zh in CATEGORY_ZH.items():
        rows = [finding_row(f, v["names"]) for f in report["findings"] if f["category"] == cat]
        book.table(zh, cols, rows, wrap=("message", "suggestion", "metrics"))
    book.table("部门超期诉求", [("department", "部门", "text"), ("overdue", "超期诉求（件）", "int"),
                          ("oldest_days", "最长已提出天数", "float"), ("mean_days", "平均已提出天数", "float")],
               v["departments"])
    book.table("网络排名", [("name", "姓名", "text"), ("person_id", "人员编号", "text"), ("street", "街道", "text"),
                        ("community", "社区", "text"), ("ties", "联结组织/网格数", "int"),
                        ("betweenness", "中介中心度", "dec"), ("zh", "说明", "text")], v["ranking"], wrap=("zh",))
    book.table("阈值", [("label", "阈值", "text"), ("key", "参数名", "text"), ("value", "取值", "float")],
               [{"label": a, "key": b, "value": c} for a, b, c in v["thresholds"]])
    return book.close()
