"""What the endpoint refuses, decided on the query's skeleton."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mclinks.web.query_shape import ShapeReader, shape_of
from mclinks.web.safety import check_query, refusal_for

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


@pytest.mark.parametrize("first, second", [
    ('SELECT * WHERE { ?s ?p "a" }', 'SELECT * WHERE { ?s ?p "a} INSERT {" }'),
    ("SELECT * WHERE { ?s <http://x/a> ?o }", "SELECT * WHERE { ?s <http://x/b#{> ?o }"),
    ("ASK { ?s ?p ?o } # x", "ASK { ?s ?p ?o } # SERVICE { LIMIT 3"),
    ("SELECT * { ?s ?p ?o } LIMIT 5", "SELECT * { ?s ?p ?o } LIMIT 50000"),
])
def test_a_kept_shape_is_the_shape_of_the_query(first: str, second: str) -> None:
    reader = ShapeReader("http://endpoint/sparql")
    assert reader.shape(first) == shape_of(first, "http://endpoint/sparql")
    assert reader.shape(second) == shape_of(second, "http://endpoint/sparql")


def test_a_shape_with_from_is_never_reused() -> None:
    """FROM <known> and FROM <unknown> have one skeleton: the second must still be refused."""
    reader = ShapeReader()
    known = "SELECT * FROM <https://w3id.org/mclinks/graph/registry> WHERE { ?s ?p ?o }"
    assert refusal_for(reader.shape(known), GRAPHS) is None
    assert refusal_for(reader.shape(known.replace("graph/registry", "elsewhere")), GRAPHS) is not None


@pytest.mark.parametrize(("query", "named"), [
    ("SELECT * { GRAPH ?g { ?s ?p ?o } }", True),
    ("select * { graph <http://x/g> { ?s ?p ?o } }", True),
    ("SELECT * FROM <http://x/g> { ?s ?p ?o }", True),
    ("SELECT * FROM NAMED <http://x/g> { ?s ?p ?o }", True),
    ('SELECT * { ?s ?p "GRAPH" } # GRAPH ?g', False),
    ("PREFIX graph: <http://x/> SELECT * { ?s graph:GRAPH <http://x/GRAPH> }", False),
    ("SELECT ?graph { ?graph ?p ?o }", False),
])
def test_a_query_sees_named_graphs_only_through_graph_or_from(query: str, named: bool) -> None:
    """The queries that need the quads (GRAPH, FROM, FROM NAMED): not a string, an IRI, a prefix
    or a variable that happens to say "graph"."""
    assert shape_of(query).sees_named_graphs is named


@given(st.text(alphabet='#"\'<>\\\n {}?sx:./', max_size=60))
def test_the_skeletons_lookahead_masks_as_the_plain_alternation(text: str) -> None:
    """The lookahead only lets the engine skip positions; it must mask exactly what the plain
    alternation of comment, string and IRI masks."""
    import re

    from mclinks.web.query_shape import _MASKS, _OPAQUE_KINDS, skeleton

    plain = re.compile(_OPAQUE_KINDS, re.X | re.S)
    assert skeleton(text) == plain.sub(lambda m: _MASKS[m.lastgroup or "comment"], text)
