"""The report as a PDF: the HTML page printed to A4 by the project's headless Chromium (its print stylesheet sets
the pages, repeated headers and page numbers)."""

from __future__ import annotations

import logging
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import Any

from api.report.html import to_html
from graph.errors import RenderError

log = logging.getLogger(__name__)
TIMEOUT_S = 180
#: One Chromium print at a time per process: each takes hundreds of MB and a core for seconds.
_PRINTING = threading.Lock()
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-extensions", "--no-pdf-header-footer",
        "--run-all-compositor-stages-before-draw"]


def html_to_pdf(html: str, chromium: Path | None = None) -> bytes:
    """Print an HTML page to PDF with headless Chromium (``ORGNET_CHROMIUM``, default /usr/bin/chromium)."""
    if chromium is None:
        from graph.settings import get_settings

        chromium = get_settings().orgnet_chromium
    if not Path(chromium).is_file():
        raise RenderError(f"Chromium not found at {chromium}: run make setup (or set ORGNET_CHROMIUM)",
                          f"找不到 Chromium（{chromium}），请先运行 make setup 或设置 ORGNET_CHROMIUM")
    with _PRINTING, tempfile.TemporaryDirectory(prefix="orgnet-pdf-") as tmp:
        page, out = Path(tmp) / "report.html", Path(tmp) / "report.pdf"
        page.write_text(html, encoding="utf-8")
        cmd = [str(chromium), *ARGS, f"--user-data-dir={tmp}/profile", f"--print-to-pdf={out}", page.as_uri()]
        try:
            res = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired:
            raise RenderError(f"Chromium did not finish printing the PDF within {TIMEOUT_S} s",
                              f"Chromium 在 {TIMEOUT_S} 秒内未能生成 PDF") from None
        if res.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
            log.error("chromium failed (%s): %s", res.returncode, res.stderr[-2000:])
            raise RenderError(f"Chromium could not print the PDF (exit {res.returncode})",
                              f"Chromium 未能生成 PDF（退出码 {res.returncode}）")
        return out.read_bytes()


def to_pdf(report: dict[str, Any]) -> bytes:
    """The report's PDF bytes."""
    return html_to_pdf(to_html(report))
