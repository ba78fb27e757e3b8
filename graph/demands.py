"""The demands table beside the graph: the data set's own demand rows, read by column, never copied."""

from __future__ import annotations

from datetime import datetime

from graph.dataformat import Row


class Demands:
    """A data set's demands as one table (they are not graph nodes: no rule walks their references).

    The rows are the data set's own dicts; what the rules ask — the demands open at a moment — is computed in one
    pass and kept for that moment (the summaries read the rows themselves: ``graph.summary.demand_tallies``).

    >>> t = datetime(2026, 1, 1)
    >>> d = Demands([{"id": "D1", "raised_at": t, "resolved_at": None, "_row": 2}])
    >>> [r["id"] for r in d.open_at(t)], d.get("D1")["raised_at"] == t, d.get("D9")
    (['D1'], True, None)
    """

    def __init__(self, rows: list[Row]) -> None:
        self.rows = rows
        self._by_id: dict[str, Row] | None = None
        self._open: tuple[datetime, list[Row]] | None = None

    def __len__(self) -> int:
        return len(self.rows)

    def get(self, demand_id: str) -> Row | None:
        """The row of a demand by id (the index is made on first use)."""
        if self._by_id is None:
            self._by_id = {r["id"]: r for r in self.rows}
        return self._by_id.get(demand_id)

    def ids(self) -> list[str]:
        """Every demand's id, sorted."""
        return sorted(r["id"] for r in self.rows)

    def open_at(self, as_of: datetime) -> list[Row]:
        """The demands raised at or before ``as_of`` and not resolved at or before it, in table order."""
        if self._open is None or self._open[0] != as_of:
            self._open = (as_of, [r for r in self.rows if r["raised_at"] <= as_of
                                  and not ((done := r.get("resolved_at")) and done <= as_of)])
        return self._open[1]
