"""Tokens (issue 11, point 9; issue 12): list, revoke, expiry, and a running server that notices the tokens
file change — issued with the real command line, checked over real HTTP."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from api.auth import issue, now_utc
from api.cli import app
from tests.api.conftest import LIMITED_COMMUNITY

pytestmark = pytest.mark.neo4j
runner = CliRunner()


def _status(server: dict[str, Any], token: str) -> int:
    return httpx.get(f"{server['base']}/api/v1/communities", headers={"Authorization": f"Bearer {token}"},
                     timeout=300).status_code


def _cli(server: dict[str, Any], *args: str) -> Any:
    return runner.invoke(app, list(args), env={"ORGNET_TOKENS_FILE": str(server["tokens_file"]), "COLUMNS": "250"})


def test_issue_list_revoke_without_restart(server: dict[str, Any]) -> None:
    res = _cli(server, "token", "--role", "viewer", "--name", "临时", "--expires", "90d")
    assert res.exit_code == 0, res.output
    secret = res.stdout.strip().splitlines()[-1]
    assert _status(server, secret) == 200  # a new token works at once
    listed = json.loads(_cli(server, "token", "list", "--json").stdout)
    mine = next(t for t in listed if t["name"] == "临时")
    assert set(mine) >= {"id", "created", "expires", "role", "street_id", "community_id", "name", "state"}
    assert mine["state"] == "active" and "sha256" not in mine and secret not in json.dumps(listed)
    span = json_time(mine["expires"]) - json_time(mine["created"])
    assert round(span.total_seconds() / 86400) == 90
    table = _cli(server, "token", "list").stdout
    assert mine["id"] in table and secret not in table
    assert _cli(server, "token", "revoke", mine["id"]).exit_code == 0
    assert _status(server, secret) == 401  # revoked: refused without a restart
    assert next(t for t in json.loads(_cli(server, "token", "list", "--json").stdout)
                if t["id"] == mine["id"])["state"] == "revoked"
    assert _cli(server, "token", "revoke", "nosuchid").exit_code == 1


def json_time(text: str) -> Any:
    from datetime import datetime

    return datetime.fromisoformat(text)


def test_expired_and_deleted_tokens_are_refused(server: dict[str, Any], tmp_path: Path) -> None:
    path: Path = server["tokens_file"]
    old = issue(path, "viewer", "过期", expires=now_utc() - timedelta(seconds=1))
    fresh = issue(path, "viewer", "有效", expires=now_utc() + timedelta(days=1))
    assert _status(server, old) == 401 and _status(server, fresh) == 200
    backup = path.read_bytes()
    path.unlink()
    try:
        assert _status(server, fresh) == 401  # the file is gone: so are its tokens
    finally:
        path.write_bytes(backup)
        path.chmod(0o600)
    assert _status(server, fresh) == 200


def test_token_scope_must_exist_in_the_loaded_data_set(server: dict[str, Any]) -> None:
    res = _cli(server, "token", "--role", "viewer", "--community-id", "NOPE999")
    assert res.exit_code == 2 and "NOPE999" in res.output
    assert _cli(server, "token", "--role", "viewer", "--street-id", "NOPE").exit_code == 2
    ok = _cli(server, "token", "--role", "analyst", "--community-id", LIMITED_COMMUNITY)
    assert ok.exit_code == 0, ok.output
    secret = ok.stdout.strip().splitlines()[-1]
    with httpx.Client(base_url=server["base"], headers={"Authorization": f"Bearer {secret}"}, timeout=300) as c:
        assert [x["community_id"] for x in c.get("/api/v1/communities").json()] == [LIMITED_COMMUNITY]


def test_a_token_limited_to_a_county_is_checked_listed_and_kept_to_it(server: dict[str, Any]) -> None:
    county = server["dataset"].rows("streets")[0]["county"]
    assert _cli(server, "token", "--role", "viewer", "--county", "没有这个县").exit_code == 2
    ok = _cli(server, "token", "--role", "viewer", "--name", "县级", "--county", county)
    assert ok.exit_code == 0, ok.output
    secret = ok.stdout.strip().splitlines()[-1]
    listed = next(t for t in json.loads(_cli(server, "token", "list", "--json").stdout) if t["name"] == "县级")
    assert listed["county"] == county and county in _cli(server, "token", "list").stdout
    with httpx.Client(base_url=server["base"], headers={"Authorization": f"Bearer {secret}"}, timeout=300) as c:
        mine = c.get("/api/v1/report").json()
        assert mine["findings"] and all(f["scope"]["county"] == county for f in mine["findings"])
        assert c.get("/api/v1/report", params={"county_id": county}).json()["findings"] == mine["findings"]


def test_the_tokens_file_is_private(server: dict[str, Any]) -> None:
    assert _cli(server, "token", "--role", "viewer").exit_code == 0
    assert server["tokens_file"].stat().st_mode & 0o777 == 0o600
