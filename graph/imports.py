"""Import a library without its optional extras: ``with blocked("pandas"): import x`` (x sees them as absent).

Some libraries import pandas (0.6 s) or numpy only to ask whether they were handed a data frame; orgnet never
hands them one. A module already imported (in a notebook) is left alone and stays usable.

>>> with blocked("json_nobody_has"):
...     try:
...         import json_nobody_has
...     except ImportError as exc:
...         print(exc)
json_nobody_has is not imported here (graph.imports.blocked)
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from importlib.machinery import ModuleSpec
from types import ModuleType


class _Refuse:
    """A finder asked first: it refuses the blocked names (a compiled module's import asks it too, where ``None``
    in ``sys.modules`` would be handed back as the module)."""

    def __init__(self, names: set[str]) -> None:
        self.names = names

    def find_spec(self, name: str, path: Sequence[str] | None = None,
                  target: ModuleType | None = None) -> ModuleSpec | None:
        if name in self.names:
            raise ModuleNotFoundError(f"{name} is not imported here (graph.imports.blocked)", name=name)
        return None


@contextmanager
def blocked(*names: str) -> Iterator[None]:
    """Within the block, ``import name`` raises ImportError for each of ``names`` not imported yet."""
    finder = _Refuse({m for m in names if m not in sys.modules})
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)
