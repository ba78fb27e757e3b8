"""The text report: fits 60–200 columns, never cuts, summary first then groups, every finding with --all, data
printed as text (markup in a name is shown, not run)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from rich.cells import cell_len

from api.report.text import to_text
from tests.api.report.conftest import MARKUP


@pytest.mark.parametrize("width", [60, 100, 200])
def test_fits_the_width_and_cuts_nothing(laoting_report: dict[str, Any], width: int) -> None:
    text = to_text(laoting_report, limit=None, width=width)
    lines = text.splitlines()
    assert max(cell_len(line) for line in lines) <= width  # a CJK character takes two columns
    assert "…" not in text
    shown = Counter("".join(text.split()))
    said = Counter("".join("".join(f["message"]["zh"] + (f.get("suggestion") or {}).get("zh", "")
                               for f in laoting_report["findings"]).split()))
    assert not said - shown  # every character of every message and suggestion is there (folded, never cut)
    assert sum(1 for line in lines if line.lstrip().startswith(("高 ", "中 ", "低 "))) >= len(laoting_report["findings"])


def test_summary_first_then_groups_then_rows(laoting_report: dict[str, Any]) -> None:
    text = to_text(laoting_report, width=160)
    order = [text.index(s) for s in ("摘要 / Summary", "覆盖得分最低的社区", "发现分组", "发现明细（60/360 条）")]
    assert order == sorted(order)
    assert "唯一网格员（单点风险） SOLE_WORKER" in text and "新城街道 41" in text
    assert "另有 300 条未列出，加 --all 列出全部" in text
    assert "96.5% / 84.5% / 74.1%" in text


def test_markup_in_names_is_printed_as_text(poisoned_report: dict[str, Any]) -> None:
    text = to_text(poisoned_report, limit=None, width=200)
    assert "[/bold][link=http://x]" in "".join(text.split()) or "[/bold]" in text
    assert MARKUP.split("<")[0] in "".join(text.split())
