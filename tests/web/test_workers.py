"""Query workers: answers, caps, and a clear failure when a worker cannot start."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Store

from mclinks.web.pool import WorkerPool
from mclinks.web.workers import Answer, Job, WorkerConfig, answer


@pytest.fixture()
def store() -> Store:
    s = Store()
    for i in range(10):
        s.add(Quad(NamedNode(f"http://x/{i}"), NamedNode("http://x/p"), Literal(str(i)), NamedNode("http://x/g")))
    return s


def test_select_cap_is_reported(store: Store) -> None:
    a = answer(store, Job("SELECT ?s WHERE { ?s ?p ?o }", "json", "turtle", row_cap=4))
    assert (a.status, a.truncated, a.rows) == (200, True, 4)
    assert len(json.loads(a.body)["results"]["bindings"]) == 4
    a = answer(store, Job("SELECT ?s WHERE { ?s ?p ?o }", "json", "turtle", row_cap=10))
    assert (a.truncated, a.rows) == (False, 10)


def test_construct_cap_is_reported(store: Store) -> None:
    a = answer(store, Job("CONSTRUCT WHERE { ?s ?p ?o }", "json", "ntriples", row_cap=3))
    assert a.truncated and a.body.count(b"\n") == 3
    a = answer(store, Job("CONSTRUCT WHERE { ?s ?p ?o }", "json", "ntriples", row_cap=10))
    assert not a.truncated and a.body.count(b"\n") == 10


def test_malformed_query_is_a_400_with_position(store: Store) -> None:
    a = answer(store, Job("SELECT * WHERE { ?s ?p }", "json", "turtle", 10))
    assert a.status == 400 and "error at 1:" in a.message


def test_a_worker_that_cannot_open_its_store_stops_the_pool(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="query worker did not start: cannot open"):
        WorkerPool(WorkerConfig(str(tmp_path / "missing.nq.gz"), "https://w3id.org/mclinks"), size=1)


def _rows(body: bytes) -> list[dict]:
    return json.loads(body)["results"]["bindings"]


def test_a_select_within_its_limit_is_written_by_the_engine(store: Store) -> None:
    """The answer is pyoxigraph's own (compact JSON, not json.dumps's) and the same rows."""
    query = "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s"
    counted = answer(store, Job(query, "json", "turtle", row_cap=1000))
    own = answer(store, Job(query + " LIMIT 20", "json", "turtle", row_cap=1000, rows_bound="own"))
    added = answer(store, Job(query, "json", "turtle", row_cap=1000, rows_bound="added",
                              capped=query + "\nLIMIT 1001\n"))
    for a in (own, added):
        assert a.body.startswith(b'{"head":{"vars":["s","o"]}') and not a.truncated
        assert _rows(a.body) == _rows(counted.body)


@pytest.mark.parametrize("fmt", ["xml", "csv", "tsv"])
def test_engine_written_formats_hold_every_row(store: Store, fmt: str) -> None:
    query = "SELECT ?s WHERE { ?s ?p ?o }"
    a = answer(store, Job(query, fmt, "turtle", row_cap=1000, rows_bound="added", capped=query + "\nLIMIT 1001\n"))
    assert a.status == 200 and not a.truncated
    assert a.body.count(b"http://x/") == 10


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_a_long_answer_within_the_cap_is_not_computed_twice_regression(store: Store, fmt: str) -> None:
    """Ten rows under a cap of ten take far more bytes than the fewest ten rows could: the answer
    used to be thrown away and the query run again to count its rows. The engine's own answer
    is kept (JSON: pyoxigraph's compact form, not the counting path's), rows with line breaks
    in CSV included."""
    query = 'SELECT ?s (CONCAT("line\\nbreak, ", STR(?o)) AS ?text) WHERE { ?s ?p ?o }'
    a = answer(store, Job(query, fmt, "turtle", row_cap=10, rows_bound="added", capped=query + "\nLIMIT 11\n"))
    assert a.status == 200 and not a.truncated and a.body.count(b"http://x/") == 10
    if fmt == "json":
        assert a.body.startswith(b'{"head":{"vars":["s","text"]}')


def test_an_added_limit_that_is_reached_is_reported_as_a_cut(store: Store) -> None:
    query = "SELECT ?s WHERE { ?s ?p ?o }"
    a = answer(store, Job(query, "json", "turtle", row_cap=4, rows_bound="added", capped=query + "\nLIMIT 5\n"))
    assert (a.status, a.truncated, a.rows, a.cut_by) == (200, True, 4, "rows")
    assert len(_rows(a.body)) == 4


def test_an_engine_written_answer_over_the_byte_cap_is_cut(store: Store) -> None:
    query = 'SELECT (CONCAT(STR(?s), "' + "x" * 300 + '") AS ?long) WHERE { ?s ?p ?o }'
    a = answer(store, Job(query, "json", "turtle", row_cap=1000, max_bytes=1500, rows_bound="added",
                          capped=query + "\nLIMIT 1001\n"))
    assert a.truncated and a.cut_by == "bytes" and 0 < len(_rows(a.body)) < 10


def test_a_malformed_query_keeps_its_own_error_position_when_a_limit_was_added(store: Store) -> None:
    query = "SELECT * WHERE { ?s ?p ?o } ORDER BY"
    a = answer(store, Job(query, "json", "turtle", 10, rows_bound="added", capped=query + "\nLIMIT 11\n"))
    assert a.status == 400 and "error at 1:" in a.message


def _dump(store: Store, path: Path) -> Path:
    import gzip

    from pyoxigraph import RdfFormat
    path.write_bytes(gzip.compress(store.dump(format=RdfFormat.N_QUADS)))
    return path


def test_workers_are_forked_from_one_loaded_store(store: Store, tmp_path: Path) -> None:
    """One holder loads the dump; the workers are forks of it, children of the server (so the
    pool can wait for them and say how they died), and answer from the shared store."""
    import asyncio
    import os

    pool = WorkerPool(WorkerConfig(str(_dump(store, tmp_path / "d.nq.gz")), "https://w3id.org/mclinks"), size=2)
    try:
        pids = {w.pid for w in pool._all}  # type: ignore[union-attr]
        assert len(pids) == 2 and pool._holder is not None and pool._holder.process.pid not in pids
        for pid in pids:
            assert int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1]) == os.getpid()
        a = asyncio.run(pool.run(Job("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", "json", "turtle", 10), 10))
        assert _rows(a.body)[0]["n"]["value"] == "10"
    finally:
        pool.close()


def test_a_killed_holder_is_started_again(store: Store, tmp_path: Path) -> None:
    import os
    import signal

    pool = WorkerPool(WorkerConfig(str(_dump(store, tmp_path / "d.nq.gz")), "https://w3id.org/mclinks"), size=1)
    try:
        assert pool._holder is not None
        old = pool._holder.process.pid
        os.kill(old, signal.SIGKILL)
        pool._holder.process.join(5)
        fresh = pool._new_worker().wait_ready()
        assert pool._holder.process.pid != old
        fresh.conn.send(Job("ASK { ?s ?p ?o }", "json", "turtle", 10))
        assert json.loads(fresh.conn.recv().body)["boolean"] is True
        fresh.stop()
    finally:
        pool.close()


def _release(tmp_path: Path) -> Path:
    """A release directory with the two dumps a server reads: its quads and their union. One
    triple is in two graphs, so the union (a set) has one triple fewer than the quads."""
    import gzip

    from pyoxigraph import DefaultGraph, RdfFormat

    quads = Store()
    x = NamedNode("http://x/p")
    for i in range(3):
        quads.add(Quad(NamedNode(f"http://x/{i}"), x, Literal(str(i)), NamedNode("http://x/g1")))
    quads.add(Quad(NamedNode("http://x/0"), x, Literal("0"), NamedNode("http://x/g2")))
    union = Store()
    union.extend(Quad(q.subject, q.predicate, q.object, DefaultGraph()) for q in quads)
    release = tmp_path / "dist" / "releases" / "r1"
    release.mkdir(parents=True)
    (release / "mclinks.nq.gz").write_bytes(gzip.compress(quads.dump(format=RdfFormat.N_QUADS)))
    (release / "mclinks.nt.gz").write_bytes(gzip.compress(union.dump(format=RdfFormat.N_TRIPLES, from_graph=DefaultGraph())))
    (release / "void.ttl").write_text("<http://x/dataset> <http://rdfs.org/ns/void#subset> <http://x/g1> , <http://x/g2> .\n")
    return release


def _made(path: Path, timeout_s: float = 60) -> bool:
    """The on-disk store, made beside the first answers, has landed."""
    import time
    deadline = time.monotonic() + timeout_s
    while not path.is_dir() and time.monotonic() < deadline:
        time.sleep(0.05)
    return path.is_dir()


async def _count(pool: WorkerPool, query: str, named: bool = False) -> int:
    a = await pool.run(Job(query, "json", "turtle", 10, named=named), 10)
    assert a.status == 200, a.message
    return int(_rows(a.body)[0]["n"]["value"])


def test_the_union_is_read_from_memory_and_named_graphs_from_the_release_store(tmp_path: Path) -> None:
    """A query that reads the default graph alone runs on the union, one set of triples; one that
    sees named graphs runs on the release's on-disk store, made for it, and the worker that opened
    it is then replaced (the pool keeps its size); the service description still names every graph."""
    import asyncio

    from mclinks.release.dumps import store_path

    release = _release(tmp_path)
    cfg = WorkerConfig(str(release / "mclinks.nt.gz"), "https://w3id.org/mclinks", named_release=str(release),
                       memory_bytes=256 << 20)
    pool = WorkerPool(cfg, size=1)

    async def counts() -> list[int]:
        out = [await _count(pool, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"),
               await _count(pool, "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }", named=True),
               await _count(pool, "SELECT (COUNT(*) AS ?n) { GRAPH <http://x/g2> { ?s ?p ?o } }", named=True),
               await _count(pool, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")]
        while not pool._idle:
            await asyncio.sleep(0.01)
        return out

    try:
        assert pool.graphs == ["http://x/g1", "http://x/g2"]  # from the release's VoID, before the store is made
        assert _made(store_path(release))
        assert asyncio.run(counts()) == [3, 4, 1, 3]
        assert pool.recycled == 2 and len(pool._all) == 1 and pool.crashed == 0
    finally:
        pool.close()


def test_a_worker_grown_past_its_bound_is_replaced_and_the_pool_keeps_its_size(tmp_path: Path) -> None:
    """With a bound of one byte every worker asks to be replaced after its first job: the answers
    stay right, fresh forks take the places, and the pool never holds more
    workers than its size."""
    import asyncio

    release = _release(tmp_path)
    cfg = WorkerConfig(str(release / "mclinks.nt.gz"), "https://w3id.org/mclinks", named_release=str(release),
                       recycle_bytes=1)
    pool = WorkerPool(cfg, size=2)
    first = {w.pid for w in pool._all}  # type: ignore[union-attr]

    async def many() -> list[int]:
        counts = []
        for _ in range(100):
            a = await pool.run(Job("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", "json", "turtle", 10), 10)
            counts.append(int(_rows(a.body)[0]["n"]["value"]))
            assert len(pool._all) <= 2
        while len(pool._idle) < 2:  # the last replacement landing
            await asyncio.sleep(0.01)
        return counts

    try:
        assert set(asyncio.run(many())) == {3}
        assert pool.recycled >= 2 and pool.killed == pool.crashed == 0
        assert len(pool._all) == 2 and not first & {w.pid for w in pool._all}  # type: ignore[union-attr]
        for pid in first:
            assert not Path(f"/proc/{pid}").exists()
    finally:
        pool.close()


def test_a_worker_within_its_bound_is_kept(tmp_path: Path) -> None:
    import asyncio

    release = _release(tmp_path)
    pool = WorkerPool(WorkerConfig(str(release / "mclinks.nt.gz"), "https://w3id.org/mclinks",
                                   named_release=str(release)), size=1)
    first = {w.pid for w in pool._all}  # type: ignore[union-attr]

    async def many() -> None:
        for _ in range(100):
            await pool.run(Job("ASK { ?s ?p ?o }", "json", "turtle", 10), 10)

    try:
        asyncio.run(many())
        assert pool.recycled == 0 and {w.pid for w in pool._all} == first  # type: ignore[union-attr]
    finally:
        pool.close()


def test_named_graph_queries_wait_for_the_store_not_the_first_answer_regression(tmp_path: Path) -> None:
    """The first serve of a release used to answer nothing until its on-disk store was made
    (19.7 s to the first answer at 830k triples against 8 s once made). Now default-graph queries
    answer at once, and a named-graph query that comes before the store is told to retry (503,
    Retry-After): here the store can never be made (``dist/stores`` is a file), and nothing else
    suffers."""
    import asyncio

    release = _release(tmp_path)
    (release.parent.parent / "stores").write_text("not a folder")
    pool = WorkerPool(WorkerConfig(str(release / "mclinks.nt.gz"), "https://w3id.org/mclinks",
                                   named_release=str(release)), size=1)

    async def answers() -> tuple[int, Answer]:
        n = await _count(pool, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")
        named = await pool.run(Job("SELECT * { GRAPH ?g { ?s ?p ?o } }", "json", "turtle", 10, named=True), 10)
        return n, named

    try:
        n, named = asyncio.run(answers())
        assert n == 3
        assert named.status == 503 and named.retry_after > 0 and "try again" in named.message
        assert pool.graphs == ["http://x/g1", "http://x/g2"]
    finally:
        pool.close()



def _in_main_heap(address: int) -> bool:
    """Whether ``address`` lies in the process's brk heap, glibc's main malloc arena."""
    for line in Path("/proc/self/maps").read_text().splitlines():
        if line.endswith("[heap]"):
            start, end = (int(x, 16) for x in line.split()[0].split("-"))
            if start <= address < end:
                return True
    return False


def test_a_thread_allocates_outside_the_heap_a_worker_shares_with_the_holder() -> None:
    """Why jobs run on a thread (``serve_loaded``): the main thread allocates from the brk heap, the
    one a forked worker shares with the holder, and a thread, from its arena made by
    ``fresh_arena``, does not."""
    import ctypes
    import threading

    from mclinks.web.workers import fresh_arena

    def allocated() -> int:
        return ctypes.addressof(ctypes.create_string_buffer(1 << 16))  # malloc, not pymalloc

    assert _in_main_heap(allocated())
    on_thread: list[int] = []

    def job() -> None:
        fresh_arena()
        on_thread.append(allocated())

    worker = threading.Thread(target=job)
    worker.start()
    worker.join()
    assert on_thread and not _in_main_heap(on_thread[0])


def test_a_worker_answers_its_jobs_on_a_thread_of_its_own(store: Store, tmp_path: Path) -> None:
    import asyncio

    pool = WorkerPool(WorkerConfig(str(_dump(store, tmp_path / "d.nq.gz")), "https://w3id.org/mclinks"), size=1)
    try:
        a = asyncio.run(pool.run(Job("ASK { ?s ?p ?o }", "json", "turtle", 10), 10))
        assert a.status == 200
        pid = next(iter(pool._all)).pid  # type: ignore[union-attr]
        assert len(list(Path(f"/proc/{pid}/task").iterdir())) == 2  # the main thread waits for the jobs' thread
    finally:
        pool.close()


def test_a_worker_that_copied_the_store_in_one_query_is_replaced_after_it_regression(tmp_path: Path) -> None:
    """Growth was read every 32nd job only, so a worker answering a few queries that scan the
    store copied all of it before anyone looked (830k, synergy: 797 MB PSS). Its page faults now
    say when to look: one scan of 60k quads, past a 4 MB bound, and the worker is replaced."""
    import asyncio

    big = Store()
    big.bulk_load("".join(f"<http://x/{i}> <http://x/p> \"{i}\" <http://x/g> .\n" for i in range(60000)).encode(),
                  RdfFormat.N_QUADS)
    cfg = WorkerConfig(str(_dump(big, tmp_path / "big.nq.gz")), "https://w3id.org/mclinks", recycle_bytes=4 << 20)
    pool = WorkerPool(cfg, size=1)
    first = {w.pid for w in pool._all}  # type: ignore[union-attr]

    async def scan_then_lookup() -> list[Answer]:
        answers = [await pool.run(Job("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", "json", "turtle", 10), 10)]
        while not pool._idle:  # the replacement landing
            await asyncio.sleep(0.01)
        answers.append(await pool.run(Job("ASK { <http://x/7> ?p ?o }", "json", "turtle", 10), 10))
        return answers

    try:
        scan, lookup = asyncio.run(scan_then_lookup())
        assert _rows(scan.body)[0]["n"]["value"] == "60000" and lookup.status == 200
        assert pool.recycled == 1 and not first & {w.pid for w in pool._all}  # type: ignore[union-attr]
    finally:
        pool.close()


def test_a_fresh_worker_inherits_compiled_templates_regression(store: Store) -> None:
    """Templates were compiled on a worker's first page and the shown-elsewhere predicates looked
    up then, so every replacement fork paid again (at 830k, recycled more often once growth was
    read after each job, page p95 rose from 57-60 ms to 101-106). The page work, made in the
    holder before it forks, now does both."""
    from mclinks.web.pages import TEMPLATES
    from mclinks.web.workers import PageWork

    assert TEMPLATES.cache is not None
    TEMPLATES.cache.clear()
    pages = PageWork(store, WorkerConfig("unused", "https://w3id.org/mclinks"))
    cached = {name for (_, name) in TEMPLATES.cache.keys()}
    assert set(TEMPLATES.list_templates()) <= cached
    assert all(maker._hidden is not None for maker in pages.makers.values())
