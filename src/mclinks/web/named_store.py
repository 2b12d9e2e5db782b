"""The stores a worker reads: the union of the graphs in memory, and the named graphs on disk.

Measured at 100k triples (CPU per query, pyoxigraph 0.5.13): on the release's quads with
``use_default_graph_as_union`` a lookup takes 1.1 ms and the synergy query 790 ms; on the same
triples loaded once as one graph (the release's N-Triples dump, the union as a set) 0.3 ms and
10 ms, in about the same memory (30 MB against 32). A query sees named graphs only through
GRAPH, FROM or FROM NAMED (or the protocol's graph parameters): only those need the quads, and
no canned query or page uses them, so they read the release's on-disk store (made once per
release, ``ensure_store``) and hold no second copy in memory.
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import NamedNode, Store

log = logging.getLogger("mclinks.serve")


@dataclass
class Stores:
    """``union`` answers pages and every query that reads the default graph only; ``quads_path``
    (None: ``union`` holds the quads itself) answers those that see named graphs. It is opened by
    a worker once forked (RocksDB's threads do not survive a fork), on its first such query, with
    the memory cap lifted meanwhile (opening reserves more address space than a query's budget)
    and set again on top of it; it holds 10 MB per worker at 100k, so the worker is then replaced
    after its answer (``opened``) rather than keep it for queries that are rare."""

    union: Store
    quads_path: str | None = None
    graphs: list[str] | None = None  # the named graphs, when ``union`` does not hold them
    memory_bytes: int = 0  # the worker's per-query budget, set again once the store is open
    opened: bool = False  # the on-disk store was opened by this worker
    maker: "NamedStoreMaker | None" = field(default=None, repr=False)  # the holder's child making it
    _quads: Store | None = field(default=None, repr=False)

    def named_ready(self) -> bool:
        """Whether the quads can be read: the on-disk store exists (it lands whole, by a rename)."""
        return self.quads_path is None or Path(self.quads_path).is_dir()

    def for_query(self, named: bool) -> Store:
        if not named or self.quads_path is None:
            return self.union
        if self._quads is None:
            from mclinks.web.sandbox import lift_memory_cap, limit_memory

            if self.memory_bytes:
                lift_memory_cap()
            try:
                self._quads = Store.read_only(self.quads_path)
            finally:
                if self.memory_bytes:
                    limit_memory(self.memory_bytes)
            self.opened = True
        return self._quads


class NamedStoreMaker:
    """The on-disk store of a release, made if missing (``ensure_store``) by a child process
    forked before the union is loaded: the work runs beside the load, no first answer waits
    for it (a named-graph query meanwhile is told to come back), and none of RocksDB's threads
    or memory stay in the process that forks the workers."""

    def __init__(self, release: str) -> None:
        self.release = release
        self._pid = os.fork()
        if self._pid == 0:
            code = 1
            try:
                from mclinks.release.dumps import ensure_store
                ensure_store(Path(release))
                code = 0
            except Exception as e:  # noqa: BLE001 - said on stderr; the parent logs that it failed
                os.write(2, f"cannot make the on-disk store of {release}: {e}\n".encode())
            finally:
                os._exit(code)

    def done(self) -> bool:
        """Whether the child has ended (reaped, and a failure logged, if so); never blocks."""
        if self._pid == 0:
            return True
        pid, status = os.waitpid(self._pid, os.WNOHANG)
        if not pid:
            return False
        self._pid = 0
        if status != 0:
            log.error("the on-disk store of %s could not be made; named-graph queries are answered 503", self.release)
        return True
