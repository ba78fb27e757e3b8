"""The snapshot archive: kept only when the load succeeds, read back exactly, dropped and retained as it says."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.store.snapshots import Archive, SnapshotError
from loaders.generate import series, write_csv
from loaders.validate import load_dataset


@pytest.fixture(scope="module")
def month(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("m")
    label, tables = series(1, seed=2)[0]
    write_csv(tables, root)
    return label, load_dataset(root)


def test_a_snapshot_reads_back_exactly(tmp_path: Path, month) -> None:  # type: ignore[no-untyped-def]
    label, ds = month
    arc = Archive(tmp_path)
    with arc.keeping(ds, label):
        pass
    back = arc.dataset(label)
    assert back.tables == ds.tables
    # exactly: the same types too (420 and 420.0 are equal, but a message prints them differently)
    def types(tables: dict) -> dict:  # type: ignore[type-arg]
        return {t: [sorted((k, type(v).__name__) for k, v in r.items()) for r in rows] for t, rows in tables.items()}

    assert types(back.tables) == types(ds.tables)
    assert back.fingerprint == ds.fingerprint
    assert [s.label for s in arc.snapshots()] == [label]
    assert oct(tmp_path.stat().st_mode & 0o777) == "0o700" or arc.root == tmp_path


def test_a_failed_load_keeps_no_snapshot_and_leaves_others_alone(tmp_path: Path, month) -> None:  # type: ignore[no-untyped-def]
    label, ds = month
    arc = Archive(tmp_path)
    with arc.keeping(ds, "2026-01"):
        pass
    with pytest.raises(RuntimeError), arc.keeping(ds, label):
        raise RuntimeError("the load into Neo4j failed")
    assert [s.label for s in arc.snapshots()] == ["2026-01"]
    assert not list(tmp_path.glob(".*"))


def test_a_snapshot_that_cannot_be_written_is_said_before_the_load_switches(tmp_path: Path, month,  # type: ignore[no-untyped-def]
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    label, ds = month
    arc = Archive(tmp_path)

    def full_disk(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("graph.store.snapshots.write_tables", full_disk)
    with pytest.raises(OSError), arc.keeping(ds, label) as written:
        written()  # what a load calls before it makes its data set current
        raise AssertionError("the load went on to switch")
    assert arc.snapshots() == [] and not list(tmp_path.glob(".*"))
    # find: the latest snapshot with a fingerprint, or None
    monkeypatch.undo()
    with arc.keeping(ds, label):
        pass
    found = arc.find(ds.fingerprint)
    assert found is not None and found.tables == ds.tables
    assert arc.find("not a fingerprint") is None


def test_drop_and_retention_remove_exactly_what_they_say(tmp_path: Path, month) -> None:  # type: ignore[no-untyped-def]
    _, ds = month
    arc = Archive(tmp_path, keep=3)
    for m in ("2026-01", "2026-02", "2026-03"):
        with arc.keeping(ds, m):
            pass
    arc.drop("2026-02")
    assert [s.label for s in arc.snapshots()] == ["2026-01", "2026-03"]
    for m in ("2026-04", "2026-05"):
        with arc.keeping(ds, m):
            pass
    assert [s.label for s in arc.snapshots()] == ["2026-03", "2026-04", "2026-05"]
    with pytest.raises(SnapshotError):
        arc.drop("2026-01")
    with pytest.raises(SnapshotError):
        arc.keeping(ds, "../x").__enter__()



def _python(code: str) -> str:
    """What ``code`` prints, run by a fresh interpreter in the project (its imports start from nothing)."""
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=Path(__file__).parents[3]).stdout


def test_a_csv_folder_is_read_and_kept_without_pandas_or_openpyxl(tmp_path: Path) -> None:
    """Importing pandas (0.5 s: pyarrow's ``pa.table({...})`` and ``pq.read_table`` do) or openpyxl (0.2 s) was over
    half of a month's load of Laoting; reading a CSV folder and keeping and reading its snapshot need neither."""
    tiny = Path(__file__).parents[2] / "data" / "tiny"
    said = _python("import sys\n"
                   "from pathlib import Path\nfrom graph.store.snapshots import Archive\n"
                   "from loaders.validate import load_dataset\n"
                   f"ds = load_dataset({str(tiny)!r})\n"
                   f"arc = Archive(Path({str(tmp_path)!r}))\n"
                   "with arc.keeping(ds, 'm'):\n"
                   "    pass\n"
                   "assert arc.dataset('m').tables == ds.tables\n"
                   "print(sorted(m for m in ('pandas', 'openpyxl', 'pyarrow.dataset') if m in sys.modules))\n")
    assert said.strip() == "[]"


def test_pyarrow_takes_pandas_up_later_when_asked_to() -> None:
    """Blocking pandas for the snapshot's conversions does not leave pyarrow without it for the rest of a notebook."""
    said = _python("import pyarrow as pa\n"
                   "from graph.store.snapshots import without_pandas\n"
                   "with without_pandas():\n"
                   "    pa.array([1])\n"
                   "import pandas as pd\n"
                   "t = pa.table(pd.DataFrame({'a': [1, 2]}))\n"
                   "print(t.num_rows, t.to_pandas()['a'].sum())\n")
    assert said.split() == ["2", "3"]
