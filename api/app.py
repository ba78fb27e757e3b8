"""The gap-report HTTP API and the explorer: routes only wire settings, services and response models.

(No ``from __future__ import annotations`` here: FastAPI must see the closures' dependency types.)
"""


import logging
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, File, HTTPException, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from pydantic import TypeAdapter

from api import formats
from api.auth import Principal, TokenStore
from api.history_routes import add_history_routes
from api.index import Snapshot
from api.models import (
    CommunityDetail,
    CommunityRow,
    Error,
    FindingsPage,
    Health,
    Loaded,
    Person,
    Refusal,
    Report,
    WhatIfIn,
    WhatIfOut,
)
from api.service import ReportService
from graph.errors import DatabaseError, DataRefused, LoadInProgress, OrgnetError
from graph.rules.analysis import default_as_of
from graph.scope import scope_report
from graph.settings import Settings
from graph.store import datasets
from graph.store.db import Database
from graph.store.snapshots import archive, label_of

log = logging.getLogger(__name__)
MASK = "***"


def create_app(db: Database, settings: Settings, tokens: TokenStore | None = None) -> FastAPI:
    """The FastAPI application over one database connection."""
    errors: dict[int | str, dict[str, Any]] = {
        code: {"model": Error, "description": text} for code, text in (
            (401, "需要令牌 / token required"), (403, "角色不足 / role not allowed"),
            (404, "不存在或不可见 / not found or not visible"), (503, "Neo4j 不可用 / Neo4j unavailable"))}
    app = FastAPI(title="orgnet 空白点报告 API / gap-report API", version="1", responses=errors,
                  docs_url=None, redoc_url=None, openapi_url=None,  # api.web serves them, behind login
                  description="基层治理网络的空白点、超负荷与建议 / blank spots, overloads and suggestions")
    service = ReportService(db)
    tokens = tokens or TokenStore.from_env(settings.orgnet_home / "tokens.jsonl")
    app.state.service = service
    unavailable = "数据库暂不可用，请稍后再试 / the database is unavailable; try again shortly"

    @app.exception_handler(LoadInProgress)
    async def busy(request: Request, exc: LoadInProgress) -> JSONResponse:
        return JSONResponse({"detail": exc.bilingual(), "zh": exc.zh, "en": exc.en, "since": exc.since}, 409)

    @app.exception_handler(DatabaseError)
    async def down(request: Request, exc: DatabaseError) -> JSONResponse:
        log.warning("Neo4j: %s", exc)  # the details (address, driver's reason) go to the log, not to the client
        return JSONResponse({"detail": unavailable}, 503)

    @app.middleware("http")
    async def say_stale(request: Request, call_next: Any) -> Response:
        resp: Response = await call_next(request)
        if service.stale and resp.status_code == 200 and request.url.path != "/health":
            resp.headers["X-Orgnet-Stale"] = "1"  # Neo4j is down: this is the last good snapshot
        return resp

    def who_is(request: Request) -> Principal:
        header = request.headers.get("authorization", "")
        token = header[7:] if header.lower().startswith("bearer ") else request.cookies.get("orgnet_token")
        who = tokens.resolve(token)
        if who is None:
            raise HTTPException(401, "需要有效的令牌 / a valid bearer token is required",
                                headers={"WWW-Authenticate": "Bearer"})
        return who

    async def principal(request: Request) -> Principal:  # async: no thread hop for a dictionary look-up
        return who_is(request)

    def need(role: str) -> Any:
        async def check(who: Annotated[Principal, Depends(principal)]) -> Principal:
            if not who.at_least(role):
                raise HTTPException(403, f"需要 {role} 角色 / the {role} role is required")
            return who
        return check

    Viewer = Annotated[Principal, Depends(need("viewer"))]
    Analyst = Annotated[Principal, Depends(need("analyst"))]
    Admin = Annotated[Principal, Depends(need("admin"))]

    def snapshot(as_of: datetime | None = None) -> Snapshot:
        """The current data set, its report and look-ups, taken together (never from two data sets).

        Every JSON answer names its data set in the ``X-Orgnet-Dataset`` header, so a client can check that
        it never sees a mixture."""
        try:
            return service.report(as_of)
        except LookupError:
            raise HTTPException(404, "尚未载入数据集 / no data set loaded") from None
        except OrgnetError as exc:
            log.warning("report unavailable: %s", exc)
            raise HTTPException(503, unavailable) from None

    def answer(snap: Snapshot, key: tuple[Any, ...], model: Any, build: Any) -> Response:
        """The JSON answer for ``key``: validated against ``model`` and encoded once per snapshot, then reused."""
        body = snap.encoded.get(key)
        if body is None:
            body = snap.remember(key, TypeAdapter(model).dump_json(TypeAdapter(model).validate_python(build())))
        return Response(body, media_type="application/json",
                        headers={"X-Orgnet-Dataset": snap.report["dataset"]["fingerprint"]})

    async def fresh(as_of: datetime | None = None) -> Snapshot:
        """The current snapshot: straight from memory when it is fresh, else fetched in a worker thread."""
        snap = service.peek(as_of)
        return snap if snap is not None else await run_in_threadpool(snapshot, as_of)

    def visible(rep: dict[str, Any], who: Principal) -> list[dict[str, Any]]:
        return [f for f in rep["findings"] if who.allows(f["scope"])]

    @app.get("/health", response_model=Health)
    def health() -> Health:
        up = db.ping(within=0.8)  # answers within a second even when Neo4j hangs
        return Health(status="ok" if up else "degraded", neo4j=up)

    @app.get("/api/v1/report", response_model=Report)
    def report(who: Viewer, as_of: datetime | None = None) -> Response:
        snap = snapshot(as_of)
        return answer(snap, ("report", who.street_id, who.community_id, who.sees_personal), Report,
                      lambda: scoped(snap.report, who))

    @app.get("/api/v1/report/download", response_class=Response, responses={200: {"content": {
        "text/csv": {}, "application/json": {}, "text/html": {}, "application/pdf": {},
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}}})
    def download(who: Viewer, format: Literal["csv", "xlsx", "html", "json", "pdf"] = "csv",
                 lang: Literal["zh", "en"] = "zh", as_of: datetime | None = None) -> Response:
        rep = scoped(snapshot(as_of).report, who)
        data = formats.render(rep, format, lang=lang)
        return Response(data, media_type=formats.media_type(format), headers={
            "Content-Disposition": formats.content_disposition(formats.download_name(rep, format))})

    @app.get("/api/v1/findings", response_model=FindingsPage)
    async def findings(who: Viewer, rule: str | None = None, category: str | None = None,
                 severity: str | None = None,
                 street_id: str | None = None, community_id: str | None = None,
                 page: Annotated[int, Query(ge=1, le=100_000)] = 1,
                 page_size: Annotated[int, Query(ge=1, le=1000)] = 100,
                 as_of: datetime | None = None) -> Response:
        snap = await fresh(as_of)

        def build() -> dict[str, Any]:
            items = [f for f in visible(snap.report, who)
                     if (rule is None or f["rule"] == rule) and (category is None or f["category"] == category)
                     and (severity is None or f["severity"] == severity)
                     and (street_id is None or f["scope"].get("street_id") == street_id)
                     and (community_id is None or f["scope"].get("community_id") == community_id)]
            start = (page - 1) * page_size
            return {"total": len(items), "page": page, "page_size": page_size, "items": items[start:start + page_size]}

        key = ("findings", who.street_id, who.community_id, rule, category, severity, street_id, community_id,
               page, page_size)
        return answer(snap, key, FindingsPage, build)

    @app.get("/api/v1/communities", response_model=list[CommunityRow])
    async def communities(who: Viewer) -> Response:
        snap = await fresh()
        return answer(snap, ("communities", who.street_id, who.community_id), list[CommunityRow],
                      lambda: [c for c in snap.report["summary"]["communities"] if who.allows(c)])

    @app.get("/api/v1/communities/{community_id}", response_model=CommunityDetail)
    async def community(community_id: str, who: Viewer) -> Response:
        snap = await fresh()
        row = snap.communities.get(community_id)
        if row is None or not who.allows(row):
            raise HTTPException(404, "没有这个社区 / no such community")

        def build() -> dict[str, Any]:
            workers = [person_out(snap, p, who, with_findings=False)
                       for p in snap.workers_of_community.get(community_id, [])]
            return {"summary": row, "findings": snap.findings_of_community.get(community_id, []), "workers": workers}

        return answer(snap, ("community", community_id, who.sees_personal), CommunityDetail, build)

    @app.get("/api/v1/people/{person_id}", response_model=Person)
    def person(person_id: str, who: Viewer) -> dict[str, Any]:
        snap = snapshot()
        if person_id not in snap.people:
            raise HTTPException(404, "没有这个人员 / no such person")
        out = person_out(snap, person_id, who, with_findings=True)
        scopes = [f["scope"] for f in out["findings"]] + [{"street_id": g.get("street_id"),
                                                          "community_id": g.get("community_id")} for g in out["grids"]]
        if not who.at_least("analyst") and (who.street_id or who.community_id) and not any(who.allows(s) for s in scopes):
            raise HTTPException(404, "没有这个人员 / no such person")
        return out

    @app.post("/api/v1/whatif", response_model=WhatIfOut)
    def whatif(body: WhatIfIn, who: Analyst) -> dict[str, Any]:
        from graph.plan.whatif import what_if, what_if_plan

        if body.apply_plan:
            return what_if_plan(snapshot().ds, service.thresholds)
        return what_if(snapshot().ds, body.remove, service.thresholds)

    @app.post("/api/v1/datasets", response_model=Loaded, status_code=201,
              responses={422: {"model": Refusal}})
    def upload(who: Admin, file: Annotated[UploadFile, File(description="台账工作簿 .xlsx")]) -> Any:
        from loaders.validate import load_dataset

        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "upload.xlsx"
            path.write_bytes(file.file.read())
            try:
                ds = load_dataset(path)
            except DataRefused as exc:
                return JSONResponse({"zh": exc.zh, "en": exc.en, "problems": [p.to_dict() for p in exc.problems]},
                                    status_code=422)
        ds.source = file.filename or "upload.xlsx"
        with archive(settings).keeping(ds, label_of(default_as_of(ds))):
            datasets.write_dataset(db, ds, who=f"API upload by {who.name}")
        service.forget()
        service.prepare()  # readers keep the previous report until the new one is built
        return {"fingerprint": ds.fingerprint, "counts": ds.counts()}

    add_history_routes(app, settings, need("viewer"))

    from api.web.pages import install

    install(app, service, tokens)  # the HTML pages, /docs and /openapi.json behind login, the CSP
    return app


def scoped(rep: dict[str, Any], who: Principal) -> dict[str, Any]:
    """The report limited to what ``who`` may see (graph.scope does the limiting)."""
    out = scope_report(rep, who.area)
    return out if out is rep or who.sees_personal else {**out, "ranking": []}


def person_out(snap: Snapshot, person_id: str, who: Principal, with_findings: bool) -> dict[str, Any]:
    """A person as the API shows them: personal fields masked unless the caller may see them."""
    p = snap.people[person_id]
    out = {"id": p["id"], "name": p["name"], "phone": p.get("phone"), "party_member": p.get("party_member"),
           "agency_id": p.get("agency_id"), "home_community_id": p.get("home_community_id"),
           "grids": snap.grids_of_person.get(person_id, []),
           "findings": [f for f in snap.findings_of_subject.get(person_id, []) if who.allows(f["scope"])]
           if with_findings else []}
    if not who.sees_personal:
        out["phone"] = MASK if out["phone"] else None
        out["home_community_id"] = None
    return out

