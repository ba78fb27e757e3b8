"""The audit log: append-only, hash-chained lines; editing, removing or reordering a line is detected."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph.audit import GENESIS, AuditLog


def _filled(folder: Path, n: int = 6) -> AuditLog:
    log = AuditLog(folder)
    for i in range(n):
        log.record("download", {"name": f"u{i}", "role": "viewer", "token_id": f"t{i}"}, "ok", "127.0.0.1", n=i)
    return log


def test_entries_chain_and_files_are_private(tmp_path: Path) -> None:
    log = _filled(tmp_path / "audit")
    entries = list(log.entries())
    assert [e["detail"]["n"] for e in entries] == list(range(6)) and entries[0]["prev"] == GENESIS
    assert all({"at", "action", "who", "from", "result", "prev"} <= set(e) for e in entries)
    assert log.verify() == []
    assert (tmp_path / "audit").stat().st_mode & 0o777 == 0o700
    assert all(f.stat().st_mode & 0o777 == 0o600 for f in log.files())


@pytest.mark.parametrize("tamper", ["edit", "remove", "swap", "edit_last"])
def test_tampering_shows(tmp_path: Path, tamper: str) -> None:
    log = _filled(tmp_path)
    (path,) = log.files()
    lines = path.read_text(encoding="utf-8").splitlines()
    if tamper == "edit":
        e = json.loads(lines[2])
        e["result"] = "refused"
        lines[2] = json.dumps(e, ensure_ascii=False)
    elif tamper == "remove":
        del lines[3]
    elif tamper == "swap":
        lines[1], lines[2] = lines[2], lines[1]
    else:
        lines[-1] = lines[-1].replace('"ok"', '"refused"')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert log.verify(), tamper


def test_writers_in_threads_keep_one_chain(tmp_path: Path) -> None:
    log = AuditLog(tmp_path)
    threads = [threading.Thread(target=lambda k=k: [log.record("whatif", {"k": k}, "ok") for _ in range(25)])
               for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(1 for _ in log.entries()) == 100 and log.verify() == []


def test_orgnet_audit_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from api.cli import app
    from graph.settings import get_settings

    folder = tmp_path / "audit"
    log = _filled(folder)
    monkeypatch.setenv("ORGNET_AUDIT_DIR", str(folder))
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        ok = runner.invoke(app, ["audit", "--verify"])
        assert ok.exit_code == 0 and "6" in ok.stdout, ok.output
        shown = runner.invoke(app, ["audit", "--since", "2000-01-01"]).stdout.splitlines()
        assert [json.loads(x)["detail"]["n"] for x in shown] == list(range(6))
        (path,) = log.files()
        text = path.read_text(encoding="utf-8").splitlines()
        text[1] = text[1].replace('"u1"', '"someone else"')
        path.write_text("\n".join(text) + "\n", encoding="utf-8")
        bad = runner.invoke(app, ["audit", "--verify"])
        assert bad.exit_code == 1 and path.name in bad.output
    finally:
        get_settings.cache_clear()
