"""`mclinks serve`: a read-only SPARQL 1.1 endpoint and linked-data pages over
the current release, safe by default (see README, "Serving").

One router: ``/sparql`` (protocol), ``/id/…`` (303 to ``/doc/…``), ``/doc/…``
(HTML or RDF by Accept or suffix), ``/``, ``/query``, ``/ontology``, ``/dump/…``.
Queries run in worker processes (``workers.WorkerPool``) so that the time limit
really stops them; pages are rendered in the server process from the same
read-only store.
"""
from __future__ import annotations

import contextlib
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs

from pyoxigraph import RdfFormat, Store, serialize
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from .formats import BY_MEDIA_TYPE, GRAPH_FORMATS
from .negotiation import choose
from .pages import Linker, PageMaker, lineage_svg_for
from .queries import canned_queries
from .results import MEDIA_TYPES
from .safety import check_graph_uris, check_query, skeleton
from .store import graph_names
from .vocab import PREFIXES
from .workers import Job, WorkerPool

GRAPH_TYPES = {f.media_type: f.name for f in GRAPH_FORMATS}
RESULT_TYPES = {v: k for k, v in MEDIA_TYPES.items()} | {"application/json": "json", "application/xml": "xml"}
SUFFIXES = {f.suffix: f.media_type for f in GRAPH_FORMATS} | {".html": "text/html"}
_FORM_RE = re.compile(r"(?<![?$\w:-])(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.I)


@dataclass(frozen=True)
class ServeSettings:
    release: Path
    base: str
    queries_dir: Path
    ontology_file: Path
    workers: int = 2
    timeout_s: float = 10.0
    row_cap: int = 10_000
    max_request_bytes: int = 64 * 1024
    cache_entries: int = 1024  # responses kept: a release never changes, so an answer stays true
    in_memory: bool = True  # workers load the dump into memory; False: they share the on-disk store


def _text(status: int, message: str, headers: dict[str, str] | None = None) -> PlainTextResponse:
    return PlainTextResponse(message + "\n", status_code=status, headers=headers)


class App:
    """The endpoint's state: the pool, the page maker and a page cache."""

    def __init__(self, cfg: ServeSettings) -> None:
        self.cfg = cfg
        self.store = Store.read_only(str(cfg.release / "store"))
        self.graphs = {g.value for g in graph_names(self.store)}
        self.pool = WorkerPool(cfg.release / ("mclinks.nq.gz" if cfg.in_memory else "store"), cfg.workers)
        self.queries = canned_queries(cfg.queries_dir)
        self.pages = PageMaker(self.store, cfg.base, Linker(cfg.base), self.queries)
        self._cache: dict[str, str] = {}
        self._lock = threading.Lock()
        self._triples: int | None = None  # counted once: a release never changes
        self._answers: OrderedDict[tuple[object, ...], tuple[bytes, dict[str, str], str]] = OrderedDict()

    def close(self) -> None:
        self.pool.close()

    # ---- SPARQL protocol -------------------------------------------------
    async def sparql(self, request: Request) -> Response:
        query, defaults, named, refusal = await self._read_protocol(request)
        if refusal is not None:
            return refusal
        if query is None:
            return self._service_description(request)
        if len(query.encode("utf-8")) > self.cfg.max_request_bytes:
            return _text(413, f"query too large: the limit is {self.cfg.max_request_bytes} bytes")
        # A cached answer was checked when it was made: look it up first.
        key = (query, request.headers.get("accept"), tuple(defaults), tuple(named))
        with self._lock:
            hit = self._answers.get(key)
            if hit is not None:
                self._answers.move_to_end(key)
        if hit is not None:
            return Response(hit[0], 200, headers=hit[1], media_type=hit[2])
        refused = check_query(query, self.graphs) or check_graph_uris(defaults + named, self.graphs)
        if refused:
            return _text(refused.status, refused.message)
        form = _FORM_RE.search(skeleton(query))
        graph_form = bool(form and form.group(1).upper() in ("CONSTRUCT", "DESCRIBE"))
        offered = list(GRAPH_TYPES) if graph_form else list(MEDIA_TYPES.values()) + ["application/json", "application/xml"]
        media = choose(request.headers.get("accept"), offered)
        if media is None:
            return _text(406, f"none of the offered types is acceptable: {', '.join(offered)}")
        job = Job(query, RESULT_TYPES.get(media, "json"), GRAPH_TYPES.get(media, "turtle"), self.cfg.row_cap,
                  tuple(defaults), tuple(named))
        answer = await self.pool.run(job, self.cfg.timeout_s)
        if answer.status != 200:
            return _text(answer.status, answer.message)
        headers = {"Vary": "Accept"}
        if answer.truncated:
            headers["X-Result-Truncated"] = str(self.cfg.row_cap)
            headers["Warning"] = f'199 mclinks "result cut at the row cap of {self.cfg.row_cap}; add LIMIT/OFFSET to page"'
        content_type = media + ("; charset=utf-8" if media.startswith("text/") or "json" in media else "")
        if self.cfg.cache_entries and len(answer.body) <= 1 << 20:
            with self._lock:
                self._answers[key] = (answer.body, headers, content_type)
                while len(self._answers) > self.cfg.cache_entries:
                    self._answers.popitem(last=False)
        return Response(answer.body, 200, headers=headers, media_type=content_type)

    async def _read_protocol(self, request: Request) -> tuple[str | None, list[str], list[str], Response | None]:
        length = int(request.headers.get("content-length") or 0)
        if length > self.cfg.max_request_bytes:
            return None, [], [], _text(413, f"request too large: the limit is {self.cfg.max_request_bytes} bytes")
        params = {k: list(v) for k, v in parse_qs(request.url.query, keep_blank_values=True).items()}
        query: str | None = None
        if request.method == "POST":
            body = b""
            async for chunk in request.stream():
                body += chunk
                if len(body) > self.cfg.max_request_bytes:
                    return None, [], [], _text(413, f"request too large: the limit is {self.cfg.max_request_bytes} bytes")
            ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if ctype == "application/sparql-update":
                return None, [], [], _text(403, "this endpoint is read-only: SPARQL Update is refused")
            if ctype == "application/sparql-query":
                query = body.decode("utf-8", "replace")
            elif ctype == "application/x-www-form-urlencoded":
                form = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
                if "update" in form:
                    return None, [], [], _text(403, "this endpoint is read-only: SPARQL Update is refused")
                for k, v in form.items():
                    params.setdefault(k, []).extend(v)
            else:
                return None, [], [], _text(415, "POST needs Content-Type application/sparql-query or "
                                                "application/x-www-form-urlencoded")
        if "update" in params:
            return None, [], [], _text(403, "this endpoint is read-only: SPARQL Update is refused")
        if query is None and params.get("query"):
            if len(params["query"]) > 1:
                return None, [], [], _text(400, "more than one 'query' parameter")
            query = params["query"][0]
        return query, params.get("default-graph-uri", []), params.get("named-graph-uri", []), None

    def triple_count(self) -> int:
        if self._triples is None:
            self._triples = len({q.triple for q in self.store})
        return self._triples

    def _service_description(self, request: Request) -> Response:
        endpoint = str(request.url.replace(query=""))
        sd = "http://www.w3.org/ns/sparql-service-description#"
        graphs = "\n".join(f"    sd:namedGraph [ sd:name <{g}> ] ;" for g in sorted(self.graphs))
        text = f"""@prefix sd: <{sd}> .
@prefix void: <http://rdfs.org/ns/void#> .
[] a sd:Service ;
  sd:endpoint <{endpoint}> ;
  sd:supportedLanguage sd:SPARQL11Query ;
  sd:feature sd:UnionDefaultGraph ;
  sd:resultFormat <http://www.w3.org/ns/formats/SPARQL_Results_JSON>, <http://www.w3.org/ns/formats/SPARQL_Results_XML>,
    <http://www.w3.org/ns/formats/SPARQL_Results_CSV>, <http://www.w3.org/ns/formats/SPARQL_Results_TSV>,
    <http://www.w3.org/ns/formats/Turtle>, <http://www.w3.org/ns/formats/N-Triples>, <http://www.w3.org/ns/formats/JSON-LD> ;
  sd:defaultDataset [ a sd:Dataset ;
    sd:defaultGraph [ a sd:Graph ; void:triples {self.triple_count()} ] ;
{graphs}
  ] .
"""
        media = choose(request.headers.get("accept"), ["text/turtle", "application/n-triples", "text/html"])
        if media == "text/html":
            return RedirectResponse("/query", status_code=303)
        if media == "application/n-triples":
            from pyoxigraph import parse
            body = serialize([q.triple for q in parse(text.encode(), format=RdfFormat.TURTLE)], format=RdfFormat.N_TRIPLES)
            return Response(body, media_type="application/n-triples")
        return Response(text, media_type="text/turtle; charset=utf-8")

    # ---- linked data -----------------------------------------------------
    async def identifier(self, request: Request) -> Response:
        path = request.path_params["path"]
        return RedirectResponse(f"/doc/{path}", status_code=303, headers={"Vary": "Accept"})

    async def document(self, request: Request) -> Response:
        path = request.path_params["path"]
        media = None
        iri = f"{self.cfg.base}/id/{path}"
        exists = await run_in_threadpool(self.pages.exists, iri)
        if not exists:
            for suffix, mt in SUFFIXES.items():
                if path.endswith(suffix):
                    # "/doc/X.ttl" or, as legislation.gov.uk writes it, "/doc/X/data.ttl"
                    stem = path[: -len(suffix)]
                    stem = stem[: -len("/data")] if stem.endswith("/data") else stem
                    iri, media = f"{self.cfg.base}/id/{stem}", mt
                    exists = await run_in_threadpool(self.pages.exists, iri)
                    break
        if not exists:
            return _text(404, f"nothing is known about {iri}")
        if media is None:
            media = choose(request.headers.get("accept"), ["text/html", *GRAPH_TYPES])
            if media is None:
                return _text(406, "acceptable: text/html, text/turtle, application/n-triples, application/ld+json")
        local = iri[len(self.cfg.base) + len("/id/"):]
        if media == "text/html":
            html = await run_in_threadpool(self._page, iri, local)
            return Response(html, media_type="text/html; charset=utf-8", headers={"Vary": "Accept"})
        triples = await run_in_threadpool(self.pages.describe, iri)
        body = serialize(triples, format=BY_MEDIA_TYPE[media].ox, **({"prefixes": PREFIXES} if media == "text/turtle" else {}))
        ext = next(s for s, m in SUFFIXES.items() if m == media)
        return Response(body, media_type=media, headers={"Vary": "Accept", "Content-Location": f"/doc/{local}{ext}"})

    def _page(self, iri: str, local: str) -> str:
        with self._lock:
            cached = self._cache.get(iri)
        if cached is not None:
            return cached
        svg = None
        if self.pages.is_act(iri) and "lineage-edges" in self.queries:
            svg = lineage_svg_for(self.store, iri, self.cfg.base, self.queries["lineage-edges"])
        links = {name: f"/doc/{local}{ext}" for ext, name in ((".ttl", "Turtle"), (".nt", "N-Triples"), (".jsonld", "JSON-LD"))}
        html = self.pages.render_resource(iri, links, svg)
        with self._lock:
            if len(self._cache) > 5000:
                self._cache.clear()
            self._cache[iri] = html
        return html

    async def index(self, request: Request) -> Response:
        def render() -> str:
            stats = {"triples": self.triple_count(), "graphs": len(self.graphs)}
            return self.pages.render_index(stats)
        if "/" not in self._cache:
            self._cache["/"] = await run_in_threadpool(render)
        return Response(self._cache["/"], media_type="text/html; charset=utf-8")

    async def query_page(self, request: Request) -> Response:
        return Response(self.pages.render_query_page("/sparql"), media_type="text/html; charset=utf-8")

    async def ontology(self, request: Request) -> Response:
        media = choose(request.headers.get("accept"), ["text/html", "text/turtle"])
        if media == "text/turtle" or request.url.path.endswith(".ttl"):
            return FileResponse(self.cfg.ontology_file, media_type="text/turtle")
        html = await run_in_threadpool(self.pages.render_ontology, self.cfg.ontology_file)
        return Response(html, media_type="text/html; charset=utf-8")

    async def dump(self, request: Request) -> Response:
        name = request.path_params["name"]
        allowed = {p.name for p in self.cfg.release.iterdir() if p.is_file() and not p.name.startswith(".")}
        if name not in allowed:
            return _text(404, f"no dump named {name}; available: {', '.join(sorted(allowed))}")
        return FileResponse(self.cfg.release / name)


def create_app(cfg: ServeSettings) -> Starlette:
    state = App(cfg)
    routes = [
        Route("/", state.index),
        Route("/sparql", state.sparql, methods=["GET", "POST"]),
        Route("/query", state.query_page),
        Route("/ontology", state.ontology),
        Route("/ontology.ttl", state.ontology),
        Route("/id/{path:path}", state.identifier),
        Route("/doc/{path:path}", state.document),
        Route("/dump/{name}", state.dump),
    ]
    middleware = [Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST", "OPTIONS"],
                             allow_headers=["Content-Type", "Accept"], expose_headers=["X-Result-Truncated", "Content-Location"])]
    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette):  # type: ignore[no-untyped-def]
        yield
        state.close()

    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.mclinks = state
    return app


def run(cfg: ServeSettings, host: str = "127.0.0.1", port: int = 8080) -> None:
    import uvicorn
    uvicorn.run(create_app(cfg), host=host, port=port, log_level="warning", access_log=False)
