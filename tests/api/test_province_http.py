"""A province over real HTTP: ``county_id`` narrows every report route to one county (never beyond the caller's own
area), and the dashboard lists the counties first — in headless Chromium, with a screenshot."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlparse

import httpx
import pytest

from api.app import create_app
from api.auth import TokenStore, digest
from graph.store import datasets
from loaders.generate import province, write_csv
from loaders.province import load_province
from tests.api.conftest import TOKENS, serving
from tests.api.test_explorer_browser import User

pytestmark = pytest.mark.neo4j
#: a token limited to the second county of the province
COUNTY_TOKEN = "a-token-county"


@pytest.fixture(scope="module")
def prov(db, settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("province-http")
    names = []
    for code, name, tables in province(3, 0.04, seed=11):
        write_csv(tables, root / code)
        names.append(name)
    ds = load_province(root)
    before = datasets.read_dataset(db)
    datasets.write_dataset(db, ds, wait=True)
    street = next(s["id"] for s in ds.rows("streets") if s["county"] == names[0])
    home = tmp_path_factory.mktemp("province-home")
    tokens = TokenStore([
        {"sha256": digest(TOKENS["viewer"]), "role": "viewer", "name": "省级查看"},
        {"sha256": digest(TOKENS["viewer_st"]), "role": "viewer", "name": "街道查看", "street_id": street},
        {"sha256": digest(COUNTY_TOKEN), "role": "analyst", "name": "县级分析", "county": names[1]},
    ], home / "tokens.jsonl")
    app = create_app(db, settings.model_copy(update={"orgnet_audit_dir": home / "audit"}), tokens)
    try:
        with serving(app) as (base, _):
            app.state.service.prepare()
            yield {"base": base, "counties": names, "street": street, "dataset": ds}
    finally:
        datasets.write_dataset(db, before, wait=True)  # the data set the other tests expect


def get(prov: dict[str, Any], who: str, path: str, **params: Any) -> httpx.Response:
    token = COUNTY_TOKEN if who == "county" else TOKENS[who]
    with httpx.Client(base_url=prov["base"], headers={"Authorization": f"Bearer {token}"}, timeout=300) as c:
        return c.get(path, params=params)


def foreign(ids: list[str] | set[str], code: str) -> list[str]:
    """The ids that belong to another county (generated ids begin with their county's code)."""
    return sorted(i for i in ids if not i.startswith(code) and not i.startswith("county:"))


def test_county_id_narrows_the_report_to_exactly_that_county(prov: dict[str, Any]) -> None:
    whole = get(prov, "viewer", "/api/v1/report").json()
    assert {s["county"] for s in whole["summary"]["streets"]} == set(prov["counties"])
    total = 0
    for name in prov["counties"]:
        part = get(prov, "viewer", "/api/v1/report", county_id=name).json()
        assert part["findings"] == [f for f in whole["findings"] if f["scope"]["county"] == name]
        assert part["findings"] and {s["county"] for s in part["summary"]["streets"]} == {name}
        assert {c["county"] for c in part["summary"]["communities"]} == {name}
        assert part["dataset"]["counts"]["streets"] == sum(1 for s in prov["dataset"].rows("streets")
                                                           if s["county"] == name)
        page = get(prov, "viewer", "/api/v1/findings", county_id=name, page_size=1000).json()
        assert page["total"] == len(part["findings"])
        rows = get(prov, "viewer", "/api/v1/communities", county_id=name).json()
        assert [(r["community_id"], r["county"]) for r in rows] == [(c["community_id"], name)
                                                                    for c in part["summary"]["communities"]]
        total += len(part["findings"])
    assert total == len(whole["findings"])
    download = get(prov, "viewer", "/api/v1/report/download", county_id=prov["counties"][1], format="json").json()
    assert download["findings"] == get(prov, "viewer", "/api/v1/report", county_id=prov["counties"][1]).json()["findings"]


def test_county_id_never_widens_a_limited_caller_and_an_unknown_county_is_404(prov: dict[str, Any]) -> None:
    first, second = prov["counties"][:2]
    mine = get(prov, "viewer_st", "/api/v1/report").json()
    assert mine["findings"] and {f["scope"]["street_id"] for f in mine["findings"]} == {prov["street"]}
    assert get(prov, "viewer_st", "/api/v1/report", county_id=first).json()["findings"] == mine["findings"]
    other = get(prov, "viewer_st", "/api/v1/report", county_id=second).json()
    assert other["findings"] == [] and other["summary"]["streets"] == []
    assert get(prov, "viewer_st", "/api/v1/findings", county_id=second).json()["total"] == 0
    for path in ("/api/v1/report", "/api/v1/findings", "/api/v1/communities", "/api/v1/report/download"):
        r = get(prov, "viewer", path, county_id="没有这个县")
        assert r.status_code == 404 and "没有这个县" in r.text, path


def test_the_dashboard_lists_the_counties_first_and_opens_one(prov: dict[str, Any], browser: Any) -> None:
    u = User(browser, prov["base"])
    u.login("viewer")
    assert u.page.inner_text("h1").startswith("全部 3 个县")
    rows = u.page.locator("#counties tbody tr")
    assert rows.count() == 3
    shown = [rows.nth(i).get_attribute("data-county") for i in range(3)]
    assert sorted(shown) == sorted(prov["counties"])  # type: ignore[type-var]
    top = u.page.locator("#counties-section").bounding_box()
    areas = u.page.locator("#areas").bounding_box()
    assert top and areas and top["y"] < areas["y"]  # the counties come before the streets and communities
    u.shot("province-dashboard")
    name = shown[0] or ""
    with u.page.expect_navigation():
        rows.nth(0).locator("a").first.click()
    assert urlparse(u.page.url).query == f"county_id={quote(name)}"
    u.check()
    assert u.page.inner_text("h1").startswith(name)
    assert u.page.locator("#counties").count() == 0
    crumbs = u.page.inner_text("nav.crumbs")
    assert "全部 3 个县" in crumbs and name in crumbs
    listed = {r.get_attribute("data-id") for r in u.page.locator("#areas tbody tr").all()}
    own = {s["id"] for s in prov["dataset"].rows("streets") if s["county"] == name}
    own |= {c["id"] for c in prov["dataset"].rows("communities") if c["street_id"] in own}
    assert listed == own
    u.shot("province-dashboard-county")
    u.goto("/")  # the county's explorer, from its row: its streets and communities only
    with u.page.expect_navigation():
        u.page.locator(f'#counties tr[data-county="{name}"] a.explore').click()
    u.graph()
    own_ids = {s["id"] for s in prov["dataset"].rows("streets") if s["county"] == name}
    drawn = u.nodes("n => n.kind === 'Street'")
    assert drawn == own_ids and u.page.title().startswith(name)
    u.shot("province-explorer-county")
    missing = u.page.goto(prov["base"] + "/?county_id=" + quote("没有这个县"))
    assert missing is not None and missing.status == 404 and "没有这个县" in u.page.inner_text("body")
    u.errors.remove("Failed to load resource: the server responded with a status of 404 (Not Found)")
    u.close()


def test_a_county_token_sees_its_county_through_every_route(prov: dict[str, Any]) -> None:
    first, mine = prov["counties"][:2]
    code = next(s["id"][:3] for s in prov["dataset"].rows("streets") if s["county"] == mine)
    whole = get(prov, "viewer", "/api/v1/report").json()  # asked first: its cached answer must not be reused
    rep = get(prov, "county", "/api/v1/report").json()
    assert rep["findings"] and rep["findings"] == [f for f in whole["findings"] if f["scope"]["county"] == mine]
    assert {s["county"] for s in rep["summary"]["streets"]} == {mine}
    assert all(a["scope"]["county"] == mine for a in rep["plan"]["actions"])
    assert not foreign({f["subject"]["id"] for f in rep["findings"]}, code)
    assert get(prov, "county", "/api/v1/report", county_id=mine).json()["findings"] == rep["findings"]
    for path in ("/api/v1/report", "/api/v1/findings", "/api/v1/communities", "/api/v1/report/download"):
        assert get(prov, "county", path, county_id=first).status_code == 404, path
    assert get(prov, "county", "/api/v1/findings", page_size=1000).json()["total"] == len(rep["findings"])
    assert {c["county"] for c in get(prov, "county", "/api/v1/communities").json()} == {mine}
    people = prov["dataset"].rows("grid_assignments")
    own = next(a["person_id"] for a in people if a["person_id"].startswith(code))
    other = next(a["person_id"] for a in people if not a["person_id"].startswith(code))
    person = get(prov, "county", f"/api/v1/people/{own}").json()
    assert person["grids"] and all(g["county"] == mine for g in person["grids"])
    assert get(prov, "county", f"/api/v1/people/{other}").status_code == 404
    assert get(prov, "county", "/api/v1/trends").status_code == 404  # the whole province's figures


def test_a_county_token_s_pages_explorer_and_search_stay_in_its_county(prov: dict[str, Any], browser: Any) -> None:
    first, mine = prov["counties"][:2]
    code = next(s["id"][:3] for s in prov["dataset"].rows("streets") if s["county"] == mine)
    other_street = next(s["id"] for s in prov["dataset"].rows("streets") if s["county"] == first)
    own_street = next(s["id"] for s in prov["dataset"].rows("streets") if s["county"] == mine)
    u = User(browser, prov["base"])
    u.goto("/")
    u.page.fill("#token", COUNTY_TOKEN)
    with u.page.expect_navigation():
        u.page.click("form.login button[type=submit]")
    u.check()
    assert u.page.inner_text("h1").startswith(mine)
    assert u.page.locator("#counties").count() == 0
    assert u.page.inner_text("nav.crumbs").split("›")[-1].strip() == mine
    listed = {r.get_attribute("data-id") or "" for r in u.page.locator("#areas tbody tr").all()}
    assert listed and not foreign(listed, code)
    u.shot("province-county-token-dashboard")
    u.goto(f"/streets/{own_street}")
    assert own_street in u.page.content()
    u.goto("/explorer")
    u.graph()
    drawn = u.nodes()
    assert own_street in drawn and not foreign(drawn, code)
    assert u.page.title().startswith(mine) and u.page.inner_text("nav.crumbs").split("›")[-1].strip() == mine
    u.shot("province-county-token-explorer")
    data = u.page.evaluate("fetch('/explorer/data?layers=party,agencies,grids').then(r => r.json())")
    assert data["nodes"] and not foreign({n["id"] for n in data["nodes"]}, code)
    status = u.page.evaluate("fetch('/explorer/data?county_id=" + quote(first) + "').then(r => r.status)")
    assert status == 404  # another county is not theirs to draw
    u.errors.remove("Failed to load resource: the server responded with a status of 404 (Not Found)")
    hits = u.page.evaluate("fetch('/explorer/search?q=" + code[:1] + "').then(r => r.json())")
    assert hits["total"] and not foreign({h["id"] for h in hits["items"]}, code)
    missing = u.page.goto(prov["base"] + f"/streets/{other_street}")
    assert missing is not None and missing.status == 404
    u.errors.remove("Failed to load resource: the server responded with a status of 404 (Not Found)")
    u.close()
