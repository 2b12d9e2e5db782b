"""How much memory a worker holds on its own, checked cheaply after its jobs.

A forked worker starts with every page of the store shared with the holder, but reading
pyoxigraph's in-memory store writes to the pages it reads (measured at 100k: 4 MB of the heap
copied after one lookup, 18 MB after 100 different ones, then no more), and what a query
allocates stays in the worker. So a worker comes to hold much of a store of its own. After each
job the worker gives back what malloc can (``malloc_trim``, under a microsecond when there is
nothing to give); after every ``every``-th it reads what it holds alone (``smaps_rollup``'s
private pages, 0.3 ms, hence not every job), and past ``bound_bytes`` it asks to be replaced by a
fresh fork, which costs milliseconds and shares the whole store again.
"""
from __future__ import annotations

import os

from mclinks.freed_memory import give_back


def private_bytes() -> int:
    """The pages this process holds alone (dirty or clean), from /proc/self/smaps_rollup."""
    total = 0
    with open("/proc/self/smaps_rollup", "rb") as f:
        for line in f:
            if line.startswith((b"Private_Dirty:", b"Private_Clean:")):
                total += int(line.split()[1]) * 1024
    return total


class Growth:
    """``past_bound()`` after each job: True once the process holds more than ``bound_bytes`` alone
    (counted from its start, so what it was forked with does not count)."""

    def __init__(self, bound_bytes: int, every: int = 32) -> None:
        self.bound = bound_bytes
        self.every = every
        self.start = private_bytes() if bound_bytes else 0
        self._jobs = 0

    def past_bound(self) -> bool:
        give_back()
        if not self.bound:
            return False
        self._jobs += 1
        if self._jobs % self.every:
            return False
        return private_bytes() - self.start > self.bound
