"""The Laoting report in real headless Chromium: the HTML page (sorting, filtering, expanding, no console error,
nothing fetched; a screenshot) and the PDF printed by `orgnet analyze -f pdf` (summary alone on page 1, page
numbers, the issuer; its first page rendered to PNG)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from api.cli import app
from api.report.html import to_html
from graph.colours import Display
from tests.conftest import ARTIFACTS

pytestmark = pytest.mark.browser


def test_html_report_in_chromium(browser: Any, laoting_report: dict[str, Any], tmp_path: Path) -> None:
    page_file = tmp_path / "report.html"
    page_file.write_text(to_html(laoting_report, Display(issuer="乐亭县委组织部")), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1240, "height": 1400})
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(page_file.as_uri())
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-laoting.png"))
    assert page.locator("h2").first.inner_text().startswith("摘要")

    table = page.locator("#t-communities")
    scores = lambda: [float(x) for x in table.locator("tbody tr td:nth-child(5)").all_inner_texts()]  # noqa: E731
    assert scores() == sorted(scores())
    header = table.locator("th", has_text="覆盖得分")
    header.click()
    header.click()
    assert scores() == sorted(scores(), reverse=True) and header.get_attribute("data-dir") == "desc"
    page.fill('input[data-for="t-communities"]', "乐安")
    visible = table.locator("tbody tr:visible").all_inner_texts()
    assert visible and all("乐安" in row for row in visible) and len(visible) < len(scores())

    group = page.locator('details[data-rule="SOLE_WORKER"]')
    assert not group.locator("tbody tr").first.is_visible()
    group.locator("summary").click()
    assert group.locator("tbody tr:visible").count() == 109
    page.screenshot(path=str(ARTIFACTS / "report-laoting-full.png"), full_page=True)
    assert errors == []
    assert all(u.startswith("file://") for u in requests), requests


def test_pdf_has_the_summary_alone_on_page_one(tmp_path: Path) -> None:
    from pypdf import PdfReader

    config = tmp_path / "orgnet.toml"
    config.write_text('[display]\nissuer = "乐亭县委组织部"\n', encoding="utf-8")
    from loaders.generate import generate, write_csv

    data = tmp_path / "laoting"
    write_csv(generate(seed=2026), data)
    from graph.settings import get_settings

    get_settings.cache_clear()
    try:
        res = CliRunner().invoke(app, ["analyze", str(data), "-f", "pdf", "-o", str(tmp_path)],
                                 env={"ORGNET_CONFIG": str(config)})
    finally:
        get_settings.cache_clear()
    assert res.exit_code == 0, res.output
    pdf = tmp_path / "乐亭县-空白点报告-2026-11-17.pdf"
    reader = PdfReader(pdf)
    pages = [p.extract_text() for p in reader.pages]
    assert len(pages) >= 3
    first = pages[0]
    assert "摘要" in first and "Summary" in first and "乐亭县委组织部" in first
    assert "乐亭县基层治理空" in first and "2026年11" in first
    assert "按街道" not in first and "按街道" in pages[1]  # the summary fills page 1 alone
    assert re.search(rf"第\s*1\s*\S\s*/\s*共\s*{len(pages)}", first), first[-200:]
    assert all(re.search(rf"第\s*{i + 1}\s*\S\s*/\s*共", p) for i, p in enumerate(pages))
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)  # A4
    if shutil.which("pdftoppm"):
        ARTIFACTS.mkdir(exist_ok=True)
        subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "2", str(pdf),
                        str(ARTIFACTS / "report-laoting-pdf")], check=True)
        assert (ARTIFACTS / "report-laoting-pdf-1.png").stat().st_size > 0
