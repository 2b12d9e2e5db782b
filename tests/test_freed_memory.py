"""Freed memory goes back to the system: the build calls it after each load."""
from __future__ import annotations

import sys

import pytest

from mclinks.freed_memory import give_back, trimmer


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 / 2**20


@pytest.mark.skipif(not sys.platform.startswith("linux") or trimmer() is None, reason="glibc's malloc_trim")
def test_free_pages_held_by_malloc_are_given_back() -> None:
    """Blocks below malloc's mmap threshold stay in its heap once freed, behind one block still in
    use, as the engine's parse buffers did in the build (83 MB at 830k triples)."""
    blocks = [bytearray(64 * 1024) for _ in range(2000)]  # 125 MB in the heap, every page written
    pinned = bytearray(64 * 1024)
    del blocks
    held = _rss_mb()
    give_back()
    assert held - _rss_mb() > 60
    assert len(pinned) == 64 * 1024
