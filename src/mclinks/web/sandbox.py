"""Limits a query worker puts on itself before it opens the store: no network
and a memory budget.

pyoxigraph has no switch to turn its SERVICE client off, so a worker leaves
the machine's network altogether: it moves into a new, empty network namespace
(``unshare``), where not even loopback is up and every connect fails with
"network unreachable". That holds for any code path in the process, SERVICE or
otherwise. Root can do it directly; other users through a user namespace where
the kernel allows one. Where neither is possible the worker says so and the
endpoint still refuses SERVICE before a query runs (``safety``).
"""
from __future__ import annotations

import ctypes
import os
import resource

_CLONE_NEWNET = 0x40000000
_CLONE_NEWUSER = 0x10000000


def leave_network() -> str | None:
    """Move this process into an empty network namespace; None on success, else why not."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(_CLONE_NEWNET) == 0:
        return None
    first = os.strerror(ctypes.get_errno())
    if libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNET) == 0:
        return None
    return f"cannot leave the network ({first}; as a user namespace: {os.strerror(ctypes.get_errno())})"


def _address_space() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def limit_memory(budget_bytes: int) -> int:
    """Cap this process's address space at what it uses now plus ``budget_bytes``; returns the cap.

    Called once the store is loaded, so the budget is what one query may add.
    An allocation past it fails: Python raises MemoryError, the engine aborts
    the process (which the pool reports and replaces). Only the soft limit is
    set, so the worker's own code can move the cap (``recap_memory``); a query
    runs no code of its own, so that is no way around it.
    """
    cap = _address_space() + budget_bytes
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (cap if hard == resource.RLIM_INFINITY else min(cap, hard), hard))
    return cap


def lift_memory_cap() -> None:
    """Back to the hard limit, for the worker's own setup work (``limit_memory`` sets it again)."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
