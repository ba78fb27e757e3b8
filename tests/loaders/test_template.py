"""The template workbook: every sheet, both header spellings, and it validates once filled."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from graph.dataformat import TABLES
from graph.errors import DataRefused
from loaders.export import template_workbook
from loaders.validate import load_dataset


def test_template_has_every_table_and_both_spellings(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    template_workbook(path)
    wb = openpyxl.load_workbook(path)
    assert set(wb.sheetnames) == {t.name for t in TABLES} | {"说明"}
    grids = wb["grids"]
    assert [c.value for c in grids[1]] == [c.name for c in TABLES[3].columns]
    assert [c.value for c in grids[2]] == [c.zh for c in TABLES[3].columns]
    wb.close()


def test_unfilled_template_is_refused_with_clear_problems(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    template_workbook(path)
    with pytest.raises(DataRefused) as info:
        load_dataset(path)
    assert [p.en for p in info.value.problems] == ["the data set holds no data rows"]
    notes = info.value.reading.notices
    assert any(n.sheet == "grids" and "second header row" in n.en for n in notes)   # the Chinese header row
    assert any(n.sheet == "说明" and "help sheet" in n.en for n in notes)
