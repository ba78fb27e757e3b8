"""The collector is paused while a report is built, and what the build leaves frozen holds no garbage."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tests.conftest import ROOT

# A fresh interpreter: in the test process other threads (servers, drivers) make garbage while the report is
# built, and gc.freeze() would count theirs too; this measures the report's own.
PROBE = textwrap.dedent("""
    import gc
    from graph.report import build_report
    from tests.graph.reference import generated
    ds = generated("small_city")
    gc.collect()
    frozen = gc.get_freeze_count()
    report = build_report(ds)
    assert gc.isenabled()
    print(gc.get_freeze_count() > frozen)  # its long-lived objects are never walked again
    del report
    gc.unfreeze()  # frozen garbage would never be freed: there must be none
    print(gc.collect())
""")


def test_a_report_freezes_what_it_made_and_leaves_no_cyclic_garbage() -> None:
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    froze, garbage = out.stdout.split()
    assert froze == "True"
    assert garbage == "0"
