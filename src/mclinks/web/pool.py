"""The worker pool and its fair queue, driven from the server's event loop.

Jobs wait in one lane per client; a free worker goes to the waiting client
with the fewest jobs running (then the one served longest ago), so two
clients sending heavy queries cannot starve a third: its cheap query is next
as soon as any worker frees up. A lane or the whole queue that is full is answered 503 with
``Retry-After``, never left to hang. A worker that overruns the time limit is
killed and replaced (504); one that dies is reported as a crash (500) and
replaced.
"""
from __future__ import annotations

import asyncio
import itertools
import logging
import math
import multiprocessing as mp
import os
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from mclinks.web.store_holder import ForkedWorker, StoreHolder
from mclinks.web.workers import Answer, Job, PageJob, Worker, WorkerConfig

log = logging.getLogger("mclinks.serve")


@dataclass(frozen=True)
class QueueLimits:
    per_client: int = 8  # jobs one client may have waiting
    total: int = 128  # jobs waiting in all
    wait_s: float | None = None  # longest wait for a worker (default: three time limits, 30 s at least)


@dataclass
class _Pending:
    job: Job | PageJob | str
    timeout_s: float
    future: asyncio.Future[Answer]


class WorkerPool:
    """``size`` worker processes; ``run`` gives a job to the next free worker, fairly."""

    def __init__(self, cfg: WorkerConfig, size: int = 2, limits: QueueLimits = QueueLimits()) -> None:
        self._ctx = mp.get_context("spawn")
        self.cfg = cfg
        self.limits = limits
        # A dump is loaded into memory once, by a holder that forks the workers (one shared copy);
        # an on-disk store is opened by each spawned worker.
        self._holder = None if Path(cfg.store_path).is_dir() else StoreHolder(self._ctx, cfg)
        try:
            starting = [self._new_worker() for _ in range(size)]
        except RuntimeError:
            self._stop_holder()
            raise
        self._all: set[Worker | ForkedWorker] = set(starting)
        self._idle: list[Worker | ForkedWorker] = []
        try:
            for w in starting:
                self._idle.append(w.wait_ready())
        except RuntimeError:
            for w in starting:
                w.stop()
            self._stop_holder()
            raise
        self.network_note = self._idle[0].network_note
        self.graphs, self.triples = self._describe(self._idle[0])
        self._lanes: dict[str, deque[_Pending]] = {}
        self._running: dict[str, int] = {}  # jobs each client has on a worker now
        self._served: dict[str, int] = {}  # when each client last got a worker (a turn number)
        self._turns = itertools.count(1)
        self._waiting = 0
        self.busy = 0
        self.killed = 0
        self.crashed = 0
        self.recycled = 0
        self._closed = False

    def _new_worker(self) -> Worker | ForkedWorker:
        """A worker, not yet ready; a holder that died (it can be killed too) is started again."""
        if self._holder is None:
            return Worker(self._ctx, self.cfg)
        if not self._holder.alive():
            self._holder.stop()
            self._holder = StoreHolder(self._ctx, self.cfg)
        return ForkedWorker(self._holder)

    def _stop_holder(self) -> None:
        if self._holder is not None:
            self._holder.stop()

    @staticmethod
    def _describe(worker: Worker | ForkedWorker) -> tuple[list[str], int]:
        worker.conn.send("describe")
        return worker.conn.recv()  # type: ignore[no-any-return]

    async def run(self, job: Job | PageJob, timeout_s: float, client: str = "") -> Answer:
        """The job's answer; 503 when the queue is full or no worker frees up in time."""
        loop = asyncio.get_running_loop()
        if self._idle and not self._waiting:
            self._running[client] = self._running.get(client, 0) + 1
            self._served[client] = next(self._turns)
            try:
                return await self._execute(self._idle.pop(), job, timeout_s)
            finally:
                self._running[client] -= 1
                if not self._running[client]:
                    del self._running[client]
        lane = self._lanes.get(client)
        retry = max(1, math.ceil(timeout_s))
        if (lane is not None and len(lane) >= self.limits.per_client) or self._waiting >= self.limits.total:
            return Answer(503, "error", b"", message="too many queries are waiting; try again in a few seconds",
                          retry_after=retry)
        pending = _Pending(job, timeout_s, loop.create_future())
        self._lanes.setdefault(client, deque()).append(pending)
        self._waiting += 1
        self._pump()
        wait_s = self.limits.wait_s if self.limits.wait_s is not None else max(3 * timeout_s, 30.0)
        try:
            return await asyncio.wait_for(asyncio.shield(pending.future), wait_s)
        except asyncio.TimeoutError:
            if self._withdraw(client, pending):
                return Answer(503, "error", b"", message="all query workers stayed busy; try again", retry_after=retry)
            return await pending.future  # it started just now: wait for its own time limit

    def _withdraw(self, client: str, pending: _Pending) -> bool:
        lane = self._lanes.get(client)
        if lane is None or pending not in lane:
            return False
        lane.remove(pending)
        self._waiting -= 1
        if not lane:
            del self._lanes[client]
        return True

    def _pump(self) -> None:
        """Give each free worker to the waiting client that has the fewest jobs running, and
        among those the one served longest ago: a client whose heavy queries hold workers
        waits behind one that holds none."""
        while self._idle and self._lanes:
            client = min(self._lanes, key=lambda c: (self._running.get(c, 0), self._served.get(c, 0)))
            lane = self._lanes[client]
            pending = lane.popleft()
            self._waiting -= 1
            if not lane:
                del self._lanes[client]
            self._dispatch(self._idle.pop(), pending, client)

    def _dispatch(self, worker: Worker | ForkedWorker, pending: _Pending, client: str) -> None:
        self._running[client] = self._running.get(client, 0) + 1
        self._served[client] = next(self._turns)

        def done(task: asyncio.Future[Answer]) -> None:
            self._running[client] -= 1
            if not self._running[client]:
                del self._running[client]
            if not pending.future.done():
                pending.future.set_result(task.result())

        asyncio.ensure_future(self._execute(worker, pending.job, pending.timeout_s)).add_done_callback(done)

    def _release(self, worker: Worker | ForkedWorker) -> None:
        if self._closed:
            worker.stop()
            return
        self._idle.append(worker)
        self._pump()

    async def _execute(self, worker: Worker | ForkedWorker, job: Job | PageJob | str, timeout_s: float) -> Answer:
        loop = asyncio.get_running_loop()
        self.busy += 1
        fd = worker.conn.fileno()
        future: asyncio.Future[Answer] = loop.create_future()

        def ready() -> None:
            loop.remove_reader(fd)
            os.set_blocking(fd, True)  # uvloop made it non-blocking; a long answer arrives in pieces
            if future.done():
                return
            try:
                future.set_result(worker.conn.recv())
            except (EOFError, OSError) as e:
                future.set_exception(e)

        def overrun() -> None:
            if not future.done():
                future.set_exception(TimeoutError())

        timer = loop.call_later(timeout_s, overrun)
        try:
            os.set_blocking(fd, True)
            worker.conn.send(job)
            loop.add_reader(fd, ready)
            result = await future
            if result.retire:  # grown past its bound: a fresh fork takes its place, sharing the store again
                self._all.discard(worker)
                self.recycled += 1
                self._replace_later(worker)
            else:
                self._release(worker)
            return result
        except (TimeoutError, asyncio.TimeoutError):
            loop.remove_reader(fd)
            self._all.discard(worker)
            self.killed += 1
            self._replace_later(worker)
            return Answer(504, "error", b"", message=f"query stopped: it ran past the time limit of {timeout_s:g} s")
        except (EOFError, OSError):
            loop.remove_reader(fd)
            self._all.discard(worker)
            reason = await loop.run_in_executor(None, worker.exit_reason)
            self.crashed += 1
            log.warning("query worker died (%s) on %r; replacing it", reason, _summary(job))
            self._replace_later(worker)
            budget = f" of {self.cfg.memory_bytes >> 20} MB" if self.cfg.memory_bytes else ""
            return Answer(500, "error", b"", message=f"query stopped: the worker running it crashed ({reason}), "
                                                     f"as happens when a query passes the memory limit{budget} or "
                                                     "breaks the engine; the worker was replaced")
        finally:
            timer.cancel()
            self.busy -= 1

    def _replace_later(self, worker: Worker | ForkedWorker) -> None:
        loop = asyncio.get_running_loop()

        async def replace() -> None:
            await loop.run_in_executor(None, worker.stop)
            delay = 0.5
            while not self._closed:
                try:
                    fresh = await loop.run_in_executor(None, lambda: self._new_worker().wait_ready())
                except RuntimeError as e:  # keep the slot: try again rather than shrink the pool
                    log.error("cannot replace a query worker: %s; retrying in %.1f s", e, delay)
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, 30)
                    continue
                self._all.add(fresh)
                self._release(fresh)
                return

        asyncio.ensure_future(replace())

    async def drain(self, grace_s: float) -> None:
        """Wait until no job runs or waits (at most ``grace_s``)."""
        loop = asyncio.get_running_loop()
        end = loop.time() + grace_s
        while (self.busy or self._waiting) and loop.time() < end:
            await asyncio.sleep(0.05)

    def close(self) -> None:
        self._closed = True
        workers, self._all, self._idle = self._all, set(), []
        for w in workers:
            w.stop()
        self._stop_holder()


def _summary(job: object) -> str:
    text = getattr(job, "query", None) or getattr(job, "iri", None) or str(job)
    return text if len(text) < 200 else text[:200] + "…"
