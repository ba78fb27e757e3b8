"""The HTML report read back: summary first, grouped counts equal to the findings, names not codes, Chinese
labels, one colour scale, charts sorted with axes that show differences, the print stylesheet, nothing fetched."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from api.report.html import chart, to_html
from api.report.labels import THRESHOLD_ZH
from graph.colours import Display, score_colour
from tests.api.report.conftest import DDE, HYPERLINK, MARKUP

DISPLAY = Display(issuer="乐亭县委组织部")


class Outline(HTMLParser):
    """The page's h2 headings in order, its <details> summaries, and every external reference."""

    def __init__(self) -> None:
        super().__init__()
        self.h2: list[str] = []
        self.summaries: list[str] = []
        self.refs: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("h2", "summary"):
            self._in = tag
            (self.h2 if tag == "h2" else self.summaries).append("")
        for k, v in attrs:
            if k in ("src", "href") and v:
                self.refs.append(v)

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "h2":
            self.h2[-1] += data
        elif self._in == "summary":
            self.summaries[-1] += data


def outline(html: str) -> Outline:
    o = Outline()
    o.feed(html)
    return o


def test_summary_comes_first_then_the_sections_in_order(laoting_report: dict[str, Any]) -> None:
    html = to_html(laoting_report, DISPLAY)
    heads = [h.split()[0] for h in outline(html).h2]
    assert heads == ["摘要", "按街道", "按社区", "发现分组", "诉求办理：超期未办结，按部门", "网络关键人物", "判定阈值"]
    summary = html[html.index('<section id="summary">'):html.index('<section id="streets">')]
    for text in ("社区平均覆盖得分", "无网格员的网格", "超期未办结诉求", "响应率", "办结率", "满意率", "覆盖最薄弱的五个社区",
                 "补位方案 / the plan</b>：本计划：调整", "可消除的发现"):
        assert text in summary, text
    assert summary.count("<tr><td") == 5  # the five weakest communities


def test_grouped_counts_equal_the_findings(laoting_report: dict[str, Any]) -> None:
    html = to_html(laoting_report, DISPLAY)
    summaries = outline(html).summaries
    counts = {}
    for s in summaries:
        m = re.search(r"：(\d+) 条.*\((?:[^·]*)· ([A-Z_]+)\)", " ".join(s.split()).replace("（", "(").replace("）", ")"))
        assert m, s
        counts[m.group(2)] = int(m.group(1))
    assert counts == laoting_report["summary"]["by_rule"]
    assert sum(counts.values()) == len(laoting_report["findings"])
    sole = next(s for s in summaries if "SOLE_WORKER" in s)
    assert re.search(r"唯一网格员（单点风险）：\s*109\s*条，其中\s*新城街道 41", sole), sole
    rows = re.findall(r'<details class="group" data-rule="([A-Z_]+)".*?</details>', html, re.S)
    assert len(rows) == len(counts)


def test_names_not_codes_and_chinese_labels(laoting_report: dict[str, Any]) -> None:
    html = to_html(laoting_report, DISPLAY)
    communities = html[html.index('<table id="t-communities"'):]
    communities = communities[:communities.index("</table>")]
    assert "乐安1社区" in communities and "SQ0001" not in communities and "JD001" not in communities
    thresholds = html[html.index('<table id="t-thresholds"'):]
    for label in THRESHOLD_ZH.values():
        assert f"<td>{label}</td>" in thresholds


def test_one_colour_scale_from_the_configuration(laoting_report: dict[str, Any]) -> None:
    strict = Display(score_red_below=97, score_amber_below=99)
    html = to_html(laoting_report, strict)
    for c in laoting_report["summary"]["communities"]:
        assert f'background: {score_colour(c["coverage_score"], strict)}">{c["coverage_score"]}</span>' in html
    assert "低于 97" in html
    assert score_colour(96.9, strict) != score_colour(96.9, DISPLAY)


def test_charts_sorted_with_axes_that_show_differences(laoting_report: dict[str, Any]) -> None:
    high = chart([("a", 99.0, "#000"), ("b", 95.2, "#000")], top=100)
    assert high["lo"] == 90 and not high["from_zero"] and high["rows"][1]["w"] < 0.7 * high["rows"][0]["w"]
    counts = chart([("x", 109, "#000"), ("y", 3, "#000")])
    assert counts["lo"] == 0
    html = to_html(laoting_report, DISPLAY)
    rule_svg = html[html.index('aria-label="按规则统计"'):]
    shown = [int(n) for n in re.findall(r"<title>[^<]*：(\d+)</title>", rule_svg[:rule_svg.index("</svg>")])]
    assert shown == sorted(shown, reverse=True) and sum(shown) == 360
    street_svg = html[html.index('aria-label="各街道覆盖得分"'):]
    scores = [float(n) for n in re.findall(r"<title>[^<]*：([\d.]+)</title>", street_svg[:street_svg.index("</svg>")])]
    assert scores == sorted(scores) and "坐标轴自 90 起" in html


def test_print_stylesheet_issuer_and_chinese_date(laoting_report: dict[str, Any]) -> None:
    html = to_html(laoting_report, DISPLAY)
    css = html[html.index("<style>"):html.index("</style>")]
    for rule in ("@page", "size: A4", "counter(page)", "counter(pages)", "thead { display: table-header-group; }",
                 "break-inside: avoid", "@media print", "#summary { break-after: page; }"):
        assert rule in css, rule
    assert '@bottom-left { content: "乐亭县委组织部"' in css and "2026年11月17日" in css
    assert '<div class="issuer">乐亭县委组织部</div>' in html and "截至 2026年11月17日" in html
    assert html.count("<thead>") >= 6 and html.count("<thead>") == html.count("</thead>")


def test_self_contained_nothing_fetched(laoting_report: dict[str, Any]) -> None:
    html = to_html(laoting_report, DISPLAY)
    assert outline(html).refs == []
    assert not re.search(r"https?://", html.replace("http://www.w3.org", ""))
    assert "<script>" in html and "sortable" in html  # the inline sort and filter script


def test_hostile_names_are_escaped(poisoned_report: dict[str, Any]) -> None:
    html = to_html(poisoned_report, DISPLAY)
    assert "<script>alert" not in html and "<!--<script>" not in html
    assert "&lt;!--&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "=HYPERLINK(&#34;http://x?d=&#34;&amp;A2,&#34;a&#34;)" in html and HYPERLINK not in html
    assert DDE.replace("'", "&#39;") in html and MARKUP not in html
