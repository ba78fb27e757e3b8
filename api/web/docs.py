"""/docs (Swagger UI from the fastapi-offline package's assets, no CDN, no inline script) and /openapi.json, both behind
login; the schema declares a bearer scheme so that "Authorize" works, and every route a Chinese and English summary."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.routing import APIRoute

from api.auth import TokenStore
from api.web.render import render
from api.web.session import COOKIE, page_principal

#: (method, path) -> "中文 / English", for the routes of api/app.py (a route that sets its own summary keeps it)
SUMMARIES = {
    ("GET", "/health"): "健康检查（无需令牌）/ health check (no token)",
    ("GET", "/api/v1/report"): "空白点报告 / the gap report",
    ("GET", "/api/v1/report/download"): "下载报告（csv、xlsx、html、json）/ download the report",
    ("GET", "/api/v1/findings"): "发现：按规则、类别、严重程度、街道、社区筛选，分页 / findings, filtered and paged",
    ("GET", "/api/v1/communities"): "社区及其覆盖得分 / communities and their coverage scores",
    ("GET", "/api/v1/communities/{community_id}"): "一个社区：得分、发现、网格员 / one community",
    ("GET", "/api/v1/people/{person_id}"): "一名人员：网格与发现 / one person: grids and findings",
    ("POST", "/api/v1/whatif"): "假设分析：去掉人员、单位或网格 / what-if: remove people, agencies or grids",
    ("POST", "/api/v1/datasets"): "上传并载入数据集（管理员）/ upload and load a data set (admin)",
}
BEARER = {"bearerAuth": {"type": "http", "scheme": "bearer",
                         "description": "orgnet token 生成的令牌 / a token from `orgnet token`"}}


def schema(app: FastAPI) -> dict[str, Any]:
    """The app's OpenAPI schema with summaries and the bearer scheme (built once)."""
    if app.openapi_schema is None:
        for route in app.routes:
            if isinstance(route, APIRoute) and not route.summary:
                route.summary = next((SUMMARIES[(m, route.path)] for m in route.methods or () if (m, route.path) in SUMMARIES),
                                     None)
        out = app.openapi()
        out.setdefault("components", {}).setdefault("securitySchemes", {}).update(BEARER)
        for path, ops in out.get("paths", {}).items():
            for op in ops.values():
                if path != "/health":
                    op["security"] = [{"bearerAuth": []}]
    return app.openapi_schema or app.openapi()


def router(app: FastAPI, tokens: TokenStore) -> APIRouter:
    r = APIRouter(include_in_schema=False)

    @r.get("/docs", response_class=HTMLResponse)
    def docs_page(request: Request) -> Response:
        page_principal(request, tokens)
        return render("docs.html", crumbs=[], user=None)

    @r.get("/openapi.json")
    def openapi(request: Request) -> Response:
        header = request.headers.get("authorization", "")
        token = header[7:] if header.lower().startswith("bearer ") else request.cookies.get(COOKIE)
        if tokens.resolve(token) is None:
            raise HTTPException(401, "需要有效的令牌 / a valid bearer token is required",
                                headers={"WWW-Authenticate": "Bearer"})
        return JSONResponse(schema(app))

    return r
