"""The collector is paused while a report is built, and what the build leaves frozen holds no garbage."""

from __future__ import annotations

import gc

from graph.report import build_report
from tests.graph.reference import generated


def test_a_report_freezes_what_it_made_and_leaves_no_cyclic_garbage() -> None:
    ds = generated("small_city")
    gc.unfreeze()  # start clean: what earlier tests froze is not this report's
    gc.collect()
    frozen = gc.get_freeze_count()
    report = build_report(ds)
    assert gc.isenabled()
    assert gc.get_freeze_count() > frozen  # its long-lived objects are never walked again
    del report
    gc.unfreeze()  # frozen garbage would never be freed: there must be none
    assert gc.collect() == 0
