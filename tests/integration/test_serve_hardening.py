"""Issue 9's repros against a real `mclinks serve` on 127.0.0.1: every way into
the store is as safe as /sparql, and real clients get what the protocol says."""
from __future__ import annotations

import concurrent.futures as cf
import json
import socket
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from http.client import HTTPConnection
from pathlib import Path

import pytest
from SPARQLWrapper import SPARQLWrapper

from tests.integration.test_serve import ENDLESS, http
from tests.servers import mclinks_server, worker_pids

pytestmark = pytest.mark.integration
MCL = "https://w3id.org/mclinks/ontology#"
REGISTRY = "https://w3id.org/mclinks/graph/registry"
ONTOLOGY_GRAPH = "https://w3id.org/mclinks/graph/ontology"


@pytest.fixture(scope="module")
def server(built_root: Path) -> Iterator[str]:
    with mclinks_server(built_root, "--timeout", "3", "--workers", "2", "--max-request-bytes", "4096",
                        "--max-response-bytes", "200000", "--memory-mb", "300", "--queue-per-client", "3",
                        "--body-timeout", "1", "--public-url", "https://endpoint.example.org") as base:
        yield base


@contextmanager
def listener() -> Iterator[tuple[int, list[bytes]]]:
    """A TCP listener on loopback that records every connection it receives."""
    received: list[bytes] = []
    sock = socket.create_server(("127.0.0.1", 0))
    sock.settimeout(0.2)
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    received.append(conn.recv(1024) or b"(connected)")
                except OSError:
                    received.append(b"(connected)")

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield sock.getsockname()[1], received
    finally:
        stop.set()
        thread.join(2)
        sock.close()


def quoted(path: str) -> str:
    return urllib.parse.quote(path, safe="")


def sparql(server: str, query: str, accept: str = "application/sparql-results+json", **kw: object):
    return http(f"{server}/sparql?query={urllib.parse.quote(query)}", headers={"Accept": accept}, **kw)  # type: ignore[arg-type]


def alive(server: str) -> bool:
    status, _, body = sparql(server, "ASK { ?s ?p ?o }")
    return status == 200 and json.loads(body)["boolean"] is True


# ---- Critical: SPARQL injection through linked-data paths ----------------------

def test_doc_path_nested_groups_crash_regression(server: str) -> None:
    payload = "decision/MC-1-21> ?p ?o . " + "{" * 3000 + " ?a ?b ?c " + "}" * 3000 + " } #"
    status, _, _ = http(f"{server}/doc/{quoted(payload)}")
    assert status == 404
    assert alive(server)


def test_doc_path_service_ssrf_regression(server: str) -> None:
    with listener() as (port, received):
        payload = (f"decision/MC-1-21> ?p ?o . SERVICE SILENT <http://127.0.0.1:{port}/x> {{ ?a ?b ?c }} }} #")
        for tail in (quoted(payload), "decision/MC-1-21%3E%20%3Fp%20%3Fo%20.%20SERVICE%20SILENT%20%3Chttp%3A//"
                     f"127.0.0.1%3A{port}/x%3E%20%7B%20%3Fa%20%3Fb%20%3Fc%20%7D%20%7D%20%23"):
            assert http(f"{server}/doc/{tail}")[0] == 404
            status, headers, _ = http(f"{server}/id/{tail}")  # a well-formed path: 303, then nothing there
            assert status == 404 or (status == 303 and http(f"{server}{headers['location']}")[0] == 404)
        time.sleep(0.5)
    assert received == []


def test_doc_path_endless_query_regression(server: str) -> None:
    payload = ('decision/MC-1-21> ?p ?o . ?a ?b ?c . ?d ?e ?f . ?g ?h ?i '
               'FILTER(STR(?c) = CONCAT(STR(?f), STR(?i), "zz")) } #')
    started = time.monotonic()
    assert http(f"{server}/doc/{quoted(payload)}")[0] == 404
    assert time.monotonic() - started < 2
    assert alive(server)


def test_no_route_reaches_the_network(server: str) -> None:
    """A loopback listener receives nothing, whatever route a request takes."""
    with listener() as (port, received):
        target = f"http://127.0.0.1:{port}/x"
        service = f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}"
        attempts = [
            f"/sparql?query={quoted(service)}",
            f"/sparql?query={quoted('SELECT * FROM <' + target + '> WHERE { ?s ?p ?o }')}",
            f"/sparql?query={quoted('ASK {}')}&default-graph-uri={quoted(target)}",
            f"/sparql?query={quoted('ASK {}')}&named-graph-uri={quoted(target)}",
            f"/sparql?query={quoted('DESCRIBE <' + target + '>')}",
            f"/doc/{quoted(target)}", f"/id/{quoted(target)}", f"/dump/{quoted(target)}",
            f"/ontology?x={quoted(target)}", f"/?q={quoted(target)}",
        ]
        for path in attempts:
            status = http(f"{server}{path}", headers={"Accept": "*/*"})[0]
            assert status < 500, path
        status, _, _ = http(f"{server}/sparql", f"LOAD <{target}>".encode(),
                            {"Content-Type": "application/sparql-update"})
        assert status == 403
        time.sleep(0.5)
    assert received == []


def test_workers_have_no_network_even_for_service(tmp_path: Path) -> None:
    """Defence in depth: a SERVICE query that skipped the refusal still reaches nobody,
    because the worker process left the network before it opened the store."""
    import asyncio

    from mclinks.web.pool import WorkerPool
    from mclinks.web.workers import Job, WorkerConfig

    dump = tmp_path / "one.nt"
    dump.write_text("<http://a> <http://b> <http://c> .\n")
    with listener() as (port, received):
        pool = WorkerPool(WorkerConfig(str(dump), "https://w3id.org/mclinks"), size=1)
        try:
            if pool.network_note:
                pytest.skip(f"this machine cannot isolate workers: {pool.network_note}")
            job = Job(f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
                      "json", "turtle", 10)
            answer = asyncio.run(pool.run(job, 10))
        finally:
            pool.close()
        time.sleep(0.5)
    assert answer.status == 500 and received == []


# ---- High: crashes, memory, sizes, fairness -----------------------------------------

def test_deep_nesting_is_refused_before_the_engine_regression(server: str) -> None:
    deep = "SELECT * WHERE " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000
    status, _, body = http(f"{server}/sparql", deep.encode(), {"Content-Type": "application/sparql-query"})
    assert status == 413  # 10 KB over this server's 4 KB request limit
    deep = "SELECT * WHERE " + "{" * 1500 + " ?s ?p ?o " + "}" * 1500
    status, _, body = http(f"{server}/sparql", deep.encode(), {"Content-Type": "application/sparql-query"})
    assert status == 400 and b"nests 1500 levels deep" in body
    assert alive(server)


def test_worker_crash_is_reported_as_a_crash_regression(built_root: Path) -> None:
    """A worker that dies mid-query is reported as a crash, not a timeout, and replaced."""
    import os
    import signal

    procs: list = []
    with mclinks_server(built_root, "--timeout", "20", "--workers", "1", started=procs) as base:
        result: list[tuple[int, bytes]] = []
        t = threading.Thread(target=lambda: result.append(sparql(base, ENDLESS)[::2]))
        t.start()
        time.sleep(1.0)
        mine = worker_pids(procs[0].pid)
        assert mine, "no worker process found"
        for pid in mine:
            os.kill(pid, signal.SIGKILL)
        t.join(30)
        status, body = result[0]
        assert status == 500 and b"crashed (killed by SIGKILL)" in body and b"time limit" not in body
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not alive(base):
            time.sleep(0.3)
        assert alive(base)


def test_memory_limit_stops_a_greedy_query_regression(server: str) -> None:
    """ORDER BY over a cartesian product grew a worker to 1.4 GB; now it stops at the budget."""
    greedy = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f"
    status, _, body = sparql(server, greedy)
    assert status in (500, 503) and b"memory" in body, body
    assert alive(server)


def test_response_byte_cap_regression(server: str) -> None:
    """100 rows of long literals are cut at the byte cap, and the client is told."""
    big = "CONCAT(" + ", ".join(["?v"] * 40) + ")"
    query = (f"PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> SELECT (STR({big}) AS ?x) "
             "WHERE { ?p rdf:value ?v FILTER (STRLEN(?v) > 200) } LIMIT 100")
    status, headers, body = sparql(server, query)
    rows = json.loads(body)["results"]["bindings"]
    assert status == 200 and len(body) < 400_000
    assert headers["x-result-truncated"] == str(len(rows)) and "size cap" in headers["warning"]


def test_answer_cache_is_bounded_in_bytes() -> None:
    from cachetools import LRUCache

    from mclinks.web.backend import _size

    cache: LRUCache = LRUCache(maxsize=10_000, getsizeof=_size)
    for i in range(100):
        cache[i] = (b"x" * 1000, {}, "text/plain")
    assert cache.currsize <= 10_000 and len(cache) < 10


def test_heavy_clients_do_not_starve_others_regression(server: str) -> None:
    """Two clients with heavy queries; a third client's cheap queries are all answered."""
    host, port = server.removeprefix("http://").split(":")

    def get(source: str, query: str) -> int:
        conn = HTTPConnection(host, int(port), timeout=60, source_address=(source, 0))
        try:
            conn.request("GET", f"/sparql?query={urllib.parse.quote(query)}",
                         headers={"Accept": "application/sparql-results+json"})
            return conn.getresponse().status
        finally:
            conn.close()

    with cf.ThreadPoolExecutor(8) as pool:
        heavy = [pool.submit(get, src, ENDLESS + f" # {src} {i}") for src in ("127.0.0.2", "127.0.0.3") for i in range(3)]
        time.sleep(0.5)
        cheap = [get("127.0.0.4", f"ASK {{ ?s ?p ?o }} # {i}") for i in range(4)]
        heavy_statuses = [f.result() for f in heavy]
    assert cheap == [200] * 4
    assert set(heavy_statuses) <= {504, 503}


def test_full_queue_gets_503_with_retry_after(server: str) -> None:
    host, port = server.removeprefix("http://").split(":")

    def get(i: int) -> tuple[int, str | None]:
        conn = HTTPConnection(host, int(port), timeout=60, source_address=("127.0.0.5", 0))
        try:
            conn.request("GET", f"/sparql?query={urllib.parse.quote(ENDLESS + f' # {i}')}")
            r = conn.getresponse()
            return r.status, r.getheader("Retry-After")
        finally:
            conn.close()

    with cf.ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(get, range(8)))
    refused = [a for a in answers if a[0] == 503]
    assert refused and all(retry and retry.isdigit() for _, retry in refused)


def test_slow_request_body_is_closed(server: str) -> None:
    host, port = server.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                  b"Content-Length: 100\r\n\r\nASK")
        started = time.monotonic()
        reply = s.recv(1024)
    assert reply.startswith(b"HTTP/1.1 408") and time.monotonic() - started < 5


# ---- Correctness for real clients ----------------------------------------------------------

def test_from_names_the_dataset_regression(server: str) -> None:
    count = "SELECT (COUNT(*) AS ?n) {from} WHERE {{ ?s ?p ?o }}"
    union = sparql(server, count.format(**{"from": ""}))[2]
    only = sparql(server, count.format(**{"from": f"FROM <{ONTOLOGY_GRAPH}>"}))[2]
    n_union = int(json.loads(union)["results"]["bindings"][0]["n"]["value"])
    n_only = int(json.loads(only)["results"]["bindings"][0]["n"]["value"])
    assert 0 < n_only < n_union


def test_refusals_come_from_the_parsed_query_regression(server: str) -> None:
    status, _, _ = sparql(server, 'ASK { ?s ?p "x"@add }')
    assert status == 200
    status, _, _ = sparql(server, "PREFIX g: <https://w3id.org/mclinks/graph/> SELECT * FROM g:registry "
                                  "WHERE { ?s ?p ?o } LIMIT 1")
    assert status == 200
    status, headers, body = sparql(server, "PREFIX select: <http://x/> CONSTRUCT { ?s select:p ?o } "
                                           "WHERE { ?s ?p ?o } LIMIT 2", accept="*/*")
    assert status == 200 and headers["content-type"].startswith("text/turtle")


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_rdfxml_for_construct_with_sparqlwrapper_defaults_regression(server: str) -> None:
    sw = SPARQLWrapper(f"{server}/sparql")
    sw.setQuery(f'CONSTRUCT {{ ?s a <{MCL}Decision> }} WHERE {{ ?s <{MCL}symbol> "MC-1/21" }}')
    graph = sw.queryAndConvert()  # SPARQLWrapper asks for RDF/XML and parses it with rdflib
    assert len(graph) == 1


def test_relative_iris_resolve_against_the_endpoint_regression(server: str) -> None:
    status, _, body = sparql(server, "SELECT * WHERE { <relative> ?p ?o }")
    assert status == 200 and json.loads(body)["results"]["bindings"] == []


def test_protocol_details_regression(server: str) -> None:
    status, _, body = http(f"{server}/sparql", b"default-graph-uri=x", {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 400 and b"'query'" in body
    assert sparql(server, "ASK { ?s ?p ?o }", accept="text/csv")[0] == 406
    status, headers, _ = sparql(server, "ASK { ?s ?p ?o }")
    assert "Accept" in headers.get("vary", "")
    status, _, _ = http(f"{server}/sparql", "ASK { ?s ?p ?o }".encode("latin-1"),
                        {"Content-Type": "application/sparql-query; charset=iso-8859-1"})
    assert status == 415
    assert http(f"{server}/sparql?query={'x' * 5000}")[0] == 414


def test_host_header_is_never_echoed_regression(server: str) -> None:
    status, _, body = http(f"{server}/sparql", headers={"Accept": "text/turtle", "Host": "evil.example"})
    assert status == 200 and b"evil.example" not in body and b"https://endpoint.example.org/sparql" in body
    status, headers, _ = http(f"{server}/id/decision/MC-1-21", headers={"Host": "evil.example"})
    assert status == 303 and "evil.example" not in headers["location"]


def test_id_with_escaped_question_mark_redirects_to_itself_regression(server: str) -> None:
    status, headers, _ = http(f"{server}/id/document/x%3Fy")
    assert status == 303 and headers["location"] == "/doc/document/x%3Fy"


def test_dumps_served_as_files_and_listed_regression(server: str) -> None:
    for name in ("mclinks.nt.gz", "mclinks.nq.gz"):
        status, headers, body = http(f"{server}/dump/{name}")
        assert status == 200 and headers["content-type"] == "application/gzip"
        assert "content-encoding" not in {k.lower() for k in headers} and body[:2] == b"\x1f\x8b"
    status, _, body = http(f"{server}/dump/", headers={"Accept": "application/json"})
    names = {f["name"] for f in json.loads(body)}
    assert status == 200 and {"mclinks.ttl", "void.ttl", "release.json"} <= names


@pytest.mark.parametrize("path", ["/doc/a%20b", "/doc/%00", "/doc/%FF", "/doc/..%2F..%2Fetc", "/id/%00",
                                  "/doc/decision/MC-1-21%3E", "/doc/", "/id/", "/dump/%00"])
def test_illegal_paths_are_404_never_500_regression(server: str, path: str) -> None:
    assert http(f"{server}{path}")[0] in (400, 404)


def test_non_default_base_is_read_from_the_release_regression(project_copy: Path) -> None:
    from click.testing import CliRunner

    from mclinks.cli import main

    shutil_copy_queries(project_copy)
    result = CliRunner().invoke(main, ["build", "--root", str(project_copy), "--base", "https://example.org/x"])
    assert result.exit_code == 0, result.output
    with mclinks_server(project_copy) as base:
        status, _, body = http(f"{base}/doc/decision/MC-1-21", headers={"Accept": "application/n-triples"})
        assert status == 200 and b"<https://example.org/x/id/decision/MC-1-21>" in body


def shutil_copy_queries(root: Path) -> None:
    import shutil

    from tests.conftest import ROOT
    shutil.copytree(ROOT / "queries", root / "queries", dirs_exist_ok=True)


def test_rebuilds_never_pull_the_release_from_under_the_server_regression(project_copy: Path) -> None:
    """Three builds used to prune the served release: dumps 500, and after two timeouts every
    query was 503 for good. Now the server holds its release and moves to the new one."""
    from click.testing import CliRunner

    from mclinks.cli import main

    shutil_copy_queries(project_copy)
    run = CliRunner().invoke
    assert run(main, ["build", "--root", str(project_copy)]).exit_code == 0
    with mclinks_server(project_copy, "--timeout", "1", "--workers", "1") as base:
        first = json.loads(http(f"{base}/dump/release.json")[2])
        for _ in range(4):
            assert run(main, ["build", "--root", str(project_copy)]).exit_code == 0
        deadline = time.monotonic() + 60
        now = first
        while time.monotonic() < deadline and now == first:
            time.sleep(0.5)
            now = json.loads(http(f"{base}/dump/release.json")[2])
        assert now != first, "the server did not pick up the new dist/current"
        for _ in range(3):  # timed-out workers are replaced, the slot comes back
            assert sparql(base, ENDLESS)[0] == 504
        assert http(f"{base}/dump/void.ttl")[0] == 200
        assert alive(base)


def test_sigterm_stops_the_server_during_an_endless_query(built_root: Path) -> None:
    """The endless page query of issue 9 kept the server alive after SIGTERM; page paths can no
    longer carry queries, so the same is checked with an endless SPARQL query."""
    procs: list = []

    def endless(base: str) -> None:
        try:
            sparql(base, ENDLESS)
        except OSError:  # the server went away mid-answer: what this test does to it
            pass
    with mclinks_server(built_root, "--timeout", "60", "--workers", "1", started=procs) as base:
        t = threading.Thread(target=endless, args=(base,), daemon=True)
        t.start()
        time.sleep(1.0)
        workers = worker_pids(procs[0].pid)
        procs[0].terminate()
        started = time.monotonic()
        procs[0].wait(timeout=20)
        assert time.monotonic() - started < 10
        time.sleep(0.5)
        assert workers and not any(Path(f"/proc/{pid}").exists() and b"spawn_main" in
                                   Path(f"/proc/{pid}/cmdline").read_bytes() for pid in workers)


def test_original_files_are_downloadable(server: str) -> None:
    status, headers, body = http(f"{server}/original/MC-1-21.fr.txt")
    assert status == 200 and headers["content-type"].startswith("text/plain") and "MC-1/21".encode() in body
    assert "attachment" in headers.get("content-disposition", "")
    for bad in ("../release.json", "..%2Frelease.json", "nope.pdf", "%00"):
        assert http(f"{server}/original/{bad}")[0] == 404, bad


def test_percent_encoded_non_ascii_get_query_regression(server: str) -> None:
    """A GET query with "é" percent-encoded as UTF-8 (what every client sends) was decoded twice
    and refused as "not valid UTF-8"; a form POST likewise."""
    query = 'SELECT ?x WHERE { BIND("secrétariat" AS ?x) }'
    status, _, body = sparql(server, query)
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["x"]["value"] == "secrétariat"
    form = urllib.parse.urlencode({"query": query}).encode()
    status, _, body = http(f"{server}/sparql", form, {"Content-Type": "application/x-www-form-urlencoded",
                                                      "Accept": "application/sparql-results+json"})
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["x"]["value"] == "secrétariat"
