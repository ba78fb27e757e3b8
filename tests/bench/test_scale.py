"""The scale curve's benchmark: the commands it measures, and its refusal to replace the current data set unasked."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bench.bench_scale import COMMANDS, NEO4J

ROOT = Path(__file__).parents[2]


def test_each_command_is_one_orgnet_command_and_a_load_keeps_the_runs_own_snapshot() -> None:
    lines = {name: make(Path("d"), "scale-1-0") for name, make in COMMANDS.items()}
    assert {n: line[2:4] for n, line in lines.items()} == {
        "validate": ["api.cli", "validate"], "analyze": ["api.cli", "analyze"],
        "load": ["api.cli", "load"], "report": ["api.cli", "report"]}
    assert lines["load"][-3:] == ["--whole", "--label", "scale-1-0"]
    assert "--fresh" in lines["report"] and set(NEO4J) == {"load", "report"}


def test_load_and_report_are_refused_without_replace_current() -> None:
    """Refused before anything is generated, loaded or asked of Neo4j (no server is needed to be refused)."""
    res = subprocess.run([sys.executable, "-m", "bench.bench_scale", "--commands", "load", "report", "--scales", "0.01"],
                         capture_output=True, text=True, cwd=ROOT, env={"PATH": "/usr/bin:/bin", "ORGNET_HOME": "/nonexistent"})
    assert res.returncode == 1
    assert "--replace-current" in res.stderr and "当前数据集" in res.stderr
    assert not (ROOT / "data" / "bench" / "city-0.01").exists()
