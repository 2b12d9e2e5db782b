"""Where queries run: the embedded store, or any SPARQL 1.1 endpoint through
SPARQLWrapper. Both return rows of plain strings, so answers compare equal.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from pyoxigraph import BlankNode, Literal, NamedNode, QueryBoolean, QuerySolutions, Store

from mclinks.errors import EndpointError

Row = dict[str, str | None]


class Endpoint(Protocol):
    """A place that answers SPARQL SELECT and ASK queries."""

    def select(self, query: str) -> tuple[list[str], list[Row]]: ...
    def ask(self, query: str) -> bool: ...


def _plain(term: object) -> str | None:
    if term is None:
        return None
    if isinstance(term, (NamedNode, Literal, BlankNode)):
        return term.value
    return str(term)


@dataclass
class EmbeddedEndpoint:
    """The pyoxigraph store; the default graph is the union of the named graphs."""

    store: Store
    timeout_s: float | None = None

    def select(self, query: str) -> tuple[list[str], list[Row]]:
        result = self.store.query(query, use_default_graph_as_union=True)
        if not isinstance(result, QuerySolutions):
            raise EndpointError("expected a SELECT query")
        names = [v.value for v in result.variables]
        return names, [{n: _plain(row[n]) for n in names} for row in result]

    def ask(self, query: str) -> bool:
        result = self.store.query(query, use_default_graph_as_union=True)
        if not isinstance(result, QueryBoolean):
            raise EndpointError("expected an ASK query")
        return bool(result)


@dataclass
class RemoteEndpoint:
    """A SPARQL 1.1 query endpoint (Oxigraph, Fuseki, Virtuoso, GraphDB…) via SPARQLWrapper."""

    url: str
    timeout_s: float = 60.0

    def _run(self, query: str) -> dict:
        from SPARQLWrapper import JSON, POST, SPARQLWrapper
        from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

        client = SPARQLWrapper(self.url)
        client.setQuery(query)
        client.setMethod(POST)
        client.setReturnFormat(JSON)
        client.setTimeout(int(self.timeout_s))
        try:
            return client.queryAndConvert()  # type: ignore[return-value]
        except (SPARQLWrapperException, OSError) as e:
            raise EndpointError(f"{self.url}: {e}") from None

    def select(self, query: str) -> tuple[list[str], list[Row]]:
        data = self._run(query)
        names = list(data["head"].get("vars", []))
        rows = [{n: (b[n]["value"] if n in b else None) for n in names} for b in data["results"]["bindings"]]
        return names, rows

    def ask(self, query: str) -> bool:
        return bool(self._run(query).get("boolean"))
