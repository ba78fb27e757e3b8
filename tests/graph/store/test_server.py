"""The project's own Neo4j server: start, status, stop, restart, recovery after SIGKILL, loopback only."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from graph.settings import Settings
from graph.store.server import LocalServer, free_port

pytestmark = pytest.mark.neo4j


@pytest.fixture(scope="module")
def lifecycle_server(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    home = tmp_path_factory.mktemp("lifecycle")
    lib = home / "jars" / "lib"  # the project's jars, linked: this server's class-data archive is its own
    lib.mkdir(parents=True)
    for jar in Settings(neo4j_uri=None).orgnet_neo4j_lib.glob("*.jar"):
        (lib / jar.name).symlink_to(jar)
    server = LocalServer(Settings(orgnet_home=home, neo4j_uri=None, orgnet_neo4j_lib=lib, orgnet_neo4j_heap="512m",
                                  orgnet_neo4j_pagecache="64m", orgnet_neo4j_tx_memory="256m",
                                  orgnet_start_timeout=600))
    yield server
    server.stop()


def test_start_status_stop_twice_and_recover_from_sigkill(lifecycle_server: LocalServer) -> None:
    s = lifecycle_server
    archives = s.lib.parent / "cds"
    assert s.start() is True
    assert any(f.startswith("-XX:ArchiveClassesAtExit=") for f in _flags(s))  # no archive yet: it writes one at exit
    st = s.status()
    assert st.running and st.answers and st.uri.startswith("bolt://127.0.0.1:")
    assert s.start() is False  # idempotent: already running
    pid = s.pid()
    assert pid is not None
    # nothing of ours listens on a non-loopback address
    listening = [c.laddr for c in psutil.Process(pid).net_connections(kind="inet") if c.status == "LISTEN"]
    assert listening and all(a.ip in ("127.0.0.1", "::ffff:127.0.0.1", "::1") for a in listening), listening
    assert s.stop() is True
    assert not s.status().running
    assert s.stop() is False
    (archive,) = archives.glob("*.jsa")  # the clean stop turned the server's dump into the archive
    assert archive.stat().st_size > 10_000_000 and not list(archives.glob("*.dump"))
    cut = archives / "cut.jsa"  # a dump cut short (a full disk, say): the JVM that maps it crashes, so it is not kept
    cut.write_bytes(archive.read_bytes()[:archive.stat().st_size // 2])
    assert s._maps(archive) and not s._maps(cut)
    cut.unlink()
    assert not list(s.pid_file.parent.glob("hs_err*"))  # the crash left no report behind
    assert s.start() is True and s.status().answers
    assert f"-XX:SharedArchiveFile={archive}" in _flags(s)  # mapped, not only named:
    assert str(archive) in Path(f"/proc/{s.pid()}/maps").read_text()
    # SIGKILL, then start again: the stale pid file is noticed and the server recovers
    pid = s.pid()
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    psutil.Process(pid).wait(30) if psutil.pid_exists(pid) else None
    assert s.pid() is None
    assert s.start() is True and s.status().answers
    # the start leaves a warm-up running; a load waits for it, and then the marker is gone (a new home keeps no
    # snapshot, so there is nothing to plan ahead: the very first load plans what it needs; graph.store.warm)
    assert s.warming_file.is_file()
    s.warmed(timeout=300)
    assert not s.warming_file.exists()
    assert "no snapshot kept yet: nothing to plan ahead" in (s.logs / "warm.log").read_text()


def _flags(s: LocalServer) -> list[str]:
    pid = s.pid()
    assert pid is not None
    return [a for a in psutil.Process(pid).cmdline() if a.startswith("-XX:")]


def test_password_file_is_private_and_not_logged(lifecycle_server: LocalServer) -> None:
    s = lifecycle_server
    s.start()
    mode = stat.S_IMODE(s.password_file.stat().st_mode)
    assert mode == 0o600
    secret = s.password()
    assert len(secret) >= 24
    for f in Path(s.logs).glob("*"):
        assert secret not in f.read_text(errors="replace"), f
    tracked = subprocess.run(["git", "grep", "-l", secret], capture_output=True, text=True,
                             cwd=Path(__file__).resolve().parents[2])
    assert tracked.stdout == ""


def test_occupied_port_gives_a_clear_message(tmp_path: Path) -> None:
    import socket

    from graph.errors import ServerError

    port = free_port()
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", port))
        blocker.listen()
        server = LocalServer(Settings(orgnet_home=tmp_path, neo4j_uri=None, orgnet_neo4j_port=port))
        t0 = time.monotonic()
        with pytest.raises(ServerError, match="taken by another program"):
            server.start()
        assert time.monotonic() - t0 < 30  # a clear refusal, not a hang


def test_first_start_never_answers_to_the_default_password(fresh_server) -> None:  # type: ignore[no-untyped-def]
    from graph.store import db as dbseam

    server = fresh_server["server"]
    server.start()
    assert fresh_server["racer_tries"] >= 1 and fresh_server["racer_logins"] == 0
    assert not dbseam.logs_in(server.uri(), "neo4j", "neo4j")
    assert dbseam.answers(server.uri(), "neo4j", server.password())


def test_the_servers_home_and_store_are_private(fresh_server) -> None:  # type: ignore[no-untyped-def]
    server = fresh_server["server"]
    server.start()
    for d in (fresh_server["settings"].orgnet_home, server.home):
        assert stat.S_IMODE(d.stat().st_mode) == 0o700, d
    readable = [p for p in server.home.rglob("*") if not p.is_symlink() and stat.S_IMODE(p.stat().st_mode) & 0o077]
    assert not readable, readable[:5]
    assert any((server.home / "data" / "transactions").rglob("*")), "the store has transaction logs"


def test_a_load_waits_for_the_warm_up_and_only_for_it(tmp_path: Path) -> None:
    s = LocalServer(Settings(orgnet_home=tmp_path, neo4j_uri=None))
    s.warming_file.parent.mkdir(parents=True)
    proc = subprocess.Popen(["sleep", "1"])
    s.warming_file.write_text(str(proc.pid))
    s.warmed(timeout=60)
    assert proc.poll() is not None  # returned only once the warm-up had ended
    assert not s.warming_file.exists()
    s.warming_file.write_text("999999999")  # a warm-up that is gone
    s.warmed(timeout=60)
    assert not s.warming_file.exists()
    s.warmed(timeout=60)  # none at all


def test_a_server_this_process_started_is_stopped_by_another(lifecycle_server: LocalServer) -> None:
    # the JVM is this process's child; `orgnet db stop` in another process must not wait on its zombie (it used
    # to wait 60 s, kill it, wait 60 s more and exit 1: a benchmark or `orgnet serve` had started the server)
    s = lifecycle_server
    s.start()
    pid = s.pid()
    assert pid is not None and psutil.Process(pid).ppid() == os.getpid()
    env = {k: v for k, v in os.environ.items() if k != "NEO4J_URI"} | {"ORGNET_HOME": str(s.settings.orgnet_home)}
    done = subprocess.run([sys.executable, "-m", "api.cli", "db", "stop"], env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0 and "stopped" in done.stdout, (done.stdout, done.stderr)
    assert "killing" not in done.stderr, done.stderr
    # and this process reaped it: no zombie is left behind
    for _ in range(100):
        if not psutil.pid_exists(pid):
            break
        time.sleep(0.05)
    assert not psutil.pid_exists(pid)
    assert s.pid() is None and s.start() is True and s.status().answers


def test_a_stop_ends_the_warm_up_first_and_nothing_else(tmp_path: Path) -> None:
    # a warm-up still running would hold the server's shutdown for seconds with queries it retries
    s = LocalServer(Settings(orgnet_home=tmp_path, neo4j_uri=None))
    s.warming_file.parent.mkdir(parents=True)
    warm_up = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", "graph.store.warm"])
    other = subprocess.Popen(["sleep", "60"])  # a pid the file names but no warm-up (the pid was reused)
    try:
        s.warming_file.write_text(str(warm_up.pid))
        s._end_warm_up()
        assert warm_up.wait(10) is not None and not s.warming_file.exists()
        s.warming_file.write_text(str(other.pid))
        s._end_warm_up()
        assert other.poll() is None and not s.warming_file.exists()
    finally:
        for p in (warm_up, other):
            p.kill()
            p.wait()
