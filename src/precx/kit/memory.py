"""Keeping the cyclic garbage collector off what a process loads once and keeps."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager


def settle_long_lived() -> None:
    """Collect once, then exempt every object alive now from later full collections.

    A serving process loads millions of objects once (rigour's name taggers, the catalog, the
    watchlist index) and keeps them. Python's full collection walks all of them every few
    seconds under load to find nothing: half a second each time, stalling every request and
    event stream of the process (measured in bench/RESULTS.md, event delivery). Frozen objects
    are still freed by reference counting when dropped; only reference cycles among them
    would wait.
    """
    gc.collect()
    gc.freeze()


_pause_lock = threading.Lock()
_pauses = 0
_resume = False  # whether the collector ran when the first pause began


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run a block of work that makes no reference cycles with the cyclic collector off.

    Screening a batch of orders fills caches that live for many orders (the analysed names of
    listed entities, the customers' matches). Python's collector walks those again and again
    while the batch runs, and a full collection of them takes seconds: at a million listed
    entities a third of a batch's time went there, to find nothing, since reference counting
    frees all that the screening makes (tests/screening/test_screener.py proves it). Pauses
    nest and may overlap across threads: the collector resumes when the last one ends, with one
    collection of the youngest objects, so that what the block made is sorted once, inside it,
    rather than on whatever request allocates next.
    """
    global _pauses, _resume
    with _pause_lock:
        if _pauses == 0:
            _resume = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pauses -= 1
            if _pauses == 0 and _resume:
                gc.enable()
                gc.collect(0)
