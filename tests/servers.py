"""Real servers for integration tests, started on 127.0.0.1 and stopped after."""
from __future__ import annotations

import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from collections.abc import Iterator

from mclinks.loopback import free_port, wait_for


@contextmanager
def _stopped(proc: subprocess.Popen) -> Iterator[None]:  # type: ignore[type-arg]
    """Terminate the server however the block ends."""
    try:
        yield
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@contextmanager
def oxigraph_server(location: Path) -> Iterator[str]:
    """`oxigraph serve` from the oxigraph PyPI package; yields its base URL."""
    binary = Path(sys.executable).with_name("oxigraph")
    port = free_port()
    proc = subprocess.Popen([str(binary), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
                             "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    with _stopped(proc):
        wait_for(f"{base}/query?query=ASK%7B%7D")
        yield base


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
    with _stopped(proc):
        wait_for(f"{base}/sparql", timeout_s=30)
        yield base
