"""The tokens file kept by hand: list the tokens (never their secrets), revoke one, read an ``--expires`` span.

>>> parse_span("90d"), parse_span("12h"), parse_span("2w")
(datetime.timedelta(days=90), datetime.timedelta(seconds=43200), datetime.timedelta(days=14))
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

from api.auth import now_utc, read_entries, token_id, usable
from graph.atomic import written_whole

SPAN = re.compile(r"^\s*(\d{1,5})\s*([hdw])\s*$", re.I)
PUBLIC = ("id", "name", "role", "county", "street_id", "community_id", "created", "expires", "revoked")


def parse_span(text: str) -> timedelta:
    """A span such as ``90d``, ``12h`` or ``2w`` (hours, days, weeks)."""
    m = SPAN.match(text or "")
    if not m:
        raise ValueError(f"期限格式应为 90d、12h 或 2w / a span like 90d, 12h or 2w, not {text!r}")
    n, unit = int(m.group(1)), m.group(2).lower()
    if n == 0:
        raise ValueError("期限须大于零 / the span must be more than zero")
    return {"h": timedelta(hours=n), "d": timedelta(days=n), "w": timedelta(weeks=n)}[unit]


def list_tokens(path: Path) -> list[dict[str, Any]]:
    """Every token in ``path`` as its public fields and a state (active, expired, revoked) — no hash, no secret."""
    at = now_utc()
    out = []
    for e in read_entries(path):
        row = {k: e.get(k) for k in PUBLIC}
        row["id"] = token_id(e)
        row["state"] = "revoked" if e.get("revoked") else "active" if usable(e, at) else "expired"
        out.append(row)
    return out


def revoke(path: Path, ident: str) -> dict[str, Any] | None:
    """Mark the token whose id is ``ident`` revoked (the file rewritten whole, atomically, mode 0600).

    Returns its public fields, or None when no token has that id. A running server notices at its next request.
    """
    entries = read_entries(path)
    hit = next((e for e in entries if token_id(e) == ident), None)
    if hit is None:
        return None
    hit["revoked"] = hit.get("revoked") or now_utc().isoformat(timespec="seconds")
    with written_whole(path) as fh:  # 0600, as the file was made
        fh.writelines(json.dumps(e, ensure_ascii=False) + "\n" for e in entries)
    return {**{k: hit.get(k) for k in PUBLIC}, "id": token_id(hit)}
