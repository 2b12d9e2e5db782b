"""Scale-out: push the dataset to a triple store through the SPARQL 1.1 Graph
Store Protocol, one named graph per request (provenance kept), replacing
what the store held under the same graph names.

PUT replaces a graph whole, so pushing the same release twice leaves the
store as it was, and pushing again after a partial push finishes the job.
Credentials go to httpx's Basic or Digest authentication; they are never
part of a URL, a message or a report.
"""
from __future__ import annotations

import re
import time
import urllib.parse
from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass, field

import httpx
from pyoxigraph import NamedNode, Store

from mclinks.errors import EndpointError
from mclinks.formats import NTRIPLES
from mclinks.store.local import graph_names

RETRYABLE_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str = field(repr=False)


@dataclass(frozen=True)
class Pushed:
    """What one named graph's upload sent and what the store answered."""

    graph: str
    triples: int
    bytes: int
    status: int | None  # None: no answer (connection failed)
    attempts: int
    seconds: float
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class PushReport:
    """Every graph of the release: sent (ok or failed) or not sent."""

    url: str
    pushed: tuple[Pushed, ...]
    not_sent: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return not self.not_sent and all(p.ok for p in self.pushed)

    def left_behind(self) -> str:
        """In words: what the store holds after a push that stopped part way."""
        done = [p.graph for p in self.pushed if p.ok]
        failed = [p for p in self.pushed if not p.ok]
        lines = [f"partial push to {self.url}: {len(done)} of {len(done) + len(failed) + len(self.not_sent)} "
                 "named graphs hold this release now"]
        for p in failed:
            lines.append(f"  failed after {p.attempts} attempt(s): {p.graph}: {p.error}")
        untouched = [p.graph for p in failed] + list(self.not_sent)
        lines.append(f"  {len(untouched)} graph(s) keep what the store held before (or nothing): "
                     + ", ".join(untouched))
        lines.append("  until `mclinks push` is run again the store may mix two releases; "
                     "each PUT replaces its graph, so running it again is safe")
        return "\n".join(lines)


class ChallengeAuth(httpx.Auth):
    """Answers the server's challenge: Digest when it offers Digest, else Basic.

    The scheme is chosen once, from the first 401, and kept for the requests
    after it; `push` asks with a body-less HEAD first, so no graph is sent
    twice to learn it.
    """

    requires_request_body = True

    def __init__(self, credentials: Credentials) -> None:
        self._credentials = credentials
        self._chosen: httpx.Auth | None = None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._chosen is None:
            response = yield request
            challenge = response.headers.get("www-authenticate", "")
            if response.status_code != 401 or not challenge:
                return
            self._chosen = _auth(self._credentials, "digest" if "digest" in challenge.lower() else "basic")
        yield from self._chosen.auth_flow(request)


def _auth(credentials: Credentials | None, scheme: str) -> httpx.Auth | None:
    if credentials is None:
        return None
    if scheme == "digest":
        return httpx.DigestAuth(credentials.user, credentials.password)
    if scheme == "basic":
        return httpx.BasicAuth(credentials.user, credentials.password)
    return ChallengeAuth(credentials)


def split_credentials(url: str) -> tuple[str, Credentials | None]:
    """``url`` without any ``user:password@``, and those credentials (kept out of every message)."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None:
        return url, None
    host = parts.hostname or ""
    netloc = f"[{host}]" if ":" in host else host
    if parts.port:
        netloc += f":{parts.port}"
    clean = urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    return clean, Credentials(urllib.parse.unquote(parts.username), urllib.parse.unquote(parts.password or ""))


def graph_url(graph_store_url: str, graph: str) -> str:
    """The Graph Store Protocol's indirect identification: ``URL?graph=IRI``."""
    sep = "&" if "?" in graph_store_url else "?"
    return f"{graph_store_url}{sep}graph={urllib.parse.quote(graph, safe='')}"


def push(store: Store, graph_store_url: str, credentials: Credentials | None = None, *, auth_scheme: str = "auto",
         retries: int = 2, retry_wait_s: float = 1.0, timeout_s: float = 300.0,
         graphs: Iterable[NamedNode] | None = None,
         progress: Callable[[Pushed], None] = lambda _p: None) -> PushReport:
    """PUT each named graph of ``store`` to ``graph_store_url?graph=IRI`` as N-Triples.

    A graph whose upload fails with no answer, a time-out or a 5xx is tried
    again, ``retries`` more times at most; any other refusal (400, 401,
    403…) would be refused again, so it is not. The first graph that still
    fails stops the push: the report says which graphs were replaced and
    which were not. Raises EndpointError only when the URL is not HTTP(S).
    """
    if urllib.parse.urlsplit(graph_store_url).scheme not in ("http", "https"):
        raise EndpointError(f"--endpoint {graph_store_url!r} is not an http(s) URL")
    names = list(graphs) if graphs is not None else graph_names(store)
    done: list[Pushed] = []
    with httpx.Client(auth=_auth(credentials, auth_scheme), timeout=timeout_s) as client:
        if credentials is not None and names:
            _learn_challenge(client, graph_url(graph_store_url, names[0].value))
        for i, graph in enumerate(names):
            triples = [q.triple for q in store.quads_for_pattern(None, None, None, graph)]
            body = NTRIPLES.write(triples)
            pushed = _put(client, graph_url(graph_store_url, graph.value), body, graph.value, len(triples),
                          retries, retry_wait_s)
            done.append(pushed)
            progress(pushed)
            if not pushed.ok:
                return PushReport(graph_store_url, tuple(done), tuple(g.value for g in names[i + 1:]))
    return PushReport(graph_store_url, tuple(done), ())


def _learn_challenge(client: httpx.Client, url: str) -> None:
    """A HEAD through the client's auth, so that it meets the server's challenge before any body is sent."""
    try:
        client.head(url)
    except httpx.HTTPError:
        pass  # the PUT that follows meets the same problem and reports it


def _put(client: httpx.Client, url: str, body: bytes, graph: str, triples: int, retries: int,
         retry_wait_s: float) -> Pushed:
    started = time.perf_counter()
    attempts, status, error = 0, None, None
    while attempts <= retries:
        attempts += 1
        try:
            response = client.put(url, content=body, headers={"Content-Type": NTRIPLES.media_type})
        except httpx.HTTPError as e:
            status, error = None, f"no answer ({type(e).__name__}: {e})"
        else:
            status = response.status_code
            if response.is_success:
                return Pushed(graph, triples, len(body), status, attempts, time.perf_counter() - started)
            error = f"HTTP {status} {response.reason_phrase}: {_gist(response.text)}"
            if status == 401:
                error += " (give --user and a password: --password, MCLINKS_PUSH_PASSWORD or a netrc entry)"
            if status not in RETRYABLE_STATUS:
                break
        if attempts <= retries:
            time.sleep(retry_wait_s * attempts)
    return Pushed(graph, triples, len(body), status, attempts, time.perf_counter() - started, error)


def _gist(text: str) -> str:
    """The first words of a server's error page, tags and spacing removed."""
    return " ".join(re.sub(r"<[^>]+>", " ", text).split())[:300]
