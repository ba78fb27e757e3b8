"""Everything the command line prints from data is escaped for rich markup and stripped of control characters
(issue 11, point 13): names with ``[/bold]``, ``[link=…]`` and raw escape sequences in generated ledgers."""

from __future__ import annotations

import csv
from pathlib import Path

from typer.testing import CliRunner

from api.cli import app

runner = CliRunner()
ESC = "\x1b"
NAMES = ["[/bold]", "[link=http://evil.example/]点我[/link]", f"{ESC}[31m红{ESC}]8;;http://evil.example/{ESC}\\"]


def _rewrite(folder: Path, table: str, column: str, values: list[str]) -> None:
    path = folder / f"{table}.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row, value in zip(rows, values, strict=False):
        row[column] = value
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)


def _clean(output: str) -> None:
    assert ESC not in output
    assert "Traceback" not in output


def test_names_print_as_themselves(tiny_copy: Path) -> None:
    _rewrite(tiny_copy, "people", "name", NAMES)
    _rewrite(tiny_copy, "grids", "name", NAMES)
    res = runner.invoke(app, ["validate", str(tiny_copy)])
    assert res.exit_code == 0, res.output
    text = runner.invoke(app, ["analyze", str(tiny_copy), "-f", "text"])
    assert text.exit_code == 0, text.output
    _clean(text.output)
    assert "[/bold]" in text.output or "[link=http://evil.example/]" in text.output
    with (tiny_copy / "people.csv").open(encoding="utf-8", newline="") as fh:
        people = [r["id"] for r in csv.DictReader(fh)]
    what = runner.invoke(app, ["whatif", "--data", str(tiny_copy), "--remove", people[0], "--remove", people[1],
                                "--remove", "[/bold]"])
    assert what.exit_code == 0, what.output
    _clean(what.output)
    assert "[/bold]" in what.output  # the unknown id, printed as typed


def test_refused_values_print_as_themselves(tiny_copy: Path) -> None:
    _rewrite(tiny_copy, "grids", "kind", NAMES)
    res = runner.invoke(app, ["validate", str(tiny_copy)])
    assert res.exit_code == 2, res.output  # refused, not a MarkupError (exit 1)
    _clean(res.output)
    assert "[/bold]" in res.output and "[link=http://evil.example/]" in res.output
    bad = runner.invoke(app, ["whatif", "--data", str(tiny_copy), "--remove", "[/bold]"])
    assert bad.exit_code == 2
    _clean(bad.output)
