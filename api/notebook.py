"""Helpers for analysts' notebooks: the loaded data set (never replaced), Chinese fonts and tables, the explorer."""

from __future__ import annotations

import base64
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from api.formats import CATEGORY_ZH, SEVERITY_ZH
from graph.dataformat import Dataset
from graph.rules.catalogue import CATALOGUE

if TYPE_CHECKING:
    from graph.store.db import Database

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
    from IPython.display import IFrame

    data = base64.b64encode(page.encode("utf-8")).decode()
    return IFrame(f"data:text/html;charset=utf-8;base64,{data}", width="100%", height=height)


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


def current_dataset(db: Database) -> Dataset:
    """The data set loaded in Neo4j, never replaced; when none is loaded, the Laoting sample is loaded (and said so)."""
    from graph.store import datasets
    from loaders.validate import load_dataset

    info = datasets.current(db)
    if info is None:
        folder = ensure_laoting()
        datasets.write_dataset(db, load_dataset(folder))
        print(f"Neo4j 中还没有数据集，已载入乐亭示例数据 / no data set was loaded: loaded the Laoting sample ({folder})")
    ds = datasets.read_dataset(db)
    if info is not None:
        print(f"分析 Neo4j 中已载入的数据集 / analysing the data set loaded in Neo4j: {ds.source or '—'} "
              f"（指纹 / fingerprint {ds.fingerprint[:12]}，{sum(ds.counts().values())} 行 / rows）")
    return ds


#: the ranking's columns in Chinese (who bridges the organisation, graph/centrality.py)
RANKING_ZH = {"person_id": "编号", "name": "姓名", "betweenness": "介数", "constraint": "约束度", "ties": "联结数",
              "zh": "说明"}


def ranking_frame(report: dict[str, Any]) -> pd.DataFrame:
    """The network-position ranking with Chinese column names, and whether a rule already flags each person."""
    flagged = {f["subject"]["id"] for f in report["findings"] if f["category"] == "overload"}
    rows = [{**{zh: r.get(k) for k, zh in RANKING_ZH.items()},
             "规则已发现": "是" if r["person_id"] in flagged else "否（规则之外）"} for r in report["ranking"]]
    return pd.DataFrame(rows, columns=[*RANKING_ZH.values(), "规则已发现"])
