"""Token and audit commands: ``token`` (issue; ``list``, ``revoke ID``) and ``audit [--since] [--verify]``."""

from __future__ import annotations

import getpass
import json
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from api.cli.app import app
from api.cli.common import err, fail, out
from api.escape import safe
from graph.errors import OrgnetError
from graph.settings import get_settings

token_app = typer.Typer(help="API 令牌 / API tokens: issue (no sub-command), list, revoke",
                        invoke_without_command=True)
app.add_typer(token_app, name="token")


def _file() -> Path:
    from api.auth import tokens_file

    return tokens_file(get_settings().orgnet_home / "tokens.jsonl")


def audit_log() -> Any:
    from graph.audit import AuditLog

    s = get_settings()
    return AuditLog(s.orgnet_audit_dir or s.orgnet_home / "audit")


def cli_who() -> dict[str, Any]:
    """The command line's user as the audit log records it."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "?"
    return {"name": user, "role": "cli"}


def _check_places(street_id: str | None, community_id: str | None, county: str | None = None) -> None:
    """Refuse a county, street or community the current data set does not have (Neo4j is asked)."""
    from graph.store.connection import connect

    try:
        with connect() as db:
            rows = db.read("MATCH (d:DataSet {current: true}) WITH coalesce(d.store, d.ds) AS key "
                           "OPTIONAL MATCH (s:Street {ds: key, id: $street}) "
                           "OPTIONAL MATCH (c:Community {ds: key, id: $community}) "
                           "OPTIONAL MATCH (k:County {ds: key, name: $county}) "
                           "RETURN count(s) AS s, count(c) AS c, count(k) AS k",
                           {"street": street_id or "", "community": community_id or "", "county": county or ""})
    except OrgnetError as exc:
        fail(exc)
    if not rows:
        err.print("Neo4j 中还没有数据集，无法核对范围 / no data set loaded: the scope cannot be checked")
        raise typer.Exit(2)
    row = rows[0]
    if street_id and not row["s"]:
        raise typer.BadParameter(f"数据集中没有街道 / the data set has no street {safe(street_id)}")
    if community_id and not row["c"]:
        raise typer.BadParameter(f"数据集中没有社区 / the data set has no community {safe(community_id)}")
    if county and not row["k"]:
        raise typer.BadParameter(f"数据集中没有县 / the data set has no county {safe(county)}")


@token_app.callback()
def token(ctx: typer.Context,
          role: Annotated[str | None, typer.Option(help="viewer | analyst | admin")] = None,
          name: Annotated[str, typer.Option(help="持有人 / who holds it")] = "token",
          street_id: Annotated[str | None, typer.Option(help="仅限该街道 / limit to a street")] = None,
          community_id: Annotated[str | None, typer.Option(help="仅限该社区 / limit to a community")] = None,
          county: Annotated[str | None, typer.Option(help="仅限该县（省级数据集）/ limit to a county of a province")] = None,
          expires: Annotated[str | None, typer.Option(help="有效期 / valid for, e.g. 90d, 12h, 2w")] = None) -> None:
    """签发 API 令牌（只保存其哈希）/ issue an API token (only its hash is stored); or list / revoke."""
    if ctx.invoked_subcommand is not None:
        return
    from api.auth import issue, now_utc
    from api.tokens import parse_span

    if role is None:
        raise typer.BadParameter("需要 --role / --role is required (viewer | analyst | admin)")
    try:
        until = now_utc() + parse_span(expires) if expires else None
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    if street_id or community_id or county:
        _check_places(street_id, community_id, county)
    path = _file()
    try:
        secret = issue(path, role, name, street_id, community_id, until, county)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    from api.auth import digest

    audit_log().record("token issued", cli_who(), "ok", None, token_id=digest(secret)[:12], role=role, name=name,
                       street_id=street_id, community_id=community_id, county=county, expires=until)
    err.print(f"令牌只显示这一次 / shown once; its hash is in {safe(str(path))}", highlight=False)
    print(secret)


@token_app.command("list")
def list_(as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False) -> None:
    """列出令牌（不含密钥）/ list tokens: id, name, role, scope, created, expires, state — never the secret."""
    from api.tokens import list_tokens

    rows = list_tokens(_file())
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    t = Table("id", "名称 name", "角色 role", "范围 scope", "签发 created", "到期 expires", "状态 state")
    for r in rows:
        t.add_row(*(safe(str(x or "")) for x in (r["id"], r["name"], r["role"],
                                                 r["community_id"] or r["street_id"] or r.get("county")
                                                 or "全部 all",
                                                 r["created"], r["expires"] or "—", r["state"])))
    out.print(t)


@token_app.command()
def revoke(ident: Annotated[str, typer.Argument(help="令牌编号 / the token's id (orgnet token list)")]) -> None:
    """吊销令牌（运行中的服务立即生效）/ revoke a token (a running server stops accepting it at once)."""
    from api.tokens import revoke as do_revoke

    hit = do_revoke(_file(), ident)
    audit_log().record("token revoked", cli_who(), "ok" if hit else "no such token", None, token_id=ident[:64])
    if hit is None:
        err.print(f"没有这个令牌 / no token with id {safe(ident)}", highlight=False)
        raise typer.Exit(1)
    out.print(f"已吊销 / revoked {safe(hit['id'])} ({safe(str(hit['name']))}, {hit['role']})", highlight=False)


@app.command()
def audit(since: Annotated[str | None, typer.Option(help="起始日期 / from this date, YYYY-MM-DD")] = None,
          verify: Annotated[bool, typer.Option("--verify", help="校验哈希链 / check the hash chain")] = False) -> None:
    """审计日志（仅管理员：直接读取本机文件）/ the audit log (admins: it reads the local 0600 files)."""
    log = audit_log()
    try:
        if verify:
            problems = log.verify()
            for p in problems:
                err.print(f"[red]✗[/red] {safe(p)}", highlight=False)
            if problems:
                raise typer.Exit(1)
            n = sum(1 for _ in log.entries())
            out.print(f"审计日志完好 / the audit log is intact: {n} 条 / entries", highlight=False)
            return
        moment = datetime.fromisoformat(since) if since else None
        for e in log.entries(moment):
            print(json.dumps(e, ensure_ascii=False, default=str))
    except ValueError:
        raise typer.BadParameter(f"日期格式应为 YYYY-MM-DD / bad --since: {since}") from None
    except PermissionError:
        err.print("无权读取审计日志（仅管理员）/ the audit log is readable by its owner only")
        raise typer.Exit(1) from None
