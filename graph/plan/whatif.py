"""What-if: remove people, agencies or grids and see which findings appear or disappear."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from graph.dataformat import TABLES, Dataset
from graph.findings import Thresholds


def without(ds: Dataset, ids: Iterable[str]) -> Dataset:
    """The data set with the given rows removed, and what depended on them.

    Rows that need a removed row (a link row, or a required reference) go too, and so on; optional
    references to a removed row are emptied.

    >>> ds = Dataset({"grids": [{"id": "G1", "_row": 2}], "grid_assignments": [
    ...     {"person_id": "P1", "grid_id": "G1", "role": "full_time", "_row": 2}]})
    >>> without(ds, ["G1"]).rows("grid_assignments")
    []
    """
    gone = set(ids)
    tables = {name: [dict(r) for r in rows] for name, rows in ds.tables.items()}
    changed = True
    while changed:
        changed = False
        for spec in TABLES:
            rows = tables.get(spec.name)
            if rows is None:
                continue
            keep = []
            for r in rows:
                if spec.has_id and r.get("id") in gone:
                    changed = True
                    continue
                drop = False
                for c in spec.refs:
                    if r.get(c.name) in gone:
                        if c.required or spec.rel:
                            drop = True
                        else:
                            r[c.name] = None
                if drop:
                    if spec.has_id:
                        gone.add(r["id"])
                    changed = True
                    continue
                keep.append(r)
            tables[spec.name] = keep
    return Dataset(tables, ds.fingerprint, ds.source, ds.ignored)


def what_if(ds: Dataset, remove: list[str], thresholds: Thresholds | None = None,
            as_of: datetime | None = None) -> dict[str, Any]:
    """The findings that would appear and disappear if ``remove`` were gone (same moment, same thresholds)."""
    from graph.report import build_report
    from graph.rules.analysis import default_as_of, local_moment

    ids = {r["id"] for rows in ds.tables.values() for r in rows if r.get("id")}
    unknown = sorted(set(remove) - ids)
    as_of = local_moment(as_of) if as_of else default_as_of(ds)
    before = build_report(ds, thresholds, as_of, with_extras=False)["findings"]
    after = build_report(without(ds, remove), thresholds, as_of, with_extras=False)["findings"]
    key = lambda f: (f["rule"], f["subject"]["id"])  # noqa: E731
    b, a = {key(f): f for f in before}, {key(f): f for f in after}
    return {"removed": sorted(set(remove) - set(unknown)), "unknown": unknown, "as_of": as_of.isoformat(),
            "appear": [a[k] for k in sorted(a.keys() - b.keys())],
            "disappear": [b[k] for k in sorted(b.keys() - a.keys())]}


def apply_suggestions(ds: Dataset, report: dict[str, Any]) -> Dataset:
    """The data set as it would be after carrying out the report's concrete suggestions.

    Carried out: full-time assignments for uncovered grids, hand-overs from overloaded workers, new
    pairings and baolian, and part-time back-ups for sole workers. (Advice such as "form a grid group"
    needs people to decide and is left as it is.)
    """
    tables = {name: [dict(r) for r in rows] for name, rows in ds.tables.items()}
    assign = tables.setdefault("grid_assignments", [])
    nxt = max((r["_row"] for rows in tables.values() for r in rows), default=1) + 1

    def add(table: str, row: dict[str, Any]) -> None:
        nonlocal nxt
        tables.setdefault(table, []).append({**row, "_row": nxt})
        nxt += 1

    for f in report["findings"]:
        s = f.get("suggestion") or {}
        kind = s.get("kind")
        if kind == "assign_full_time":
            add("grid_assignments", {"person_id": s["person_id"], "grid_id": s["grid_id"], "role": "full_time"})
        elif kind == "hand_over":
            leaving = f["subject"]["id"]
            for move in s["hand_over"]:
                assign[:] = [a for a in assign if not (a["person_id"] == leaving and a["grid_id"] == move["grid_id"]
                                                       and a["role"] == "full_time")]
                if move.get("person_id"):
                    add("grid_assignments", {"person_id": move["person_id"], "grid_id": move["grid_id"],
                                             "role": "full_time"})
        elif kind == "pair_agency":
            table = "pairings" if f["rule"] == "COMMUNITY_NO_PAIRING" else "baolian"
            add(table, {"agency_id": s["agency_id"], "community_id": f["subject"]["id"], "since": None})
        elif kind == "back_up":
            for b in s["backups"]:
                add("grid_assignments", {"person_id": b["person_id"], "grid_id": b["grid_id"], "role": "part_time"})
    return Dataset(tables, ds.fingerprint, ds.source, ds.ignored)
