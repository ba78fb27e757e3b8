"""The HTML front door: login, the dashboard at ``/``, street and community pages, the explorer, and /docs.

Every page's data is the current report limited to the viewer's area by ``graph.scope.scope_report`` (and, for an
area page, limited again to that area by the same function): no page filters on its own.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from api import explorer
from api.auth import Principal, TokenStore
from api.index import Snapshot
from api.report.labels import SHARE_EN, SHARE_ZH
from api.report.view import since as since_view
from api.service import ReportService
from api.web import docs, static
from api.web.nodeinfo import node_info
from api.web.render import render
from api.web.search import search
from api.web.session import (
    COOKIE,
    ContentSecurityPolicy,
    IdentityClash,
    NeedLogin,
    TokenExchanged,
    page_principal,
    safe_next,
    same_origin,
    set_login_cookie,
)
from api.web.views import (
    area_rows,
    by_severity_category,
    county_rows,
    finding_rows,
    headline,
    people_rows,
    plan_summary,
)
from graph.colours import display_settings
from graph.errors import OrgnetError
from graph.scope import Area, scope_report

LOGIN_ERRORS = {"bad-token": "令牌无效或已撤销 / the token is not valid (or was revoked)",
                "expired": "登录已失效，请重新登录 / your session has ended, please log in again",
                "origin": "请从本站的登录页提交 / please submit the form from this site's login page"}


def install(app: FastAPI, service: ReportService, tokens: TokenStore) -> None:
    """Add the pages, the static files, /docs and /openapi.json, the login redirects and the CSP to ``app``."""
    app.include_router(router(service, tokens))
    app.include_router(static.router())
    app.include_router(docs.router(app, tokens))
    app.add_middleware(ContentSecurityPolicy)

    @app.exception_handler(NeedLogin)
    async def to_login(request: Request, exc: NeedLogin) -> Response:
        return RedirectResponse(exc.location(), status_code=303)

    @app.exception_handler(TokenExchanged)
    async def exchanged(request: Request, exc: TokenExchanged) -> Response:
        resp = RedirectResponse(exc.clean_url, status_code=303)
        set_login_cookie(resp, request, exc.token)
        return resp

    @app.exception_handler(PageError)
    async def page_error(request: Request, exc: PageError) -> Response:
        return render("error.html", exc.status, code=exc.status, message=exc.message, crumbs=[], user=None,
                      headline={404: "不存在或不可见 / not found", 503: "暂不可用 / unavailable"}.get(exc.status, ""))

    @app.exception_handler(IdentityClash)
    async def clash(request: Request, exc: IdentityClash) -> Response:
        return render("clash.html", 409, who=exc.current, clean_url=exc.clean_url, crumbs=[], user=exc.current)


class PageError(Exception):
    """A page that cannot be shown: an HTML answer with its status (the API's routes answer JSON)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def router(service: ReportService, tokens: TokenStore) -> APIRouter:
    r = APIRouter(include_in_schema=False)

    def snapshot() -> Snapshot:
        try:
            return service.report()
        except LookupError:
            raise PageError(404, "尚未载入数据集 / no data set loaded") from None
        except OrgnetError as exc:
            raise PageError(503, exc.bilingual()) from None

    def who(request: Request) -> Principal:
        return page_principal(request, tokens)

    def names(snap: Snapshot) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]], str]:
        ds = snap.ds
        streets = {s["id"]: s for s in ds.rows("streets")}
        comms = {c["id"]: c for c in ds.rows("communities")}
        return streets, comms, explorer.view_title(ds, None, None)

    def place(snap: Snapshot, street_id: str | None, community_id: str | None = None) -> dict[str, str | None]:
        """Where a street or community lies, as a scope (with its county) for :meth:`Area.contains`."""
        streets, comms, _ = names(snap)
        street_id = street_id or (comms[community_id]["street_id"] if community_id else None)
        return {"street_id": street_id, "community_id": community_id,
                "county": streets[street_id]["county"] if street_id in streets else None}

    def crumbs(snap: Snapshot, user: Principal, street_id: str | None = None,
               community_id: str | None = None, county: str | None = None) -> list[tuple[str, str | None]]:
        """(全部县 ›) 县 › 街道 › 社区, each a link when the viewer may open it."""
        streets, comms, title = names(snap)
        if community_id and not street_id:
            street_id = comms[community_id]["street_id"]
        province = len(snap.counties) > 1
        out: list[tuple[str, str | None]] = [(title if province else f"{title}（县）",
                                              "/" if user.area.is_whole else None)]
        county = county or (streets[street_id]["county"] if street_id else None)
        if province and county:
            mine = user.area.is_whole or not (user.street_id or user.community_id)
            out.append((county, f"/?county_id={quote(county)}" if mine else None))
        if street_id:
            out.append((streets[street_id]["name"], None if user.community_id else f"/streets/{street_id}"))
        if community_id:
            out.append((comms[community_id]["name"], f"/communities/{community_id}"))
        return out

    def base(snap: Snapshot, user: Principal) -> dict[str, Any]:
        rep = snap.report
        return {"user": user, "fingerprint": rep["dataset"]["fingerprint"], "as_of": _date(rep["as_of"]),
                "role_zh": {"viewer": "查看", "analyst": "分析", "admin": "管理"}[user.role]}

    @r.get("/login")
    def login_page(request: Request, next: str = "/", error: str = "") -> Response:
        return render("login.html", next=safe_next(next), error=LOGIN_ERRORS.get(error, ""), crumbs=[], user=None)

    @r.post("/login")
    async def login(request: Request) -> Response:
        form = await request.form()
        target = safe_next(str(form.get("next") or "/"))
        if not same_origin(request):
            return render("login.html", 403, next=target, error=LOGIN_ERRORS["origin"], crumbs=[], user=None)
        token = str(form.get("token") or "").strip()
        if tokens.resolve(token) is None:
            return render("login.html", 401, next=target, error=LOGIN_ERRORS["bad-token"], crumbs=[], user=None)
        resp = RedirectResponse(target, status_code=303)
        set_login_cookie(resp, request, token)
        return resp

    @r.post("/logout")
    def logout(request: Request) -> Response:
        if not same_origin(request):
            raise PageError(403, "请从本站页面退出 / log out from this site's pages")
        resp = RedirectResponse("/login", status_code=303)
        resp.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
        return resp

    @r.get("/", response_class=HTMLResponse)
    def dashboard(request: Request, county_id: str | None = None) -> Response:
        user = who(request)
        snap = snapshot()
        try:
            area = snap.narrowed(user.area, county_id or None)
        except LookupError as exc:
            raise PageError(404, str(exc)) from None
        county = area.county
        rep = scope_report(snap.report, area)
        if user.community_id:
            here = crumbs(snap, user, community_id=user.community_id, county=county)
        else:
            here = crumbs(snap, user, street_id=user.street_id, county=county)
        shown = display_settings()
        red, amber = shown.score_red_below, shown.score_amber_below
        streets = {s["id"]: s["name"] for s in snap.ds.rows("streets")}
        return render("dashboard.html", **base(snap, user), crumbs=here, tiles=headline(rep),
                      rows=area_rows(rep, streets), counties=county_rows(rep),
                      matrix=by_severity_category(rep["findings"]), plan=plan_summary(rep), red=red, amber=amber,
                      title=here[-1][0], since=since_view(rep))

    def area_page(request: Request, street_id: str | None, community_id: str | None) -> Response:
        user = who(request)
        snap = snapshot()
        streets, comms, _ = names(snap)
        if community_id is not None:
            if community_id not in comms:
                raise PageError(404, "没有这个社区 / no such community")
            street_id = comms[community_id]["street_id"]
        elif street_id not in streets:
            raise PageError(404, "没有这个街道 / no such street")
        area = Area(street_id, community_id)
        if not user.area.contains(place(snap, street_id, community_id)) or (user.community_id and not community_id):
            raise PageError(404, "不存在或不可见 / not found or not visible")
        rep = scope_report(scope_report(snap.report, user.area), area)
        cids = {c["community_id"] for c in rep["summary"]["communities"]}
        row = next((c for c in rep["summary"]["communities"] if c["community_id"] == community_id), None) \
            if community_id else next((s for s in rep["summary"]["streets"] if s["street_id"] == street_id), None)
        return render("area.html", **base(snap, user), crumbs=crumbs(snap, user, street_id, community_id),
                      kind="社区" if community_id else "街道", kind_en="community" if community_id else "street",
                      title=(comms[community_id] if community_id else streets[street_id or ""])["name"],
                      block=row or {}, tiles=headline(rep), findings=finding_rows(rep["findings"]),
                      rows=[x for x in area_rows(rep) if x["kind"] == "社区" and not community_id],
                      people=people_rows(snap.ds, rep, cids), layers=explorer.LAYERS,
                      view={"street_id": "" if community_id else street_id, "community_id": community_id or ""},
                      share_zh=SHARE_ZH, share_en=SHARE_EN)

    @r.get("/streets/{street_id}", response_class=HTMLResponse)
    def street_page(request: Request, street_id: str) -> Response:
        return area_page(request, street_id, None)

    @r.get("/communities/{community_id}", response_class=HTMLResponse)
    def community_page(request: Request, community_id: str) -> Response:
        return area_page(request, None, community_id)

    def view_of(user: Principal, snap: Snapshot, street_id: str | None, community_id: str | None,
                county_id: str | None = None) -> tuple[str | None, str | None, str | None]:
        """The view (street, community, county) a viewer asked for, inside their area (their own area when they
        asked for more; a county-limited viewer's top view is their county)."""
        streets, comms, _ = names(snap)
        try:
            snap.narrowed(user.area, county_id)
        except LookupError as exc:
            raise PageError(404, str(exc)) from None
        if community_id:
            if community_id not in comms:
                raise PageError(404, "没有这个社区 / no such community")
            street_id = comms[community_id]["street_id"]
        elif street_id and street_id not in streets:
            raise PageError(404, "没有这个街道 / no such street")
        here = place(snap, street_id, community_id)
        if not user.area.contains(here):
            if street_id or community_id:
                raise PageError(404, "不存在或不可见 / not found or not visible")
            return user.street_id, user.community_id, user.county
        if county_id and (street_id or community_id) and here["county"] != county_id:
            raise PageError(404, "不存在或不可见 / not found or not visible")
        if user.community_id and not community_id:
            return None, user.community_id, user.county
        return (None if community_id else street_id), community_id, county_id or user.county

    @r.get("/explorer", response_class=HTMLResponse)
    def explorer_page(request: Request, street_id: str | None = None, community_id: str | None = None,
                      layers: str = "", focus: str = "", county_id: str | None = None) -> Response:
        user = who(request)
        snap = snapshot()
        street_id, community_id, county = view_of(user, snap, street_id or None, community_id or None,
                                                  county_id or None)
        return render("explorer.html", **base(snap, user), crumbs=crumbs(snap, user, street_id, community_id, county),
                      title=explorer.view_title(snap.ds, street_id, community_id, county), layers=explorer.LAYERS,
                      level="community" if community_id else "street" if street_id else "county",
                      view={"street_id": street_id or "", "community_id": community_id or "", "layers": layers,
                            "focus": focus, "county_id": county_id or ""})

    @r.get("/explorer/data")
    def explorer_data(request: Request, street_id: str | None = None, community_id: str | None = None,
                      layers: str = "", county_id: str | None = None) -> Response:
        user = who(request)
        snap = snapshot()
        street_id, community_id, county = view_of(user, snap, street_id or None, community_id or None,
                                                  county_id or None)
        # the report limited to the view itself (inside the viewer's area): a worker drawn here keeps only
        # the findings about this view, not those about grids of another street
        rep = scope_report(scope_report(snap.report, user.area), Area(street_id, community_id, county))
        wanted = {x for x in layers.split(",") if x in {k for k, _, _ in explorer.LAYERS}}
        G = explorer.scope_graph(snap.ds, street_id, community_id, wanted, county=county)
        scores = {c["community_id"]: c.get("coverage_score") for c in rep["summary"]["communities"]}
        data = explorer.graph_data(G, rep, scores=scores if not community_id else None)
        data["info"] = node_info(snap.ds, G, rep, user.area)
        data["view"] = {"street_id": street_id, "community_id": community_id,
                        "level": "community" if community_id else "street" if street_id else "county"}
        return JSONResponse(data, headers={"Cache-Control": "no-store"})

    @r.get("/explorer/search")
    def explorer_search(request: Request, q: str = "") -> Response:
        user = who(request)
        return JSONResponse(search(snapshot().ds, user.area, q[:100]), headers={"Cache-Control": "no-store"})

    return r


def _date(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso
