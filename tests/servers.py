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
from mclinks.triplestores import RunningStore, oxigraph_server, stopped, virtuoso_missing, virtuoso_server

__all__ = ["RunningStore", "free_port", "mclinks_server", "oxigraph_server", "virtuoso_missing", "virtuoso_server"]


@contextmanager
def mclinks_server(root: Path, *args: str) -> Iterator[str]:
    """`mclinks serve` on a free loopback port for a project root with a built release."""
    binary = Path(sys.executable).with_name("mclinks")
    port = free_port()
    proc = subprocess.Popen([str(binary), "serve", "--root", str(root), "--port", str(port), *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    with stopped(proc):
        wait_for(f"{base}/sparql", timeout_s=30)
        yield base
