"""Scale-out: push the dataset to a triple store through the SPARQL 1.1 Graph
Store Protocol, one named graph per request (provenance kept), replacing
what the store held under the same graph names.
"""
from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from pyoxigraph import RdfFormat, Store, serialize

from .errors import EndpointError
from .store import graph_names


@dataclass(frozen=True)
class Pushed:
    graph: str
    triples: int
    status: int


def push(store: Store, graph_store_url: str, timeout_s: float = 120.0, method: str = "PUT") -> list[Pushed]:
    """PUT each named graph of ``store`` to ``graph_store_url?graph=IRI`` as N-Triples."""
    done = []
    for graph in graph_names(store):
        triples = [q.triple for q in store.quads_for_pattern(None, None, None, graph)]
        body = serialize(triples, format=RdfFormat.N_TRIPLES)
        sep = "&" if "?" in graph_store_url else "?"
        url = f"{graph_store_url}{sep}graph={urllib.parse.quote(graph.value, safe='')}"
        request = urllib.request.Request(url, data=body, method=method,
                                         headers={"Content-Type": "application/n-triples"})
        try:
            with urllib.request.urlopen(request, timeout=timeout_s) as response:
                done.append(Pushed(graph.value, len(triples), response.status))
        except urllib.error.HTTPError as e:
            detail = e.read().decode("utf-8", "replace")[:300]
            raise EndpointError(f"{url}: HTTP {e.code} {e.reason}: {detail}") from None
        except (urllib.error.URLError, OSError) as e:
            raise EndpointError(f"{graph_store_url}: {getattr(e, 'reason', e)}") from None
    return done
