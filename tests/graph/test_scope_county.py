"""graph.scope for a province: a report or data set limited to one county holds exactly that county, nothing else."""

from __future__ import annotations

import pytest

from graph.dataformat import TABLES
from graph.report import build_report
from graph.rules.analysis import default_as_of
from graph.scope import Area, scope_dataset, scope_report
from loaders.generate import province, write_csv
from loaders.province import load_province
from loaders.validate import load_dataset


def plain(findings: list[dict]) -> list[dict]:  # type: ignore[type-arg]
    """What a finding says, without the plan's action ids (the plan numbers its actions over the whole data set)."""
    return [{k: f.get(k) for k in ("rule", "category", "severity", "subject", "scope", "metrics", "message")}
            for f in findings]


@pytest.fixture(scope="module")
def three(tmp_path_factory: pytest.TempPathFactory) -> dict:  # type: ignore[type-arg]
    root = tmp_path_factory.mktemp("province")
    counties = []
    for code, name, tables in province(3, 0.04, seed=5):
        write_csv(tables, root / code)
        counties.append((code, name, load_dataset(root / code)))
    whole = load_province(root)
    moment = default_as_of(whole)
    return {"whole": whole, "report": build_report(whole, as_of=moment), "moment": moment, "counties": counties}


def test_a_county_of_the_report_is_the_county_s_own_report(three: dict) -> None:  # type: ignore[type-arg]
    whole = three["report"]
    for _code, name, alone_ds in three["counties"]:
        alone = build_report(alone_ds, as_of=three["moment"])
        part = scope_report(whole, Area(county=name))
        assert plain(part["findings"]) == plain(alone["findings"]), name
        assert part["summary"]["communities"] == alone["summary"]["communities"]
        assert part["summary"]["streets"] == alone["summary"]["streets"]
        assert part["summary"]["by_rule"] == alone["summary"]["by_rule"]
        assert part["scope"] == {"street_id": None, "community_id": None, "county": name}
        kinds = lambda plan: sorted((a["kind"], str(a["scope"]["street_id"]), str(a["scope"]["community_id"]))  # noqa: E731
                                    for a in plan["actions"])
        assert part["plan"]["actions"] and kinds(part["plan"]) == kinds(alone["plan"])
        assert part["plan"]["summary"]["cleared"] == alone["plan"]["summary"]["cleared"]
    found = sum(len(scope_report(whole, Area(county=n))["findings"]) for _, n, _ in three["counties"])
    assert found == len(whole["findings"])  # every finding lies in exactly one county


def test_a_county_of_the_data_set_holds_only_its_own_rows(three: dict) -> None:  # type: ignore[type-arg]
    for code, name, alone in three["counties"]:
        part = scope_dataset(three["whole"], Area(county=name))
        for t in TABLES:
            for row in part.rows(t.name):
                ids = [v for c in (*t.refs, *([t.column("id")] if t.has_id else [])) if (v := row.get(c.name))]
                assert all(str(v).startswith(code) for v in ids), (t.name, row)  # generated ids carry the county
        for t in TABLES:  # exactly the county's own ledgers, row for row
            assert sorted(map(repr, part.rows(t.name))) == sorted(map(repr, alone.rows(t.name))), (name, t.name)


def test_a_street_and_a_county_together_are_their_intersection(three: dict) -> None:  # type: ignore[type-arg]
    (_, first, ds), (_, second, _) = three["counties"][:2]
    street = ds.rows("streets")[0]["id"]
    assert scope_report(three["report"], Area(street_id=street, county=second))["findings"] == []
    mine = scope_report(three["report"], Area(street_id=street, county=first))["findings"]
    assert mine and mine == scope_report(three["report"], Area(street_id=street))["findings"]
