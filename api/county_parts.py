"""Each county's part of a kept snapshot, cut once by the scoping function and kept beside it, for ``--workers``.

``orgnet report --workers N`` needs each county's ledgers apart. Reading the whole data set from Neo4j and cutting
it on every run costs the driver the whole data set's memory and one pass over it per county; the snapshot kept
for the current data set (the same fingerprint: the same rows) is cut instead, once, and its parts are kept in the
snapshot's folder (``counties/``), so later runs hand the workers file paths straight away: the driver never holds
more than one county.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from dataclasses import dataclass

from graph.store.snapshots import Archive, Snapshot

log = logging.getLogger(__name__)
FOLDER = "counties"


@dataclass(frozen=True)
class Parts:
    """Each county's extract (:func:`api.distributed.dump_extract`), largest first, and the data set's moment."""

    extracts: dict[str, str]
    moment: str


def county_parts(archive: Archive, snap: Snapshot) -> Parts:
    """The parts of ``snap``: kept ones, or cut now (and kept) from its data set."""
    folder = snap.path / FOLDER
    index = folder / "index.json"
    if index.is_file():
        meta = json.loads(index.read_text(encoding="utf-8"))
        return Parts({c: str(folder / f) for c, f in meta["extracts"].items()}, meta["moment"])
    return _cut(archive, snap)


def _cut(archive: Archive, snap: Snapshot) -> Parts:
    from api.distributed import cut_counties
    from graph.moment import default_as_of

    ds = archive.dataset(snap.label)
    moment = default_as_of(ds).isoformat()
    tmp = snap.path / f".{FOLDER}.{os.getpid()}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(mode=0o700)
    try:
        files = cut_counties(ds, tmp)
        meta = {"moment": moment, "extracts": files}
        (tmp / "index.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
        try:
            os.replace(tmp, snap.path / FOLDER)
        except OSError:  # another run kept them first: theirs are the same
            shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    folder = snap.path / FOLDER
    log.info("cut snapshot %s into %d counties", snap.label, len(files))
    return Parts({c: str(folder / f) for c, f in files.items()}, moment)
