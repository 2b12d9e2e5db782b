"""`make bench`: measured figures and ratios against the alternatives, on a
deterministic synthetic corpus at about 10k, 100k and 1M triples.

Every figure is a median of several runs; ratios compare tools measured in
the same run on the same data; HTTP load is loopback only, bounded in count
and time. Each step runs in a child process so its peak memory is its own.
"""
from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing as mp
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

from mclinks.config import Settings
from mclinks.loopback import free_port, wait_for

SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000, "10M": 10_000_000}  # 10M: opt-in (--sizes), about 30 min
TRIPLES_PER_DOC = 700  # measured on the generator's 9-paragraph decisions; recalibrated each run


def _child(fn: Callable[..., dict], args: tuple, out: mp.Queue) -> None:  # type: ignore[type-arg]
    result = fn(*args)
    result.setdefault("peak_mb", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    out.put(result)


def in_child(fn: Callable[..., dict], *args: object) -> dict:
    """Run ``fn`` in a fresh process; its figures plus that process's peak memory."""
    ctx = mp.get_context("spawn")
    q: mp.Queue = ctx.Queue()  # type: ignore[type-arg]
    p = ctx.Process(target=_child, args=(fn, args, q))
    p.start()
    result = q.get()
    p.join()
    return result


def median_time(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


# ---- steps (each runs in its own process) ---------------------------------

def step_extract(root: str, repeat: int) -> dict:
    from mclinks.text.extract import extract_text
    from mclinks.text.sources import load_source
    files = sorted(Path(root, "data", "sources").glob("*.txt"))
    loaded = [load_source(f) for f in files]
    size = sum(len(t.encode("utf-8")) for _, t in loaded)
    seconds = median_time(lambda: [extract_text(t, i) for i, t in loaded], repeat)
    from mclinks.build import extract_all
    cores = os.cpu_count() or 1
    parallel = median_time(lambda: list(extract_all(files, cores)), repeat)  # what `build` does, reading included
    return {"mb": size / 1e6, "seconds": seconds, "mb_per_s": size / 1e6 / seconds,
            "all_cores_mb_per_s": size / 1e6 / parallel, "cores": cores}


_BYTES = {"KB": 1_000, "MB": 1_000_000}


def step_extract_scaling(root: str, sizes: list[str]) -> dict:
    """Extraction of one text of each size (the corpus's texts laid end to end): MB/s should not
    fall as the text grows, since every stage is at worst O(n log n)."""
    from mclinks.text.extract import extract_text
    from mclinks.text.sources import load_source
    loaded = [load_source(f) for f in sorted(Path(root, "data", "sources").glob("*.txt"))]
    info = loaded[0][0]
    corpus = "\n\n".join(t for _, t in loaded)
    out = {}
    for label in sizes:
        target = int(float(label[:-2]) * _BYTES[label[-2:].upper()])
        text = (corpus * (target // max(1, len(corpus.encode("utf-8"))) + 1))
        text = text.encode("utf-8")[:target].decode("utf-8", "ignore")
        started = time.perf_counter()
        extract_text(text, info)
        seconds = time.perf_counter() - started
        out[label] = {"mb": len(text.encode("utf-8")) / 1e6, "seconds": seconds,
                      "mb_per_s": len(text.encode("utf-8")) / 1e6 / seconds}
    return out


def real_texts(project: str) -> list[Path]:
    """The real texts: the project's sources and, when it is beside the project, the shared dev corpus."""
    dev = Path(project).parent / "shared" / "corpus" / "dev" / "texts"
    return sorted(Path(project, "data", "sources").glob("*.txt")) + (sorted(dev.glob("*.txt")) if dev.is_dir() else [])


def step_extract_real(project: str, repeat: int) -> dict:
    """Extraction of the real texts on one core with each scanner of ``text.prefilter``: off (every
    pattern runs over the whole text, as before issue #15), the pure-Python scan, and Hyperscan when
    its wheel is installed. Runs alternate between scanners so that load on the machine falls on
    all of them; CPU time (process_time) and wall time are both kept, medians of ``repeat``.
    With PYTHONPATH at an older checkout (before issue #15, no prefilter) only "off" is measured:
    that checkout's figure, for a before/after in the same conditions."""
    try:
        from mclinks.text import prefilter
    except ImportError:
        prefilter = None  # type: ignore[assignment]
    from mclinks.text.extract import extract_text
    from mclinks.text.sources import load_source
    loaded = [load_source(f, strict=False) for f in real_texts(project)]
    mb = sum(len(t.encode("utf-8")) for _, t in loaded) / 1e6
    names = ["off", *prefilter.backends()] if prefilter else ["off"]
    cpu: dict[str, list[float]] = {n: [] for n in names}
    wall: dict[str, list[float]] = {n: [] for n in names}
    for name in names:  # warm: patterns compiled, Hyperscan database built
        if prefilter:
            prefilter.set_backend(name)
        [extract_text(t, i) for i, t in loaded]
    for _ in range(repeat):
        for name in names:
            if prefilter:
                prefilter.set_backend(name)
            c0, w0 = time.process_time(), time.perf_counter()
            [extract_text(t, i) for i, t in loaded]
            cpu[name].append(time.process_time() - c0)
            wall[name].append(time.perf_counter() - w0)
    out: dict = {"texts": len(loaded), "mb": mb}
    for name in names:
        c, w = statistics.median(cpu[name]), statistics.median(wall[name])
        out[name] = {"cpu_s": c, "wall_s": w, "mb_per_cpu_s": mb / c, "mb_per_s": mb / w}
    return out


def step_build(root: str, repeat: int) -> dict:
    """`mclinks build --root ROOT` itself, through the CLI as a user runs it: extraction,
    graph, validation of the store as the build assembles it, dumps, atomic switch.
    Peak memory is the largest process the build ran (itself or an extraction worker)."""
    command = [str(Path(sys.executable).parent / "mclinks"), "build", "--root", root]
    times, cpu = [], []
    for _ in range(repeat):
        shutil.rmtree(Settings(root=Path(root)).extraction_cache, ignore_errors=True)  # a full build each time
        c0 = _children_cpu()
        t0 = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True)
        times.append(time.perf_counter() - t0)
        cpu.append(_children_cpu() - c0)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} exited {done.returncode}: {done.stderr[-2000:]}")
    release = Path(root, "dist", "current")
    return {"seconds": statistics.median(times), "cpu_s": statistics.median(cpu),
            "triples": _release_triples(release / "void.ttl"),
            "validation_s": _validation_seconds(release / "validation.txt"),
            "peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}


def _children_cpu() -> float:
    """CPU seconds (user + system) of every child process waited for so far, workers included."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _own_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def step_floor(root: str, repeat: int) -> dict:
    """The floor of a build: pyoxigraph alone loading the release's own N-Quads into an
    in-memory store and dumping them again (`Store.dump`), the least any build of this graph
    must do. Loaded both ways pyoxigraph offers (`bulk_load`, `load`: on this machine `load`
    was the faster in memory); the faster is the floor. Decompressing the file is not timed."""
    from pyoxigraph import RdfFormat, Store
    with gzip.open(Path(root, "dist", "current", "mclinks.nq.gz"), "rb") as f:
        data = f.read()
    out: dict[str, dict] = {}
    for way in ("bulk_load", "load"):
        cpu: list[float] = []

        def run() -> None:
            c0 = _own_cpu()
            store = Store()
            getattr(store, way)(data, RdfFormat.N_QUADS)
            store.dump(format=RdfFormat.N_QUADS)
            cpu.append(_own_cpu() - c0)
        out[way] = {"seconds": median_time(run, repeat), "cpu_s": statistics.median(cpu)}
    best = min(out, key=lambda w: out[w]["seconds"])
    return {**out[best], "way": best, "ways": out, "bytes": len(data),
            "release_dumps": _floor_release_dumps(root, data, best, repeat)}


def _floor_release_dumps(root: str, quads: bytes, way: str, repeat: int) -> dict:
    """The second anchor: the release's own input and output alone, as pyoxigraph does them
    with nothing of ours: the N-Quads and their distinct triples (the release's N-Triples dump)
    loaded into two stores side by side, then each file of the release's table (``DUMPS``)
    written by one ``Store.dump`` from the store holding its kind of data, side by side, the
    `.gz` ones at the release's gzip level. No extraction, no validation, no search index.
    (The build itself holds no store of the named graphs: it packs them, see README.)"""
    from pyoxigraph import DefaultGraph, RdfFormat, Store

    from mclinks.formats import BY_NAME
    from mclinks.release.dumps import DUMPS, _output
    from mclinks.store.local import side_by_side, together
    from mclinks.vocab import PREFIXES
    with gzip.open(Path(root, "dist", "current", "mclinks.nt.gz"), "rb") as f:
        triples = f.read()
    out_dir = Path(tempfile.mkdtemp(prefix="mclinks-bench-floor-"))
    cpu: list[float] = []

    def run() -> None:
        c0 = _own_cpu()
        dataset, union = Store(), Store()
        together(lambda: getattr(dataset, way)(quads, RdfFormat.N_QUADS),
                 lambda: getattr(union, way)(triples, RdfFormat.N_TRIPLES))

        def dump(row: tuple[str, str, bool]) -> None:
            name, fmt_name, compressed = row
            fmt = BY_NAME[fmt_name]
            prefixes = {"prefixes": PREFIXES} if fmt.prefixed else {}
            with _output(out_dir / name, compressed) as out:
                if fmt.dataset:
                    dataset.dump(out, fmt.ox, **prefixes)  # type: ignore[arg-type]
                else:
                    union.dump(out, fmt.ox, from_graph=DefaultGraph(), **prefixes)  # type: ignore[arg-type]
        side_by_side(dump, list(DUMPS))
        cpu.append(_own_cpu() - c0)
    try:
        seconds = median_time(run, repeat)
    finally:
        shutil.rmtree(out_dir, ignore_errors=True)
    return {"seconds": seconds, "cpu_s": statistics.median(cpu)}


def step_rebuild_one_changed(root: str) -> dict:
    """`mclinks build` again after one source text changed: only that text is extracted again
    (the extraction cache), the rest of the build is done in full."""
    command = [str(Path(sys.executable).parent / "mclinks"), "build", "--root", root]
    subprocess.run(command, capture_output=True, check=True)  # the cache holds every text
    first = sorted(Path(root, "data", "sources").glob("*.txt"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    t0 = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}: {done.stderr[-2000:]}")
    return {"seconds": time.perf_counter() - t0}


def _release_triples(void: Path) -> int:
    """The dataset's void:triples, as the release describes itself."""
    from pyoxigraph import NamedNode, RdfFormat, parse
    triples = NamedNode("http://rdfs.org/ns/void#triples")
    return max(int(t.object.value) for t in parse(void.read_bytes(), format=RdfFormat.TURTLE) if t.predicate == triples)


def _validation_seconds(report: Path) -> float | None:
    """The time the build's validation took, from the summary line of its report."""
    found = re.search(r"\((?:oxigraph|pyshacl), ([0-9.]+) s\)", report.read_text(encoding="utf-8")) if report.exists() else None
    return float(found.group(1)) if found else None


def step_validate(root: str, repeat: int) -> dict:
    from mclinks.store.local import load_store
    from mclinks.validate import load_shapes, validate_with_oxigraph
    settings = Settings(root=Path(root))
    store = load_store(settings.dist_dir / "current" / "mclinks.nq.gz")
    shapes = load_shapes(settings.shapes_dir)
    report = None

    def run() -> None:
        nonlocal report
        report = validate_with_oxigraph(store, shapes)
    seconds = median_time(run, repeat)
    return {"seconds": seconds, "violations": report.violation_count if report else -1}


def step_constraint_order(root: str) -> dict:
    """Each SHACL constraint timed on the store as `mclinks build` assembles it (the registry and
    the ontology, then the sources in file order) and on the same quads reloaded from the
    release's N-Quads dump, each read as validation reads it (its deduplicated union): a plan
    that depends on insertion order shows as a ratio far from 1."""
    from mclinks.build import build_graph
    from mclinks.store.local import load_store, union_store
    from mclinks.validate import constraints, load_shapes, solutions
    settings = Settings(root=Path(root))
    stores = {"build order": build_graph(settings, cache_dir=settings.extraction_cache).union,
              "reloaded dump": union_store(load_store(settings.dist_dir / "current" / "mclinks.nq.gz"))}
    out: dict[str, dict[str, float]] = {}
    for c in constraints(load_shapes(settings.shapes_dir, settings.base)):
        out[c.rule] = {name: median_time(lambda s=store: list(solutions(s, c)), 1) for name, store in stores.items()}  # type: ignore[misc]
    return {"constraints": out}


def step_validate_pyshacl(root: str) -> dict:
    from mclinks.store.local import load_store
    from mclinks.validate import load_shapes, validate_with_pyshacl
    settings = Settings(root=Path(root))
    store = load_store(settings.dist_dir / "current" / "mclinks.nq.gz")
    t0 = time.perf_counter()
    validate_with_pyshacl(store, load_shapes(settings.shapes_dir))
    return {"seconds": time.perf_counter() - t0}


def _bench_queries(settings: Settings) -> dict[str, str]:
    from mclinks.query.canned import find_query
    act = f"{settings.base}/id/decision/MC-3/7".replace("MC-3/7", "MC-3-7")
    return {
        "lookup": find_query("lookup-symbol", settings.queries_dir).bind({"symbol": "MC-3/7"}, settings.base),
        "lineage": find_query("lineage-edges", settings.queries_dir).bind({"act": act}, settings.base),
        "synergy": find_query("cross-convention-citations", settings.queries_dir).bind({}, settings.base),
    }


def step_sparql_oxigraph(root: str, repeat: int) -> dict:
    from mclinks.store.local import load_store
    settings = Settings(root=Path(root))
    t0 = time.perf_counter()
    store = load_store(settings.dist_dir / "current" / "mclinks.nq.gz")
    out = {"load_s": time.perf_counter() - t0}
    for name, q in _bench_queries(settings).items():
        out[name] = median_time(lambda q=q: list(store.query(q, use_default_graph_as_union=True)), repeat)
    return out


def step_sparql_rdflib(root: str, repeat: int) -> dict:
    import rdflib
    settings = Settings(root=Path(root))
    t0 = time.perf_counter()
    ds = rdflib.Dataset(default_union=True)
    with gzip.open(settings.dist_dir / "current" / "mclinks.nq.gz", "rt", encoding="utf-8") as f:
        ds.parse(data=f.read(), format="nquads")
    out = {"load_s": time.perf_counter() - t0}
    for name, q in _bench_queries(settings).items():
        out[name] = median_time(lambda q=q: list(ds.query(q)), repeat)
    return out


# ---- HTTP ----------------------------------------------------------------

def load(url_for: Callable[[int], str], clients: int, requests: int, max_seconds: float,
         accept: str = "application/sparql-results+json") -> dict:
    """``requests`` GETs split over ``clients`` threads, stopping at ``max_seconds``."""
    import http.client
    latencies: list[float] = []
    errors = 0
    reasons: dict[str, int] = {}
    lock = threading.Lock()
    deadline = time.monotonic() + max_seconds
    per_client = requests // clients

    def worker(k: int) -> None:
        nonlocal errors
        parsed = urllib.parse.urlsplit(url_for(0))
        conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
        mine = []
        for i in range(per_client):
            if time.monotonic() > deadline:
                break
            u = urllib.parse.urlsplit(url_for(k * per_client + i))
            t0 = time.perf_counter()
            try:
                conn.request("GET", f"{u.path}?{u.query}" if u.query else u.path, headers={"Accept": accept})
                resp = conn.getresponse()
                resp.read()
                ok = resp.status == 200
                reason = str(resp.status)
            except OSError as e:
                ok = False
                reason = type(e).__name__
                conn.close()
                conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
            mine.append(time.perf_counter() - t0)
            if not ok:
                with lock:
                    errors += 1
                    reasons[reason] = reasons.get(reason, 0) + 1
        with lock:
            latencies.extend(mine)
        conn.close()

    t0 = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    latencies.sort()
    return {"rps": len(latencies) / elapsed if elapsed else 0.0, "errors": errors, "error_kinds": reasons,
            "p50_ms": 1000 * latencies[len(latencies) // 2] if latencies else 0.0,
            "p95_ms": 1000 * latencies[int(len(latencies) * 0.95)] if latencies else 0.0}


def _variants(settings: Settings, qname: str) -> list[str]:
    """The query for every synthetic decision in turn, so that no answer is asked for twice in a row."""
    from mclinks.query.canned import find_query
    symbols = sorted(p.name.split(".")[0] for p in settings.sources_dir.glob("*.txt"))
    if qname == "synergy":
        return [_bench_queries(settings)["synergy"]]
    if qname == "lookup":
        q = find_query("lookup-symbol", settings.queries_dir)
        return [q.bind({"symbol": s.replace("-", "/", 2).replace("/", "-", 1)}, settings.base) for s in symbols]
    q = find_query("lineage-edges", settings.queries_dir)
    return [q.bind({"act": f"{settings.base}/id/decision/{s}"}, settings.base) for s in symbols]


def _pages(settings: Settings, site: str) -> list[str]:
    """The page of every synthetic decision, in turn."""
    return [f"{site}/doc/decision/{p.name.split('.')[0]}" for p in sorted(settings.sources_dir.glob("*.txt"))]


def http_bench(root: Path, requests: int, max_seconds: float) -> list[dict]:
    """mclinks serve vs bare oxigraph serve vs rdflib-endpoint on the same data."""
    settings = Settings(root=root)
    release = (settings.dist_dir / "current").resolve()
    bin_dir = Path(sys.executable).parent
    work = Path(tempfile.mkdtemp(prefix="mclinks-bench-"))
    nq = work / "data.nq"
    nt = work / "data.nt"
    with gzip.open(release / "mclinks.nq.gz", "rb") as src, open(nq, "wb") as dst:
        shutil.copyfileobj(src, dst)
    with gzip.open(release / "mclinks.nt.gz", "rb") as src, open(nt, "wb") as dst:
        shutil.copyfileobj(src, dst)
    subprocess.run([str(bin_dir / "oxigraph"), "load", "--location", str(work / "ox"), "--file", str(nq)],
                   check=True, capture_output=True)
    servers = {}
    port = free_port()
    servers["mclinks serve"] = (subprocess.Popen([str(bin_dir / "mclinks"), "serve", "--root", str(root), "--port", str(port)],
                                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL), f"http://127.0.0.1:{port}/sparql")
    port = free_port()
    servers["mclinks serve --cache 0"] = (subprocess.Popen([str(bin_dir / "mclinks"), "serve", "--root", str(root), "--port",
                                                           str(port), "--cache", "0"], stdout=subprocess.DEVNULL,
                                                          stderr=subprocess.DEVNULL), f"http://127.0.0.1:{port}/sparql")
    port = free_port()
    servers["oxigraph serve"] = (subprocess.Popen([str(bin_dir / "oxigraph"), "serve", "--location", str(work / "ox"),
                                                   "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
                                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL), f"http://127.0.0.1:{port}/query")
    if (bin_dir / "rdflib-endpoint").exists():
        port = free_port()
        servers["rdflib-endpoint"] = (subprocess.Popen([str(bin_dir / "rdflib-endpoint"), "serve", "--host", "127.0.0.1",
                                                        "--port", str(port), str(nt)],
                                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL), f"http://127.0.0.1:{port}/")
    rows = []
    try:
        for name, (_proc, url) in servers.items():
            wait_for(url, timeout_s=120)
            for qname in ("lookup", "lineage"):
                variants = [urllib.parse.quote(v) for v in _variants(settings, qname)]
                for clients in (1, 4):
                    result = load(lambda i, url=url, vs=variants: f"{url}?query={vs[i % len(vs)]}", clients, requests, max_seconds)
                    rows.append({"server": name, "query": qname, "clients": clients, **result})
            if name.startswith("mclinks"):  # a decision's page: text, citations, family; one round trip
                pages = _pages(settings, url.rsplit("/sparql", 1)[0])
                for clients in (1, 4):
                    result = load(lambda i, ps=pages: ps[i % len(ps)], clients, requests, max_seconds, accept="text/html")
                    rows.append({"server": name, "query": "page", "clients": clients, **result})
    finally:
        for proc, _ in servers.values():
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(work, ignore_errors=True)
    return rows


# ---- scale-out: push to real triple stores --------------------------------

def push_bench(root: Path, repeat: int) -> list[dict]:
    """Push the release to Oxigraph server and to Virtuoso (when installed), then time the
    lineage query there beside the embedded store, on the same release."""
    from mclinks.store.endpoint import EmbeddedEndpoint, RemoteEndpoint
    from mclinks.store.local import load_store
    from mclinks.store.push import Credentials, push
    from mclinks.store.triplestores import oxigraph_server, virtuoso_missing, virtuoso_server
    settings = Settings(root=root)
    store = load_store(settings.dist_dir / "current" / "mclinks.nq.gz")
    lineage = _bench_queries(settings)["lineage"]
    embedded = EmbeddedEndpoint(store)
    rows = [{"store": "embedded (pyoxigraph)", "triples": len(store), "push_s": None,
             "lineage_s": median_time(lambda: embedded.select(lineage), max(5, repeat)),
             "lineage_rows": len(embedded.select(lineage)[1])}]
    work = Path(tempfile.mkdtemp(prefix="mclinks-bench-push-"))
    servers = [("oxigraph serve", lambda: oxigraph_server(work / "oxigraph"))]
    if virtuoso_missing():
        print(f"push: Virtuoso not measured: {virtuoso_missing()}", flush=True)
    else:
        servers.append(("Virtuoso 7", lambda: virtuoso_server(work / "virtuoso", buffers=200_000)))
    try:
        for name, start in servers:
            with start() as running:
                credentials = Credentials(running.user, running.password or "") if running.user else None
                t0 = time.perf_counter()
                report = push(store, running.graph_store_url, credentials)
                push_s = time.perf_counter() - t0
                remote = RemoteEndpoint(running.query_url, timeout_s=600)
                _, count = remote.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                                         f'FILTER (STRSTARTS(STR(?g), "{settings.base}/graph/")) }}')  # not the store's own
                remote.select(lineage)  # the first run compiles and warms caches on every engine
                rows.append({"store": name, "triples": int(str(count[0]["n"])), "push_s": push_s,
                             "graphs": len(report.pushed), "complete": report.complete,
                             "bytes": sum(p.bytes for p in report.pushed),
                             "lineage_s": median_time(lambda: remote.select(lineage), max(5, repeat)),
                             "lineage_rows": len(remote.select(lineage)[1])})
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return rows


# ---- the table -------------------------------------------------------------

def machine() -> str:
    cpu = ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}), {mem:.0f} GiB, Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10k,100k,1M", help="comma-separated: 10k, 100k, 1M, 10M (opt-in: about 30 min)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per figure (median)")
    ap.add_argument("--http-size", default="100k", help="size for the HTTP comparison ('' to skip)")
    ap.add_argument("--http-requests", type=int, default=400)
    ap.add_argument("--http-seconds", type=float, default=20.0)
    ap.add_argument("--pyshacl-size", default="10k", help="size at which pySHACL is timed too ('' to skip)")
    ap.add_argument("--full-max", default="1M", choices=sorted(SIZES, key=SIZES.get),
                    help="largest size at which every step runs; larger ones time the build and its floor only")
    ap.add_argument("--constraint-sizes", default="100k,1M",
                    help="sizes at which each constraint is timed in build order and on the reloaded dump ('' to skip)")
    ap.add_argument("--rdflib-max", default="100k", help="largest size at which rdflib is timed")
    ap.add_argument("--push-size", default="1M",
                    help="size pushed to Oxigraph server and Virtuoso, lineage timed there (if run; '' to skip)")
    ap.add_argument("--extract-scaling", default="10KB,1MB,10MB,50MB",
                    help="sizes of one text whose extraction is timed ('' to skip)")
    ap.add_argument("--extract-real-repeat", type=int, default=9,
                    help="runs per scanner of the real texts' extraction (0 to skip)")
    ap.add_argument("--serve-rounds", type=int, default=3, help="alternated rounds of the serving figures (median)")
    ap.add_argument("--serve-queries", default="lookup,lineage,synergy", help="queries of the serving figures")
    ap.add_argument("--serve-disk", default="yes", choices=["yes", "no"],
                    help="also measure the on-disk stores (oxigraph serve --location, mclinks serve --store disk)")
    ap.add_argument("--first-answer-sizes", default="1M",
                    help="sizes (other than --http-size) at which the servers' first answer and memory are measured, "
                         "with one round of lookups ('' to skip)")
    ap.add_argument("--serving-only", action="store_true",
                    help="build each size once and measure serving only (no extraction, validation, rdflib)")
    ap.add_argument("--http-legacy", action="store_true",
                    help="also the older HTTP table: rdflib-endpoint and decision pages")
    ap.add_argument("--serving-root", type=Path, default=None,
                    help="measure serving only, on this project root's built release (no corpus, no build)")
    ap.add_argument("--workdir", type=Path, default=None)
    ap.add_argument("--json", type=Path, default=None, help="also write the figures as JSON here")
    a = ap.parse_args(argv)
    if a.serving_root:
        from mclinks.release.manifest import read_manifest
        triples = read_manifest((a.serving_root / "dist" / "current").resolve()).triples
        label = f"{triples // 1000}k"
        figures = {label: {"build": {"triples": triples}, "serving": _serving(a.serving_root, a)}}
        print(render(figures))
        if a.json:
            a.json.write_text(json.dumps(figures, indent=1))
        return 0
    project = Settings().root
    work = a.workdir or Path(tempfile.mkdtemp(prefix="mclinks-bench-"))
    from benchmarks.synthetic import write_corpus
    figures: dict[str, dict] = {}
    per_doc = TRIPLES_PER_DOC
    sizes = [s for s in a.sizes.split(",") if s]
    print(f"machine: {machine()}", flush=True)
    real = in_child(step_extract_real, str(project), a.extract_real_repeat) if a.extract_real_repeat else None
    for size in sizes:
        root = work / size
        docs = max(1, round(SIZES[size] / per_doc))
        write_corpus(root, project, docs)
        row: dict[str, object] = {"docs": docs}
        if a.serving_only:
            row["build"] = in_child(step_build, str(root), 1)
            per_doc = max(1, row["build"]["triples"] // docs)  # type: ignore[index]
            if size == a.http_size:
                row["serving"] = _serving(root, a)
                row["http"] = row["serving"]["rows"]  # type: ignore[index]
            figures[size] = row
            print(f"{size}: done ({row['build']['triples']} triples)", flush=True)  # type: ignore[index]
            continue
        big = SIZES[size] > SIZES[a.full_max]  # the build and its floor only: at 10M the other steps take hours
        if not big:
            row["extract"] = in_child(step_extract, str(root), a.repeat)
        row["build"] = in_child(step_build, str(root), a.repeat if SIZES[size] < 1_000_000 else 1)
        row["floor"] = in_child(step_floor, str(root), a.repeat if SIZES[size] < 1_000_000 else 1)
        per_doc = max(1, row["build"]["triples"] // docs)  # type: ignore[index]
        if size in a.first_answer_sizes.split(",") and size != a.http_size:
            row["serving"] = _first_answer(root, a)
        if big:
            figures[size] = row
            print(f"{size}: done ({row['build']['triples']} triples)", flush=True)  # type: ignore[index]
            continue
        row["rebuild_one"] = in_child(step_rebuild_one_changed, str(root))
        row["validate"] = in_child(step_validate, str(root), a.repeat if SIZES[size] < 1_000_000 else 1)
        if size in a.constraint_sizes.split(","):
            row["constraint_order"] = in_child(step_constraint_order, str(root))
        if size == a.pyshacl_size:
            row["validate_pyshacl"] = in_child(step_validate_pyshacl, str(root))
        row["sparql_oxigraph"] = in_child(step_sparql_oxigraph, str(root), max(5, a.repeat))
        if SIZES[size] <= SIZES.get(a.rdflib_max, 0):
            row["sparql_rdflib"] = in_child(step_sparql_rdflib, str(root), a.repeat)
        if size == a.http_size:
            row["serving"] = _serving(root, a)
            row["http"] = row["serving"]["rows"]  # type: ignore[index]
            if a.http_legacy:
                row["http_legacy"] = http_bench(root, a.http_requests, a.http_seconds)
        if size == a.push_size:
            row["push"] = push_bench(root, a.repeat)
        if a.extract_scaling and size == sizes[0]:
            row["extract_scaling"] = in_child(step_extract_scaling, str(root), a.extract_scaling.split(","))
        figures[size] = row
        print(f"{size}: done ({row['build']['triples']} triples)", flush=True)  # type: ignore[index]
    print(render(figures) + (render_real(real) if real else ""))
    if a.json:
        a.json.write_text(json.dumps({**figures, **({"extract_real": real} if real else {})}, indent=1))
    if not a.workdir:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def render_real(real: dict) -> str:
    """The real texts' extraction row: MB/s per scanner and the ratio to the scan turned off."""
    base = real["off"]
    lines = ["", f"Extraction of the real texts ({real['texts']} texts, {real['mb']:.3f} MB), one core:", "",
             "| scanner | MB/s (CPU time) | MB/s (wall) | × off (CPU) |", "|---|---|---|---|"]
    for name in ("off", "python", "hyperscan"):
        if name in real:
            r = real[name]
            lines.append(f"| {name} | {r['mb_per_cpu_s']:.2f} | {r['mb_per_s']:.2f} | {base['cpu_s'] / r['cpu_s']:.2f} |")
    return "\n".join(lines)


def _serving(root: Path, a: argparse.Namespace) -> dict:
    from benchmarks.serving import serving_bench
    settings = Settings(root=root)
    variants = {q: _variants(settings, q) for q in a.serve_queries.split(",")}
    if "lookup" not in variants:
        variants["lookup"] = _variants(settings, "lookup")[:1]  # the probe for the first answer
    return serving_bench(root, variants, a.serve_rounds, a.http_requests, a.http_seconds, load,
                         with_disk=a.serve_disk == "yes", queries=a.serve_queries.split(","))


def _first_answer(root: Path, a: argparse.Namespace) -> dict:
    """Each server's seconds to its first answer and its memory after a warm-up pass and one round
    of lookups (the issue's "first answer at 1M" and "serving memory" figures, where the full
    serving table would take too long)."""
    from benchmarks.serving import serving_bench
    variants = {"lookup": _variants(Settings(root=root), "lookup")}
    return serving_bench(root, variants, 1, a.http_requests, a.http_seconds, load, with_disk=False, queries=["lookup"])


def render(figures: dict[str, dict]) -> str:
    if all("floor" not in r and "extract" not in r for r in figures.values()):  # serving only (--serving-only, --serving-root)
        return _render_serving(figures)
    lines = ["", "| size | triples | extract MB/s (1 core / all cores) | `mclinks build` s (end to end) | of which validation s "
             "| floor s (pyoxigraph, the faster of bulk_load/load, + dump) | build / floor | CPU s build / floor (ratio) | rebuild, one text changed s "
             "| validate reloaded dump s | peak MB (build / validate) | build peak MB per 1M triples |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    dumps_cells: list[str] = []
    for size, r in figures.items():
        b, v = r["build"], r.get("validate", {"seconds": float("nan"), "peak_mb": float("nan")})
        ex = r.get("extract", {"mb_per_s": float("nan")})
        in_build = f"{b['validation_s']:.2f}" if b.get("validation_s") is not None else "?"
        floor, floor_cpu = r.get("floor", {}).get("seconds"), r.get("floor", {}).get("cpu_s")
        way = r.get("floor", {}).get("way", "")
        floor_cells = f"{floor:.2f} ({way}) | {b['seconds'] / floor:.2f}" if floor else "(not run) | "
        floor_cells += (f" | {b['cpu_s']:.1f} / {floor_cpu:.1f} ({b['cpu_s'] / floor_cpu:.2f})"
                        if floor_cpu and b.get("cpu_s") else " | ")
        dumps_floor = r.get("floor", {}).get("release_dumps")
        if dumps_floor:
            dumps_cells.append(f"| {size} | {dumps_floor['seconds']:.2f} | {b['seconds'] / dumps_floor['seconds']:.2f} | "
                               f"{dumps_floor['cpu_s']:.1f} | {b['cpu_s'] / dumps_floor['cpu_s']:.2f} |")
        lines.append(f"| {size} | {b['triples']:,} | {ex['mb_per_s']:.2f} / {ex.get('all_cores_mb_per_s', 0):.2f} | {b['seconds']:.2f} "
                     f"| {in_build} | {floor_cells} | {r['rebuild_one']['seconds'] if 'rebuild_one' in r else float('nan'):.2f} "
                     f"| {v['seconds']:.2f} | {b['peak_mb']:.0f} / {v['peak_mb']:.0f} | {b['peak_mb'] / (b['triples'] / 1e6):.0f} |")
    if dumps_cells:
        lines += ["", "The second anchor: pyoxigraph alone loading the release and writing its five dumps (Store.dump each) "
                  "(the I/O no build of this release can skip; no extraction, validation or search index):", "",
                  "| size | floor s (load + five dumps) | build / it | floor CPU s | CPU ratio |", "|---|---|---|---|---|",
                  *dumps_cells]
    for size, r in figures.items():
        if "extract_scaling" in r:
            lines += ["", "Extraction of one text as it grows (one core):", "", "| text | seconds | MB/s |", "|---|---|---|"]
            lines += [f"| {label} | {x['seconds']:.2f} | {x['mb_per_s']:.2f} |"
                      for label, x in r["extract_scaling"].items() if isinstance(x, dict)]
    for size, r in figures.items():
        if "constraint_order" not in r:
            continue
        lines += ["", f"SHACL constraints at {size}, store in build order vs reloaded from the dump (slowest first):", "",
                  "| constraint | build order ms | reloaded dump ms | ratio |", "|---|---|---|---|"]
        rows = sorted(r["constraint_order"]["constraints"].items(), key=lambda kv: -max(kv[1].values()))
        for rule, t in rows:
            built, reloaded = t["build order"], t["reloaded dump"]
            lines.append(f"| {rule} | {built * 1000:.1f} | {reloaded * 1000:.1f} | {built / reloaded if reloaded else float('nan'):.2f} |")
    pys = [(s, r) for s, r in figures.items() if "validate_pyshacl" in r]
    for size, r in pys:
        lines.append(f"\nvalidation at {size}: mclinks (oxigraph engine) {r['validate']['seconds']:.2f} s, pySHACL "
                     f"{r['validate_pyshacl']['seconds']:.2f} s: {r['validate_pyshacl']['seconds'] / r['validate']['seconds']:.0f}× faster")
    lines += ["", "| size | query | pyoxigraph ms | rdflib ms | ratio |", "|---|---|---|---|---|"]
    for size, r in figures.items():
        if "sparql_oxigraph" not in r:
            continue
        ox, rl = r["sparql_oxigraph"], r.get("sparql_rdflib")
        for q in ("load_s", "lookup", "lineage", "synergy"):
            o = ox[q] * 1000
            if rl:
                lines.append(f"| {size} | {q.replace('load_s', 'parse dump')} | {o:.1f} | {rl[q] * 1000:.1f} | {rl[q] / ox[q]:.0f}× |")
            else:
                lines.append(f"| {size} | {q.replace('load_s', 'parse dump')} | {o:.1f} | (not run) | |")
    lines += _render_serving(figures).splitlines()
    for size, r in figures.items():
        if "http_legacy" not in r:
            continue
        r = {**r, "http": r["http_legacy"]}
        lines += ["", f"HTTP at {size} (loopback):", "", "| server | query | clients | req/s | p50 ms | p95 ms | errors |",
                  "|---|---|---|---|---|---|---|"]
        for h in r["http"]:
            lines.append(f"| {h['server']} | {h['query']} | {h['clients']} | {h['rps']:.0f} | {h['p50_ms']:.1f} | "
                         f"{h['p95_ms']:.1f} | {h['errors']} |")
        by = {(h["server"], h["query"], h["clients"]): h["rps"] for h in r["http"]}
        for q in ("lookup", "lineage"):
            m = by.get(("mclinks serve --cache 0", q, 4), 0)
            ox = by.get(("oxigraph serve", q, 4), 0)
            rl = by.get(("rdflib-endpoint", q, 4), 0)
            c = by.get(("mclinks serve", q, 4), 0)
            lines.append(f"\n{q}, 4 clients, without cache: mclinks/oxigraph = {m / ox:.2f}"
                         + (f", mclinks/rdflib-endpoint = {m / rl:.1f}" if rl else "")
                         + f"; with the answer cache: mclinks/oxigraph = {c / ox:.2f}")
    for size, r in figures.items():
        if "push" not in r:
            continue
        lines += ["", f"Push and lineage on triple stores at {size} (loopback; lineage: the `lineage` query, warm, median):", "",
                  "| store | quads held | push s | lineage ms | rows |", "|---|---|---|---|---|"]
        for p in r["push"]:
            push_s = f"{p['push_s']:.1f}" if p["push_s"] is not None else "(embedded)"
            lines.append(f"| {p['store']} | {p['triples']:,} | {push_s} | {p['lineage_s'] * 1000:.1f} | {p['lineage_rows']} |")
    return "\n".join(lines)


def _render_serving(figures: dict[str, dict]) -> str:
    from benchmarks.serving import render as render_serving
    lines = []
    for size, r in figures.items():
        if "serving" in r:
            lines += render_serving(f"{size} ({r['build']['triples']:,} triples)", r["serving"])
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
