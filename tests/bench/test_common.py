"""The benchmarks' own measuring: a command's peak memory is its own, not the benchmark's."""

from __future__ import annotations

import sys

from bench.common import run_measured


def test_a_commands_peak_rss_is_not_the_benchmarks() -> None:
    """A child started straight from a process holding 400 MiB reported at least that much (the kernel counts the
    memory it was forked from); the launcher's child does not."""
    held = b"x" * (400 * 2**20)  # noqa: F841  (held while the command runs)
    small = run_measured([sys.executable, "-c", "pass"])
    big = run_measured([sys.executable, "-c", "x = b'x' * (300 * 2**20)"])
    assert small["exit"] == big["exit"] == 0
    assert small["peak_rss_mib"] < 100
    assert 300 < big["peak_rss_mib"] < 400
    assert run_measured([sys.executable, "-c", "raise SystemExit(3)"])["exit"] == 3
