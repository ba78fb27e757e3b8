"""The ``orgnet`` command line (Typer + rich): thin wiring of settings, services and printing."""

from __future__ import annotations

import logging
import sys
from typing import Annotated

import typer

app = typer.Typer(help="orgnet：找出基层治理网络中的空白点 / find the blank spots in grassroots governance",
                  no_args_is_help=True, pretty_exceptions_enable=False)
db_app = typer.Typer(help="本地 Neo4j 服务器 / the project's local Neo4j server", no_args_is_help=True)
app.add_typer(db_app, name="db")


@app.callback()
def main(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="详细日志 / verbose logs")] = False) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
