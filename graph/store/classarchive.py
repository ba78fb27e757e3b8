"""Neo4j's class-data archive (AppCDS): a server that starts from it loads its classes from memory-mapped files.

Java 17 writes the archive when a JVM started with ``-XX:ArchiveClassesAtExit`` exits: every class it loaded, parsed
and verified. The next JVM started with ``-XX:SharedArchiveFile`` maps them instead of reading ~200 jars
(measured on 5.26: ``db start`` 10.5 s → 5.5 s). An archive holds for one Java and one set of jars, so its name
carries a key of both; a server stopped cleanly turns its dump into the archive (:func:`settle`); a dump left by a
server that was killed or crashed is never used, nor one a JVM cannot start from (a dump cut short, say, which
crashes the JVM that maps it); a server that fails to start from an archive removes it.

>>> key = archive_key(Path("/usr/bin/java"), [])
>>> len(key), key == archive_key(Path("/usr/bin/java"), [])
(16, True)
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger(__name__)

__all__ = ["archive_key", "flags", "forget", "settle"]

#: the file in the server's run folder naming the dump the running server writes when it exits
DUMP_NOTE = "class-archive-dump"


def archive_key(java: Path, jar_dirs: list[Path]) -> str:
    """A key of the Java that runs the server and the jars it loads (name, size and time of each)."""
    h = hashlib.sha256()
    for f in [java.resolve(), *sorted(j for d in jar_dirs if d.is_dir() for j in d.glob("*.jar"))]:
        try:
            st = f.stat()
        except OSError:
            continue
        h.update(f"{f}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:16]


def _folder(lib: Path, home: Path) -> Path:
    """Where archives are kept: beside the jars (every server home of a checkout shares them), else in ``home``."""
    for d in (lib.parent / "cds", home / "cds"):
        try:
            d.mkdir(mode=0o700, exist_ok=True)
        except OSError:
            continue
        if os.access(d, os.W_OK):
            return d
    return home / "cds"


def flags(java: Path, lib: Path, plugins: Path, home: Path, run: Path) -> list[str]:
    """The JVM flag that maps the archive for these jars, or (none yet) the one that writes it when the JVM exits."""
    folder = _folder(lib, home)
    archive = folder / f"neo4j-{archive_key(java, [plugins, lib])}.jsa"
    settle(run, clean=False)  # a dump named by this home's server before, which ended without being stopped
    if archive.is_file() and archive.stat().st_size > 0:
        return [f"-XX:SharedArchiveFile={archive}"]
    for old in folder.glob("neo4j-*.jsa*"):  # archives of other jars or another Java, dumps of killed servers
        if not old.name.startswith(archive.name):
            old.unlink(missing_ok=True)
    dump = archive.with_name(f"{archive.name}.{secrets.token_hex(4)}.dump")  # one per server: two may dump at once
    run.mkdir(parents=True, exist_ok=True)
    (run / DUMP_NOTE).write_text(str(dump), encoding="utf-8")
    return [f"-XX:ArchiveClassesAtExit={dump}"]


def settle(run: Path, clean: bool, maps: Callable[[Path], bool] | None = None) -> Path | None:
    """After the server ended: its dump becomes the archive if it stopped ``clean``ly and a JVM ``maps`` it (a dump
    cut short makes the JVM that maps it crash), else it is removed."""
    note = run / DUMP_NOTE
    try:
        dump = Path(note.read_text(encoding="utf-8"))
    except OSError:
        return None
    note.unlink(missing_ok=True)
    archive = dump.with_name(dump.name.split(".jsa.")[0] + ".jsa")
    try:
        if clean and dump.is_file() and dump.stat().st_size > 0 and (maps is None or maps(dump)):
            os.replace(dump, archive)
            log.info("class-data archive written: %s", archive)
            return archive
        dump.unlink(missing_ok=True)
    except OSError as exc:
        log.warning("class-data archive not kept: %s", exc)
    return None


def forget(used: list[str]) -> None:
    """Remove the archive named in ``used`` (the flags a server that failed to start was given), if any."""
    for flag in used:
        name, _, value = flag.partition("=")
        if name == "-XX:SharedArchiveFile":
            log.warning("not starting from the class-data archive again: %s", value)
            Path(value).unlink(missing_ok=True)
