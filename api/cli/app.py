"""The ``orgnet`` command line (Typer + rich): thin wiring of settings, services and printing."""

from __future__ import annotations

import logging
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from api.cli import failure


class OrgnetGroup(TyperGroup):
    """The command group: any failure a command did not handle ends in one line and exit 1, never a traceback."""

    def invoke(self, ctx: Any) -> Any:  # typer's own (vendored) click Context
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.TyperException):  # the command's own exit, usage errors
            raise
        except KeyboardInterrupt:
            failure.say("已中断 / interrupted")
            raise typer.Exit(130) from None
        except Exception as exc:
            if failure.state.debug:
                raise
            failure.say(failure.one_line(exc))
            raise typer.Exit(1) from None


app = typer.Typer(cls=OrgnetGroup,
                  help="orgnet：找出基层治理网络中的空白点 / find the blank spots in grassroots governance",
                  no_args_is_help=True, pretty_exceptions_enable=False)
db_app = typer.Typer(help="本地 Neo4j 服务器 / the project's local Neo4j server", no_args_is_help=True)
app.add_typer(db_app, name="db")


@app.callback()
def main(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="详细日志 / verbose logs")] = False,
         debug: Annotated[bool, typer.Option("--debug", help="出错时显示完整的调用栈 / show the whole traceback "
                                                             "on failure")] = False) -> None:
    failure.state.debug = debug
    logging.basicConfig(level=logging.INFO if verbose or debug else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    if not (verbose or debug):
        # the driver logs each retry as a warning; the command prints the one reason it finally fails with
        logging.getLogger("neo4j").setLevel(logging.ERROR)
