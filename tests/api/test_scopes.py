"""Scopes hold for every role and every answer (issue 11, points 4 and 5): report, totals, counts, people,
what-if, ranking, downloads and the explorer — over real HTTP against the real Neo4j."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from graph.scope import Area, scope_dataset
from tests.api.conftest import LIMITED_COMMUNITY, client

pytestmark = pytest.mark.neo4j


def _grid_places(server: dict[str, Any]) -> dict[str, str | None]:
    return {g["id"]: g.get("community_id") for g in server["dataset"].rows("grids")}


def test_an_analyst_with_a_community_scope_is_limited_like_a_viewer(server: dict[str, Any]) -> None:
    ds = server["dataset"]
    grid_of = _grid_places(server)
    outsider = next(a["person_id"] for a in ds.rows("grid_assignments")
                    if grid_of[a["grid_id"]] not in (LIMITED_COMMUNITY, None))
    with client(server, "analyst_c1") as c:
        rep = c.get("/api/v1/report").json()
        assert rep["findings"] and all(f["scope"]["community_id"] == LIMITED_COMMUNITY for f in rep["findings"])
        assert all(r["scope"]["community_id"] == LIMITED_COMMUNITY for r in rep["ranking"])
        by_rule: dict[str, int] = {}
        for f in rep["findings"]:
            by_rule[f["rule"]] = by_rule.get(f["rule"], 0) + 1
        assert rep["summary"]["by_rule"] == dict(sorted(by_rule.items()))
        assert rep["dataset"]["counts"] == scope_dataset(ds, Area(None, LIMITED_COMMUNITY)).counts()
        assert rep["dataset"]["counts"]["communities"] == 1 and rep["dataset"]["counts"]["grids"] < len(grid_of)
        assert "/" not in rep["dataset"]["source"]  # a file name, never the server's path
        assert c.get(f"/api/v1/people/{outsider}").status_code == 404
        page = c.get("/api/v1/findings", params={"page_size": 1000}).json()
        assert page["total"] == len(rep["findings"])
        for fmt in ("csv", "json"):
            body = c.get("/api/v1/report/download", params={"format": fmt}).text
            others = {f["subject"]["id"] for f in _all_findings(server) if f["scope"].get("community_id")
                      not in (LIMITED_COMMUNITY, None)} - {f["subject"]["id"] for f in rep["findings"]}
            assert not any(re.search(rf"\b{re.escape(o)}\b", body) for o in others), fmt


def _all_findings(server: dict[str, Any]) -> list[dict[str, Any]]:
    with client(server, "analyst") as c:
        findings: list[dict[str, Any]] = c.get("/api/v1/report").json()["findings"]
    return findings


def test_whatif_answers_only_inside_the_scope(server: dict[str, Any]) -> None:
    ds = server["dataset"]
    grid_of = _grid_places(server)
    insider = next(a["person_id"] for a in ds.rows("grid_assignments") if grid_of[a["grid_id"]] == LIMITED_COMMUNITY)
    outsider = next(a["person_id"] for a in ds.rows("grid_assignments")
                    if grid_of[a["grid_id"]] not in (LIMITED_COMMUNITY, None))
    agencies = [a["id"] for a in ds.rows("agencies")]
    with client(server, "analyst") as c:
        whole = c.post("/api/v1/whatif", json={"remove": agencies[:20]}).json()
    assert any(f["scope"].get("community_id") != LIMITED_COMMUNITY for f in whole["appear"] + whole["disappear"])
    with client(server, "analyst_c1") as c:
        r = c.post("/api/v1/whatif", json={"remove": [insider, outsider, *agencies[:20]]}).json()
    assert insider in r["removed"] and outsider in r["unknown"] and outsider not in r["removed"]
    assert all(f["scope"].get("community_id") == LIMITED_COMMUNITY for f in r["appear"] + r["disappear"])


def test_a_person_shows_only_their_grids_inside_the_scope(server: dict[str, Any]) -> None:
    ds = server["dataset"]
    grid_of = _grid_places(server)
    places: dict[str, set[str | None]] = {}
    for a in ds.rows("grid_assignments"):
        places.setdefault(a["person_id"], set()).add(grid_of[a["grid_id"]])
    both = next(p for p, cs in places.items() if LIMITED_COMMUNITY in cs and len(cs) > 1)
    with client(server, "analyst") as c:
        assert {g["community_id"] for g in c.get(f"/api/v1/people/{both}").json()["grids"]} == places[both]
    for who in ("analyst_c1", "viewer_c1"):
        with client(server, who) as c:
            person = c.get(f"/api/v1/people/{both}").json()
        assert person["grids"] and {g["community_id"] for g in person["grids"]} == {LIMITED_COMMUNITY}, who
        assert all(f["scope"]["community_id"] == LIMITED_COMMUNITY for f in person["findings"])


def test_ranking_is_scoped_the_same_for_every_role(server: dict[str, Any]) -> None:
    """The ranking is the county's (its top people), limited to the scope — the same for every role."""
    with client(server, "viewer") as c, client(server, "analyst") as a:
        whole = c.get("/api/v1/report").json()["ranking"]
        assert whole and a.get("/api/v1/report").json()["ranking"] == whole
    rankings = {}
    for who in ("viewer_c1", "analyst_c1", "viewer_street"):
        with client(server, who) as c:
            rankings[who] = c.get("/api/v1/report").json()["ranking"]
    assert rankings["viewer_c1"] == rankings["analyst_c1"] == [
        r for r in whole if r["scope"]["community_id"] == LIMITED_COMMUNITY]
    assert rankings["viewer_street"] == [r for r in whole if r["scope"]["street_id"] == server["street"]]
    assert all("scope" in r for r in whole)


def _view_data(c: httpx.Client, **params: str) -> dict[str, Any]:
    """What the explorer page draws for ``params``: the page itself, then the data its script fetches."""
    page = c.get("/explorer", params=params)
    assert page.status_code == 200, page.text[:300]
    data = c.get("/explorer/data", params=params)
    assert data.status_code == 200, data.text[:300]
    out: dict[str, Any] = data.json()
    out["page"] = page.text
    out["findings"] = {n: i["findings"] for n, i in out["info"].items() if i.get("findings")}
    out["kinds"] = {n["id"]: n["kind"] for n in out["nodes"]}  # English labels (info's are Chinese)
    return out


def test_a_street_viewer_explorer_shows_their_street_only(server: dict[str, Any]) -> None:
    ds, street = server["dataset"], server["street"]
    other_street = next(s for s in ds.rows("streets") if s["id"] != street)
    other_community = next(c["id"] for c in ds.rows("communities") if c["street_id"] != street)
    with client(server, "viewer_street") as c:
        plain = _view_data(c)
        empty = _view_data(c, community_id="")
        for params in ({"community_id": other_community}, {"street_id": other_street["id"]}):
            assert c.get("/explorer", params=params).status_code == 404
            assert c.get("/explorer/data", params=params).status_code == 404
        mine = c.get("/api/v1/report").json()
    for view in (plain, empty):
        info = view["info"]
        assert street in info and other_street["id"] not in info
        assert set(view["kinds"].values()) >= {"Street", "Community", "Grid"} and set(view["kinds"]) == set(info)
        assert not any(k.startswith("county:") for k in info)
    subjects = {f["subject"]["id"] for f in mine["findings"]}
    assert plain["findings"] and set(plain["findings"]) <= subjects


def test_a_community_page_shows_no_finding_from_another_street(server: dict[str, Any]) -> None:
    """A worker drawn on a community page may have findings scoped elsewhere (SOLE_WORKER about grids of another
    street): the page is built from the report limited to the page's own area, so they never show."""
    with client(server, "viewer") as c:
        view = _view_data(c, community_id=LIMITED_COMMUNITY)
        rep = c.get("/api/v1/report").json()
    inside = {(f["subject"]["id"], f["rule"]) for f in rep["findings"]
              if f["scope"].get("community_id") == LIMITED_COMMUNITY}
    shown = {(sid, f["rule"]) for sid, fs in view["findings"].items() for f in fs}
    assert shown and shown <= inside
    drawn = set(view["info"])
    elsewhere = {(f["subject"]["id"], f["rule"]) for f in rep["findings"]
                 if f["subject"]["id"] in drawn and f["scope"].get("community_id") != LIMITED_COMMUNITY}
    assert elsewhere, "the data have drawn workers with findings scoped elsewhere (else this test proves nothing)"
    assert not (shown & elsewhere)


def test_a_community_viewer_plain_explorer_is_their_community(server: dict[str, Any]) -> None:
    ds = server["dataset"]
    name = next(c["name"] for c in ds.rows("communities") if c["id"] == LIMITED_COMMUNITY)
    for who in ("viewer_c1", "analyst_c1"):
        with client(server, who) as c:
            view = _view_data(c)
            assert c.get("/explorer", params={"street_id": server["street"]}).status_code == 404
        assert name in view["page"]
        info = view["info"]
        assert {k for k, v in view["kinds"].items() if v == "Community"} == {LIMITED_COMMUNITY} and info
