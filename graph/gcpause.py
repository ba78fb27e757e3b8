"""Keep Python's cyclic garbage collector off the millions of long-lived objects a data set and its report are."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Run the block with the cyclic collector off (reference counting still frees memory), then freeze what it
    made before switching the collector back on.

    Reading a city's data set or building its report allocates millions of long-lived objects; each full
    collection then walks all of them, again and again (measured: the city report 17.9 s with the collector
    on, 13.0 s off), and switching the collector back on made it walk them all once more (1.3 s). Frozen
    (``gc.freeze``) they are never walked again; reference counting still frees them when they are dropped.
    Cyclic garbage made inside the block would be frozen too and never freed, so a block that makes much of
    it runs that part under :func:`cycles_collected` (the report's suggestions: NetworkX's flow algorithms).
    In a server, cycles another thread drops while the block runs are frozen with it (a few hundred objects per
    report built, measured in the test suite: kilobytes) and stay until the process ends.

    >>> with gc_paused():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.freeze()
            gc.enable()


@contextmanager
def cycles_collected() -> Iterator[None]:
    """Run a block whose temporary objects form reference cycles, and free them when it ends, walking only what
    the block allocated (everything older is frozen first: it is long-lived, see :func:`gc_paused`).

    >>> class Node:
    ...     pass
    >>> with gc_paused(), cycles_collected():
    ...     a, b = Node(), Node()
    ...     a.other, b.other = b, a
    ...     del a, b
    >>> gc.get_count()[0] < 100
    True
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.collect()
