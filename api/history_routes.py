"""The history routes: the kept snapshots, the diff of two, an area's trend — every answer limited to the caller's
area (graph.scope)."""

from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Query
from fastapi.concurrency import run_in_threadpool

from api.auth import Principal
from graph.errors import OrgnetError
from graph.history import diff, trend
from graph.settings import Settings
from graph.store.snapshots import archive


def add_history_routes(app: FastAPI, settings: Settings, viewer: Any) -> None:
    """Mount ``/api/v1/snapshots``, ``/api/v1/diff`` and ``/api/v1/trends`` (viewer role and up)."""
    Viewer = Annotated[Principal, Depends(viewer)]

    def report(label: str) -> dict[str, Any]:
        from graph.report import build_report

        return archive(settings).cached_report(label, build_report)

    @app.get("/api/v1/snapshots", summary="快照列表 / the kept snapshots")
    def snapshots(who: Viewer) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = [{"label": s.label, "loaded_at": s.loaded_at, "fingerprint": s.fingerprint}
                                      for s in archive(settings).snapshots()]
        if who.area.is_whole:
            for row, s in zip(rows, archive(settings).snapshots(), strict=True):
                row["counts"] = s.counts
        return rows

    def pick(a: str | None, b: str | None) -> tuple[str, str]:
        labels = [s.label for s in archive(settings).snapshots()]
        b = b or (labels[-1] if labels else None)
        if a is None and b in labels and labels.index(b) > 0:
            a = labels[labels.index(b) - 1]
        if a not in labels or b not in labels:
            raise HTTPException(404, f"没有这两个快照 / no such snapshots: {a}, {b} (kept: {', '.join(labels) or '-'})")
        assert a is not None and b is not None
        return a, b

    @app.get("/api/v1/diff", summary="两个快照的变化 / what changed between two snapshots")
    async def diff_route(who: Viewer, from_: Annotated[str | None, Query(alias="from", max_length=64)] = None,
                         to: Annotated[str | None, Query(max_length=64)] = None) -> dict[str, Any]:
        a, b = pick(from_, to)

        def build() -> dict[str, Any]:
            arc = archive(settings)
            return diff(a, b, report(a), report(b), arc.dataset(a), arc.dataset(b))

        try:
            result = await run_in_threadpool(build)
        except OrgnetError as exc:
            raise HTTPException(404, exc.bilingual()) from None
        return limited(result, who)

    @app.get("/api/v1/trends", summary="指标走势 / an area's figures over the snapshots")
    async def trends(who: Viewer, street_id: Annotated[str | None, Query(max_length=64)] = None,
                     community_id: Annotated[str | None, Query(max_length=64)] = None) -> dict[str, Any]:
        area = community_id or street_id or who.community_id or who.street_id or "county"
        labels = [s.label for s in archive(settings).snapshots()]
        rows = await run_in_threadpool(lambda: trend([(x, report(x)) for x in labels], area))
        if not who.area.is_whole and (area == "county" or any(not who.area.contains(r["scope"]) for r in rows)):
            raise HTTPException(404, "不存在或不可见 / not found or not visible")
        return {"area": area, "trend": rows}


def limited(result: dict[str, Any], who: Principal) -> dict[str, Any]:
    """A diff as ``who`` may see it: findings and figures of their area only; row changes for the whole county only."""
    if who.area.is_whole:
        return result
    keep = {k: [f for f in result[k] if who.area.contains(f.get("scope"))] for k in ("opened", "closed", "persisting")}
    kpis = {a: row for a, row in result["kpis"].items() if row["kind"] != "county" and who.area.contains(row["scope"])}
    return {**result, **keep, "entities": {}, "kpis": kpis}
