"""Small data sets for rule tests: a minimal valid county to which a test adds what it needs."""

from __future__ import annotations

import copy
import functools
import tempfile
from pathlib import Path
from typing import Any

from graph.dataformat import TABLES, Dataset
from loaders.generate import Profile, generate, write_csv
from loaders.validate import load_dataset

SMALL = Profile(streets=1, communities=3, res_grids=6, res_grid_branches=3, res_grid_groups=3, full_time=6,
                part_time=10, other_grids=3, other_grid_branches=1, other_grid_groups=2, other_part_time=3,
                agencies=4, paired_agencies=3, reported_members=10, unreported_members=2, staff=6, compounds=3,
                home_branches=2, projects=2, demo_city=1, demo_county=1, resolved_demands=20, open_demands=10,
                big_centres=1)


def small_county(seed: int, folder: Path) -> Dataset:
    """A small generated county, validated as the loaders would."""
    write_csv(generate(SMALL, seed=seed), folder)
    return load_dataset(folder)


@functools.cache
def county(seed: int) -> Dataset:
    """:func:`small_county` for ``seed``, made once per test session (tests never change a Dataset in place)."""
    with tempfile.TemporaryDirectory() as tmp:
        return small_county(seed, Path(tmp))


def base() -> dict[str, list[dict[str, Any]]]:
    """One street, one community (meeting every standard), one residential grid of 400 households with one
    full-time worker, its grid branch with a secretary, one agency paired and holding baolian."""
    return copy.deepcopy({
        "streets": [{"id": "S1", "name": "北街", "county": "示例县"}],
        "communities": [{"id": "C1", "name": "北苑", "street_id": "S1", "households": 400, "population": 1000,
                         "service_center_m2": 600, "work_funds": 50000, "service_funds": 100000}],
        "grids": [{"id": "G1", "name": "一网格", "kind": "residential", "community_id": "C1", "households": 400}],
        "party_orgs": [
            {"id": "O0", "name": "县委", "kind": "county_committee", "secretary_id": "P9"},
            {"id": "O1", "name": "街道党工委", "kind": "street_committee", "parent_id": "O0", "area_id": "S1",
             "secretary_id": "P9"},
            {"id": "O2", "name": "社区党委", "kind": "community_committee", "parent_id": "O1", "area_id": "C1",
             "secretary_id": "P2"},
            {"id": "O3", "name": "网格党支部", "kind": "grid_branch", "parent_id": "O2", "area_id": "G1",
             "secretary_id": "P2"},
            {"id": "O4", "name": "单位党组织", "kind": "agency_org", "parent_id": "O0", "area_id": "A1",
             "secretary_id": "P9"}],
        "people": [{"id": "P1", "name": "甲", "party_member": False}, {"id": "P2", "name": "乙", "party_member": True},
                   {"id": "P9", "name": "丙", "party_member": True}],
        "grid_assignments": [{"person_id": "P1", "grid_id": "G1", "role": "full_time"},
                             {"person_id": "P2", "grid_id": "G1", "role": "part_time"}],
        "community_staff": [{"person_id": "P2", "community_id": "C1", "position": "secretary"}],
        "agencies": [{"id": "A1", "name": "县民政局", "kind": "agency"}],
        "pairings": [{"agency_id": "A1", "community_id": "C1"}],
        "baolian": [{"agency_id": "A1", "community_id": "C1"}],
    })


def dataset(tables: dict[str, list[dict[str, Any]]]) -> Dataset:
    """Typed rows with every column present and spreadsheet row numbers."""
    out = {}
    for spec in TABLES:
        if spec.name in tables:
            out[spec.name] = [{**{c.name: None for c in spec.columns}, **r, "_row": i + 2}
                              for i, r in enumerate(tables[spec.name])]
    return Dataset(out)
