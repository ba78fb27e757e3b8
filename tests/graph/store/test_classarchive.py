"""The class-data archive's files: named by the Java and the jars, kept only from a server that stopped cleanly."""

from __future__ import annotations

import os
from pathlib import Path

from graph.store import classarchive


def _setup(tmp_path: Path) -> tuple[Path, Path, Path, Path, Path]:
    java, lib, plugins, home = tmp_path / "java", tmp_path / "jars" / "lib", tmp_path / "plugins", tmp_path / "home"
    java.write_text("#!")
    lib.mkdir(parents=True)
    plugins.mkdir()
    (lib / "neo4j-5.26.jar").write_bytes(b"PK")
    return java, lib, plugins, home, home / "run"


def test_a_clean_stop_keeps_the_dump_as_the_archive_the_next_start_maps(tmp_path: Path) -> None:
    java, lib, plugins, home, run = _setup(tmp_path)
    (dump_flag,) = classarchive.flags(java, lib, plugins, home, run)
    assert dump_flag.startswith("-XX:ArchiveClassesAtExit=")
    dump = Path(dump_flag.split("=", 1)[1])
    assert dump.parent == lib.parent / "cds"  # beside the jars: every home of the checkout shares it
    dump.write_bytes(b"archive")  # what the JVM writes when it exits
    archive = classarchive.settle(run, clean=True)
    assert archive is not None and archive.read_bytes() == b"archive" and not dump.exists()
    assert classarchive.flags(java, lib, plugins, home, run) == [f"-XX:SharedArchiveFile={archive}"]


def test_the_dump_of_a_killed_or_crashed_server_is_never_used(tmp_path: Path) -> None:
    java, lib, plugins, home, run = _setup(tmp_path)
    dump = Path(classarchive.flags(java, lib, plugins, home, run)[0].split("=", 1)[1])
    dump.write_bytes(b"half")
    assert classarchive.settle(run, clean=False) is None and not dump.exists()
    # a server that ended without a stop (found gone at the next start): its dump goes, the next one dumps again
    dump = Path(classarchive.flags(java, lib, plugins, home, run)[0].split("=", 1)[1])
    dump.write_bytes(b"half")
    (again,) = classarchive.flags(java, lib, plugins, home, run)
    assert again.startswith("-XX:ArchiveClassesAtExit=") and not dump.exists()
    assert not list((lib.parent / "cds").glob("*.jsa"))


def test_other_jars_or_another_java_want_an_archive_of_their_own(tmp_path: Path) -> None:
    java, lib, plugins, home, run = _setup(tmp_path)
    first = classarchive.archive_key(java, [plugins, lib])
    jar = lib / "neo4j-5.26.jar"
    os.utime(jar, ns=(jar.stat().st_atime_ns, jar.stat().st_mtime_ns + 1))
    assert classarchive.archive_key(java, [plugins, lib]) != first
    second = classarchive.archive_key(java, [plugins, lib])
    (plugins / "apoc.jar").write_bytes(b"PK")
    assert classarchive.archive_key(java, [plugins, lib]) != second
    # an archive of other jars is removed when the first archive of these is dumped
    old = lib.parent / "cds" / f"neo4j-{first}.jsa"
    old.parent.mkdir()
    old.write_bytes(b"old")
    classarchive.flags(java, lib, plugins, home, run)
    assert not old.exists()


def test_a_dump_no_jvm_can_start_from_is_not_kept_and_a_failed_start_forgets_its_archive(tmp_path: Path) -> None:
    java, lib, plugins, home, run = _setup(tmp_path)
    dump = Path(classarchive.flags(java, lib, plugins, home, run)[0].split("=", 1)[1])
    dump.write_bytes(b"cut short")
    assert classarchive.settle(run, clean=True, maps=lambda p: False) is None and not dump.exists()
    dump = Path(classarchive.flags(java, lib, plugins, home, run)[0].split("=", 1)[1])
    dump.write_bytes(b"whole")
    archive = classarchive.settle(run, clean=True, maps=lambda p: p == dump)
    assert archive is not None
    used = classarchive.flags(java, lib, plugins, home, run)
    classarchive.forget(used)
    assert not archive.exists()
    assert classarchive.flags(java, lib, plugins, home, run)[0].startswith("-XX:ArchiveClassesAtExit=")
