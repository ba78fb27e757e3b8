"""How evenly a load is spread: the Gini coefficient and the share carried by the top few."""

from __future__ import annotations

from collections.abc import Sequence


def gini(values: Sequence[float]) -> float:
    """Gini coefficient of non-negative values (0 = all equal, towards 1 = one carries everything).

    >>> gini([1, 1, 1, 1])
    0.0
    >>> round(gini([0, 0, 0, 4]), 2)
    0.75
    """
    xs = sorted(values)
    n, total = len(xs), sum(xs)
    if n == 0 or total == 0:
        return 0.0
    weighted = sum((i + 1) * x for i, x in enumerate(xs))
    return (2 * weighted) / (n * total) - (n + 1) / n


def top_share(values: Sequence[float], fraction: float = 0.05) -> float:
    """Share of the total carried by the top ``fraction`` of values (at least one value).

    >>> top_share([1] * 19 + [81], 0.05)
    0.81
    """
    xs = sorted(values, reverse=True)
    total = sum(xs)
    if not xs or total == 0:
        return 0.0
    k = max(1, round(len(xs) * fraction))
    return sum(xs[:k]) / total
