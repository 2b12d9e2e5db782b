"""The endpoint over real HTTP on 127.0.0.1, with SPARQLWrapper as the client:
protocol, content negotiation, linked-data dereferencing, and every refusal."""
from __future__ import annotations

import concurrent.futures as cf
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper

from tests.servers import mclinks_server

pytestmark = pytest.mark.integration
MCL = "https://w3id.org/mclinks/ontology#"
# A query that would run for hours on any data: three-way cross join.
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def server(built_root):
    with mclinks_server(built_root, "--timeout", "2", "--row-cap", "25", "--max-request-bytes", "4096",
                        "--workers", "2") as base:
        yield base


def http(url: str, data: bytes | None = None, headers: dict[str, str] | None = None, method: str | None = None):
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *a, **k):  # noqa: ANN002, ANN003
            return None
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=30) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def client(server: str) -> SPARQLWrapper:
    return SPARQLWrapper(f"{server}/sparql")


def test_select_with_sparqlwrapper_in_every_format(server: str) -> None:
    q = (f"SELECT DISTINCT ?s ?sym WHERE {{ ?s a <{MCL}Decision> ; <{MCL}symbol> ?sym "
         f'FILTER (STRSTARTS(?sym, "MC-1/2") || ?sym = "BC-17/22") }} ORDER BY ?sym')
    sw = client(server)
    sw.setQuery(q)
    sw.setReturnFormat(JSON)
    data = sw.queryAndConvert()
    symbols = [b["sym"]["value"] for b in data["results"]["bindings"]]
    assert "MC-1/21" in symbols and "BC-17/22" in symbols
    sw.setReturnFormat(XML)
    xml = sw.queryAndConvert()
    assert len(xml.getElementsByTagName("result")) == len(symbols)
    sw.setReturnFormat(CSV)
    csv_text = sw.queryAndConvert().decode()
    assert csv_text.splitlines()[0] == "s,sym" and "MC-1/21" in csv_text


def test_tsv_and_ask(server: str) -> None:
    q = urllib.parse.quote(f'SELECT DISTINCT ?sym WHERE {{ ?s <{MCL}symbol> ?sym FILTER(?sym = "MC-1/21") }}')
    status, headers, body = http(f"{server}/sparql?query={q}", headers={"Accept": "text/tab-separated-values"})
    assert status == 200 and headers["content-type"].startswith("text/tab-separated-values")
    assert body.decode().splitlines() == ["?sym", '"MC-1/21"']
    sw = client(server)
    sw.setQuery(f'ASK {{ ?s <{MCL}symbol> "UNEA-1/5" }}')
    sw.setReturnFormat(JSON)
    assert sw.queryAndConvert()["boolean"] is True


def test_construct_and_describe_by_accept(server: str) -> None:
    sw = client(server)
    sw.setQuery(f'CONSTRUCT {{ ?s a <{MCL}Decision> }} WHERE {{ ?s a <{MCL}Decision> ; <{MCL}symbol> "MC-1/21" }}')
    sw.setReturnFormat(TURTLE)
    graph_text = sw.queryAndConvert().decode()
    assert "MC-1-21" in graph_text
    query = urllib.parse.quote("DESCRIBE <https://w3id.org/mclinks/id/decision/MC-1-21>")
    status, headers, body = http(f"{server}/sparql?query={query}", headers={"Accept": "application/ld+json"})
    assert status == 200 and headers["content-type"].startswith("application/ld+json")
    doc = json.loads(body)
    assert "@context" not in json.dumps(doc) or "http" not in str(doc[0].get("@context", ""))  # no remote context


def test_q_values_are_honoured(server: str) -> None:
    q = urllib.parse.quote("SELECT * WHERE { ?s ?p ?o } LIMIT 1")
    _, headers, _ = http(f"{server}/sparql?query={q}",
                         headers={"Accept": "application/sparql-results+json;q=0.5, application/sparql-results+xml;q=0.9"})
    assert headers["content-type"].startswith("application/sparql-results+xml")
    _, headers, _ = http(f"{server}/sparql?query={q}", headers={"Accept": "text/csv;q=0.1, */*;q=0.2"})
    assert headers["content-type"].startswith("application/sparql-results+json")
    status, _, _ = http(f"{server}/sparql?query={q}", headers={"Accept": "image/png"})
    assert status == 406


def test_cached_get_answers_keep_to_their_accept_and_graphs(server: str) -> None:
    """Repeated GETs are answered from the cache by their raw query string and Accept: another
    Accept or another graph parameter is another answer, never the one kept first."""
    q = urllib.parse.quote(f'SELECT DISTINCT ?sym WHERE {{ ?s <{MCL}symbol> ?sym FILTER(?sym = "MC-1/21") }}')
    url = f"{server}/sparql?query={q}"
    for _ in range(2):
        _, json_headers, as_json = http(url, headers={"Accept": "application/sparql-results+json"})
        _, csv_headers, as_csv = http(url, headers={"Accept": "text/csv"})
        assert json_headers["content-type"].startswith("application/sparql-results+json") and b'"MC-1/21"' in as_json
        assert csv_headers["content-type"].startswith("text/csv") and as_csv.decode().splitlines() == ["sym", "MC-1/21"]
        other = urllib.parse.quote("https://w3id.org/mclinks/graph/ontology")
        _, _, in_registry = http(f"{url}&default-graph-uri={other}", headers={"Accept": "application/sparql-results+json"})
        assert json.loads(in_registry)["results"]["bindings"] == []


def test_post_form_and_direct(server: str) -> None:
    body = urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}).encode()
    status, _, out = http(f"{server}/sparql", body, {"Content-Type": "application/x-www-form-urlencoded",
                                                     "Accept": "application/sparql-results+json"})
    assert status == 200 and json.loads(out)["boolean"] is True
    status, _, out = http(f"{server}/sparql", b"ASK { ?s ?p ?o }", {"Content-Type": "application/sparql-query",
                                                                     "Accept": "application/sparql-results+json"})
    assert status == 200 and json.loads(out)["boolean"] is True


def test_service_description_and_cors(server: str) -> None:
    status, headers, body = http(f"{server}/sparql", headers={"Accept": "text/turtle", "Origin": "http://example.org"})
    assert status == 200 and b"sd:Service" in body and b"/graph/registry" in body
    assert headers.get("access-control-allow-origin") == "*"
    status, headers, _ = http(f"{server}/sparql", method="OPTIONS", headers={
        "Origin": "http://example.org", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "Content-Type"})
    assert status == 200 and "POST" in headers.get("access-control-allow-methods", "")


@pytest.mark.parametrize(("how", "expected"), [
    ("form-update", 403), ("direct-update", 403), ("get-update", 403), ("query-insert", 403),
])
def test_updates_are_refused(server: str, how: str, expected: int) -> None:
    update = "INSERT DATA { <http://a> <http://b> <http://c> }"
    if how == "form-update":
        r = http(f"{server}/sparql", urllib.parse.urlencode({"update": update}).encode(),
                 {"Content-Type": "application/x-www-form-urlencoded"})
    elif how == "direct-update":
        r = http(f"{server}/sparql", update.encode(), {"Content-Type": "application/sparql-update"})
    elif how == "get-update":
        r = http(f"{server}/sparql?update={urllib.parse.quote(update)}")
    else:
        r = http(f"{server}/sparql?query={urllib.parse.quote(update)}")
    status, _, body = r
    assert status == expected and b"read-only" in body
    status, _, body = http(f"{server}/sparql?query={urllib.parse.quote('ASK { <http://a> <http://b> <http://c> }')}",
                           headers={"Accept": "application/sparql-results+json"})
    assert json.loads(body)["boolean"] is False


def test_outbound_requests_are_refused(server: str) -> None:
    service = "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
    status, _, body = http(f"{server}/sparql?query={urllib.parse.quote(service)}")
    assert status == 403 and b"no outbound requests" in body
    remote_from = "SELECT * FROM <http://example.org/data.ttl> WHERE { ?s ?p ?o }"
    status, _, body = http(f"{server}/sparql?query={urllib.parse.quote(remote_from)}")
    assert status == 403 and b"FROM <http://example.org/data.ttl> is refused" in body
    status, _, body = http(f"{server}/sparql?query={urllib.parse.quote('ASK {?s ?p ?o}')}"
                           f"&default-graph-uri={urllib.parse.quote('http://example.org/g')}")
    assert status == 403
    local_from = "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/mclinks/graph/registry> WHERE { ?s ?p ?o }"
    status, _, body = http(f"{server}/sparql?query={urllib.parse.quote(local_from)}",
                           headers={"Accept": "application/sparql-results+json"})
    assert status == 200 and int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) > 1000


def test_malformed_query_gets_parser_message(server: str) -> None:
    status, _, body = http(f"{server}/sparql?query={urllib.parse.quote('SELECT * WHERE { ?s ?p }')}")
    assert status == 400 and b"error at 1:" in body


def test_time_limit_really_stops_the_query(server: str) -> None:
    started = time.monotonic()
    status, _, body = http(f"{server}/sparql?query={urllib.parse.quote(ENDLESS)}")
    assert status == 504 and b"time limit" in body
    assert time.monotonic() - started < 25  # it came back instead of hanging
    # the worker was replaced: the endpoint still answers
    status, _, body = http(f"{server}/sparql?query={urllib.parse.quote('ASK {?s ?p ?o}')}",
                           headers={"Accept": "application/sparql-results+json"})
    assert status == 200 and json.loads(body)["boolean"] is True


def test_row_cap_is_signalled(server: str) -> None:
    status, headers, body = http(f"{server}/sparql?query={urllib.parse.quote('SELECT * WHERE { ?s ?p ?o }')}",
                                 headers={"Accept": "application/sparql-results+json"})
    assert status == 200 and headers["x-result-truncated"] == "25"
    assert len(json.loads(body)["results"]["bindings"]) == 25
    status, headers, body = http(f"{server}/sparql?query={urllib.parse.quote('SELECT * WHERE { ?s ?p ?o } LIMIT 3')}",
                                 headers={"Accept": "application/sparql-results+json"})
    assert "x-result-truncated" not in headers and len(json.loads(body)["results"]["bindings"]) == 3


def test_request_size_limit(server: str) -> None:
    big = "ASK { ?s ?p ?o } #" + "x" * 5000
    status, _, body = http(f"{server}/sparql", big.encode(), {"Content-Type": "application/sparql-query"})
    assert status == 413 and b"4096" in body


def test_concurrent_requests_run_in_parallel(server: str) -> None:
    """A fast query finishes while a slow one is still running on the other worker."""
    done: list[str] = []

    def slow() -> None:
        http(f"{server}/sparql?query={urllib.parse.quote(ENDLESS)}")
        done.append("slow")

    t = threading.Thread(target=slow)
    t.start()
    time.sleep(0.3)
    status, _, _ = http(f"{server}/sparql?query={urllib.parse.quote('ASK {?s ?p ?o}')}")
    done.append("fast")
    t.join()
    assert status == 200 and done == ["fast", "slow"]


def test_identifiers_dereference(server: str) -> None:
    status, headers, _ = http(f"{server}/id/decision/MC-1-21", headers={"Accept": "text/turtle"})
    assert status == 303 and headers["location"] == "/doc/decision/MC-1-21"
    status, headers, body = http(f"{server}/doc/decision/MC-1-21", headers={"Accept": "text/turtle"})
    assert status == 200 and headers["content-type"].startswith("text/turtle") and b"mcl:symbol" in body
    assert headers["content-location"] == "/doc/decision/MC-1-21.ttl"
    for suffix, media in ((".nt", "application/n-triples"), (".jsonld", "application/ld+json"), (".ttl", "text/turtle")):
        status, headers, body = http(f"{server}/doc/decision/MC-1-21{suffix}")
        assert status == 200 and headers["content-type"].startswith(media), suffix
    status, headers, body = http(f"{server}/doc/decision/MC-1-21/data.jsonld")
    assert status == 200 and headers["content-type"].startswith("application/ld+json") and b"MC-1/21" in body
    status, headers, body = http(f"{server}/doc/decision/MC-1-21", headers={"Accept": "text/html"})
    assert status == 200 and b"Paragraphs" in body and b"UNEA-1/5" in body
    status, _, body = http(f"{server}/doc/article/minamata/14/2")
    assert status == 200 and b'id="cited-by"' in body and b"Decision MC-1/21" in body
    assert http(f"{server}/doc/decision/MC-99-1")[0] == 404


def test_pages_and_dumps(server: str) -> None:
    for path, needle in (("/", b"MC-1/21"), ("/query", b"brs-answers"), ("/ontology", b"mcl:Decision"),
                         ("/doc/meeting/MC-COP-1", b"adopted"), ("/doc/body/minamata-secretariat", b"Secretariat"),
                         ("/dump/void.ttl", b"void:triples")):
        status, _, body = http(f"{server}{path}", headers={"Accept": "text/html"})
        assert status == 200 and needle in body, path
    assert http(f"{server}/dump/../../etc/passwd")[0] == 404


def test_bounded_load_has_no_errors(server: str) -> None:
    """Loopback only: 4 clients, 300 requests, 60 s at most."""
    q = urllib.parse.quote(f'SELECT ?s WHERE {{ ?s <{MCL}symbol> "MC-1/21" }}')
    urls = [f"{server}/sparql?query={q}", f"{server}/doc/decision/MC-1-21", f"{server}/id/meeting/MC-COP-2"] * 100
    deadline = time.monotonic() + 60
    errors = []

    def fetch(url: str) -> None:
        if time.monotonic() > deadline:
            errors.append("deadline")
            return
        status = http(url, headers={"Accept": "application/sparql-results+json, text/html;q=0.9"})[0]
        if status not in (200, 303):
            errors.append(f"{status} {url}")

    with cf.ThreadPoolExecutor(4) as pool:
        list(pool.map(fetch, urls))
    assert errors == []


def test_concurrent_long_answers_regression(server: str) -> None:
    """Regression: an answer that reached the server in pieces failed with EAGAIN (504) under
    concurrent load, because the event loop had made the worker pipe non-blocking."""
    statuses: list[int] = []

    def fetch(n: int) -> None:  # a distinct comment per request, so no answer comes from the cache
        # two long literals a row: an answer over 16 KiB, which the pipe carries in two writes
        q = urllib.parse.quote("PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> SELECT ?v ?w WHERE { "
                               f"?p rdf:value ?v . ?q rdf:value ?w FILTER (STRLEN(?v) > 400 && STRLEN(?w) > 400) }} # {n}")
        statuses.append(http(f"{server}/sparql?query={q}", headers={"Accept": "application/sparql-results+xml"})[0])

    with cf.ThreadPoolExecutor(4) as pool:
        list(pool.map(fetch, range(120)))
    assert statuses.count(200) == 120


def test_port_in_use_is_a_clear_error(built_root) -> None:
    import socket

    from click.testing import CliRunner

    from mclinks.cli import main

    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--root", str(built_root), "--port", str(port)])
    assert result.exit_code == 1 and f"cannot listen on 127.0.0.1:{port}" in result.output


def _n(server: str, query: str, params: str = "") -> int:
    status, _, body = http(f"{server}/sparql?query={urllib.parse.quote(query)}{params}",
                           headers={"Accept": "application/sparql-results+json"})
    assert status == 200, body
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def test_the_default_graph_is_the_union_as_a_set_and_named_graphs_stay_visible(server: str) -> None:
    """Queries on the default graph read the union in memory (each triple once, however many
    sources restate it); GRAPH, FROM and the graph parameters read the quads (the on-disk store)."""
    union = _n(server, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")
    quads = _n(server, "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }")
    distinct = _n(server, "SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o { GRAPH ?g { ?s ?p ?o } } }")
    assert union == distinct < quads
    registry = "https://w3id.org/mclinks/graph/registry"
    in_registry = _n(server, f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{registry}> {{ ?s ?p ?o }} }}")
    assert 0 < in_registry < union
    assert _n(server, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }",
              f"&default-graph-uri={urllib.parse.quote(registry)}") == in_registry
    assert _n(server, "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }",
              f"&named-graph-uri={urllib.parse.quote(registry)}") == in_registry
