"""One colour scale for coverage scores everywhere (report, dashboard, notebooks), from the ``[display]`` settings.

>>> d = Display()
>>> score_colour(72.5, d), score_colour(85, d), score_colour(96, d), score_colour(None, d)
('#C0392B', '#D68910', '#2E7D32', '#9E9E9E')
>>> score_band(89.9, d)
'amber'
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, model_validator

RED, AMBER, GREEN, GREY = "#C0392B", "#D68910", "#2E7D32", "#9E9E9E"
BAND_COLOUR = {"red": RED, "amber": AMBER, "green": GREEN, "none": GREY}
BAND_ZH = {"red": "薄弱", "amber": "一般", "green": "良好", "none": "无数据"}


class Display(BaseModel):
    """How reports are shown: the score bands and who issues the report (``[display]`` in orgnet.toml).

    A score below ``score_red_below`` is red, below ``score_amber_below`` amber, else green.

    >>> from pydantic import ValidationError
    >>> try:
    ...     Display(score_red_below=90, score_amber_below=80)
    ... except ValidationError as exc:
    ...     print("score_red_below (90.0) 应不大于" in str(exc))
    True
    """

    score_red_below: float = Field(80, ge=0, le=100)
    score_amber_below: float = Field(90, ge=0, le=100)
    issuer: str = Field("", max_length=100, description="发文单位, e.g. 乐亭县委组织部")

    @model_validator(mode="after")
    def _ordered(self) -> Display:
        if self.score_red_below > self.score_amber_below:
            raise ValueError(f"score_red_below ({self.score_red_below}) 应不大于 score_amber_below "
                             f"({self.score_amber_below}) / must not exceed score_amber_below")
        return self


def display_settings(config: dict[str, Any] | None = None) -> Display:
    """The ``[display]`` table of ``config`` (default: the settings' orgnet.toml) as :class:`Display`."""
    if config is None:
        from graph.settings import get_settings

        config = get_settings().config_file()
    return Display(**config.get("display", {}))


def score_band(score: float | None, cfg: Display | None = None) -> str:
    """``red``, ``amber``, ``green`` or ``none`` (no score) for a coverage score."""
    cfg = cfg or Display()
    if score is None:
        return "none"
    if score < cfg.score_red_below:
        return "red"
    return "amber" if score < cfg.score_amber_below else "green"


def score_colour(score: float | None, cfg: Display | None = None) -> str:
    """The colour (hex) of a coverage score on the one scale."""
    return BAND_COLOUR[score_band(score, cfg)]
