"""Plan the load statements on the local server (run detached after it starts): ``python -m graph.store.warm``."""

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
    """EXPLAIN every load statement once; 0 when done, 1 when the server could not be asked."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    t0 = time.monotonic()
    try:
        with connect(get_settings(), start=False) as db:
            n = datasets.warm(db)
    except OrgnetError as exc:
        log.warning("warming the load plans failed: %s", exc)
        return 1
    finally:
        done()
    log.info("planned %d load statements in %.1f s", n, time.monotonic() - t0)
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
