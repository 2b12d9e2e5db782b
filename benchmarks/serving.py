"""Serving figures for `make bench`: `mclinks serve` against `oxigraph serve` holding the same
release in memory (the fair anchor: no disk on either side) and on disk, and against a trivial
Starlette route (the ceiling of any Python endpoint here), all in the same run.

Servers are measured in turn, round after round, so that load from other jobs on the machine
falls on all of them alike; each figure is the median over the rounds. Besides throughput: the
memory a server holds once it has answered (PSS, so pages that processes share are counted
once, summed over the server and its workers; RSS beside it), and the seconds from start to its
first answer.
"""
from __future__ import annotations

import gzip
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mclinks.config import Settings
from mclinks.loopback import free_port

QUERIES = ("lookup", "lineage", "synergy")
ANCHOR = "oxigraph serve (memory)"
# The Rust server holding what mclinks' workers hold, the union as one default graph: what a Rust
# server child behind mclinks' checks would answer at best (README, "Benchmark": measured, not adopted).
RUST_UNION = "oxigraph serve (memory, the union as its default graph)"
CEILING = "starlette trivial route"


@dataclass
class Server:
    name: str
    command: list[str]
    url: str
    load_nquads: Path | None = None  # POSTed to /store once the server listens (in-memory oxigraph)
    proc: subprocess.Popen | None = None  # type: ignore[type-arg]
    first_answer_s: float = 0.0


def _tree(pid: int) -> list[int]:
    """``pid`` and every process below it."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(stat.parent.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += children.get(p, [])
    return out


def memory_mb(pid: int) -> tuple[float, float]:
    """(PSS, RSS) in MB summed over the process tree of ``pid``."""
    pss = rss = 0
    for p in _tree(pid):
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    pss += int(line.split()[1])
                elif line.startswith("Rss:"):
                    rss += int(line.split()[1])
        except OSError:
            continue
    return pss / 1024, rss / 1024


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status == 200
    except (urllib.error.URLError, OSError):
        return False


def start(server: Server, probe: str, timeout_s: float = 600) -> None:
    """Start the server; time until it answers ``probe`` (a query) with a 200."""
    t0 = time.perf_counter()
    server.proc = subprocess.Popen(server.command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout_s
    loaded = server.load_nquads is None
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise RuntimeError(f"{server.name} exited with {server.proc.returncode}")
        if not loaded:
            base = server.url.rsplit("/", 1)[0]
            try:
                with open(server.load_nquads, "rb") as f:  # type: ignore[arg-type]
                    request = urllib.request.Request(f"{base}/store", data=f, method="POST",
                                                     headers={"Content-Type": "application/n-quads"})
                    urllib.request.urlopen(request, timeout=timeout_s).close()
                loaded = True
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.05)
            continue
        if _answers(f"{server.url}?query={urllib.parse.quote(probe)}"):
            server.first_answer_s = time.perf_counter() - t0
            return
        time.sleep(0.05)
    raise TimeoutError(f"{server.name} gave no answer in {timeout_s} s")


def stop(server: Server) -> None:
    if server.proc is None:
        return
    server.proc.terminate()
    try:
        server.proc.wait(10)
    except subprocess.TimeoutExpired:
        server.proc.kill()
        server.proc.wait()


def servers(root: Path, work: Path, with_disk: bool = True) -> list[Server]:
    """The servers compared, on the release of ``root`` (not started)."""
    release = (Settings(root=root).dist_dir / "current").resolve()
    bin_dir = Path(sys.executable).parent
    nq, nt = work / "data.nq", work / "union.nt"
    for dump, plain in (("mclinks.nq.gz", nq), ("mclinks.nt.gz", nt)):
        with gzip.open(release / dump, "rb") as src, open(plain, "wb") as dst:
            shutil.copyfileobj(src, dst)
    out = []

    def add(name: str, command: list[str], path: str, **kw: object) -> None:
        port = free_port()
        command = [c.replace("{port}", str(port)) for c in command]
        out.append(Server(name, command, f"http://127.0.0.1:{port}{path}", **kw))  # type: ignore[arg-type]

    mclinks = [str(bin_dir / "mclinks"), "serve", "--root", str(root), "--port", "{port}"]
    bare_oxigraph = [str(bin_dir / "oxigraph"), "serve", "--bind", "127.0.0.1:{port}"]
    oxigraph = bare_oxigraph + ["--union-default-graph"]
    add("mclinks serve", mclinks, "/sparql")
    add("mclinks serve --cache 0", mclinks + ["--cache", "0"], "/sparql")
    if with_disk:
        add("mclinks serve --cache 0 --store disk", mclinks + ["--cache", "0", "--store", "disk"], "/sparql")
    add(ANCHOR, oxigraph, "/query", load_nquads=nq)
    add(RUST_UNION, bare_oxigraph, "/query", load_nquads=nt)  # N-Triples are N-Quads of the default graph
    if with_disk:
        subprocess.run([str(bin_dir / "oxigraph"), "load", "--location", str(work / "ox"), "--file", str(nq)],
                       check=True, capture_output=True)
        add("oxigraph serve (disk)", oxigraph + ["--location", str(work / "ox")], "/query")
    add(CEILING, [sys.executable, "-m", "benchmarks.trivial_app", "{port}"], "/sparql")
    return out


def warm(server: Server, variants: dict[str, list[str]], queries: list[str], requests: int, max_seconds: float,
         load: Callable[..., dict]) -> None:
    """Every request a round makes, once, unmeasured, on every server alike: the rounds then measure
    each server in its steady state, and "cached" means answered from the cache. Without it the
    first round's one-client run of the cached server was all misses (the variants rotate over
    every act, so no request repeats within a run), and its median over two rounds mixed a miss
    round with a hit round: 0.1–0.7x the trivial route from run to run."""
    for qname in queries:
        load(_urls(server, variants[qname]), 4, requests, max_seconds)


def _urls(server: Server, variants: list[str]) -> Callable[[int], str]:
    """The i-th request of a run: the variants in turn, URL-encoded once."""
    encoded = [urllib.parse.quote(v) for v in variants]
    return lambda i: f"{server.url}?query={encoded[i % len(encoded)]}"


def serving_bench(root: Path, variants: dict[str, list[str]], rounds: int, requests: int, max_seconds: float,
                  load: Callable[..., dict], with_disk: bool = True, queries: list[str] | None = None) -> dict:
    """Every server, every query, 1 and 4 clients, ``rounds`` times in turn; medians."""
    work = Path(tempfile.mkdtemp(prefix="mclinks-bench-serve-"))
    running = servers(root, work, with_disk)
    samples: dict[tuple[str, str, int], list[dict]] = {}
    try:
        for s in running:
            start(s, variants["lookup"][0])
        for s in running:  # one unmeasured pass of the requests each round makes (see ``warm``)
            warm(s, variants, queries or list(QUERIES), requests, max_seconds, load)
        for _ in range(rounds):
            for s in running:
                for qname in queries or QUERIES:
                    url_for = _urls(s, variants[qname])
                    for clients in (1, 4):
                        result = load(url_for, clients, requests, max_seconds)
                        samples.setdefault((s.name, qname, clients), []).append(result)
        memory = {s.name: memory_mb(s.proc.pid) for s in running if s.proc}
    finally:
        for s in running:
            stop(s)
        shutil.rmtree(work, ignore_errors=True)
    rows = []
    for (name, qname, clients), runs in samples.items():
        rows.append({"server": name, "query": qname, "clients": clients,
                     "rps": statistics.median(r["rps"] for r in runs),
                     "p50_ms": statistics.median(r["p50_ms"] for r in runs),
                     "p95_ms": statistics.median(r["p95_ms"] for r in runs),
                     "errors": sum(r["errors"] for r in runs), "runs": [round(r["rps"], 1) for r in runs]})
    servers_out = [{"server": s.name, "first_answer_s": s.first_answer_s, "pss_mb": memory[s.name][0],
                    "rss_mb": memory[s.name][1]} for s in running]
    return {"rows": rows, "servers": servers_out, "rounds": rounds}


def render(size: str, figures: dict) -> list[str]:
    lines = ["", f"Serving at {size} (loopback, median of {figures['rounds']} alternated rounds):", "",
             "| server | query | clients | req/s | p50 ms | p95 ms | errors | × in-memory oxigraph |",
             "|---|---|---|---|---|---|---|---|"]
    by = {(r["server"], r["query"], r["clients"]): r for r in figures["rows"]}
    for r in figures["rows"]:
        anchor = by.get((ANCHOR, r["query"], r["clients"]), {}).get("rps") or 0
        ratio = f"{r['rps'] / anchor:.2f}" if anchor else ""
        lines.append(f"| {r['server']} | {r['query']} | {r['clients']} | {r['rps']:.0f} | {r['p50_ms']:.1f} | "
                     f"{r['p95_ms']:.1f} | {r['errors']} | {ratio} |")
    lines += ["", "| server | first answer s | memory PSS MB (server + workers) | RSS MB |", "|---|---|---|---|"]
    for s in figures["servers"]:
        lines.append(f"| {s['server']} | {s['first_answer_s']:.1f} | {s['pss_mb']:.0f} | {s['rss_mb']:.0f} |")
    store = next((s["pss_mb"] for s in figures["servers"] if s["server"] == ANCHOR), 0)
    ceiling = {c: by.get((CEILING, "lookup", c), {}).get("rps", 0) for c in (1, 4)}
    lines.append("")
    for name in ("mclinks serve --cache 0", "mclinks serve", RUST_UNION):
        for s in figures["servers"]:
            if s["server"] == name and store:
                lines.append(f"{name}: memory {s['pss_mb'] / store:.2f}× the in-memory oxigraph server's")
    for c in (1, 4):
        cached = by.get(("mclinks serve", "lookup", c), {}).get("rps", 0)
        if ceiling[c]:
            lines.append(f"cached lookups, {c} client(s): {cached / ceiling[c]:.2f}× the trivial route's ceiling")
    return lines
