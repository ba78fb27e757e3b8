"""The pages' Jinja2 templates (api/templates), autoescaped: everything printed from data is escaped."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
ENV = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))


def render(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """An HTML response from the template ``name``."""
    return HTMLResponse(ENV.get_template(name).render(**context), status_code=status)
