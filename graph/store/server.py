"""orgnet's own local Neo4j Community server: installed from Maven Central, run on loopback with auth on."""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

from graph.errors import ServerError
from graph.settings import PROJECT_ROOT, Settings
from graph.store import classarchive
from graph.store import db as dbseam

log = logging.getLogger(__name__)

#: JVM flags Neo4j 5 wants on Java 17 (from its own neo4j.conf defaults).
JVM_FLAGS = [
    "-XX:+UseG1GC", "-XX:-OmitStackTraceInFastThrow", "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields", "-XX:+DisableExplicitGC", "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true", "-Djdk.tls.ephemeralDHKeySize=2048",
    "-Djdk.tls.rejectClientInitiatedRenegotiation=true", "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true", "-Dfile.encoding=UTF-8",
]
ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
#: neo4j-admin's entry point, in the same jars (sets the initial password before the first start)
ADMIN_ENTRY_POINT = "org.neo4j.cli.AdminTool"


@dataclass(frozen=True)
class Status:
    """What ``orgnet db status`` reports."""

    running: bool
    pid: int | None
    uri: str
    answers: bool
    home: Path


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that is free on ``host`` right now."""
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    """True when something already listens on ``host:port``."""
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex((host, port)) == 0


def _gone(pid: int) -> bool:
    """True when ``pid`` has ended: gone, or a zombie. A zombie has ended; only its parent can reap it, and that may
    be a long-lived process that started the server (``orgnet serve``, a notebook, a benchmark) while another
    process stops it (a process that starts one reaps it: :func:`_reap_when_it_ends`)."""
    try:
        return bool(psutil.Process(pid).status() == psutil.STATUS_ZOMBIE)
    except psutil.Error:
        return True


def _ended(pid: int, timeout: float) -> bool:
    """Whether ``pid`` ended (:func:`_gone`) within ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while not _gone(pid):
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.1)
    return True


def _signal(pid: int, sig: signal.Signals) -> None:
    """Send ``sig`` to ``pid`` unless it has ended since it was looked at."""
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


def _reap_when_it_ends(pid: int) -> None:
    """Reap our child ``pid`` when it ends, from a daemon thread: a process that started the server and goes on
    running keeps no zombie of it (or of the warm-up) once another process has stopped it."""
    def wait() -> None:
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:  # reaped already (by psutil's wait, say)
            pass

    threading.Thread(target=wait, name=f"orgnet-reap-{pid}", daemon=True).start()


class LocalServer:
    """The project-managed Neo4j server under ``ORGNET_HOME/neo4j``."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.home = settings.orgnet_home / "neo4j"
        self.conf_dir = self.home / "conf"
        self.conf_file = self.conf_dir / "neo4j.conf"
        self.logs = self.home / "logs"
        self.pid_file = self.home / "run" / "orgnet-neo4j.pid"
        #: holds the pid of the process warming the server up after a start (graph.store.warm), while it runs
        self.warming_file = self.home / "run" / "warming.pid"
        #: made by a load that waits for the warm-up: the warm-up stops what it does beyond planning
        self.wanted_file = self.home / "run" / "load-wanted"
        #: made by a load of a month's changes, which does not wait: the warm-up stops all it does
        self.hurry_file = self.home / "run" / "load-hurry"
        self.password_file = settings.orgnet_home / "neo4j-password"
        self.lib = settings.orgnet_neo4j_lib

    # -- installation ---------------------------------------------------------------------------
    def installed(self) -> bool:
        """True when the server's jars are in the cache."""
        return self.lib.is_dir() and any(self.lib.glob("neo4j-5.*.jar"))

    def install(self) -> None:
        """Resolve the server's jars from Maven Central with the project's ``neo4j/pom.xml``."""
        if self.installed():
            return
        mvn = shutil.which("mvn")
        if not mvn:
            raise ServerError("Maven (mvn) is not installed: cannot fetch Neo4j's jars",
                              "未安装 Maven (mvn)，无法获取 Neo4j 的 jar 包")
        pom = PROJECT_ROOT / "neo4j" / "pom.xml"
        log.info("fetching Neo4j jars with %s", pom)
        proc = subprocess.run([mvn, "-B", "-q", "-f", str(pom), "dependency:copy-dependencies",
                               f"-DoutputDirectory={self.lib}"], capture_output=True, text=True)
        if proc.returncode != 0 or not self.installed():
            tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-10:])
            raise ServerError(f"fetching Neo4j's jars failed:\n{tail}", f"获取 Neo4j 的 jar 包失败：\n{tail}")

    # -- configuration --------------------------------------------------------------------------
    def port(self) -> int:
        """The Bolt port, from the written config (chosen once, then kept)."""
        if self.conf_file.is_file():
            for line in self.conf_file.read_text(encoding="utf-8").splitlines():
                if line.startswith("server.bolt.listen_address="):
                    return int(line.rsplit(":", 1)[1])
        return self.settings.orgnet_neo4j_port or 0

    def uri(self) -> str:
        """The Bolt URI of the local server."""
        return f"bolt://127.0.0.1:{self.port()}"

    def password(self) -> str:
        """The generated password, created on first use in a file only the user can read (mode 0600)."""
        if not self.password_file.is_file():
            self.password_file.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.password_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(24))
        os.chmod(self.password_file, 0o600)
        return self.password_file.read_text().strip()

    def write_config(self) -> None:
        """Write ``neo4j.conf``: Bolt on loopback only, HTTP off, auth on, memory for a shared 2-core box."""
        port = self.port() or self.settings.orgnet_neo4j_port or free_port()
        if self.settings.orgnet_neo4j_port and self.settings.orgnet_neo4j_port != port:
            port = self.settings.orgnet_neo4j_port
        self.make_private()
        for d in ("conf", "data", "logs", "run", "plugins", "import"):
            (self.home / d).mkdir(mode=0o700, parents=True, exist_ok=True)
        s = self.settings
        self.conf_file.write_text("\n".join([
            "# written by orgnet; edit ORGNET_* variables instead of this file",
            "server.default_listen_address=127.0.0.1",
            f"server.bolt.listen_address=127.0.0.1:{port}",
            "server.bolt.advertised_address=127.0.0.1",
            "server.http.enabled=false",
            "server.https.enabled=false",
            "dbms.security.auth_enabled=true",
            f"server.memory.heap.initial_size={s.orgnet_neo4j_heap}",
            f"server.memory.heap.max_size={s.orgnet_neo4j_heap}",
            f"server.memory.pagecache.size={s.orgnet_neo4j_pagecache}",
            # a transaction that outgrows this fails on its own instead of exhausting the heap
            f"dbms.memory.transaction.total.max={s.orgnet_neo4j_tx_memory}",
            "dbms.usage_report.enabled=false",
            # a data set can always be loaded again from its ledgers: keep 1 GiB of old transaction logs, not 2 days'
            "db.tx_log.rotation.retention_policy=1G size",
            "db.logs.query.enabled=OFF",
            # at a stop Bolt waits this long for its idle worker threads after the databases have stopped (5 s)
            "internal.server.bolt.thread_pool_shutdown_wait_time=1s",
            "server.directories.data=data",
            "server.directories.logs=logs",
            "server.directories.run=run",
            "",
        ]), encoding="utf-8")

    def make_private(self) -> None:
        """Create ``ORGNET_HOME`` and the server's home 0700, and take group/other access off what is in them
        (an older install wrote 0755 folders and 0644 store files that other local users could read)."""
        for d in (self.settings.orgnet_home, self.home):
            d.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.chmod(d, 0o700)
        for root, dirs, files in os.walk(self.home):
            for name in dirs + files:
                path = os.path.join(root, name)
                mode = os.lstat(path).st_mode
                if mode & 0o077 and not os.path.islink(path):
                    os.chmod(path, stat.S_IMODE(mode) & 0o700)

    def set_initial_password(self) -> None:
        """Give a server that never ran our password before its first start (``neo4j-admin dbms
        set-initial-password``, from the same jars), so it never answers to neo4j/neo4j. The password goes
        in an argument file (mode 0600), not on the command line where ``ps`` would show it."""
        if (self.home / "data" / "dbms" / "auth.ini").is_file() or (self.home / "data" / "databases" / "system").exists():
            return
        java = self._java() or "java"
        argfile = self.home / "run" / "initial-password.args"
        fd = os.open(argfile, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(f'--\n"{self.password()}"\n')  # "--": a password may begin with "-" (token_urlsafe)
        try:
            proc = subprocess.run([java, "-cp", f"{self.lib}/*", "-Xmx256m", ADMIN_ENTRY_POINT, "dbms",
                                   "set-initial-password", f"@{argfile}"], capture_output=True, text=True,
                                  env={**os.environ, "NEO4J_HOME": str(self.home), "NEO4J_CONF": str(self.conf_dir)},
                                  cwd=self.home, timeout=300, umask=0o077)
        finally:
            argfile.unlink(missing_ok=True)
        if proc.returncode != 0 or not (self.home / "data" / "dbms" / "auth.ini").is_file():
            tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-5:])
            raise ServerError(f"setting Neo4j's initial password failed:\n{tail}", f"设置 Neo4j 初始密码失败：\n{tail}")

    # -- process --------------------------------------------------------------------------------
    def pid(self) -> int | None:
        """The pid of our running server, or None (a stale pid file is removed)."""
        if not self.pid_file.is_file():
            return None
        try:
            pid = int(self.pid_file.read_text().strip())
            proc = psutil.Process(pid)
            if proc.status() != psutil.STATUS_ZOMBIE and ENTRY_POINT in " ".join(proc.cmdline()) \
                    and f"--home-dir={self.home}" in proc.cmdline():
                return pid
        except (ValueError, psutil.Error):
            pass
        log.warning("removing stale pid file %s", self.pid_file)
        self.pid_file.unlink(missing_ok=True)
        return None

    def status(self) -> Status:
        """Whether the server runs, where it listens and whether it answers."""
        pid = self.pid()
        answers = bool(pid) and dbseam.answers(self.uri(), "neo4j", self.password())
        return Status(pid is not None, pid, self.uri(), answers, self.home)

    def start(self) -> bool:
        """Start the server and wait until it answers; False when it was already running."""
        if self.pid() is not None:
            self._wait_ready(None)
            return False
        self.install()
        self.write_config()
        port = self.port()
        if port_in_use(port):
            raise ServerError(
                f"port {port} on 127.0.0.1 is taken by another program; set ORGNET_NEO4J_PORT or free it",
                f"127.0.0.1 的端口 {port} 已被其他程序占用；请设置 ORGNET_NEO4J_PORT 或释放该端口")
        java = self._java()
        if not java:
            raise ServerError("Java 17 is not installed (java not found)", "未安装 Java 17（找不到 java）")
        self.set_initial_password()
        cds = (classarchive.flags(Path(java), self.lib, self.home / "plugins", self.home, self.pid_file.parent)
               if self.settings.orgnet_neo4j_class_archive else [])
        cmd = [java, *self._jvm(), *cds, ENTRY_POINT, f"--home-dir={self.home}", f"--config-dir={self.conf_dir}"]
        # posix_spawn, not Popen: the server outlives this process, in a session of its own
        log_path = str(self.logs / "console.log")
        old = os.umask(0o077)  # the store, logs and transaction logs the server writes: for this user only
        try:
            pid = os.posix_spawn(java, cmd, dict(os.environ), setsid=True, file_actions=[
                (os.POSIX_SPAWN_OPEN, 0, "/dev/null", os.O_RDONLY, 0),
                (os.POSIX_SPAWN_OPEN, 1, log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600),
                (os.POSIX_SPAWN_DUP2, 1, 2),
            ])
        finally:
            os.umask(old)
        self.pid_file.write_text(str(pid))
        _reap_when_it_ends(pid)
        self.make_private()  # the config and pid file this process wrote
        log.info("started Neo4j (pid %s) on %s", pid, self.uri())
        try:
            self._wait_ready(pid)
        except ServerError:
            classarchive.forget(cds)  # whatever went wrong, the next start does without the archive it mapped
            raise
        self._warm_in_background()
        return True

    def _java(self) -> str | None:
        """The Java that runs the server and its admin tool (``ORGNET_JAVA``), or None when it is not installed."""
        return shutil.which(self.settings.orgnet_java)

    def _jvm(self) -> list[str]:
        """The server JVM's class path, flags and memory."""
        heap = self.settings.orgnet_neo4j_heap
        return ["-cp", f"{self.home / 'plugins'}/*:{self.lib}/*", *JVM_FLAGS, f"-Xms{heap}", f"-Xmx{heap}"]

    def _maps(self, archive: Path) -> bool:
        """Whether a JVM started as the server is starts from ``archive`` (one cut short crashes the JVM)."""
        cmd = [self._java() or "java", *self._jvm(), "-Xshare:on", f"-XX:SharedArchiveFile={archive}", "-XX:ErrorFile=/dev/null",
               "-XX:-CreateCoredumpOnCrash", "-version"]
        try:
            return subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120,
                                  cwd=self.pid_file.parent).returncode == 0
        except (OSError, subprocess.SubprocessError):
            return False

    def _warm_in_background(self) -> None:
        """Plan the load statements in a detached process (``graph.store.warm``), so that the first load after
        a start is as fast as the second, without making the start wait for it."""
        log_path = str(self.logs / "warm.log")
        env = {**os.environ, "ORGNET_HOME": str(self.settings.orgnet_home), "ORGNET_NEO4J_LIB": str(self.lib)}
        env.pop("NEO4J_URI", None)
        pid = os.posix_spawn(sys.executable, [sys.executable, "-m", "graph.store.warm"], env, setsid=True,
                             file_actions=[
            (os.POSIX_SPAWN_OPEN, 0, "/dev/null", os.O_RDONLY, 0),
            (os.POSIX_SPAWN_OPEN, 1, log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600),
            (os.POSIX_SPAWN_DUP2, 1, 2),
        ])
        _reap_when_it_ends(pid)
        self.wanted_file.unlink(missing_ok=True)  # requests of an earlier warm-up's time
        self.hurry_file.unlink(missing_ok=True)
        fd = os.open(self.warming_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # before start() returns:
        with os.fdopen(fd, "w") as fh:                                                # a load after it waits
            fh.write(str(pid))

    def warmed(self, timeout: float = 120.0, ask: bool = True, hurry: bool = False) -> float:
        """Wait (at most ``timeout`` s) until the load statements planned after a start are ready; the seconds
        waited. A load started the moment the server is up would otherwise plan them itself, at the same
        time as the warm-up, on a cold JVM. Whatever the warm-up does beyond the load statements' plans (a
        rehearsed load, the plans of a month's changes) it stops for a load that waits (:attr:`wanted_file`), unless
        not ``ask``ed to (a benchmark waits for the whole warm-up); with ``hurry`` it stops planning too
        (:attr:`hurry_file`: a load that needs none of those plans)."""
        t0 = time.monotonic()
        if ask and self.warming_file.exists():
            try:
                if hurry:
                    self.hurry_file.touch(mode=0o600)
                self.wanted_file.touch(mode=0o600)
            except OSError:  # no run folder: no warm-up either
                pass
        while time.monotonic() - t0 < timeout:
            try:
                pid = int(self.warming_file.read_text())
            except (OSError, ValueError):
                break
            if _gone(pid):
                self.warming_file.unlink(missing_ok=True)
                break
            time.sleep(0.1)
        return time.monotonic() - t0

    def _wait_ready(self, pid: int | None) -> None:
        deadline = time.monotonic() + self.settings.orgnet_start_timeout
        uri, password = self.uri(), self.password()
        refused_since: float | None = None
        while time.monotonic() < deadline:
            if pid is not None and _gone(pid):
                self.pid_file.unlink(missing_ok=True)
                classarchive.settle(self.pid_file.parent, clean=False)
                raise ServerError(f"Neo4j exited during start:\n{self.last_log_lines()}",
                                  f"Neo4j 启动失败：\n{self.last_log_lines()}")
            if port_in_use(self.port()):  # a plain TCP probe: a Bolt login with a wrong password would be logged
                if not dbseam.answers(uri, "neo4j", password):
                    refused = dbseam.refuses_password(uri, "neo4j", password)
                    refused_since = (refused_since or time.monotonic()) if refused else None
                    # up but not answering yet, or locked for a few seconds after someone else's failed logins
                    if refused_since is None or time.monotonic() - refused_since < 12:
                        time.sleep(0.3)
                        continue
                    raise ServerError(
                        f"the server at {uri} does not accept the password in {self.password_file}; "
                        f"stop it and remove {self.home / 'data'} to start afresh",
                        f"{uri} 的服务器不接受 {self.password_file} 中的密码；请停止后删除 {self.home / 'data'} 重建")
                if pid is not None:  # a server this call started gets the schema (loads apply it too)
                    from graph.store import schema

                    with dbseam.Database(uri, "neo4j", password, self.settings.neo4j_database) as db:
                        schema.apply(db)
                return
            time.sleep(0.3)
        raise ServerError(
            f"Neo4j did not answer on {uri} within {self.settings.orgnet_start_timeout:.0f} s:\n"
            f"{self.last_log_lines()}",
            f"Neo4j 在 {self.settings.orgnet_start_timeout:.0f} 秒内未在 {uri} 响应")

    def stop(self, timeout: float = 60.0) -> bool:
        """Stop the server (SIGTERM, then SIGKILL after ``timeout``); False when it was not running."""
        pid = self.pid()
        if pid is None:
            return False
        self._end_warm_up()  # its queries would hold the server's shutdown for seconds; a later warm-up tidies up
        _signal(pid, signal.SIGTERM)
        clean = _ended(pid, timeout)
        if not clean:
            log.warning("Neo4j did not stop within %.0f s; killing it", timeout)
            _signal(pid, signal.SIGKILL)
            if not _ended(pid, 60):  # a killed JVM with a large heap takes a while to go on a busy machine
                raise ServerError(f"Neo4j (pid {pid}) is still there 60 s after it was killed",
                                  f"Neo4j（进程 {pid}）被强制结束 60 秒后仍未退出")
        self.pid_file.unlink(missing_ok=True)
        classarchive.settle(self.pid_file.parent, clean, self._maps)
        return True

    def _end_warm_up(self) -> None:
        """End the warm-up after the last start if it still runs (graph.store.warm)."""
        try:
            pid = int(self.warming_file.read_text())
            proc = psutil.Process(pid)
            if "graph.store.warm" in " ".join(proc.cmdline()):
                proc.terminate()
                proc.wait(10)
        except (OSError, ValueError, psutil.Error):
            pass
        self.warming_file.unlink(missing_ok=True)

    def last_log_lines(self, n: int = 20) -> str:
        """The last lines of the server's logs, for error messages."""
        out = []
        for name in ("console.log", "neo4j.log"):
            f = self.logs / name
            if f.is_file():
                lines = f.read_text(encoding="utf-8", errors="replace").splitlines()[-n:]
                out.append(f"--- {f}\n" + "\n".join(lines))
        return "\n".join(out)
