"""Answers served again without the framework (api/fast.py): the same bytes, the caller's own scope, a token
checked every time — over real HTTP against the real Neo4j."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from api.auth import Principal, issue
from api.fast import raw_key
from tests.api.conftest import LIMITED_STREET, client

pytestmark = pytest.mark.neo4j

QUERY = "/api/v1/findings?page_size=7&severity=high"


def _kept(server: dict[str, Any], who: Principal, path: str, query: bytes) -> bool:
    snap = server["app"].state.service.peek()
    return raw_key({"path": path, "query_string": query}, who) in snap.encoded


def test_a_repeated_request_gets_the_same_answer_from_the_kept_bytes(server: dict[str, Any]) -> None:
    with client(server, "viewer") as c:
        first = c.get(QUERY)
        assert _kept(server, Principal("", "viewer"), "/api/v1/findings", b"page_size=7&severity=high")
        again = c.get(QUERY)
    assert first.status_code == again.status_code == 200
    assert again.content == first.content and len(first.json()["items"]) == 7
    for h in ("content-type", "x-orgnet-dataset", "cache-control", "x-content-type-options"):
        assert again.headers[h] == first.headers[h], h


def test_each_scope_keeps_its_own_answer(server: dict[str, Any]) -> None:
    answers = {}
    for who in ("viewer", "viewer_st", "viewer", "viewer_st"):
        with client(server, who) as c:
            answers.setdefault(who, set()).add(c.get(QUERY).content)
    assert all(len(v) == 1 for v in answers.values())  # twice the same, each
    county, street = (next(iter(answers[w])) for w in ("viewer", "viewer_st"))
    assert county != street
    with client(server, "viewer_st") as c:
        items = c.get("/api/v1/findings", params={"page_size": 1000}).json()["items"]
    assert items and all(f["scope"]["street_id"] == LIMITED_STREET for f in items)


def test_a_token_removed_after_its_answer_was_kept_is_refused(server: dict[str, Any]) -> None:
    path = server["tokens_file"]
    before = path.read_bytes() if path.exists() else None
    secret = issue(path, "viewer", "临时")
    url, headers = server["base"] + QUERY, {"Authorization": f"Bearer {secret}"}
    try:
        assert httpx.get(url, headers=headers, timeout=300).status_code == 200
        assert httpx.get(url, headers=headers, timeout=300).status_code == 200  # kept now
    finally:  # the token is gone from the file, as `orgnet token revoke` or deleting its line does
        if before is None:
            path.unlink()
        else:
            path.write_bytes(before)
    assert httpx.get(url, headers=headers, timeout=300).status_code == 401
    assert httpx.get(url, headers={"Authorization": "Bearer nope"}, timeout=300).status_code == 401
    assert httpx.get(url, timeout=300).status_code == 401
    with client(server, "viewer") as c:
        assert c.get(QUERY).status_code == 200
