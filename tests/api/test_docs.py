"""The user documentation agrees with the code, and its links lead somewhere."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from api import docs
from tests.conftest import ROOT

#: documents another branch adds (docs/ledgers.md, on messy workbooks): linked already, checked once merged
PENDING: set[str] = set()
LINK = re.compile(r"\]\((?!https?://|#|mailto:)([^)#\s]+)")


def test_the_documents_agree_with_the_code() -> None:
    assert docs.problems() == [], "run: python -m api.docs"


def test_a_stale_or_missing_block_is_caught(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    rules = tmp_path / "docs" / "rules.md"
    text = rules.read_text(encoding="utf-8")
    assert "| `grid_max_households` | 500 |" in text
    rules.write_text(text.replace("| `grid_max_households` | 500 |", "| `grid_max_households` | 450 |"), encoding="utf-8")
    fmt = tmp_path / "docs" / "data-format.md"
    fmt.write_text(fmt.read_text(encoding="utf-8").replace("<!-- generated:table:demands -->", "<!-- gone -->", 1),
                   encoding="utf-8")
    found = docs.problems(tmp_path / "docs")
    assert "rules.md: block generated:thresholds differs from the code" in found
    assert "data-format.md: no block generated:table:demands" in found
    assert len(found) == 2, found


def test_rewriting_restores_what_the_code_says() -> None:
    text = "intro\n<!-- generated:thresholds -->\nold\n<!-- /generated -->\noutro\n"
    fresh = docs.rewrite(text, docs.generators())
    assert fresh.startswith("intro\n<!-- generated:thresholds -->\n| 阈值")
    assert "| `demand_overdue_days` | 7 |" in fresh and fresh.endswith("<!-- /generated -->\noutro\n")


def test_every_table_column_and_rule_is_documented() -> None:
    text = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "docs").glob("*.md")}
    for t in docs.TABLES:
        assert f"### {t.name}（{t.zh}）" in text["data-format.md"]
        for c in t.columns:
            assert f"| `{c.name}` | {c.zh} |" in text["data-format.md"], (t.name, c.name)
    for rule, (_, _, _, zh) in docs.CATALOGUE.items():
        assert f"| `{rule}` | {zh} |" in text["rules.md"]


def test_links_in_the_documents_lead_to_files() -> None:
    dead = []
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for target in LINK.findall(doc.read_text(encoding="utf-8")):
            path = (doc.parent / target).resolve()
            if not path.exists() and str(path.relative_to(ROOT)) not in PENDING:
                dead.append(f"{doc.relative_to(ROOT)} → {target}")
    assert not dead, dead
    assert (ROOT / "docs" / "data-format.md").read_text(encoding="utf-8").count("(ledgers.md)") == 1
