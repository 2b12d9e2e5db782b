"""`mclinks serve`: a read-only SPARQL 1.1 endpoint and linked-data pages over
the current release, safe by default (see README, "Serving").

One router: ``/sparql`` (protocol), ``/id/…`` (303 to ``/doc/…``), ``/doc/…``
(HTML or RDF by Accept or suffix), ``/``, ``/query``, ``/ontology``,
``/dump/…``. Every read of the store, page or query, runs in a worker process
(``pool``), under the same time limit, memory budget and network ban.
"""
from __future__ import annotations

import asyncio
import contextlib
import html
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, Store
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import FileResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from mclinks.formats import BY_MEDIA_TYPE, GRAPH_FORMATS, NTRIPLES, TURTLE, for_path
from mclinks.query.canned import canned_queries
from mclinks.release.report import ORIGINALS_DIR
from mclinks.ui import choose_language
from mclinks.web.backend import Backend, BackendSettings, Releases
from mclinks.web.changes_web import changes_endpoint, feed_endpoint
from mclinks.web.form import parse_form
from mclinks.web.linked_data import doc_path, local_id
from mclinks.web.linker import Linker
from mclinks.web.negotiation import choose
from mclinks.web.pages import PageMaker
from mclinks.web.pool import QueueLimits
from mclinks.web.query_page import bound_query_endpoint, render_query_page
from mclinks.web.query_shape import QueryShape, ShapeReader
from mclinks.web.results import MEDIA_TYPES
from mclinks.web.safety import check_graph_uris, refusal_for
from mclinks.web.search_web import search_endpoint
from mclinks.web.workers import Answer, Job, PageJob

log = logging.getLogger("mclinks.serve")
GRAPH_TYPES = {f.media_type: f.name for f in GRAPH_FORMATS}
SELECT_TYPES = {v: k for k, v in MEDIA_TYPES.items()} | {"application/json": "json", "application/xml": "xml"}
ASK_TYPES = {m: f for m, f in SELECT_TYPES.items() if f in ("json", "xml")}  # CSV/TSV define no boolean
SD = "http://www.w3.org/ns/sparql-service-description#"


@dataclass(frozen=True)
class ServeSettings:
    """What ``mclinks serve`` was asked for; the README's "Serving" section explains each limit."""

    current: Path  # dist/current: the link a build swaps
    base: str  # used only for releases without a manifest
    queries_dir: Path
    ontology_file: Path
    workers: int = 2
    timeout_s: float = 10.0
    row_cap: int = 10_000
    max_request_bytes: int = 64 * 1024
    max_response_bytes: int = 16 << 20
    cache_bytes: int = 64 << 20  # answers kept: a release never changes, so an answer stays true
    in_memory: bool = True  # workers load the dump into memory; False: they share the on-disk store
    memory_mb: int = 1024  # what one query may allocate on top of the store
    public_url: str = "http://127.0.0.1:8080"  # how clients reach us; never taken from the Host header
    queue: QueueLimits = field(default_factory=QueueLimits)
    body_timeout_s: float = 10.0  # a request body must arrive within this
    reload_s: float = 1.0  # how often dist/current is looked at; 0: never
    recycle_mb: int = 64  # a worker grown by more than this since it started is replaced after its answer; 0: never


class Refused(Exception):
    """A request answered with an error status before any work."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


def _text(status: int, message: str, headers: dict[str, str] | None = None) -> PlainTextResponse:
    return PlainTextResponse(message + "\n", status_code=status, headers=headers)


def _error(answer: Answer) -> PlainTextResponse:
    headers = {"Retry-After": str(answer.retry_after)} if answer.retry_after else None
    return _text(answer.status, answer.message, headers)


def _charset_ok(content_type: str) -> bool:
    for param in content_type.split(";")[1:]:
        name, _, value = param.strip().partition("=")
        if name.lower() == "charset" and value.strip('"').lower() not in ("utf-8", "utf8", "us-ascii"):
            return False
    return True


@dataclass(frozen=True)
class ProtocolRequest:
    query: str | None
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]


def service_description(endpoint: str, graphs: list[str], triples: int) -> list[Quad]:
    """The SPARQL 1.1 service description, as triples (written once per release)."""
    sd, rdf = (lambda n: NamedNode(SD + n)), NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    service, dataset, default = BlankNode(), BlankNode(), BlankNode()
    out = [(service, rdf, sd("Service")), (service, sd("endpoint"), NamedNode(endpoint)),
           (service, sd("supportedLanguage"), sd("SPARQL11Query")), (service, sd("feature"), sd("UnionDefaultGraph")),
           (service, sd("defaultDataset"), dataset), (dataset, rdf, sd("Dataset")),
           (dataset, sd("defaultGraph"), default), (default, rdf, sd("Graph")),
           (default, NamedNode("http://rdfs.org/ns/void#triples"), Literal(str(triples), datatype=NamedNode(
               "http://www.w3.org/2001/XMLSchema#integer")))]
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                 "Turtle", "N-Triples", "JSON-LD", "RDF_XML"):
        out.append((service, sd("resultFormat"), NamedNode(f"http://www.w3.org/ns/formats/{name}")))
    for g in graphs:
        node = BlankNode()
        out += [(dataset, sd("namedGraph"), node), (node, sd("name"), NamedNode(g))]
    return [Quad(s, p, o) for s, p, o in out]


class App:
    """The endpoint's routes over the release being served."""

    def __init__(self, cfg: ServeSettings) -> None:
        self.cfg = cfg
        self.releases = Releases(cfg.current, BackendSettings(
            cfg.queries_dir, cfg.base, cfg.workers, cfg.in_memory, cfg.memory_mb << 20, cfg.cache_bytes, cfg.queue,
            cfg.recycle_mb << 20),
            cfg.reload_s)
        self.queries = canned_queries(cfg.queries_dir)
        self.endpoint_url = cfg.public_url.rstrip("/") + "/sparql"
        self.shapes = ShapeReader(self.endpoint_url)
        if note := self.backend.pool.network_note:
            log.warning("query workers keep network access: %s; SERVICE is still refused before any query runs", note)

    @property
    def backend(self) -> Backend:
        return self.releases.backend

    def close(self) -> None:
        self.releases.close()

    # ---- SPARQL protocol -------------------------------------------------
    async def sparql(self, request: Request) -> Response:
        backend = self.backend
        raw_key = None
        if request.method == "GET" and backend.cache_enabled:
            # A GET's answer depends on its query string and Accept alone: a repeated request is
            # answered before it is even decoded. Only 200 answers are ever remembered.
            raw_key = ("get", request.scope.get("query_string", b""), request.headers.get("accept"))
            hit = backend.cache.get(raw_key)
            if hit is not None:
                return Response(hit[0], 200, headers=hit[1], media_type=hit[2])
        try:
            proto = await self._read_protocol(request)
        except Refused as r:
            return _text(r.status, r.message, r.headers)
        if proto.query is None:
            return self._service_description(request, backend)
        if len(proto.query.encode("utf-8")) > self.cfg.max_request_bytes:
            return _text(413, f"query too large: the limit is {self.cfg.max_request_bytes} bytes")
        shape = self.shapes.shape(proto.query)
        offered = (list(GRAPH_TYPES) if shape.returns_graph else
                   list(ASK_TYPES) if shape.form == "ASK" else list(SELECT_TYPES))
        media = choose(request.headers.get("accept"), offered)
        vary = {"Vary": "Accept"}
        if media is None:
            return _text(406, f"none of the types offered for this query is acceptable: {', '.join(offered)}", vary)
        key = ("sparql", proto, media)
        hit = backend.cache.get(key)
        if hit is not None:
            return Response(hit[0], 200, headers=hit[1], media_type=hit[2])
        refused = refusal_for(shape, backend.graphs) or check_graph_uris(
            list(proto.default_graphs + proto.named_graphs), backend.graphs)
        if refused:
            return _text(refused.status, refused.message, vary)
        rows_bound, capped = row_bound(proto.query, shape, self.cfg.row_cap)
        job = Job(proto.query, SELECT_TYPES.get(media, "json"), GRAPH_TYPES.get(media, "turtle"), self.cfg.row_cap,
                  proto.default_graphs, proto.named_graphs,
                  query_dataset=bool(shape.datasets) and not (proto.default_graphs or proto.named_graphs),
                  base_iri=self.endpoint_url, max_bytes=self.cfg.max_response_bytes, rows_bound=rows_bound,
                  capped=capped, named=shape.sees_named_graphs or bool(proto.default_graphs or proto.named_graphs))
        answer = await backend.pool.run(job, self.cfg.timeout_s, _client(request))
        if answer.status != 200:
            return _error(answer)
        headers = dict(vary)
        if answer.truncated:
            headers["X-Result-Truncated"] = str(answer.rows)
            why = (f"the row cap of {self.cfg.row_cap}" if answer.cut_by == "rows"
                   else f"the answer size cap of {self.cfg.max_response_bytes} bytes")
            headers["Warning"] = f'199 mclinks "result cut at {why} after {answer.rows} rows; add LIMIT/OFFSET to page"'
        content_type = media + ("; charset=utf-8" if media.startswith("text/") or "json" in media else "")
        backend.remember(raw_key or key, (answer.body, headers, content_type))
        return Response(answer.body, 200, headers=headers, media_type=content_type)

    async def _read_protocol(self, request: Request) -> ProtocolRequest:
        limit = self.cfg.max_request_bytes
        raw_query = request.scope.get("query_string", b"")
        if len(raw_query) > limit:
            raise Refused(414, f"request URI too long: the limit is {limit} bytes; POST the query instead")
        length = request.headers.get("content-length")
        if length and (not length.isdigit() or int(length) > limit):
            raise Refused(413, f"request too large: the limit is {limit} bytes")
        params = parse_form(raw_query)
        query: list[str] = params.get("query", [])
        if request.method == "POST":
            content_type = request.headers.get("content-type", "")
            media = content_type.split(";")[0].strip().lower()
            if not _charset_ok(content_type):
                raise Refused(415, "the request body must be UTF-8 (charset=utf-8)")
            if media == "application/sparql-update":
                raise Refused(403, "this endpoint is read-only: SPARQL Update is refused")
            if media not in ("application/sparql-query", "application/x-www-form-urlencoded"):
                raise Refused(415, "POST needs Content-Type application/sparql-query or application/x-www-form-urlencoded")
            body = await self._read_body(request)
            if media == "application/sparql-query":
                try:
                    query = [body.decode("utf-8")]
                except UnicodeDecodeError as e:
                    raise Refused(400, f"the query is not valid UTF-8 (byte {e.start})") from None
            else:
                form = parse_form(body)
                if "update" in form:
                    raise Refused(403, "this endpoint is read-only: SPARQL Update is refused")
                query = form.get("query", [])
                for name in ("default-graph-uri", "named-graph-uri"):
                    params.setdefault(name, []).extend(form.get(name, []))
                if not query:
                    raise Refused(400, "a form POST needs a 'query' field (SPARQL 1.1 Protocol §2.1.2)")
        if "update" in params:
            raise Refused(403, "this endpoint is read-only: SPARQL Update is refused")
        if len(query) > 1:
            raise Refused(400, "more than one 'query' parameter")
        text = _utf8(query[0]) if query else None
        return ProtocolRequest(text, tuple(map(_utf8, params.get("default-graph-uri", []))),
                               tuple(map(_utf8, params.get("named-graph-uri", []))))

    async def _read_body(self, request: Request) -> bytes:
        limit = self.cfg.max_request_bytes

        async def read() -> bytes:
            body = bytearray()
            async for chunk in request.stream():
                body += chunk
                if len(body) > limit:
                    raise Refused(413, f"request too large: the limit is {limit} bytes")
            return bytes(body)
        try:
            return await asyncio.wait_for(read(), self.cfg.body_timeout_s)
        except asyncio.TimeoutError:
            raise Refused(408, f"the request body did not arrive within {self.cfg.body_timeout_s:g} s") from None
        except ClientDisconnect:
            raise Refused(400, "the client went away before sending the whole request") from None

    def _service_description(self, request: Request, backend: Backend) -> Response:
        media = choose(request.headers.get("accept"), [TURTLE.media_type, NTRIPLES.media_type, "text/html"])
        if media == "text/html":
            return RedirectResponse("/query", status_code=303)
        media = media or TURTLE.media_type
        key = ("sd", media)
        body = backend.cache.get(key)
        if body is None:
            quads = service_description(self.endpoint_url, sorted(backend.graphs), backend.triples)
            body = BY_MEDIA_TYPE[media].write([q.triple for q in quads], {"sd": SD})
            backend.cache[key] = body
        return Response(body, media_type=media, headers={"Vary": "Accept"})

    # ---- linked data -----------------------------------------------------
    async def identifier(self, request: Request) -> Response:
        raw = _raw_tail(request, "/id/")
        if local_id(raw) is None:
            return _text(404, "no such identifier")
        return RedirectResponse(f"/doc/{raw}", status_code=303, headers={"Vary": "Accept"})

    async def document(self, request: Request) -> Response:
        wanted = doc_path(_raw_tail(request, "/doc/"))
        if wanted is None:
            return _text(404, "no such document")
        media = wanted.media or choose(request.headers.get("accept"), ["text/html", *GRAPH_TYPES])
        if media is None:
            return _text(406, f"acceptable: text/html, {', '.join(GRAPH_TYPES)}", {"Vary": "Accept"})
        backend = self.backend
        iri = wanted.iri(backend.base)
        ui = _ui_language(request) if media == "text/html" else "en"
        key = ("doc", iri, media, ui)
        hit = backend.cache.get(key)
        if hit is None:
            answer = await backend.pool.run(PageJob(iri, media, wanted.local, ui), self.cfg.timeout_s, _client(request))
            if answer.status != 200:
                return _error(answer)
            hit = (answer.body,)
            backend.remember(key, hit)
        headers = {"Vary": "Accept, Accept-Language"}
        if media != "text/html":
            ext = next(f.suffix for f in GRAPH_FORMATS if f.media_type == media)
            headers["Content-Location"] = f"/doc/{wanted.local}{ext}"
        return Response(hit[0], media_type=media + ("; charset=utf-8" if media.startswith("text/") else ""),
                        headers=headers)

    async def index(self, request: Request) -> Response:
        backend = self.backend
        ui = _ui_language(request)
        hit = backend.cache.get(("index", ui))
        if hit is None:
            answer = await backend.pool.run(PageJob("", "index", "", ui), self.cfg.timeout_s, _client(request))
            if answer.status != 200:
                return _error(answer)
            hit = (answer.body,)
            backend.remember(("index", ui), hit)
        return Response(hit[0], media_type="text/html; charset=utf-8", headers={"Vary": "Accept-Language"})

    async def query_page(self, request: Request) -> Response:
        html_text = render_query_page(self.queries, "/sparql", self.backend.base)
        return Response(html_text, media_type="text/html; charset=utf-8")

    def _static_pages(self) -> PageMaker:
        """The ontology page reads no store: it is rendered in the server process."""
        return PageMaker(Store(), self.backend.base, Linker(self.backend.base), self.queries)

    async def ontology(self, request: Request) -> Response:
        media = choose(request.headers.get("accept"), ["text/html", TURTLE.media_type])
        if media == TURTLE.media_type or request.url.path.endswith(TURTLE.suffix):
            return FileResponse(self.cfg.ontology_file, media_type=TURTLE.media_type, headers={"Vary": "Accept"})
        backend = self.backend
        page = backend.cache.get(("ontology",))
        if page is None:
            page = await run_in_threadpool(self._static_pages().render_ontology, self.cfg.ontology_file)
            backend.cache[("ontology",)] = page
        return Response(page, media_type="text/html; charset=utf-8", headers={"Vary": "Accept"})

    async def dumps(self, request: Request) -> Response:
        files = self.backend.files
        rows = [(name, path.stat().st_size) for name, path in sorted(files.items())]
        if choose(request.headers.get("accept"), ["text/html", "application/json"]) == "application/json":
            return Response(json.dumps([{"name": n, "bytes": s, "href": f"/dump/{n}"} for n, s in rows]),
                            media_type="application/json", headers={"Vary": "Accept"})
        items = "".join(f'<li><a href="/dump/{quote(n)}">{html.escape(n)}</a> ({s:,} bytes)</li>' for n, s in rows)
        page = (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Dumps</title></head><body>'
                f"<h1>Dumps of this release</h1><ul>{items}</ul></body></html>")
        return Response(page, media_type="text/html; charset=utf-8", headers={"Vary": "Accept"})

    async def original(self, request: Request) -> Response:
        """A source file as it was received (``originals/`` of the release), by its file name."""
        name = request.path_params["name"]
        folder = self.backend.release / ORIGINALS_DIR
        names = {p.name for p in folder.iterdir() if p.is_file()} if folder.is_dir() else set()
        if name not in names:
            return _text(404, f"no original named {name}")
        media = {"pdf": "application/pdf", "txt": "text/plain; charset=utf-8",
                 "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
        return FileResponse(folder / name, media_type=media.get(name.rsplit(".", 1)[-1], "application/octet-stream"),
                            filename=name)

    async def dump(self, request: Request) -> Response:
        name = request.path_params["name"]
        path = self.backend.files.get(name)
        if path is None:
            return _text(404, f"no dump named {name}; see /dump/ for the list")
        return FileResponse(path, media_type=_dump_media_type(name))


def row_bound(query: str, shape: QueryShape, cap: int) -> tuple[str, str | None]:
    """How a SELECT's rows are kept within ``cap`` by the engine itself (see ``Job.rows_bound``):
    its own LIMIT, or ``LIMIT cap+1`` appended (on a line of its own, so a closing comment cannot
    swallow it), so that one row too many says the answer was cut. A query with a larger LIMIT
    or a trailing VALUES clause is left as it is and its rows are counted.

    >>> shape = ShapeReader().shape
    >>> row_bound("SELECT * { ?s ?p ?o } # all", shape("SELECT * { ?s ?p ?o } # all"), 10)
    ('added', 'SELECT * { ?s ?p ?o } # all\\nLIMIT 11\\n')
    >>> row_bound("SELECT * { ?s ?p ?o } LIMIT 5", shape("SELECT * { ?s ?p ?o } LIMIT 5"), 10)
    ('own', None)
    """
    if shape.form != "SELECT" or not shape.balanced:
        return "", None
    if shape.limit is not None:
        return ("own", None) if shape.limit <= cap else ("", None)
    if shape.trailing_values:
        return "", None
    return "added", f"{query}\nLIMIT {cap + 1}\n"


def _dump_media_type(name: str) -> str:
    if name.endswith(".gz"):
        return "application/gzip"  # a gzip file to download, not a compressed transfer of N-Triples
    try:
        return for_path(name).media_type
    except ValueError:
        return {"json": "application/json", "html": "text/html; charset=utf-8",
                "sqlite": "application/vnd.sqlite3"}.get(name.rsplit(".", 1)[-1], "text/plain; charset=utf-8")


def _utf8(value: str) -> str:
    """A parameter decoded as latin-1 (lossless) read again as UTF-8, as the protocol says it is."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except UnicodeError:
        raise Refused(400, "a parameter is not valid UTF-8 once percent-decoded") from None


def _raw_tail(request: Request, prefix: str) -> str:
    """The request path after ``prefix`` exactly as the client encoded it."""
    raw = request.scope.get("raw_path") or request.url.path.encode()
    text = raw.decode("latin-1").split("?", 1)[0]
    return text[len(prefix):] if text.startswith(prefix) else ""


def _ui_language(request: Request) -> str:
    return choose_language(request.query_params.get("lang"), request.headers.get("accept-language"))


def _client(request: Request) -> str:
    return request.client.host if request.client else ""


def create_app(cfg: ServeSettings) -> Starlette:
    state = App(cfg)
    routes = [
        Route("/", state.index),
        Route("/sparql", state.sparql, methods=["GET", "POST"]),
        Route("/query", state.query_page),
        Route("/query/{name}", bound_query_endpoint(lambda: state.queries, lambda: state.backend.base)),
        Route("/search", search_endpoint(lambda: state.backend, cfg.timeout_s)),
        Route("/changes", changes_endpoint(lambda: cfg.current.parent, lambda: state.backend.release.name)),
        Route("/feed.atom", feed_endpoint(lambda: cfg.current.parent, cfg.public_url)),
        Route("/ontology", state.ontology),
        Route("/ontology.ttl", state.ontology),
        Route("/id/{path:path}", state.identifier),
        Route("/doc/{path:path}", state.document),
        Route("/dump/", state.dumps),
        Route("/dump/{name}", state.dump),
        Route("/original/{name}", state.original),
    ]
    middleware = [Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST", "OPTIONS"],
                             allow_headers=["Content-Type", "Accept"],
                             expose_headers=["X-Result-Truncated", "Content-Location", "Retry-After", "Warning"])]

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette):  # type: ignore[no-untyped-def]
        state.releases.start_watching()
        yield
        state.close()

    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.mclinks = state
    return app


def run(app: Starlette, host: str = "127.0.0.1", port: int = 8080, max_connections: int = 256) -> None:
    import uvicorn
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False,
                timeout_keep_alive=5, limit_concurrency=max_connections, timeout_graceful_shutdown=3)
