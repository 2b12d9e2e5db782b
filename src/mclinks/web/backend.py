"""The release a server serves, and the switch to a newer one.

A ``Backend`` is one release held open: a hold that keeps builds from pruning
it, its worker pool, its base IRI and its answer cache (a release never
changes, so a cached answer stays true for as long as its backend lives).
``Releases`` watches ``dist/current``: when a build points it at a new
release, a new backend starts beside the old one, takes the next requests, and
the old one is closed once its last request is answered. No restart, no
dropped request.
"""
from __future__ import annotations

import asyncio
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cachetools import LRUCache

from mclinks.errors import MclinksError
from mclinks.release.dumps import STORE_DUMP, ensure_store, hold_release
from mclinks.release.manifest import read_manifest
from mclinks.web.pool import QueueLimits, WorkerPool
from mclinks.web.workers import WorkerConfig

UNION_DUMP = "mclinks.nt.gz"  # the release's triples, the union of its graphs as one set

log = logging.getLogger("mclinks.serve")


@dataclass(frozen=True)
class BackendSettings:
    queries_dir: Path | None
    fallback_base: str
    workers: int = 2
    in_memory: bool = True
    memory_bytes: int = 1 << 30
    cache_bytes: int = 64 << 20
    queue: QueueLimits = QueueLimits()
    recycle_bytes: int = 64 << 20


def release_base(release: Path, fallback: str) -> tuple[str, int | None]:
    """The base IRI the release was built under and its distinct triples (its manifest), else
    ``fallback`` and None (the workers then count the triples)."""
    try:
        manifest = read_manifest(release)
        return manifest.base, manifest.triples
    except MclinksError as e:  # a release made before manifests existed
        log.warning("%s; serving it under %s", e, fallback)
        return fallback, None


class Backend:
    """One release, held and served."""

    def __init__(self, release: Path, cfg: BackendSettings) -> None:
        self.release = release
        self.base, triples = release_base(release, cfg.fallback_base)
        self._hold = hold_release(release)
        self._hold.__enter__()
        try:
            named_release = None
            if cfg.in_memory and (release / UNION_DUMP).is_file():  # see named_store: the union in memory
                store_path, named_release = release / UNION_DUMP, str(release)
            elif cfg.in_memory:
                store_path = release / STORE_DUMP
            else:
                store_path = ensure_store(release)
            worker_cfg = WorkerConfig(str(store_path), self.base, str(cfg.queries_dir) if cfg.queries_dir else None,
                                      cfg.memory_bytes, triples=triples, named_release=named_release,
                                      recycle_bytes=cfg.recycle_bytes)
            self.pool = WorkerPool(worker_cfg, cfg.workers, cfg.queue)
        except BaseException:
            self._hold.__exit__(None, None, None)
            raise
        self.graphs = set(self.pool.graphs)
        self.triples = self.pool.triples
        self.cache: LRUCache[Any, Any] = LRUCache(maxsize=max(1, cfg.cache_bytes), getsizeof=_size)
        self.cache_enabled = cfg.cache_bytes > 0
        self.files = {p.name: p for p in release.iterdir() if p.is_file() and not p.name.startswith(".")}

    def remember(self, key: object, value: tuple[bytes, ...] | Any) -> None:
        if self.cache_enabled and _size(value) <= self.cache.maxsize // 4:
            self.cache[key] = value

    def close(self) -> None:
        self.pool.close()
        self._hold.__exit__(None, None, None)


def _size(value: object) -> int:
    body = value[0] if isinstance(value, tuple) else value
    return len(body) + 256 if isinstance(body, (bytes, str)) else 256


class Releases:
    """The backend of ``dist/current``, swapped when a build makes a new release current."""

    def __init__(self, current_link: Path, cfg: BackendSettings, poll_s: float = 1.0) -> None:
        self.link = current_link
        self.cfg = cfg
        self.poll_s = poll_s
        self.backend = Backend(self._target(), cfg)
        self.switches = 0
        self._task: asyncio.Task[None] | None = None

    def _target(self) -> Path:
        target = Path(os.path.realpath(self.link))
        if not (target / STORE_DUMP).is_file():
            raise MclinksError(f"{self.link} holds no release: run `mclinks build` first")
        return target

    def start_watching(self) -> None:
        if self.poll_s > 0:
            self._task = asyncio.ensure_future(self._watch())

    async def _watch(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(self.poll_s)
            try:
                target = self._target()
            except MclinksError:
                continue  # dist/current is being swapped or was removed: keep serving what we hold
            if target == self.backend.release:
                continue
            try:
                fresh = await loop.run_in_executor(None, Backend, target, self.cfg)
            except (MclinksError, RuntimeError, OSError) as e:
                log.error("new release %s not served (%s); still serving %s", target, e, self.backend.release)
                await asyncio.sleep(self.poll_s * 10)
                continue
            old, self.backend = self.backend, fresh
            self.switches += 1
            log.warning("now serving %s", target)
            await old.pool.drain(grace_s=60)
            old.close()

    def close(self) -> None:
        if self._task:
            self._task.cancel()
        self.backend.close()
