"""Static files of the pages, all served by the app itself: ours (api/static) and the vendored libraries' own
(vis-network from the pyvis package, Swagger UI 5 from the fastapi-offline package). Nothing comes from a CDN."""

from __future__ import annotations

import mimetypes
from functools import cache
from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import Response

OURS = Path(__file__).resolve().parent.parent / "static"


@cache
def files() -> dict[str, Path]:
    """URL name under /static/ -> file: a fixed list, so no path from a request ever reaches the file system."""
    import fastapi_offline
    import pyvis

    vis = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    swagger = Path(fastapi_offline.__file__).parent / "static"
    out = {p.name: p for p in OURS.iterdir() if p.is_file()}
    out.update({"vendor/vis-network.min.js": vis / "vis-network.min.js",
                "vendor/vis-network.css": vis / "vis-network.css",
                "vendor/swagger-ui-bundle.js": swagger / "swagger-ui-bundle.js",
                "vendor/swagger-ui.css": swagger / "swagger-ui.css"})
    return out


@cache
def _read(name: str) -> tuple[bytes, str]:
    path = files()[name]
    media = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if media.startswith("text/") or media.endswith("javascript"):
        media += "; charset=utf-8"
    return path.read_bytes(), media


def router() -> APIRouter:
    r = APIRouter(include_in_schema=False)

    @r.get("/static/{name:path}")
    def static(name: str) -> Response:
        if name not in files():
            raise HTTPException(404, "没有这个文件 / no such file")
        body, media = _read(name) if name.startswith("vendor/") else _read.__wrapped__(name)
        return Response(body, media_type=media, headers={"Cache-Control": "public, max-age=3600"})

    return r
