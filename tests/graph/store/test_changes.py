"""What a month changed, row by row (pure: no database)."""

from __future__ import annotations

import copy

from graph.dataformat import TABLES, Dataset
from graph.store.changes import changes, relinkable
from graph.store.patch import MAX_SHARE, worth_it
from loaders.validate import load_dataset
from tests.conftest import TINY


def test_the_same_rows_are_no_change() -> None:
    ds = load_dataset(TINY)
    assert changes(ds, copy.deepcopy(ds)) == {}


def test_a_row_inserted_at_the_top_moves_the_rows_below_it_and_changes_nothing_else() -> None:
    ds = load_dataset(TINY)
    new = copy.deepcopy(ds)
    for r in new.tables["people"]:
        r["_row"] += 1
    new.tables["people"].insert(0, {**new.tables["people"][0], "id": "P-NEW", "_row": 2})
    chg = changes(ds, new)["people"]
    assert [r["id"] for r in chg.added] == ["P-NEW"]
    assert not chg.removed and not chg.changed and not chg.relinked
    assert sorted(i for i, _ in chg.moved) == sorted(r["id"] for r in ds.rows("people"))
    assert all(row == old["_row"] + 1 for (i, row), old in zip(chg.moved, ds.rows("people"), strict=True))


def test_a_changed_reference_is_relinked_and_a_blanked_value_is_a_change() -> None:
    ds = load_dataset(TINY)
    new = copy.deepcopy(ds)
    grids = new.tables["grids"]
    other = next(c["id"] for c in ds.rows("communities") if c["id"] != grids[0]["community_id"])
    grids[0]["community_id"] = other
    person = next(p for p in new.tables["people"] if p.get("phone"))
    person["phone"] = None
    chg = changes(ds, new)
    assert chg["grids"].relinked == {"community_id": [[grids[0]["id"], other]]}
    assert [r["id"] for r in chg["people"].changed] == [person["id"]] and not chg["people"].relinked


def test_link_rows_are_matched_by_all_their_columns() -> None:
    ds = load_dataset(TINY)
    new = copy.deepcopy(ds)
    links = new.tables["grid_assignments"]
    first = dict(links[0])
    del links[0]
    for r in links:
        r["_row"] -= 1
    links.append({**first, "role": "part_time" if first["role"] == "full_time" else "full_time",
                  "_row": links[-1]["_row"] + 1})
    chg = changes(ds, new)["grid_assignments"]
    assert chg.removed == [[first["person_id"], first["grid_id"], first["_row"]]]
    assert [(r["person_id"], r["grid_id"], r["role"]) for r in chg.added] == [
        (first["person_id"], first["grid_id"], links[-1]["role"])]
    assert len(chg.moved) == len(links) - 1
    assert chg.shared_pairs is False


def test_a_street_moving_county_relinks_its_county() -> None:
    ds = load_dataset(TINY)
    new = copy.deepcopy(ds)
    new.tables["streets"][0]["county"] = "新县"
    assert changes(ds, new)["streets"].relinked == {"county": [[ds.rows("streets")[0]["id"], "新县"]]}


def test_every_relationship_a_node_leaves_by_is_its_own_columns() -> None:
    """A changed reference removes the node's outgoing relationships of that type: no other column (nor a link
    table starting at the same table) may use the type, or the patch would remove theirs too."""
    for t in TABLES:
        if not t.label:
            continue
        own = ["IN_COUNTY" if c == "county" else t.column(c).rel for c in relinkable(t)]
        links = [x.rel for x in TABLES if x.rel and t.name in x.refs[0].refs]
        assert len(own) == len(set(own)) and not set(own) & set(links), t.name


def test_many_changes_are_loaded_whole() -> None:
    ds = load_dataset(TINY)
    new = Dataset({k: [dict(r) for r in v] for k, v in ds.tables.items()})
    rows = sum(ds.counts().values())
    edits = 0
    for r in new.tables["people"]:
        if edits > MAX_SHARE * rows:
            break
        r["name"] = r["name"] + "（改）"
        edits += 1
    assert worth_it(changes(ds, new), new) is False
    assert worth_it(changes(ds, ds), ds) is True
