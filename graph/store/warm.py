"""Warm the local server up after it starts (run detached): ``python -m graph.store.warm``.

It plans every load statement, so that the first load finds its plans cached; a load started meanwhile waits for
it (graph.store.server.LocalServer.warmed) rather than plan them again at the same time.
"""

from __future__ import annotations

import logging
import time

from graph.errors import OrgnetError
from graph.settings import get_settings
from graph.store import datasets
from graph.store.connection import connect
from graph.store.server import LocalServer

log = logging.getLogger(__name__)


def main() -> int:
    """Plan every load statement; 0 when done, 1 when the server could not be asked."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    t0 = time.monotonic()
    try:
        with connect(get_settings(), start=False) as db:
            n = datasets.warm(db)
            log.info("planned %d load statements in %.1f s", n, time.monotonic() - t0)
    except OrgnetError as exc:
        log.warning("warming the server up failed: %s", exc)
        return 1
    finally:
        done()
    return 0


def done() -> None:
    """Say that the warm-up is over: remove the marker a load waits on (LocalServer.warmed), if it is ours."""
    import os

    marker = LocalServer(get_settings()).warming_file
    try:
        if int(marker.read_text()) == os.getpid():
            marker.unlink()
    except (OSError, ValueError):
        pass


if __name__ == "__main__":
    raise SystemExit(main())
