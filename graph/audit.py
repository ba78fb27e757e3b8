"""The audit log: who did what, when, from where, with what result — append-only JSON lines, hash-chained.

Each line carries ``prev``, the SHA-256 of the line before it (across months: one file per month,
``audit-YYYY-MM.jsonl``), and ``head`` holds the hash of the last line, so editing, removing or reordering any
line shows in :meth:`AuditLog.verify`. The folder is 0700 and the files 0600; the server and the command line
both write here (a file lock keeps lines whole and the chain in order). Nothing here deletes a file: monthly
files are kept at least 180 days (docs/security.md).

>>> import tempfile
>>> log = AuditLog(Path(tempfile.mkdtemp()))
>>> _ = log.record("load", {"name": "cli"}, "ok", rows=3)
>>> _ = log.record("upload", {"name": "x"}, "refused")
>>> [e["action"] for e in log.entries()], log.verify()
(['load', 'upload'], [])
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

GENESIS = "0" * 64
_local = threading.Lock()


def _sha(line: bytes) -> str:
    return hashlib.sha256(line.rstrip(b"\n")).hexdigest()


class AuditLog:
    """The audit log in ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def files(self) -> list[Path]:
        return sorted(self.folder.glob("audit-*.jsonl"))

    def _last_line(self) -> bytes | None:
        for path in reversed(self.files()):
            with path.open("rb") as fh:
                fh.seek(0, os.SEEK_END)
                size = fh.tell()
                back = min(size, 1 << 16)
                while True:
                    fh.seek(size - back)
                    lines = fh.read(back).rstrip(b"\n").split(b"\n")
                    if len(lines) > 1 or back == size:
                        break
                    back = min(size, back * 4)
                if lines[-1]:
                    return lines[-1]
        return None

    def record(self, action: str, who: dict[str, Any], result: str, client: str | None = None,
               **detail: Any) -> dict[str, Any]:
        """Append one entry (``who``: token id, name, role, scope; ``client``: the address it came from)."""
        now = datetime.now(UTC)
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(self.folder, 0o700)
        with _local, open(self.folder / ".lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            last = self._last_line()
            entry = {"at": now.isoformat(timespec="milliseconds"), "action": action, "who": who,
                     "from": client, "result": result, "detail": detail,
                     "prev": _sha(last) if last is not None else GENESIS}
            line = json.dumps(entry, ensure_ascii=False, default=str).encode()
            path = self.folder / f"audit-{now:%Y-%m}.jsonl"
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            with os.fdopen(fd, "ab") as fh:
                fh.write(line + b"\n")
            head = self.folder / "head"
            fd = os.open(head, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(_sha(line) + "\n")
        return entry

    def entries(self, since: datetime | None = None) -> Iterator[dict[str, Any]]:
        """Every entry, oldest first (from ``since`` on, when given)."""
        floor = since.replace(tzinfo=since.tzinfo or UTC) if since else None
        for path in self.files():
            if floor and path.stem[6:] < f"{floor:%Y-%m}":
                continue
            for raw in path.read_bytes().splitlines():
                try:
                    e = json.loads(raw)
                except ValueError:
                    continue
                if floor is None or datetime.fromisoformat(e["at"]) >= floor:
                    yield e

    def verify(self) -> list[str]:
        """Where the chain breaks (empty when every line is as written); each with file and line number."""
        problems: list[str] = []
        prev: str | None = None
        for path in self.files():
            for n, raw in enumerate(path.read_bytes().splitlines(), start=1):
                try:
                    claimed = json.loads(raw).get("prev")
                except (ValueError, AttributeError):
                    problems.append(f"{path.name}:{n}: 不是 JSON / not JSON")
                    claimed = None
                if prev is None:
                    if claimed != GENESIS:
                        problems.append(f"{path.name}:{n}: 链的开头之前的记录已不在（已超过保留期删除？）/ "
                                        "entries before this one are gone (removed after retention?)")
                elif claimed != prev:
                    problems.append(f"{path.name}:{n}: 与上一行的哈希不符，记录被改动或删除 / "
                                    "does not match the previous line's hash: a line was changed or removed")
                prev = _sha(raw)
        head = self.folder / "head"
        if prev is not None and head.is_file() and head.read_text().strip() != prev:
            problems.append("head: 最后一行被改动或删除 / the last line was changed or removed")
        return problems
