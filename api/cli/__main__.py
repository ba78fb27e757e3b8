"""``python -m api.cli``: the orgnet command line."""

from api.cli import app

app()
