"""Every notebook runs top to bottom against the real server, analyses the data set the analyst loaded and never
replaces it, and prints no warning; with nothing loaded, the first one loads the sample and says so."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

from graph.store import datasets
from loaders.validate import load_dataset
from tests.conftest import ROOT, TINY

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
pytestmark = [pytest.mark.neo4j, pytest.mark.notebook]
ANALYSING = "分析 Neo4j 中已载入的数据集 / analysing the data set loaded in Neo4j"
SAMPLE_LOADED = "Neo4j 中还没有数据集，已载入乐亭示例数据 / no data set was loaded: loaded the Laoting sample"


def run(path: Path) -> list[Any]:
    """Execute a notebook as JupyterLab would; its outputs."""
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}).execute()
    return [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]


def text_of(outputs: list[Any]) -> str:
    return "".join(str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", "")) for o in outputs)


def assert_clean(outputs: list[Any]) -> None:
    """No error, nothing on stderr (where warnings go), no warning in any text or table."""
    assert not [o for o in outputs if o.output_type == "error"], [o.get("evalue") for o in outputs]
    assert not [o.get("text") for o in outputs if o.output_type == "stream" and o.get("name") == "stderr"]
    html = "".join(str(o.get("data", {}).get("text/html", "")) for o in outputs)
    assert "Warning" not in text_of(outputs) and "Warning" not in html


@pytest.fixture(scope="module")
def analysts_data(db, tmp_path_factory: pytest.TempPathFactory) -> str:  # type: ignore[no-untyped-def]
    """The analyst's own data set (tiny, not the sample), loaded before any notebook runs: its fingerprint."""
    os.environ.setdefault("ORGNET_DATA", str(tmp_path_factory.getbasetemp() / "nb-laoting"))
    ds = load_dataset(TINY)
    datasets.write_dataset(db, ds)
    return ds.fingerprint


def test_notebooks_are_stored_without_outputs() -> None:
    assert len(NOTEBOOKS) == 6
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), path.name
        first, last = nb.cells[0], nb.cells[-1]
        assert first.cell_type == "markdown" and "/ The question" in first.source, path.name
        assert last.cell_type == "markdown" and last.source.startswith("## 下一步 / What next"), path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_analyses_the_loaded_data_set_and_keeps_it(path: Path, db, analysts_data: str) -> None:  # type: ignore[no-untyped-def]
    outputs = run(path)
    assert_clean(outputs)
    text = text_of(outputs)
    assert "Neo4j:" in text
    if path.stem[:2] in ("01", "02", "03"):
        assert ANALYSING in text and analysts_data[:12] in text
    assert SAMPLE_LOADED not in text
    assert datasets.current(db)["fingerprint"] == analysts_data  # still the analyst's data set


def test_with_nothing_loaded_the_first_notebook_loads_the_sample_and_says_so(db, analysts_data: str) -> None:  # type: ignore[no-untyped-def]
    db.write("MATCH (d:DataSet {current: true}) SET d.current = false")
    datasets.cleanup(db)
    assert datasets.current(db) is None
    outputs = run(ROOT / "notebooks" / "01-first-look.ipynb")
    assert_clean(outputs)
    assert SAMPLE_LOADED in text_of(outputs)
    assert "与公开数字逐项一致 / every figure matches" in text_of(outputs)
    from api.notebook import ensure_laoting

    assert datasets.current(db)["fingerprint"] == load_dataset(ensure_laoting()).fingerprint
