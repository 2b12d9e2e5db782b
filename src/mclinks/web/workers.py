"""Query workers: separate processes, each with the release's store, through
which every read of the store goes (SPARQL queries and linked-data pages
alike), so one time limit, one memory budget and one network ban hold on
every route. A worker that overruns is killed and replaced; one that dies is
reported as such and replaced.
"""
from __future__ import annotations

import csv
import gzip
import io
import json
import multiprocessing as mp
import os
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from pathlib import Path

from pyoxigraph import NamedNode, QueryBoolean, QueryResultsFormat, QuerySolutions, Store, Variable, parse_query_results

from mclinks.formats import BY_MEDIA_TYPE, BY_NAME, NQUADS, NTRIPLES, page_links
from mclinks.release.dumps import release_graphs, store_path
from mclinks.vocab import PREFIXES
from mclinks.web.growth import Growth
from mclinks.web.named_store import NamedStoreMaker, Stores
from mclinks.web.results import write_boolean, write_select
from mclinks.web.sandbox import leave_network, limit_memory


@dataclass(frozen=True)
class Job:
    """One SPARQL query and how its answer is to be written."""

    query: str
    results_format: str  # json | xml | csv | tsv
    graph_format: str  # turtle | ntriples | jsonld | rdfxml
    row_cap: int
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    query_dataset: bool = False  # the query names its own dataset (FROM): do not override it
    base_iri: str | None = None  # relative IRIs in the query resolve against it
    max_bytes: int = 16 << 20  # answer size cap, besides the row cap
    # How the row cap holds without counting rows in Python: "own" (the query's own LIMIT is
    # within the cap), "added" (``capped`` is the query with LIMIT cap+1 appended), "" (count them).
    rows_bound: str = ""
    capped: str | None = None
    named: bool = False  # the query sees named graphs (GRAPH, FROM, graph parameters): it reads the quads


@dataclass(frozen=True)
class PageJob:
    """A linked-data document about one IRI of ours: ``media`` is text/html or an RDF type."""

    iri: str
    media: str
    local: str  # the IRI's path below /id/, for the page's own links
    ui_lang: str = "en"  # the interface's language (pages only)


@dataclass(frozen=True)
class Answer:
    status: int
    kind: str  # select | ask | graph | page | error
    body: bytes
    truncated: bool = False
    rows: int = 0
    message: str = ""
    cut_by: str = ""  # "rows" or "bytes" when truncated
    retry_after: int = 0  # seconds, on a 503
    retire: bool = False  # the worker grew past its memory bound: the pool replaces it after this answer


@dataclass(frozen=True)
class WorkerConfig:
    """What a worker process needs to start: where the store is and its limits."""

    store_path: str
    base: str
    queries_dir: str | None = None
    memory_bytes: int = 0  # per-query budget on top of the loaded store; 0: none
    isolate: bool = True  # leave the network before opening the store
    triples: int | None = None  # distinct triples, from the release's manifest (else counted)
    # The release whose named graphs are read from its on-disk store (``store_path`` then holds the
    # union alone, its N-Triples dump); None: ``store_path`` holds the quads.
    named_release: str | None = None
    recycle_bytes: int = 64 << 20  # a worker whose memory grew by more than this since it started is replaced; 0: never


def _size(term: object) -> int:
    return len(getattr(term, "value", "")) + 16


RESULTS_FORMATS = {"json": QueryResultsFormat.JSON, "xml": QueryResultsFormat.XML,
                   "csv": QueryResultsFormat.CSV, "tsv": QueryResultsFormat.TSV}
# The fewest bytes one row can take in each format (JSON "{}," , XML "<result/>", CSV CRLF, TSV LF):
# an answer shorter than this many bytes per row allowed cannot hold more rows than the cap.
MIN_ROW_BYTES = {"json": 2, "xml": 9, "csv": 2, "tsv": 1}


def _written_by_engine(store: Store, job: Job, kwargs: dict[str, object]) -> Answer | None:
    """A SELECT whose rows are bounded by a LIMIT, written by pyoxigraph itself (no Python term per
    value); None when the answer might pass a cap or the query is malformed: the counting path
    then decides, with the original query text for its error message."""
    try:
        result = store.query(job.capped or job.query, **kwargs)  # type: ignore[arg-type]
    except SyntaxError:
        return None
    if not isinstance(result, QuerySolutions):
        return None
    body = result.serialize(format=RESULTS_FORMATS[job.results_format])
    assert body is not None
    if len(body) > job.max_bytes or (job.rows_bound == "added" and _past_cap(body, job)):
        return None
    return Answer(200, "select", body)


def _past_cap(body: bytes, job: Job) -> bool:
    """Whether an answer of the query with LIMIT cap+1 holds more rows than the cap. A short answer
    cannot (``MIN_ROW_BYTES``); a longer one has its rows counted by reading it back (``_rows_in``),
    a fraction of running the query again, which every 32 KB lineage answer used to cost."""
    if len(body) < MIN_ROW_BYTES[job.results_format] * (job.row_cap + 1):
        return False
    return _rows_in(body, job.results_format) > job.row_cap


def _rows_in(body: bytes, name: str) -> int:
    """The rows of a SELECT answer written in the format ``name`` (JSON by the C parser, about twice as fast
    here as pyoxigraph's reader, which makes a Python object per row; CSV, which pyoxigraph does
    not read back, by its header and records)."""
    if name == "json":
        return len(json.loads(body)["results"]["bindings"])
    if name == "csv":
        return sum(1 for _ in csv.reader(io.StringIO(body.decode("utf-8"), newline=""))) - 1
    rows = parse_query_results(body, RESULTS_FORMATS[name])
    return sum(1 for _ in rows) if isinstance(rows, QuerySolutions) else 0


def answer(store: Store, job: Job) -> Answer:
    """Run one query on ``store``; errors become answers (400 for the query's fault)."""
    kwargs: dict[str, object] = {}
    if not job.query_dataset:
        if job.default_graphs:
            kwargs["default_graph"] = [NamedNode(g) for g in job.default_graphs]
        else:
            kwargs["use_default_graph_as_union"] = True
        if job.named_graphs:
            kwargs["named_graphs"] = [NamedNode(g) for g in job.named_graphs]
    if job.base_iri:
        kwargs["base_iri"] = job.base_iri
    try:
        if job.rows_bound and job.results_format in RESULTS_FORMATS:
            written = _written_by_engine(store, job, kwargs)
            if written is not None:
                return written
        result = store.query(job.query, **kwargs)  # type: ignore[arg-type]
        if isinstance(result, QueryBoolean):
            return Answer(200, "ask", write_boolean(bool(result), job.results_format))
        if isinstance(result, QuerySolutions):
            names = [v.value for v in result.variables]
            rows: list[list[object]] = []
            size, cut = 0, ""
            for solution in result:
                if len(rows) == job.row_cap:
                    cut = "rows"
                    break
                row = [solution[n] for n in names]
                size += sum(_size(t) for t in row if t is not None)
                if size > job.max_bytes:
                    cut = "bytes"
                    break
                rows.append(row)
            return Answer(200, "select", write_select(names, rows, job.results_format), bool(cut), len(rows), cut_by=cut)
        triples = []
        size, cut = 0, ""
        for triple in result:
            if len(triples) == job.row_cap:
                cut = "rows"
                break
            size += _size(triple.subject) + _size(triple.predicate) + _size(triple.object)
            if size > job.max_bytes:
                cut = "bytes"
                break
            triples.append(triple)
        body = BY_NAME[job.graph_format].write(triples)
        return Answer(200, "graph", body, bool(cut), len(triples), cut_by=cut)
    except SyntaxError as e:
        return Answer(400, "error", b"", message=f"malformed query: {e}")
    except MemoryError:
        return Answer(503, "error", b"", message="query stopped: it needed more memory than one query may use")
    except (OSError, ValueError, RuntimeError) as e:
        return Answer(500, "error", b"", message=f"query failed: {e}")


class PageWork:
    """Renders linked-data documents inside a worker (imports the page code only there)."""

    def __init__(self, store: Store, cfg: WorkerConfig, graphs: list[str] | None = None) -> None:
        from mclinks.query.canned import canned_queries
        from mclinks.web.linker import Linker
        from mclinks.web.pages import PageMaker, compile_templates

        queries = canned_queries(Path(cfg.queries_dir)) if cfg.queries_dir else {}
        self.store = store
        self.base = cfg.base
        self.queries = queries
        self.triples = cfg.triples
        self.graphs = graphs
        from mclinks.ui import LANGUAGES
        self.makers = {lang: PageMaker(store, cfg.base, Linker(cfg.base), queries, lang) for lang in LANGUAGES}
        compile_templates()  # in the holder: every fork inherits them, and what ``warm`` finds
        for maker in self.makers.values():
            maker.warm()
        self.maker = self.makers["en"]
        self._dataset: tuple[list[str], int] | None = None

    def dataset(self) -> tuple[list[str], int]:
        if self._dataset is None:
            self._dataset = describe_dataset(self.store, self.triples, self.graphs)
        return self._dataset

    def run(self, job: PageJob) -> Answer:
        from mclinks.web.pages import lineage_svg_for

        maker = self.makers.get(job.ui_lang, self.maker)
        try:
            if job.media == "index":
                graphs, triples = self.dataset()
                return Answer(200, "page", maker.render_index({"triples": triples, "graphs": len(graphs)}).encode())
            if not self.maker.exists(job.iri):
                return Answer(404, "error", b"", message=f"nothing is known about {job.iri}")
            if job.media == "text/html":
                svg = None
                if self.maker.is_act(job.iri):
                    svg = lineage_svg_for(self.store, job.iri, self.base, maker.linker, job.ui_lang)
                links = page_links(f"/doc/{job.local}")
                return Answer(200, "page", maker.render_resource(job.iri, links, svg).encode("utf-8"))
            return Answer(200, "graph", BY_MEDIA_TYPE[job.media].write(self.maker.describe(job.iri), PREFIXES))
        except MemoryError:
            return Answer(503, "error", b"", message="page stopped: it needed more memory than one request may use")


def describe_dataset(store: Store, triples: int | None = None, graphs: list[str] | None = None) -> tuple[list[str], int]:
    """The named graphs (``graphs`` when the store holds the union alone) and the number of distinct
    triples (for the service description); ``triples`` when the release's manifest says it
    (counting takes seconds at 1M)."""
    graphs = graphs if graphs is not None else sorted(g.value for g in store.named_graphs() if isinstance(g, NamedNode))
    if triples is not None:
        return graphs, triples
    result = store.query("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
                         use_default_graph_as_union=True)
    count = int(next(iter(result))[Variable("n")].value)  # type: ignore[index,arg-type,call-overload]
    return graphs, count


def open_store(path: str) -> Store:
    """A dump file is loaded into memory (fastest to query); a directory is opened read-only on disk."""
    if Path(path).is_dir():
        return Store.read_only(path)
    if path.endswith((".nq.gz", ".nt.gz")):  # the release's own dumps: parsed and loaded by the engine alone
        store = Store()
        with gzip.open(path, "rb") as f:
            store.bulk_load(f.read(), format=(NQUADS if path.endswith(".nq.gz") else NTRIPLES).ox)
        return store
    from mclinks.store.local import load_store
    return load_store(Path(path))


def isolate_and_open(cfg: WorkerConfig, conn: Connection) -> tuple[Stores, PageWork, str | None] | None:
    """Leave the network, then open the stores and the page maker over them; on failure tell the
    server (which refuses to start without workers) and give None. Ctrl-C is the server's."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    isolated = leave_network() if cfg.isolate else "isolation turned off"
    try:
        maker = NamedStoreMaker(cfg.named_release) if cfg.named_release else None
        stores = Stores(open_store(cfg.store_path), maker=maker)
        if cfg.named_release:  # the on-disk store is made meanwhile: the first answer does not wait for it
            release = Path(cfg.named_release)
            stores.quads_path, stores.graphs = str(store_path(release)), release_graphs(release)
        return stores, PageWork(stores.union, cfg, stores.graphs), isolated
    except Exception as e:
        conn.send(("failed", f"cannot open {cfg.store_path}: {e}"))
        return None


def await_ready(conn: Connection, timeout_s: float, exited: Callable[[], str], stop: Callable[[], None]) -> str | None:
    """The note a starting process sends once its store is open (how it left the network);
    ``stop`` it and raise with its reason when it fails, exits or stays silent."""
    try:
        status = conn.recv() if conn.poll(timeout_s) else ("failed", f"no answer in {timeout_s:g} s")
    except EOFError:
        status = ("failed", exited())
    if status[0] != "ready":
        stop()
        raise RuntimeError(f"query worker did not start: {status[1]}")
    return status[1]


def serve_jobs(cfg: WorkerConfig, conn: Connection) -> None:
    """A worker's life: leave the network, open the store, set the memory cap, answer jobs."""
    if (opened := isolate_and_open(cfg, conn)) is not None:
        stores, pages, isolated = opened
        serve_loaded(stores, pages, cfg, conn, isolated)


def serve_loaded(stores: Stores, pages: PageWork, cfg: WorkerConfig, conn: Connection, isolated: str | None) -> None:
    """Answer jobs on a thread of the worker's own until the pipe closes. glibc gives each thread
    a malloc arena of its own, while the main thread allocates from the heap a forked worker shares
    with the holder, where every free chunk it reuses copies the holder's page: at 830k, 32
    lineage queries copied 106 MB on the main thread and 39 MB on a new one (2.4 ms a query
    against 3.7), so a worker passes its recycling bound about three times later."""
    worker = threading.Thread(target=_answer_jobs, args=(stores, pages, cfg, conn, isolated), name="jobs")
    worker.start()
    worker.join()


def fresh_arena() -> None:
    """Make the calling thread's malloc arena now: glibc reserves its address space (64 MB) on the
    thread's first allocation, which must not count against a query's memory budget."""
    bytearray(1 << 16)  # larger than pymalloc serves: malloc, on this thread


def _answer_jobs(stores: Stores, pages: PageWork, cfg: WorkerConfig, conn: Connection, isolated: str | None) -> None:
    """Set the memory cap on top of the store as loaded, say so, and answer jobs until the pipe
    closes; an answer after which the worker has grown past its bound says so (``Answer.retire``)."""
    fresh_arena()  # before the cap: the arena's address space is not a query's
    if cfg.memory_bytes:
        limit_memory(cfg.memory_bytes)
    stores.memory_bytes = cfg.memory_bytes
    growth = Growth(cfg.recycle_bytes)
    conn.send(("ready", isolated, os.getpid()))
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job == "describe":
            conn.send(pages.dataset())
            continue
        if isinstance(job, PageJob):
            result = pages.run(job)
        elif job.named and not stores.named_ready():
            result = Answer(503, "error", b"", message="this release's named graphs are still being indexed (the first "
                            "serve of a release makes its on-disk store); try again in a few seconds", retry_after=5)
        else:
            result = answer(stores.for_query(job.named), job)
        conn.send(replace(result, retire=True) if growth.past_bound() or stores.opened else result)


class Worker:
    """One worker process and its pipe."""

    def __init__(self, ctx: mp.context.BaseContext, cfg: WorkerConfig) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=serve_jobs, args=(cfg, child), daemon=True)
        self.process.start()
        child.close()
        self.network_note: str | None = None

    def wait_ready(self, timeout_s: float = 300.0) -> "Worker":
        """Block until the worker has opened its store; raise with its reason if it could not."""
        self.network_note = await_ready(self.conn, timeout_s, lambda: f"it exited ({self.exit_reason()})", self.stop)
        return self

    def exit_reason(self) -> str:
        """How the process ended, in words (after it has ended)."""
        self.process.join(2)
        code = self.process.exitcode
        if code is None:
            return "still running"
        if code < 0:
            try:
                return f"killed by {signal.Signals(-code).name}"
            except ValueError:
                return f"killed by signal {-code}"
        return f"exit status {code}"

    def stop(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()
