"""The repository stands on its own: no tracked file reaches outside it for its specification or its data."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# spelled in pieces so that this file does not name what it forbids
OUTSIDE = re.compile(r"\.\./" + "shared" + r"|\b" + "shared" + r"/(spec|examples|hooks)")


def tracked_files() -> list[Path]:
    out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    return [ROOT / p for p in out.decode().split("\0") if p]


def test_no_tracked_file_refers_outside_the_repository() -> None:
    files = tracked_files()
    assert len(files) > 50
    bad = []
    for path in files:
        if not path.is_file() or path.suffix in {".png", ".xlsx", ".pdf"}:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        bad += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in OUTSIDE.finditer(text)]
    assert not bad, bad


def test_the_pattern_catches_what_it_should() -> None:
    assert OUTSIDE.search("see ../" + "shared" + "/spec/rules.md")
    assert not OUTSIDE.search("shared among workers")


def test_test_data_is_in_the_repository() -> None:
    assert (ROOT / "tests" / "data" / "tiny" / "streets.csv").is_file()
    assert (ROOT / "tests" / "data" / "tiny.expected.json").is_file()


def test_no_tracked_link_leads_out_of_the_repository() -> None:
    """A symbolic link committed by mistake (a work tree's cache) is dangling in every fresh clone."""
    staged = subprocess.run(["git", "ls-files", "-s", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    links = [line.split("\t", 1)[1] for line in staged.decode().split("\0") if line.startswith("120000 ")]
    bad = [p for p in links if not (ROOT / p).resolve().is_relative_to(ROOT)]
    assert not bad, bad
