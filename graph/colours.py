"""Red, amber or green for a coverage score: the one colour function of every page and report.

The thresholds are configurable (``ORGNET_SCORE_RED_BELOW`` / ``ORGNET_SCORE_AMBER_BELOW``); a score below
``red_below`` is red, below ``amber_below`` amber, else green; no score (nothing to count) is grey.

>>> score_colour(45.0), score_colour(70), score_colour(92.5), score_colour(None)
('red', 'amber', 'green', 'grey')
"""

from __future__ import annotations

import os
from typing import Literal

Colour = Literal["red", "amber", "green", "grey"]
RED_BELOW = 60.0
AMBER_BELOW = 80.0
HEX: dict[str, str] = {"red": "#d62728", "amber": "#f0a30a", "green": "#2ca02c", "grey": "#9e9e9e"}
ZH: dict[str, str] = {"red": "红", "amber": "黄", "green": "绿", "grey": "无"}


def thresholds() -> tuple[float, float]:
    """(red_below, amber_below) from the environment, else the defaults 60 and 80."""
    red = float(os.environ.get("ORGNET_SCORE_RED_BELOW", RED_BELOW))
    amber = float(os.environ.get("ORGNET_SCORE_AMBER_BELOW", AMBER_BELOW))
    return red, max(red, amber)


def score_colour(score: float | None) -> Colour:
    """The traffic-light colour of a coverage score (0-100)."""
    if score is None:
        return "grey"
    red, amber = thresholds()
    return "red" if score < red else "amber" if score < amber else "green"
