"""Query workers: separate processes, each with the release's store opened
read-only, so a query that runs past its time limit is stopped for real (the
worker is killed and replaced) and queries run in parallel on every core.
"""
from __future__ import annotations

import asyncio
import multiprocessing as mp
import os
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from pyoxigraph import NamedNode, QueryBoolean, QuerySolutions, Store, serialize

from .formats import BY_NAME
from .results import write_boolean, write_select


@dataclass(frozen=True)
class Job:
    query: str
    results_format: str  # json | xml | csv | tsv
    graph_format: str  # turtle | ntriples | jsonld
    row_cap: int
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Answer:
    status: int
    kind: str  # select | ask | graph | error
    body: bytes
    truncated: bool = False
    rows: int = 0
    message: str = ""




def answer(store: Store, job: Job) -> Answer:
    """Run one query on ``store``; errors become answers (400 for the query's fault)."""
    kwargs: dict[str, object] = {}
    if job.default_graphs:
        kwargs["default_graph"] = [NamedNode(g) for g in job.default_graphs]
    else:
        kwargs["use_default_graph_as_union"] = True
    if job.named_graphs:
        kwargs["named_graphs"] = [NamedNode(g) for g in job.named_graphs]
    try:
        result = store.query(job.query, **kwargs)  # type: ignore[arg-type]
        if isinstance(result, QueryBoolean):
            return Answer(200, "ask", write_boolean(bool(result), job.results_format))
        if isinstance(result, QuerySolutions):
            names = [v.value for v in result.variables]
            rows: list[list[object]] = []
            for solution in result:
                if len(rows) == job.row_cap:
                    return Answer(200, "select", write_select(names, rows, job.results_format), True, len(rows))
                rows.append([solution[n] for n in names])
            return Answer(200, "select", write_select(names, rows, job.results_format), False, len(rows))
        triples = []
        for triple in result:
            if len(triples) == job.row_cap:
                break
            triples.append(triple)
        truncated = len(triples) == job.row_cap and next(iter(result), None) is not None
        body = serialize(triples, format=BY_NAME[job.graph_format].ox)
        return Answer(200, "graph", body, truncated, len(triples))
    except SyntaxError as e:
        return Answer(400, "error", b"", message=f"malformed query: {e}")
    except (OSError, ValueError, RuntimeError) as e:
        return Answer(500, "error", b"", message=f"query failed: {e}")


def open_store(path: str) -> Store:
    """A dump file is loaded into memory (fastest to query); a directory is opened read-only on disk."""
    if Path(path).is_dir():
        return Store.read_only(path)
    from .store import load_store
    return load_store(Path(path))


def _serve(store_path: str, conn: Connection) -> None:
    try:
        store = open_store(store_path)
    except Exception as e:  # reported to the server, which refuses to start without workers
        conn.send(f"cannot open {store_path}: {e}")
        return
    conn.send("ready")
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        conn.send(answer(store, job))


class _Worker:
    def __init__(self, ctx: mp.context.BaseContext, store_path: str) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(store_path, child), daemon=True)
        self.process.start()
        child.close()

    def wait_ready(self, timeout_s: float = 300.0) -> "_Worker":
        """Block until the worker has opened its store; raise with its reason if it could not."""
        status = self.conn.recv() if self.conn.poll(timeout_s) else f"no answer in {timeout_s:g} s"
        if status != "ready":
            self.stop()
            raise RuntimeError(f"query worker did not start: {status}")
        return self

    def stop(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class WorkerPool:
    """A fixed number of worker processes, driven from the server's event loop:
    a job goes to an idle worker, its answer is awaited on the pipe (no thread
    hop), and a worker that overruns the time limit is killed and replaced."""

    def __init__(self, store_path: Path, size: int = 2) -> None:
        self._ctx = mp.get_context("spawn")
        self._store_path = str(store_path)
        self._size = size
        self._lock = threading.Lock()
        self._all: list[_Worker] = [_Worker(self._ctx, self._store_path) for _ in range(size)]
        for worker in self._all:
            worker.wait_ready()
        self._idle: asyncio.Queue[_Worker] | None = None
        self.killed = 0

    def _queue(self) -> asyncio.Queue[_Worker]:
        if self._idle is None:
            self._idle = asyncio.Queue()
            for w in self._all:
                self._idle.put_nowait(w)
        return self._idle

    async def run(self, job: Job, timeout_s: float) -> Answer:
        """The job's answer, or a 503/504 answer when no worker frees up or the query overruns."""
        loop = asyncio.get_running_loop()
        idle = self._queue()
        started = loop.time()
        try:
            worker = idle.get_nowait()  # the common case: no task, no timer
        except asyncio.QueueEmpty:
            try:
                worker = await asyncio.wait_for(idle.get(), timeout_s)
            except asyncio.TimeoutError:
                return Answer(503, "error", b"", message="all query workers are busy; try again")
        remaining = max(0.05, timeout_s - (loop.time() - started))
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

        timer = loop.call_later(remaining, overrun)  # cheaper than wait_for, which wraps a task
        try:
            os.set_blocking(fd, True)
            worker.conn.send(job)
            loop.add_reader(fd, ready)
            answer = await future
            idle.put_nowait(worker)
            return answer
        except (TimeoutError, asyncio.TimeoutError, EOFError, OSError):
            loop.remove_reader(fd)
            replacement = await loop.run_in_executor(None, self._replace, worker)
            idle.put_nowait(replacement)
            return Answer(504, "error", b"", message=f"query stopped: it ran past the time limit of {timeout_s:g} s")
        finally:
            timer.cancel()

    def _replace(self, worker: _Worker) -> _Worker:
        worker.stop()
        fresh = _Worker(self._ctx, self._store_path).wait_ready()
        with self._lock:
            if worker in self._all:
                self._all.remove(worker)
            self._all.append(fresh)
            self.killed += 1
        return fresh

    def close(self) -> None:
        with self._lock:
            workers, self._all = self._all, []
        for w in workers:
            w.stop()
