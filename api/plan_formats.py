"""The county plan as json, text, xlsx or html: an action list a street office can carry out, by street and
community, with names (Chinese first)."""

from __future__ import annotations

import io
import json
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from rich.console import Console
from rich.markup import escape
from rich.table import Table

FORMATS = ("text", "json", "xlsx", "html")
KIND_ZH = {"hand_over": "移交", "assign": "安排", "back_up": "B 岗兼任", "pair": "双报到", "baolian": "包联",
           "hire": "增配", "advice": "建议"}
COUNTY = "全县（不属于任何街道）"


def groups(plan: dict[str, Any]) -> list[tuple[str, list[tuple[str, list[dict[str, Any]]]]]]:
    """The actions by street and community, named: [(street, [(community, actions)])], streets in id order.

    >>> a = {"id": "A1", "kind": "advice", "scope": {"street_id": "S1", "community_id": None},
    ...      "names": {"S1": "北街"}}
    >>> groups({"actions": [a]})[0][0], groups({"actions": [a]})[0][1][0][0]
    ('北街（S1）', '街道直属 / street level')
    """
    tree: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    names: dict[str, str] = {}
    for a in plan["actions"]:
        s, c = a["scope"]["street_id"] or "", a["scope"]["community_id"] or ""
        names.update(a.get("names", {}))
        tree[s][c].append(a)
    out = []
    for s in sorted(tree):
        street = f"{names.get(s, s)}（{s}）" if s else COUNTY
        comms = [(f"{names.get(c, c)}（{c}）" if c else ("街道直属 / street level" if s else "全县 / county"), acts)
                 for c, acts in sorted(tree[s].items())]
        out.append((street, comms))
    return out


def to_json(plan: dict[str, Any]) -> str:
    return json.dumps({"actions": plan["actions"], "summary": plan["summary"]}, ensure_ascii=False, indent=1)


def to_text(plan: dict[str, Any]) -> str:
    console = Console(record=True, width=150, file=io.StringIO())
    s = plan["summary"]
    console.print(f"[bold]补位计划 / county plan[/bold]\n{escape(s['zh'])}\n{escape(s['en'])}", highlight=False)
    for street, comms in groups(plan):
        console.print(f"\n[bold]■ {escape(street)}[/bold]", highlight=False)
        for community, acts in comms:
            t = Table("编号", "类型", "行动 / action", "消除 / clears", title=f"{community}", title_justify="left")
            for a in acts:
                t.add_row(a["id"], KIND_ZH[a["kind"]], escape(a["zh"]),
                          escape(", ".join(f"{r} {i}" for r, i in a["clears"])))
            console.print(t)
    return console.export_text()


def to_xlsx(plan: dict[str, Any]) -> bytes:
    """Sheets 计划概要, 行动清单 and 增配; every cell a value (no formulas, even for text starting with '=')."""
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    head = wb.add_format({"bold": True, "bg_color": "#C00000", "font_color": "#FFFFFF"})
    s = plan["summary"]
    ws = wb.add_worksheet("计划概要")
    rows = [("概要", s["zh"]), ("summary", s["en"]), ("调整人数", s["adjusted"]), ("新增兼职人数", s["part_time_added"]),
            ("需增配专职人数", s["hire_full_time"]), ("新建结对个数", s["new_ties"]), ("可消除发现", s["cleared"]),
            ("发现总数", s["findings"]), ("行动数", s["actions"])]
    for i, (k, v) in enumerate(rows):
        ws.write_row(i, 0, [k, v])
    ws.set_column(0, 0, 16)
    ws.set_column(1, 1, 90)
    ws = wb.add_worksheet("行动清单")
    cols = ["编号", "街道", "社区", "类型", "行动", "人员", "原网格员", "网格", "单位", "人数", "可消除的发现", "action"]
    ws.write_row(0, 0, cols, head)
    i = 0
    for street, comms in groups(plan):
        for community, acts in comms:
            for a in acts:
                i += 1
                nm = a.get("names", {})
                ws.write_row(i, 0, [a["id"], street, community, KIND_ZH[a["kind"]], a["zh"],
                                    _named(nm, a.get("person_id")), _named(nm, a.get("from_person_id")),
                                    _named(nm, a.get("grid_id")), _named(nm, a.get("agency_id")), a.get("count", ""),
                                    "; ".join(f"{r} {x}" for r, x in a["clears"]), a["en"]])
    ws.set_column(1, 2, 20)
    ws.set_column(4, 4, 60)
    ws.autofilter(0, 0, max(i, 1), len(cols) - 1)
    ws.freeze_panes(1, 0)
    ws = wb.add_worksheet("增配")
    ws.write_row(0, 0, ["编号", "街道", "社区", "人数", "所服务的发现"], head)
    for j, h in enumerate(s["hires"], start=1):
        ws.write_row(j, 0, [h["action_id"], h["street_id"] or "", h["community_id"] or "", h["count"],
                            "; ".join(f"{r} {x}" for r, x in h["findings"])])
    wb.close()
    return buf.getvalue()


def _named(names: dict[str, str], i: str | None) -> str:
    return f"{names.get(i, i)}（{i}）" if i else ""


def to_html(plan: dict[str, Any]) -> str:
    """A printable Chinese page (autoescaped; no script, nothing fetched)."""
    env = Environment(loader=PackageLoader("api", "templates"), autoescape=select_autoescape())
    names = {k: v for a in plan["actions"] for k, v in a.get("names", {}).items()}

    def place(h: dict[str, Any]) -> str:
        i = h.get("community_id") or h.get("street_id") or ""
        return f"{names.get(i, i)}（{i}）" if i else COUNTY

    return env.get_template("plan.html").render(s=plan["summary"], groups=groups(plan), kinds=KIND_ZH, place=place)


def write(plan: dict[str, Any], fmt: str, out: Path | None) -> None:
    """Write the plan in ``fmt`` to ``out`` (UTF-8 for text formats), or print it when ``out`` is None."""
    writers: dict[str, Callable[[dict[str, Any]], str | bytes]] = {
        "json": to_json, "text": to_text, "xlsx": to_xlsx, "html": to_html}
    data = writers[fmt](plan)
    if out is None:
        if isinstance(data, bytes):
            raise ValueError("xlsx needs --out")
        print(data)
    elif isinstance(data, bytes):
        out.write_bytes(data)
    else:
        out.write_text(data, encoding="utf-8")
