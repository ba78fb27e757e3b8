"""Test helper: a real `orgnet load` process killed outright once its new data set is half written."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from tests.conftest import ROOT


def kill_load_halfway(db: Any, path: Path, env: dict[str, str], nodes: int = 3000) -> int:
    """Run ``orgnet load --whole path`` and SIGKILL it once ``nodes`` nodes of the new data set exist; returns how many."""
    proc = subprocess.Popen([sys.executable, "-m", "api.cli", "load", str(path), "--whole", "--batch", "200"], cwd=ROOT,
                            env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline, n = time.monotonic() + 120, 0
    while time.monotonic() < deadline:
        n = db.read("MATCH (d:DataSet {current: false}) MATCH (n:Entity {ds: d.ds}) RETURN count(n) AS n")[0]["n"]
        if n > nodes:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return int(n)
