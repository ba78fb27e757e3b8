"""Carry a plan out on a data set: the ledger as it would be after every concrete action of the plan.

Carried out: assignments, hand-overs (the old full-time assignment goes only because someone takes the grid),
part-time back-ups, pairings and baolian. Hires and advice need people to be found or decisions to be made and
leave the data set as it is.

>>> from graph.dataformat import Dataset
>>> ds = Dataset({"grid_assignments": [{"person_id": "P1", "grid_id": "G1", "role": "full_time", "_row": 2}]})
>>> plan = {"actions": [{"kind": "hand_over", "from_person_id": "P1", "grid_id": "G1", "person_id": "P2"},
...                     {"kind": "back_up", "person_id": "P1", "grid_id": "G1"}]}
>>> [(r["person_id"], r["role"]) for r in apply_plan(ds, plan).rows("grid_assignments")]
[('P2', 'full_time'), ('P1', 'part_time')]
"""

from __future__ import annotations

from typing import Any

from graph.dataformat import BY_NAME, Dataset


def apply_plan(ds: Dataset, plan: dict[str, Any]) -> Dataset:
    """A new data set with the plan's concrete actions carried out (``ds`` is left unchanged)."""
    tables = {name: list(rows) for name, rows in ds.tables.items()}
    nxt = max((r.get("_row", 1) for rows in tables.values() for r in rows), default=1) + 1

    def add(table: str, **row: Any) -> None:
        nonlocal nxt
        empty = {c.name: None for c in BY_NAME[table].columns}
        tables.setdefault(table, []).append({**empty, **row, "_row": nxt})
        nxt += 1

    gone: set[tuple[str, str]] = set()
    held = {(r["person_id"], r["grid_id"], r["role"]) for r in tables.get("grid_assignments", [])}
    for a in plan["actions"]:
        kind = a["kind"]
        if kind == "assign":
            add("grid_assignments", person_id=a["person_id"], grid_id=a["grid_id"], role=a["role"])
        elif kind == "hand_over" and a.get("person_id"):
            gone.add((a["from_person_id"], a["grid_id"]))
            if (a["person_id"], a["grid_id"], "full_time") not in held:  # a co-worker already there keeps it
                add("grid_assignments", person_id=a["person_id"], grid_id=a["grid_id"], role="full_time")
        elif kind == "back_up":
            add("grid_assignments", person_id=a["person_id"], grid_id=a["grid_id"], role="part_time")
        elif kind in ("pair", "baolian"):
            add("pairings" if kind == "pair" else "baolian", agency_id=a["agency_id"], community_id=a["community_id"])
    if gone:
        tables["grid_assignments"] = [r for r in tables["grid_assignments"]
                                      if not (r["role"] == "full_time" and (r["person_id"], r["grid_id"]) in gone)]
    return Dataset(tables, ds.fingerprint, ds.source, ds.ignored)
