"""What the endpoint refuses, decided on the query's skeleton."""
from __future__ import annotations

import pytest

from mclinks.web.safety import check_query

GRAPHS = {"https://w3id.org/mclinks/graph/registry"}


@pytest.mark.parametrize("query", [
    "INSERT DATA { <a> <b> <c> }",
    "PREFIX x: <http://x/> DELETE WHERE { ?s ?p ?o }",
    "LOAD <http://example.org/data.ttl>",
    "select * where { service <http://x/sparql> { ?s ?p ?o } }",
    "SELECT * FROM <http://example.org/remote.ttl> WHERE { ?s ?p ?o }",
    "SELECT * FROM NAMED <http://example.org/g> WHERE { GRAPH ?g { ?s ?p ?o } }",
])
def test_refused(query: str) -> None:
    assert check_query(query, GRAPHS) is not None


@pytest.mark.parametrize("query", [
    'SELECT ?s WHERE { ?s ?p "DELETE me, INSERT that, SERVICE <x>" }',
    "SELECT ?s WHERE { ?s <http://x/insert> ?o } # LOAD <http://x>",
    "SELECT ?from ?to ?add ?load ?service WHERE { ?from <http://x/p> ?to }",  # regression: variables named like keywords
    "PREFIX ex: <http://x/> SELECT * WHERE { ?s ex:add ?o ; ex:from ?f }",
    "SELECT * FROM <https://w3id.org/mclinks/graph/registry> WHERE { ?s ?p ?o }",
])
def test_allowed(query: str) -> None:
    assert check_query(query, GRAPHS) is None
