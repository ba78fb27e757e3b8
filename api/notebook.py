"""Helpers for analysts' notebooks: Chinese fonts for charts, tables of findings, the explorer inline."""

from __future__ import annotations

import base64
import os
from pathlib import Path
from typing import Any

import pandas as pd

from api.formats import CATEGORY_ZH, SEVERITY_ZH
from graph.rules.catalogue import CATALOGUE

CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans CJK JP", "WenQuanYi Zen Hei", "Source Han Sans SC", "SimHei",
             "Microsoft YaHei")


def setup_fonts() -> str:
    """Make matplotlib draw Chinese: pick an installed CJK font; return its name (raise when none)."""
    import matplotlib
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    for name in CJK_FONTS:
        if name in installed:
            matplotlib.rcParams["font.sans-serif"] = [name, *matplotlib.rcParams["font.sans-serif"]]
            matplotlib.rcParams["font.family"] = "sans-serif"
            matplotlib.rcParams["axes.unicode_minus"] = False
            return name
    raise RuntimeError("没有可用的中文字体（请安装 fonts-noto-cjk）/ no CJK font: install fonts-noto-cjk")


def findings_frame(report: dict[str, Any]) -> pd.DataFrame:
    """The report's findings as a table with Chinese column names."""
    rows = [{"严重程度": SEVERITY_ZH[f["severity"]], "类别": CATEGORY_ZH[f["category"]], "规则": f["rule"],
             "规则名称": CATALOGUE[f["rule"]][3], "对象": f["subject"]["id"], "名称": f["subject"]["name"],
             "街道": f["scope"].get("street_id"), "社区": f["scope"].get("community_id"),
             "说明": f["message"]["zh"], "建议": (f.get("suggestion") or {}).get("zh", "")}
            for f in report["findings"]]
    return pd.DataFrame(rows)


def show_page(page: str, height: int = 640) -> Any:
    """Show a self-contained HTML page (the explorer) inside JupyterLab or VS Code, in an iframe."""
    from IPython.display import HTML

    data = base64.b64encode(page.encode("utf-8")).decode()
    return HTML(f'<iframe src="data:text/html;charset=utf-8;base64,{data}" width="100%" height="{height}" '
                'style="border:1px solid #ddd"></iframe>')


def data_dir() -> Path:
    """Where the notebooks keep the Laoting data set (``ORGNET_DATA``, default ``data/laoting`` in the checkout)."""
    from graph.settings import PROJECT_ROOT

    return Path(os.environ.get("ORGNET_DATA", PROJECT_ROOT / "data" / "laoting"))


def ensure_laoting(seed: int = 2026) -> Path:
    """The Laoting data set's folder, generated once."""
    from loaders.generate import generate, write_csv

    d = data_dir()
    if not (d / "streets.csv").is_file():
        write_csv(generate(seed=seed), d)
    return d
