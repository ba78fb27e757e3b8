"""Reports kept beside a snapshot: built once per data set, thresholds, moment and version of the analysis code.

A report is a function of the data set's rows (a snapshot's fingerprint), the thresholds, the moment and the code
of :mod:`graph`; the file's name holds all four (the code as a hash of every source file of the package), so
that a report kept by an earlier version of orgnet, or for other thresholds, is never read back. Writing one
removes what earlier versions of the code kept in the same folder.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> k = key(None, None)
>>> get(folder, k) is None
True
>>> put(folder, k, {"findings": []}); get(folder, k)
{'findings': []}
>>> get(folder, key(None, datetime(2026, 1, 1))) is None
True
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph.atomic import written_whole

if TYPE_CHECKING:
    from graph.findings import Thresholds

log = logging.getLogger(__name__)
#: the package whose code makes the reports
_PACKAGE = Path(__file__).resolve().parents[1]
#: reports kept per snapshot (the default report and those of other thresholds and moments), the newest
KEEP = 8


@functools.cache
def code_version() -> str:
    """A hash of every source file of the analysis package (:mod:`graph`): it changes with any change of code.

    >>> len(code_version())
    12
    """
    h = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*.py")):
        h.update(str(path.relative_to(_PACKAGE)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:12]


def key(thresholds: Thresholds | None, as_of: datetime | None) -> str:
    """The name of the report of ``thresholds`` (the defaults when None) at ``as_of`` (the data's own moment when
    None), made by this code: ``report-<code>-<settings>``."""
    from graph.findings import Thresholds

    settings = json.dumps({"thresholds": (thresholds or Thresholds()).model_dump(),
                           "as_of": as_of.isoformat() if as_of else None}, sort_keys=True, default=str)
    return f"report-{code_version()}-{hashlib.sha256(settings.encode()).hexdigest()[:12]}"


def basis_name() -> str:
    """The name of what later reports compare a snapshot's report with (graph.history.basis), made by this code."""
    return f"basis-{code_version()}"


def get(folder: Path, name: str) -> dict[str, Any] | None:
    """What is kept in ``folder`` as ``name`` (:func:`key`, :func:`basis_name`), or None (none, or unreadable)."""
    path = folder / f"{name}.json"
    try:
        report: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:  # a damaged file costs a rebuild, never the report
        log.warning("kept report %s cannot be read: %s", path, exc)
        return None
    return report


def put(folder: Path, name: str, value: dict[str, Any]) -> None:
    """Keep ``value`` (a report, or its basis) in ``folder`` as ``name``, written whole or not at all (and
    :func:`prune` the folder)."""
    with written_whole(folder / f"{name}.json") as fh:
        fh.write(json.dumps(value, ensure_ascii=False, default=str))
    prune(folder)


def prune(folder: Path, keep: int = KEEP) -> None:
    """Remove what other versions of the code kept in ``folder`` (reports and their bases, and the unversioned
    ``report.json`` and ``basis.json`` of orgnet before this module), and all but the ``keep`` reports written
    last: each moment asked for (``--as-of``, the API's ``as_of``) is a report of its own, and no caller may fill
    the disk with them."""
    mine = (f"report-{code_version()}-", f"{basis_name()}.")
    for old in [*folder.glob("report-*.json"), *folder.glob("basis-*.json"), folder / "report.json",
                folder / "basis.json"]:
        if old.is_file() and not old.name.startswith(mine):
            old.unlink(missing_ok=True)
    kept = []
    for p in folder.glob(f"report-{code_version()}-*.json"):
        try:
            kept.append((p.stat().st_mtime_ns, p.name, p))
        except FileNotFoundError:  # removed meanwhile by another process
            continue
    for _, _, p in sorted(kept, reverse=True)[keep:]:
        p.unlink(missing_ok=True)
