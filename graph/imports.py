"""Import a library without its optional extras: ``with blocked("pandas"): import x`` (x sees them as absent).

Some libraries import pandas (0.6 s) or numpy only to ask whether they were handed a data frame; orgnet never
hands them one. A module already imported (in a notebook) is left alone and stays usable.

>>> import sys
>>> with blocked("a_module_nobody_has"):
...     sys.modules["a_module_nobody_has"] is None
True
>>> "a_module_nobody_has" in sys.modules
False
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def blocked(*names: str) -> Iterator[None]:
    """Within the block, ``import name`` raises ImportError for each of ``names`` not imported yet."""
    absent = [m for m in names if m not in sys.modules]
    for m in absent:
        sys.modules[m] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        for m in absent:
            if m in sys.modules and sys.modules[m] is None:
                del sys.modules[m]
