"""The ``orgnet`` command line: one module per group of commands, all registered on one Typer app."""

from api.cli import data, db, history, plan, report, serve, tokens  # noqa: F401  (each registers its commands)
from api.cli.app import app

__all__ = ["app"]
