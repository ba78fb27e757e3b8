"""Upload limits (issue 11, point 6): authentication before the body, size from Content-Length and while
streaming, a shared-strings bomb refused before parsing, refusals short and naming the uploaded file."""

from __future__ import annotations

import io
import socket
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest

from graph.store import datasets
from tests.api.conftest import TOKENS, client
from tests.api.test_http import workbook
from tests.conftest import TINY

pytestmark = pytest.mark.neo4j
UPLOAD = "/api/v1/datasets"


def _raw_post(server: dict[str, Any], headers: dict[str, str], body: bytes) -> bytes:
    """Send a POST whose body is far shorter than its Content-Length; return what the server answers at once."""
    host, port = "127.0.0.1", server["port"]
    lines = [f"POST {UPLOAD} HTTP/1.1", f"Host: {host}:{port}",
             "Content-Type: multipart/form-data; boundary=xyz"] + [f"{k}: {v}" for k, v in headers.items()]
    with socket.create_connection((host, port), timeout=30) as s:
        s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        s.settimeout(30)  # a server that waited for the whole body would never answer: recv times out
        return s.recv(65536)


def test_unauthenticated_upload_is_refused_before_its_body_is_read(server: dict[str, Any]) -> None:
    answer = _raw_post(server, {"Content-Length": str(40 * 1024 * 1024)}, b"--xyz\r\n")
    assert answer.startswith(b"HTTP/1.1 401"), answer[:200]
    answer = _raw_post(server, {"Content-Length": str(40 * 1024 * 1024), "Authorization": "Bearer " + TOKENS["viewer"]},
                       b"--xyz\r\n")
    assert answer.startswith(b"HTTP/1.1 403"), answer[:200]


def test_a_body_over_the_limit_is_refused(server: dict[str, Any]) -> None:
    limit = server["app"].state.limits.max_bytes
    answer = _raw_post(server, {"Content-Length": str(limit + 1), "Authorization": "Bearer " + TOKENS["admin"]},
                       b"--xyz\r\n")
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted while it streams
        yield b"--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.xlsx\"\r\n\r\n"
        piece = b"\0" * (1 << 20)
        for _ in range(limit // len(piece) + 2):
            yield piece

    with client(server, "admin") as c:
        r = c.post(UPLOAD, content=chunks(), headers={"Content-Type": "multipart/form-data; boundary=xyz"})
    assert r.status_code == 413, r.text[:300]


def _bomb() -> bytes:
    """A workbook whose shared strings unpack to 300 MB from a few hundred kB."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook/>')
        with z.open("xl/sharedStrings.xml", "w") as fh:
            fh.write(b'<?xml version="1.0"?><sst>')
            item = b"<si><t>" + b"A" * 1000 + b"</t></si>"
            for _ in range(300_000):
                fh.write(item)
            fh.write(b"</sst>")
    return buf.getvalue()


def test_a_shared_strings_bomb_is_refused_before_parsing(server: dict[str, Any], db) -> None:  # type: ignore[no-untyped-def]
    before = datasets.current(db)
    bomb = _bomb()
    assert len(bomb) < 2 * 1024 * 1024
    with client(server, "admin") as c:
        r = c.post(UPLOAD, files={"file": ("炸弹.xlsx", bomb, "application/octet-stream")})
    assert r.status_code == 422, r.text[:300]
    body = r.json()
    assert any("压缩炸弹" in p["zh"] and "zip bomb" in p["en"] and p["file"] == "炸弹.xlsx" for p in body["problems"])
    assert datasets.current(db) == before


def _many_problems_workbook(long_value: str) -> bytes:
    import pandas as pd

    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="xlsxwriter") as xw:
        for f in sorted(TINY.glob("*.csv")):
            df = pd.read_csv(f, dtype=str, keep_default_na=False)
            if f.stem == "grids":
                bad = df.iloc[[0] * 400].copy()
                bad["id"] = [f"BAD{i}" for i in range(400)]
                bad["kind"] = long_value
                df = pd.concat([df, bad])
            df.to_excel(xw, sheet_name=f.stem, index=False)
    return buf.getvalue()


def test_refusals_are_bounded_short_and_name_the_uploaded_file(server: dict[str, Any]) -> None:
    long_value = "塔" * 30_000
    with client(server, "admin") as c:
        r = c.post(UPLOAD, files={"file": ("../../我的台账.xlsx", _many_problems_workbook(long_value),
                                           "application/octet-stream")})
    assert r.status_code == 422
    body = r.json()
    assert len(body["problems"]) == 200 and body["problems_total"] >= 400
    assert len(r.content) < 200_000
    assert all(len(p["value"]) < 300 for p in body["problems"])
    assert any(p["value"].endswith("(30000 字符 / chars)") for p in body["problems"])  # says how long it was
    assert all(p["file"].startswith("我的台账.xlsx") for p in body["problems"] if p["file"])
    assert "/tmp" not in r.text and "upload.xlsx" not in r.text


def test_a_cell_longer_than_the_limit_is_refused(server: dict[str, Any]) -> None:
    long_name = "长" * (server["app"].state.limits.max_cell + 1)
    data = workbook(TINY, {("grids", 2, "name"): long_name})
    with client(server, "admin") as c:
        r = c.post(UPLOAD, files={"file": ("long.xlsx", data, "application/octet-stream")})
    assert r.status_code == 422, r.text[:300]
    (p,) = [p for p in r.json()["problems"] if p["column"] == "name"]
    assert p["table"] == "grids" and p["row"] == 2 and len(p["value"]) < 300


def test_the_source_is_a_file_name_for_viewers(server: dict[str, Any], db) -> None:  # type: ignore[no-untyped-def]
    source = datasets.current(db)["source"]
    assert "/" in source  # the test data set was loaded from a folder on this machine
    with client(server, "viewer") as c:
        assert c.get("/api/v1/report").json()["dataset"]["source"] == source.rsplit("/", 1)[-1]
    with client(server, "admin") as c:
        assert c.get("/api/v1/report").json()["dataset"]["source"] == source
