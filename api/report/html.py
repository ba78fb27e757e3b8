"""The report as one self-contained HTML page (inline CSS, SVG and a little script; nothing fetched), leadership
first: the summary, then streets, communities, grouped findings, demands, the ranking and the thresholds."""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from api.report.labels import CATEGORY_ZH, KIND_ZH, SEVERITY_ZH, num, pct, zh_date
from api.report.view import build
from graph.colours import BAND_COLOUR, BAND_ZH, Display, display_settings, score_colour

#: Rows of findings shown under one rule (the full list is in the CSV and Excel downloads).
ROWS_PER_GROUP = 500


def axis(values: list[float], top: float | None = None) -> tuple[float, float]:
    """An axis for ``values`` that shows their differences: from 0, unless every value is high (then from a
    round number a little below the smallest), up to ``top`` or a round number above the largest.

    >>> axis([83, 91, 100], top=100), axis([12, 40, 95], top=100), axis([3, 41])
    ((80, 100), (0, 100), (0, 45))
    """
    if not values:
        return 0, top or 1
    lo, hi = min(values), max(values)
    step = 10 ** max(0, math.floor(math.log10(max(hi, 1))) - 1) * (5 if hi >= 20 else 1)
    upper = top if top is not None else max(step, math.ceil(hi / step) * step)
    start = 0.0
    if lo > 0.5 * upper:
        start = max(0, math.floor((lo - 0.1 * (upper - lo) - 1e-9) / 10) * 10)
    return (int(start) if float(start).is_integer() else start), (int(upper) if float(upper).is_integer() else upper)


def chart(items: list[tuple[str, float | None, str]], top: float | None = None, label_w: int = 190,
          bar_w: int = 470, row_h: int = 22) -> dict[str, Any]:
    """Geometry of a horizontal bar chart of (label, value, colour), largest (or as given) order kept."""
    vals = [v for _, v, _ in items if v is not None]
    lo, hi = axis(vals, top)
    span = (hi - lo) or 1
    rows = []
    for i, (label, value, colour) in enumerate(items):
        w = 0.0 if value is None else max(1.5, bar_w * (min(value, hi) - lo) / span)
        rows.append({"label": label, "value": value, "shown": num(value), "colour": colour,
                     "y": 26 + i * row_h, "w": round(w, 1)})
    n_ticks = 5
    ticks = [{"x": round(label_w + bar_w * k / n_ticks, 1), "label": f"{lo + (hi - lo) * k / n_ticks:g}"}
             for k in range(n_ticks + 1)]
    return {"rows": rows, "ticks": ticks, "lo": lo, "hi": hi, "label_w": label_w, "bar_w": bar_w, "row_h": row_h,
            "height": 34 + len(items) * row_h, "width": label_w + bar_w + 60, "from_zero": lo == 0}


def css_string(text: str) -> str:
    """``text`` as a CSS string literal's content (for @page margin boxes).

    >>> css_string('乐亭"</style>')
    '乐亭\\\\22 \\\\3c /style\\\\3e '
    """
    return re.sub(r'["\\<>\n\r]', lambda m: f"\\{ord(m.group()):x} ", text)


@lru_cache(maxsize=1)
def _env() -> Environment:
    env = Environment(loader=PackageLoader("api", "templates"), autoescape=select_autoescape(default=True))
    env.filters.update(num=num, pct=pct, css_string=css_string, sig=lambda x: f"{x or 0:.3g}", g=lambda x: f"{x:g}")
    return env


def to_html(report: dict[str, Any], display: Display | None = None) -> str:
    """The page."""
    display = display or display_settings()
    v = build(report, display)
    streets_chart = chart([(s["name"], s.get("coverage_score"), score_colour(s.get("coverage_score"), display))
                           for s in v["streets"]], top=100)
    weakest_30 = v["communities"][:30]
    comm_chart = chart([(f"{c['name']}（{c['street']}）", c.get("coverage_score"),
                         score_colour(c.get("coverage_score"), display)) for c in weakest_30], top=100, label_w=230)
    rule_chart = chart([(g["rule_zh"], g["count"], "#8B0000" if g["severity"] == "high" else
                         "#C0762B" if g["severity"] == "medium" else "#8A8A8A") for g in v["groups"]], label_w=230)
    return _env().get_template("report.html").render(
        r=report, v=v, h=v["headline"], display=display, date=zh_date(report["as_of"]), sev=SEVERITY_ZH,
        cats=CATEGORY_ZH, kinds=KIND_ZH, band_colour=BAND_COLOUR, band_zh=BAND_ZH, streets_chart=streets_chart,
        comm_chart=comm_chart, rule_chart=rule_chart, rows_per_group=ROWS_PER_GROUP,
        score_colour=lambda s: score_colour(s, display))
