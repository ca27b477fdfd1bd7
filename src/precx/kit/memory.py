"""Keeping the cyclic garbage collector off what a process loads once and keeps."""

from __future__ import annotations

import gc


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
