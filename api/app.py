"""The gap-report HTTP API and the explorer: routes only wire settings, services and response models.

(No ``from __future__ import annotations`` here: FastAPI must see the closures' dependency types.)
"""


import logging
import shutil
import tempfile
from datetime import datetime
from enum import StrEnum
from pathlib import Path as FilePath
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, File, HTTPException, Path, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from pydantic import TypeAdapter

from api import formats, isolated
from api.auth import Principal, TokenStore
from api.fast import FastAnswers, raw_key
from api.guard import Guard
from api.headers import SecurityHeaders, StaleMark
from api.history_routes import add_history_routes
from api.index import Snapshot
from api.limits import Limits, safe_name
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
from api.service import ReportService, coarse
from graph.audit import AuditLog
from graph.errors import DatabaseError, LoadInProgress, OrgnetError
from graph.rules.catalogue import CATALOGUE
from graph.scope import Area, scope_findings, scope_report
from graph.settings import Settings
from graph.store.db import Database
from graph.store.snapshots import archive

log = logging.getLogger(__name__)
MASK = "***"
MAX_ID = 64  # longest id a filter or path accepts
#: the filters' lists, declared in the schema: an unknown value is a 422 before anything is looked up or cached
Rule = StrEnum("Rule", {k: k for k in CATALOGUE})  # type: ignore[misc]
Severity = Literal["high", "medium", "low"]
Category = Literal["coverage", "structure", "overload", "demand"]


def create_app(db: Database, settings: Settings, tokens: TokenStore | None = None) -> FastAPI:
    """The FastAPI application over one database connection."""
    errors: dict[int | str, dict[str, Any]] = {
        code: {"model": Error, "description": text} for code, text in (
            (401, "需要令牌 / token required"), (403, "角色不足 / role not allowed"),
            (404, "不存在或不可见 / not found or not visible"), (503, "Neo4j 不可用 / Neo4j unavailable"))}
    app = FastAPI(title="orgnet 空白点报告 API / gap-report API", version="1", responses=errors,
                  docs_url=None, redoc_url=None, openapi_url=None,  # api.web serves them, behind login
                  description="基层治理网络的空白点、超负荷与建议 / blank spots, overloads and suggestions")
    service = ReportService(db, settings=settings, isolate=settings.orgnet_isolate)
    if settings.orgnet_isolate:
        isolated.warm()  # a preloaded builder waits for the first report
    tokens = tokens or TokenStore.from_env(settings.orgnet_home / "tokens.jsonl")
    limits = Limits.from_settings(settings)
    audit = AuditLog(settings.orgnet_audit_dir or settings.orgnet_home / "audit")
    app.state.service = service
    unavailable = "数据库暂不可用，请稍后再试 / the database is unavailable; try again shortly"

    @app.exception_handler(LoadInProgress)
    async def busy(request: Request, exc: LoadInProgress) -> JSONResponse:
        return JSONResponse({"detail": exc.bilingual(), "zh": exc.zh, "en": exc.en, "since": exc.since}, 409)

    @app.exception_handler(DatabaseError)
    async def down(request: Request, exc: DatabaseError) -> JSONResponse:
        log.warning("Neo4j: %s", exc)  # the details (address, driver's reason) go to the log, not to the client
        return JSONResponse({"detail": unavailable}, 503)

    app.state.audit = audit
    app.state.limits = limits

    def refused_at_gate(scope: Any, status: int, why: str) -> None:
        client = scope.get("client")
        audit.record(f"{scope['method']} {scope['path']}", {}, f"refused {status}: {why}",
                     client[0] if client else None)
    app.add_middleware(FastAnswers, service=service, tokens=tokens)  # innermost: after the guard and headers
    app.add_middleware(Guard, tokens=tokens, max_bytes=limits.max_bytes, on_refusal=refused_at_gate)
    app.add_middleware(StaleMark, is_stale=lambda: service.stale)
    app.add_middleware(SecurityHeaders)

    def audit_event(request: Request, who: Principal | None, action: str, result: str, **detail: Any) -> None:
        audit.record(action, who.who() if who else {}, result, request.client.host if request.client else None,
                     **detail)

    def who_is(request: Request) -> Principal:
        """The caller: the bearer header, or — for GET and HEAD only — the cookie the pages set."""
        header = request.headers.get("authorization", "")
        if header.lower().startswith("bearer "):
            token: str | None = header[7:].strip()
        elif request.method in ("GET", "HEAD"):
            token = request.cookies.get("orgnet_token")
        else:
            token = None
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

    def answer(snap: Snapshot, key: tuple[Any, ...], model: Any, build: Any,
               raw: tuple[Any, ...] | None = None) -> Response:
        """The JSON answer for ``key``: validated against ``model`` and encoded once per snapshot, then reused;
        kept under ``raw`` too (the request as spelt, api/fast.py) when it is the current moment's."""
        body = snap.encoded.get(key)
        if body is None:
            body = snap.remember(key, TypeAdapter(model).dump_json(TypeAdapter(model).validate_python(build())))
        if raw is not None and service.peek() is snap:
            snap.remember(raw, body)
        return Response(body, media_type="application/json",
                        headers={"X-Orgnet-Dataset": snap.report["dataset"]["fingerprint"]})

    kept: dict[tuple[str, datetime | None], Snapshot] = {}  # kept snapshots asked for (the two most recent)
    SnapshotLabel = Annotated[str | None, Query(
        alias="snapshot", max_length=64, pattern=r"^[0-9A-Za-z][0-9A-Za-z._-]*$",
        description="已保存的快照（如 2026-10），缺省为当前数据 / a kept snapshot's label; default: the current data")]

    def archived(label: str, as_of: datetime | None) -> Snapshot:
        """The kept snapshot ``label`` with its report — at its own moment, or at ``as_of`` (to the hour) —
        read and built in a child process."""
        key = (label, coarse(as_of))
        hit = kept.get(key)
        if hit is None:
            if label not in {s.label for s in archive(settings).snapshots()}:
                raise HTTPException(404, f"没有这个快照 / no such snapshot: {label}")
            ds, rep = isolated.build(settings, "", service.thresholds, key[1], label=label)
            hit = kept[key] = Snapshot.build(ds, rep)
            while len(kept) > 2:
                kept.pop(next(iter(kept)))
        return hit

    async def fresh(as_of: datetime | None = None) -> Snapshot:
        """The current snapshot: straight from memory when it is fresh, else fetched in a worker thread."""
        snap = service.peek(as_of)
        return snap if snap is not None else await run_in_threadpool(snapshot, as_of)

    CountyId = Annotated[str | None, Query(max_length=MAX_ID, description=(
        "只看一个县（省级数据集），按街道台账所写的县名，如 乐亭县 / one county of a province, named as the streets "
        "name it"))]

    def within_county(snap: Snapshot, who: Principal, county_id: str | None) -> Area:
        """The caller's area, narrowed to ``county_id`` when given (404 for a county that is not there or not theirs)."""
        try:
            return snap.narrowed(who.area, county_id)
        except LookupError as exc:
            raise HTTPException(404, str(exc)) from None

    @app.get("/health", response_model=Health)
    def health() -> Health:
        up = db.ping(within=0.8)  # answers within a second even when Neo4j hangs
        return Health(status="ok" if up else "degraded", neo4j=up)

    @app.get("/api/v1/report", response_model=Report)
    def report(who: Viewer, as_of: datetime | None = None, snapshot_: SnapshotLabel = None,
               county_id: CountyId = None) -> Response:
        snap = archived(snapshot_, as_of) if snapshot_ else snapshot(as_of)
        area = within_county(snap, who, county_id)
        return answer(snap, ("report", who.area, who.at_least("admin"), county_id), Report,
                      lambda: scoped_to(snap, area, who))

    @app.get("/api/v1/report/download", response_class=Response, responses={200: {"content": {
        "text/csv": {}, "application/json": {}, "text/html": {}, "application/pdf": {},
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}}})
    def download(request: Request, who: Viewer, format: Literal["csv", "xlsx", "html", "json", "pdf"] = "csv",
                 lang: Literal["zh", "en"] = "zh", as_of: datetime | None = None,
                 snapshot_: SnapshotLabel = None, county_id: CountyId = None) -> Response:
        snap = archived(snapshot_, as_of) if snapshot_ else snapshot(as_of)
        rep = scoped_to(snap, within_county(snap, who, county_id), who)
        data = formats.render(rep, format, lang=lang)
        audit_event(request, who, "download", "ok", format=format)
        return Response(data, media_type=formats.media_type(format), headers={
            "Content-Disposition": formats.content_disposition(formats.download_name(rep, format))})

    @app.get("/api/v1/findings", response_model=FindingsPage)
    async def findings(request: Request, who: Viewer, rule: Rule | None = None, category: Category | None = None,
                 severity: Severity | None = None,
                 street_id: Annotated[str | None, Query(max_length=MAX_ID)] = None,
                 community_id: Annotated[str | None, Query(max_length=MAX_ID)] = None,
                 county_id: CountyId = None,
                 page: Annotated[int, Query(ge=1, le=100_000)] = 1,
                 page_size: Annotated[int, Query(ge=1, le=1000)] = 100,
                 as_of: datetime | None = None, snapshot_: SnapshotLabel = None) -> Response:
        snap = await run_in_threadpool(archived, snapshot_, as_of) if snapshot_ else await fresh(as_of)
        if community_id is not None and (community_id not in snap.communities
                                         or not who.allows(snap.communities[community_id])):
            raise HTTPException(404, "没有这个社区 / no such community")
        if street_id is not None and not any(s["id"] == street_id for s in snap.ds.rows("streets")):
            raise HTTPException(404, "没有这个街道 / no such street")
        area = within_county(snap, who, county_id)
        rule_id = str(rule.value) if rule is not None else None  # the plain text: one cache key per rule

        def build() -> dict[str, Any]:
            items = [f for f in snap.report["findings"] if area.contains(f["scope"])
                     and (rule_id is None or f["rule"] == rule_id) and (category is None or f["category"] == category)
                     and (severity is None or f["severity"] == severity)
                     and (street_id is None or f["scope"].get("street_id") == street_id)
                     and (community_id is None or f["scope"].get("community_id") == community_id)]
            start = (page - 1) * page_size
            return {"total": len(items), "page": page, "page_size": page_size, "items": items[start:start + page_size]}

        key = ("findings", who.area, rule_id, category, severity, street_id, community_id,
               county_id, page, page_size)
        return answer(snap, key, FindingsPage, build, raw_key(request.scope, who))

    @app.get("/api/v1/communities", response_model=list[CommunityRow])
    async def communities(request: Request, who: Viewer, county_id: CountyId = None) -> Response:
        snap = await fresh()
        area = within_county(snap, who, county_id)
        return answer(snap, ("communities", who.area, county_id), list[CommunityRow],
                      lambda: [c for c in snap.report["summary"]["communities"] if area.contains(c)],
                      raw_key(request.scope, who))

    @app.get("/api/v1/communities/{community_id}", response_model=CommunityDetail)
    async def community(request: Request, community_id: str, who: Viewer) -> Response:
        snap = await fresh()
        row = snap.communities.get(community_id)
        if row is None or not who.allows(row):
            raise HTTPException(404, "没有这个社区 / no such community")

        def build() -> dict[str, Any]:
            workers = [person_out(snap, p, who, with_findings=False)
                       for p in snap.workers_of_community.get(community_id, [])]
            return {"summary": row, "findings": snap.findings_of_community.get(community_id, []), "workers": workers}

        return answer(snap, ("community", community_id, who.sees_personal, who.area), CommunityDetail, build,
                      raw_key(request.scope, who))

    @app.get("/api/v1/people/{person_id}", response_model=Person)
    def person(person_id: Annotated[str, Path(max_length=MAX_ID)], who: Viewer) -> dict[str, Any]:
        snap = snapshot()
        if person_id not in snap.people or (not who.area.is_whole and person_id not in snap.area_people(who.area)):
            raise HTTPException(404, "没有这个人员 / no such person")
        return person_out(snap, person_id, who, with_findings=True)

    @app.post("/api/v1/whatif", response_model=WhatIfOut)
    def whatif(request: Request, body: WhatIfIn, who: Analyst) -> dict[str, Any]:
        from graph.plan.whatif import what_if, what_if_plan

        snap = snapshot()
        if body.apply_plan:  # the plan is the county's: a scoped caller sees its own area of it
            out = what_if_plan(snap.ds, service.thresholds)
            out = {**out, "appear": scope_findings(out["appear"], who.area),
                   "disappear": scope_findings(out["disappear"], who.area)}
            audit_event(request, who, "whatif", "ok", apply_plan=True)
            return out
        inside = snap.within(who.area)
        known = {r["id"] for t in ("people", "agencies", "grids") for r in inside.rows(t)}
        remove = [i for i in body.remove if who.area.is_whole or i in known]  # outside the scope: unknown
        out = what_if(snap.ds, remove, service.thresholds)
        out = {**out, "unknown": sorted(set(out["unknown"]) | (set(body.remove) - set(remove))),
               "appear": scope_findings(out["appear"], who.area),
               "disappear": scope_findings(out["disappear"], who.area)}
        audit_event(request, who, "whatif", "ok", remove=body.remove[:100])
        return out

    @app.post("/api/v1/datasets", response_model=Loaded, status_code=201,
              responses={422: {"model": Refusal}})
    def upload(request: Request, who: Admin,
               file: Annotated[UploadFile, File(description="台账工作簿 .xlsx")]) -> Any:
        name = safe_name(file.filename)
        with tempfile.TemporaryDirectory() as tmp:
            path = FilePath(tmp) / (name if name.lower().endswith((".xlsx", ".xlsm")) else name + ".xlsx")
            with path.open("wb") as fh:
                shutil.copyfileobj(file.file, fh, 1 << 20)
            if settings.orgnet_isolate:  # parsed, validated and loaded in a process of its own
                out = isolated.run(isolated.upload, settings, path, name, limits, who.name, fresh=True)
            else:
                out = isolated.upload(settings, path, name, limits, who.name)
        if "refusal" in out:
            audit_event(request, who, "upload", f"refused: {out['problems_total']} problems", file=name)
            return JSONResponse(out["refusal"], status_code=422)
        service.forget()
        service.prepare()  # readers keep the previous report until the new one is built
        audit_event(request, who, "upload", "loaded", file=name, fingerprint=out["fingerprint"])
        return out

    add_history_routes(app, settings, need("viewer"))

    from api.web.pages import install

    install(app, service, tokens)  # the HTML pages, /docs and /openapi.json behind login, the CSP
    return app


def scoped_to(snap: Snapshot, area: Area, who: Principal) -> dict[str, Any]:
    """The report limited to ``area`` (graph.scope.scope_report), its counts those of the area, and the data
    set's source shown as a file name only to anyone but an admin."""
    rep = scope_report(snap.report, area, None if area.is_whole else snap.within(area).counts())
    if not who.at_least("admin") and rep["dataset"].get("source"):
        rep = {**rep, "dataset": {**rep["dataset"], "source": FilePath(str(rep["dataset"]["source"])).name}}
    return rep


def person_out(snap: Snapshot, person_id: str, who: Principal, with_findings: bool) -> dict[str, Any]:
    """A person as the API shows them: personal fields masked unless the caller may see them."""
    p = snap.people[person_id]
    out = {"id": p["id"], "name": p["name"], "phone": p.get("phone"), "party_member": p.get("party_member"),
           "agency_id": p.get("agency_id"), "home_community_id": p.get("home_community_id"),
           "grids": [g for g in snap.grids_of_person.get(person_id, []) if who.allows(g)],
           "findings": [f for f in snap.findings_of_subject.get(person_id, []) if who.allows(f["scope"])]
           if with_findings else []}
    if not who.sees_personal:
        out["phone"] = MASK if out["phone"] else None
        out["home_community_id"] = None
    return out

