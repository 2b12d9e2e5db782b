"""One process that loads the release's store into memory once and forks every query worker
from itself, so the workers share that one copy (copy-on-write: a worker only reads it).

Before, every worker loaded the dump itself: (1 + workers) copies of the store and a load
per worker at start and at every replacement. A worker forked from here starts in
milliseconds and is still a process that the pool can kill at the time limit.

The holder leaves the network and loads the store before it forks, so every worker is born
without network. It forks twice (the middle process exits at once), and the server is made a
child subreaper, so each worker becomes the server's own child: the pool waits for it and reads
how it ended, exactly as for a spawned worker.
"""
from __future__ import annotations

import ctypes
import gc
import multiprocessing as mp
import os
import signal
import socket
import threading
import time
from multiprocessing.connection import Connection
from multiprocessing.reduction import recv_handle, send_handle

from mclinks.freed_memory import give_back
from mclinks.web.workers import WorkerConfig, await_ready, isolate_and_open, serve_loaded

_PR_SET_CHILD_SUBREAPER = 36
_PR_SET_PDEATHSIG = 1


def _prctl(option: int, value: int) -> None:
    ctypes.CDLL(None, use_errno=True).prctl(option, value, 0, 0, 0)


def settle() -> None:
    """Leave nothing for a forked worker to copy that it need not: the load's freed buffers go back
    to the system (else a worker's allocations reuse those shared pages and copy each one it
    touches: 22 MB per worker after 2,000 lookups at 100k), and Python's objects are moved out of
    the collector's reach (a collection writes to every object it visits)."""
    gc.collect()
    gc.freeze()
    give_back()


def hold(cfg: object, conn: Connection) -> None:
    """The holder's life: leave the network, load the store, then fork a worker per request."""
    assert isinstance(cfg, WorkerConfig)
    _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)  # the server gone, nobody needs the store
    if (opened := isolate_and_open(cfg, conn)) is None:
        return
    stores, pages, isolated = opened
    settle()
    conn.send(("ready", isolated))
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        if request != "fork":
            continue
        if stores.maker is not None and stores.maker.done():
            stores.maker = None  # reaped: a worker forked now does not inherit it
        server_end, worker_end = socket.socketpair()
        middle = os.fork()
        if middle == 0:  # the middle process: fork the worker and go, so the worker is orphaned
            if os.fork() == 0:
                conn.close()
                server_end.close()
                serve_loaded(stores, pages, cfg, Connection(worker_end.detach()), isolated)
                os._exit(0)
            os._exit(0)
        os.waitpid(middle, 0)
        worker_end.close()
        send_handle(conn, server_end.fileno(), os.getppid())
        server_end.close()


class StoreHolder:
    """The holding process, seen from the server."""

    def __init__(self, ctx: mp.context.BaseContext, cfg: object, timeout_s: float = 300.0) -> None:
        _prctl(_PR_SET_CHILD_SUBREAPER, 1)
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=hold, args=(cfg, child), daemon=True)
        self.process.start()
        child.close()
        self.network_note = await_ready(self.conn, timeout_s, lambda: f"it exited (exit status {self.process.exitcode})",
                                        self.stop)
        self._lock = threading.Lock()  # replacements fork from executor threads

    def alive(self) -> bool:
        return self.process.is_alive()

    def fork(self) -> Connection:
        """A new worker's end of its pipe; the worker is already answering jobs on it."""
        with self._lock:
            self.conn.send("fork")
            return Connection(recv_handle(self.conn))

    def stop(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class ForkedWorker:
    """A worker forked by the holder: the same face to the pool as a spawned ``Worker``."""

    def __init__(self, holder: StoreHolder) -> None:
        self.conn = holder.fork()
        self.pid = 0
        self.network_note: str | None = None

    def wait_ready(self, timeout_s: float = 60.0) -> "ForkedWorker":
        try:
            status = self.conn.recv() if self.conn.poll(timeout_s) else ("failed", f"no answer in {timeout_s:g} s")
        except EOFError:
            status = ("failed", "it exited before it was ready")
        if status[0] != "ready":
            self.conn.close()
            raise RuntimeError(f"query worker did not start: {status[1]}")
        self.network_note, self.pid = status[1], status[2]
        return self

    def exit_reason(self) -> str:
        """How the process ended, in words (it is our child: the holder's fork made it so)."""
        deadline = time.monotonic() + 2
        while True:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:
                return "ended"
            if pid:
                break
            if time.monotonic() > deadline:
                return "still running"
            time.sleep(0.01)
        if os.WIFSIGNALED(status):
            sig = os.WTERMSIG(status)
            try:
                return f"killed by {signal.Signals(sig).name}"
            except ValueError:
                return f"killed by signal {sig}"
        return f"exit status {os.waitstatus_to_exitcode(status)}"

    def stop(self) -> None:
        if self.pid:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
        self.conn.close()
