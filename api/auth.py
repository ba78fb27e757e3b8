"""Tokens with roles (viewer, analyst, admin), stored hashed; any token may be limited to a county (of a
province), a street or a community."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from graph.scope import Area

ROLES = ("viewer", "analyst", "admin")


@dataclass(frozen=True)
class Principal:
    """Who is calling: a role, and the county, street or community the token is limited to (whatever the role)."""

    name: str
    role: str
    street_id: str | None = None
    community_id: str | None = None
    token_id: str = ""
    county: str | None = None

    def at_least(self, role: str) -> bool:
        """True when this principal's role includes ``role``.

        >>> Principal("x", "analyst").at_least("viewer"), Principal("x", "viewer").at_least("admin")
        (True, False)
        """
        return ROLES.index(self.role) >= ROLES.index(role)

    @property
    def sees_personal(self) -> bool:
        return self.at_least("analyst")

    @property
    def area(self) -> Area:
        """The part of the data set this principal may see."""
        return Area(self.street_id, self.community_id, self.county)

    def allows(self, scope: dict[str, Any]) -> bool:
        """True when something in ``scope`` (street_id, community_id, county) is inside this principal's limit."""
        return self.area.contains(scope)

    def who(self) -> dict[str, Any]:
        """This principal as the audit log records it."""
        return {"token_id": self.token_id, "name": self.name, "role": self.role, **self.area.as_dict()}


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_id(entry: dict[str, Any]) -> str:
    """A token's public id: the start of its hash (never the secret)."""
    return str(entry.get("id") or entry["sha256"][:12])


def now_utc() -> datetime:
    return datetime.now(UTC)


def usable(entry: dict[str, Any], at: datetime | None = None) -> bool:
    """True when a token entry is neither revoked nor expired.

    >>> usable({"role": "viewer", "expires": "2000-01-01T00:00:00+00:00"}), usable({"role": "viewer"})
    (False, True)
    """
    if entry.get("role") not in ROLES or entry.get("revoked"):
        return False
    expires = entry.get("expires")
    if not expires:
        return True
    try:
        return datetime.fromisoformat(expires) > (at or now_utc())
    except (TypeError, ValueError):
        return False  # an expiry one cannot read is no licence


class TokenStore:
    """Token hashes with their roles, from ``ORGNET_TOKENS_FILE`` (JSON lines) or ``ORGNET_TOKENS`` (JSON).

    The file is looked at again (its mtime, size and inode) on every resolve: a revoked, deleted or new token
    counts at once, without a restart.
    """

    def __init__(self, entries: list[dict[str, Any]], path: Path | None = None) -> None:
        self._fixed = list(entries)
        self._path = path
        self._stamp: tuple[int, int, int] | None = None
        self._lock = threading.Lock()
        self._by_hash = {e["sha256"]: e for e in entries}
        self._refresh()

    @classmethod
    def from_env(cls, default_file: Path) -> TokenStore:
        entries: list[dict[str, Any]] = []
        if os.environ.get("ORGNET_TOKENS"):
            entries += json.loads(os.environ["ORGNET_TOKENS"])
        return cls(entries, tokens_file(default_file))

    def _refresh(self) -> None:
        if self._path is None:
            return
        try:
            st = self._path.stat()
            stamp: tuple[int, int, int] | None = (st.st_mtime_ns, st.st_size, st.st_ino)
        except OSError:
            stamp = None
        if stamp == self._stamp:
            return
        with self._lock:
            entries = list(self._fixed) + (read_entries(self._path) if stamp else [])
            self._by_hash = {e["sha256"]: e for e in entries}
            self._stamp = stamp

    def resolve(self, token: str | None) -> Principal | None:
        if not token or len(token) > 256:
            return None
        self._refresh()
        e = self._by_hash.get(digest(token))
        if e is None or not usable(e):
            return None
        return Principal(e.get("name", "token"), e["role"], e.get("street_id"), e.get("community_id"), token_id(e),
                         e.get("county"))


def tokens_file(default_file: Path) -> Path:
    """The tokens file: ``ORGNET_TOKENS_FILE``, else ``default_file``."""
    return Path(os.environ.get("ORGNET_TOKENS_FILE", default_file))


def read_entries(path: Path) -> list[dict[str, Any]]:
    """The entries of a tokens file (a line that is not a JSON object with a hash is skipped)."""
    out = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    for line in lines:
        try:
            e = json.loads(line)
        except ValueError:
            continue
        if isinstance(e, dict) and isinstance(e.get("sha256"), str):
            out.append(e)
    return out


def issue(path: Path, role: str, name: str, street_id: str | None = None, community_id: str | None = None,
          expires: datetime | None = None, county: str | None = None) -> str:
    """Create a token, store only its hash in ``path`` (mode 0600) and return the token itself (shown once)."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}")
    token = secrets.token_urlsafe(32)
    h = digest(token)
    entry = {"id": h[:12], "sha256": h, "role": role, "name": name, "street_id": street_id,
             "community_id": community_id, **({"county": county} if county else {}),
             "created": now_utc().isoformat(timespec="seconds"),
             "expires": expires.isoformat(timespec="seconds") if expires else None}
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
    os.chmod(path, 0o600)
    return token
