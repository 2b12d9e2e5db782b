"""How much memory a worker holds on its own, checked cheaply after each job.

A forked worker starts with every page of the store shared with the holder, but reading
pyoxigraph's in-memory store writes to what it reads (each quad's lock and reference count), so
a worker copies each page its queries touch, and what a query allocates stays in the worker.
After each job the worker gives back what malloc can (``malloc_trim``, microseconds) and counts
its minor page faults (``getrusage``, a microsecond): a page copied or newly filled is one
fault. Only when those faults could have taken it past ``bound_bytes`` does it read what it holds
alone (``smaps_rollup``'s private pages, 0.3 ms, hence not after every job); past the bound it
asks to be replaced by a fresh fork, which costs milliseconds and shares the whole store again.

The exact reading used to come every 32nd job alone: a worker answering a few queries that scan
the store copied all of it before its 32nd job came (830k, synergy: 813 MB PSS, where two workers
of 64 MB each beside the shared store allow about 470).
"""
from __future__ import annotations

import mmap
import resource

from mclinks.freed_memory import give_back


def private_bytes() -> int:
    """The pages this process holds alone (dirty or clean), from /proc/self/smaps_rollup."""
    total = 0
    with open("/proc/self/smaps_rollup", "rb") as f:
        for line in f:
            if line.startswith((b"Private_Dirty:", b"Private_Clean:")):
                total += int(line.split()[1]) * 1024
    return total


def _faulted_bytes() -> int:
    """Bytes of pages this process has faulted in so far (minor faults: copies and fresh pages)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt * mmap.PAGESIZE


class Growth:
    """``past_bound()`` after each job: True once the process holds more than ``bound_bytes`` alone
    (counted from its start, so what it was forked with does not count)."""

    def __init__(self, bound_bytes: int) -> None:
        self.bound = bound_bytes
        self.start = private_bytes() if bound_bytes else 0
        self._held = 0  # what it held alone at the last reading, beyond ``start``
        self._faulted = _faulted_bytes() if bound_bytes else 0  # faults counted at that reading

    def past_bound(self) -> bool:
        give_back()
        if not self.bound:
            return False
        faulted = _faulted_bytes()
        # Faults overcount (a page given back faults again), so near the bound a reading waits for a
        # sixteenth of it at least: a worker held just below it reads once per 4 MB of faults, not per job.
        if faulted - self._faulted <= max(self.bound - self._held, self.bound // 16):
            return False
        self._held, self._faulted = private_bytes() - self.start, faulted
        return self._held > self.bound
