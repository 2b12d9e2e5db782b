"""Real servers for integration tests, started on 127.0.0.1 and stopped after:
the triple stores (from mclinks.triplestores, which `make bench` uses too)
and `mclinks serve`."""
from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mclinks.loopback import free_port, wait_for
from mclinks.store.triplestores import RunningStore, oxigraph_server, stopped, virtuoso_missing, virtuoso_server

__all__ = ["RunningStore", "free_port", "mclinks_server", "oxigraph_server", "virtuoso_missing", "virtuoso_server"]


def worker_pids(server_pid: int) -> list[int]:
    """The query worker processes a server started (its spawned children)."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if int(fields[1]) == server_pid and b"spawn_main" in cmdline:
            pids.append(int(stat.parent.name))
    return pids


@contextmanager
def mclinks_server(root: Path, *args: str, started: list[subprocess.Popen] | None = None) -> Iterator[str]:  # type: ignore[type-arg]
    """`mclinks serve` on a free loopback port for a project root with a built release
    (``started`` receives the process, for tests that need its pid)."""
    binary = Path(sys.executable).with_name("mclinks")
    port = free_port()
    proc = subprocess.Popen([str(binary), "serve", "--root", str(root), "--port", str(port), *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if started is not None:
        started.append(proc)
    base = f"http://127.0.0.1:{port}"
    with stopped(proc):
        wait_for(f"{base}/sparql", timeout_s=30)
        named_graphs_ready(base)
        yield base


def named_graphs_ready(base: str, timeout_s: float = 60) -> None:
    """Until a query that sees named graphs is answered: the first serve of a release answers
    those 503 while it makes the release's on-disk store (a second or so for data/)."""
    import time
    import urllib.error
    import urllib.parse
    import urllib.request
    url = f"{base}/sparql?query={urllib.parse.quote('ASK { GRAPH ?g { ?s ?p ?o } }')}"
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with urllib.request.urlopen(url, timeout=30):
                return
        except urllib.error.HTTPError as e:
            if e.code != 503 or time.monotonic() > deadline:
                raise
        time.sleep(0.1)
