"""Data embedded in the explorer page cannot end its script element: every ``<`` in the JSON is escaped."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from api.web.standalone import explorer_page
from graph.report import build_report
from loaders.validate import load_dataset

NASTY = "<!--<script>alert(1)</script>"


def test_names_with_markup_stay_inside_the_data(tiny_copy: Path) -> None:
    path = tiny_copy / "communities.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    rows[0]["name"] = NASTY
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    ds = load_dataset(tiny_copy)
    page = explorer_page(ds, build_report(ds), community_id=rows[0]["id"])
    m = re.search(r'<script id="orgnet-data" type="application/json">(.*?)</script>', page, re.S)
    assert m and "<" not in m.group(1)
    assert NASTY in json.loads(m.group(1))["info"][rows[0]["id"]]["name"]
    body = page.split("<body", 1)[1]
    assert "<!--<script>" not in body.replace(NASTY.replace("<", "&lt;"), "")
