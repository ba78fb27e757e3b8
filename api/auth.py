"""Tokens with roles (viewer, analyst, admin), stored hashed; a viewer may be limited to a street or community."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.scope import Area

ROLES = ("viewer", "analyst", "admin")


@dataclass(frozen=True)
class Principal:
    """Who is calling: a role, and the street or community a viewer is limited to."""

    name: str
    role: str
    street_id: str | None = None
    community_id: str | None = None

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
        """The part of the county this principal may see."""
        return Area(self.street_id, self.community_id)

    def allows(self, scope: dict[str, Any]) -> bool:
        """True when something in ``scope`` (street_id, community_id) is inside this principal's limit."""
        return self.area.contains(scope)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class TokenStore:
    """Token hashes with their roles, from ``ORGNET_TOKENS_FILE`` (JSON lines) or ``ORGNET_TOKENS`` (JSON)."""

    def __init__(self, entries: list[dict[str, Any]]) -> None:
        self._by_hash = {e["sha256"]: e for e in entries}

    @classmethod
    def from_env(cls, default_file: Path) -> TokenStore:
        entries: list[dict[str, Any]] = []
        if os.environ.get("ORGNET_TOKENS"):
            entries += json.loads(os.environ["ORGNET_TOKENS"])
        path = Path(os.environ.get("ORGNET_TOKENS_FILE", default_file))
        if path.is_file():
            entries += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        return cls(entries)

    def resolve(self, token: str | None) -> Principal | None:
        if not token:
            return None
        e = self._by_hash.get(digest(token))
        if e is None or e.get("role") not in ROLES:
            return None
        return Principal(e.get("name", "token"), e["role"], e.get("street_id"), e.get("community_id"))


def issue(path: Path, role: str, name: str, street_id: str | None = None, community_id: str | None = None) -> str:
    """Create a token, store only its hash in ``path`` (mode 0600) and return the token itself (shown once)."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}")
    token = secrets.token_urlsafe(32)
    entry = {"sha256": digest(token), "role": role, "name": name, "street_id": street_id, "community_id": community_id}
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
    os.chmod(path, 0o600)
    return token
