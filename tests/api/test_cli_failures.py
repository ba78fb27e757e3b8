"""Every command fails in one clear line (Chinese / English), never a traceback; ``--debug`` shows the traceback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from tests.conftest import ROOT, TINY

runner = CliRunner()
ORGNET = [sys.executable, "-m", "api.cli"]


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def test_an_unexpected_error_is_one_line_and_debug_shows_the_traceback(tmp_path: Path) -> None:
    # writing the report onto a full device: an error no command expects
    res = runner.invoke(app, ["analyze", str(TINY), "-f", "json", "-o", "/dev/full"])
    assert res.exit_code == 1
    assert lines(res.output) == ["错误 / error: 意外错误 / unexpected error: OSError: [Errno 28] No space left on device"
                                 "（加 --debug 查看详情 / use --debug for details）"]
    assert "Traceback" not in res.output
    res = runner.invoke(app, ["--debug", "analyze", str(TINY), "-f", "json", "-o", "/dev/full"])
    assert res.exit_code == 1 and isinstance(res.exception, OSError)


def test_a_bug_is_one_line_too(monkeypatch: pytest.MonkeyPatch) -> None:
    import graph.report

    def broken(*args: object, **kw: object) -> None:
        raise KeyError("summary")

    monkeypatch.setattr(graph.report, "build_report", broken)
    res = runner.invoke(app, ["analyze", str(TINY)])
    assert res.exit_code == 1
    assert lines(res.output) == ["错误 / error: 意外错误 / unexpected error: KeyError: 'summary'"
                                 "（加 --debug 查看详情 / use --debug for details）"]


def test_the_real_command_prints_no_traceback(tmp_path: Path) -> None:
    """As a user runs it (a process of its own): stderr is the one line, stdout is empty."""
    env = {**os.environ, "COLUMNS": "60"}  # a narrow terminal does not break the line
    proc = subprocess.run([*ORGNET, "analyze", str(TINY), "-o", "/dev/full"], capture_output=True, text=True,
                          cwd=ROOT, env=env)
    assert proc.returncode == 1 and proc.stdout == ""
    assert len(lines(proc.stderr)) == 1 and proc.stderr.startswith("错误 / error: "), proc.stderr
    proc = subprocess.run([*ORGNET, "--debug", "analyze", str(TINY), "-o", "/dev/full"], capture_output=True,
                          text=True, cwd=ROOT, env=env)
    assert proc.returncode == 1 and "Traceback (most recent call last)" in proc.stderr


@pytest.mark.parametrize("command", [["analyze", str(TINY), "-f", "html", "-o"], ["template", "--out"]])
def test_output_into_a_missing_folder_creates_it_and_says_so(command: list[str], tmp_path: Path) -> None:
    target = tmp_path / "new" / "deeper" / ("r.html" if command[0] == "analyze" else "t.xlsx")
    res = runner.invoke(app, [*command, str(target)])
    assert res.exit_code == 0, res.output
    assert target.stat().st_size > 0
    assert f"已创建文件夹 / created the folder {target.parent}" in res.output


def test_output_under_a_file_is_refused_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "f.txt").write_text("x", encoding="utf-8")
    res = runner.invoke(app, ["template", "--out", str(tmp_path / "f.txt" / "t.xlsx")])
    assert res.exit_code == 1
    assert lines(res.output) == [f"错误 / error: {tmp_path / 'f.txt'} 是文件而不是文件夹 / "
                                 f"{tmp_path / 'f.txt'} is a file, not a folder"]


def test_a_path_without_a_data_set_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    for path, en in ((tmp_path / "nothing", "does not exist"),
                     (tmp_path / "empty", "holds no CSV file (one per table, such as streets.csv)"),
                     (tmp_path / "notes.txt", "is neither a folder of CSV files nor an .xlsx workbook")):
        for command in ("validate", "load", "analyze"):
            res = runner.invoke(app, [command, str(path)])
            assert res.exit_code == 1, (command, res.output)
            assert len(lines(res.output)) == 1 and res.output.endswith(f"{path} {en}\n"), res.output


def test_serve_on_a_busy_port_names_it_and_exits_before_printing_urls() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        res = runner.invoke(app, ["serve", "--port", str(port)])
    assert res.exit_code == 1
    assert lines(res.output) == [f"错误 / error: 端口 {port} 已被占用（127.0.0.1），请用 --port 换一个端口 / "
                                 f"port {port} on 127.0.0.1 is already in use: choose another with --port"]
    assert "http://" not in res.output


@pytest.mark.neo4j
@pytest.mark.slow
def test_report_starts_the_local_server_and_says_there_is_no_data_set(tmp_path: Path) -> None:
    """A fresh home: report starts its own Neo4j (saying so), finds no data set and says that in one line."""
    env = {**os.environ, "ORGNET_HOME": str(tmp_path / "home"), "ORGNET_NEO4J_HEAP": "512m",
           "ORGNET_NEO4J_PAGECACHE": "128m"}
    env.pop("NEO4J_URI", None)
    try:
        proc = subprocess.run([*ORGNET, "report"], capture_output=True, text=True, cwd=ROOT, env=env)
        assert proc.returncode == 1 and proc.stdout == ""
        out = lines(proc.stderr)
        assert out[0] == "正在启动 Neo4j… / starting Neo4j…", proc.stderr
        assert out[1].startswith("Neo4j 已启动 / started (")
        assert out[2:] == ["错误 / error: Neo4j 中还没有数据集，请先运行 orgnet load PATH / "
                           "no data set in Neo4j yet: run orgnet load PATH first"]
        # the server runs now: the next command neither starts it nor says so
        proc = subprocess.run([*ORGNET, "export", str(tmp_path / "out")], capture_output=True, text=True, cwd=ROOT,
                              env=env)
        assert proc.returncode == 1 and lines(proc.stderr) == out[2:]
    finally:
        subprocess.run([*ORGNET, "db", "stop"], capture_output=True, cwd=ROOT, env=env, check=True)
