"""The graph stage's N-Quads writer: what it writes parses to the terms it was given."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, parse, serialize

from mclinks.graph.nquads import GraphWriter, integer, iri, literal


@settings(max_examples=300, deadline=None)
@given(st.text(), st.sampled_from([None, "en", "fr", "es-419"]))
def test_a_written_literal_parses_back_to_the_same_literal(value: str, lang: str | None) -> None:
    """Any text (quotes, backslashes, line breaks, controls, any script) survives the writer."""
    value = value.encode("utf-8", "replace").decode("utf-8")  # a str holding a lone surrogate is no text
    w = GraphWriter("https://example.org/g")
    w.add(iri("https://example.org/s"), iri("https://example.org/p"), literal(value, lang))
    (quad,) = parse(w.data(), format=RdfFormat.N_QUADS)
    assert quad.object == (Literal(value, language=lang) if lang else Literal(value))


def test_the_writer_writes_what_pyoxigraph_serialises() -> None:
    g = NamedNode("https://example.org/g")
    quads = [Quad(NamedNode("https://example.org/s"), NamedNode("https://example.org/p"), Literal(v, language="fr"), g)
             for v in ('a "quoted" \\ word', "line\nbreak\r", "Décision « MC-1/21 »", "")]
    w = GraphWriter(g.value)
    for q in quads:
        w.add(str(q.subject), str(q.predicate), literal(q.object.value, "fr"))
    assert set(parse(w.data(), format=RdfFormat.N_QUADS)) == set(quads)
    assert set(parse(serialize(quads, format=RdfFormat.N_QUADS), format=RdfFormat.N_QUADS)) == set(quads)


def test_an_integer_is_typed() -> None:
    w = GraphWriter("https://example.org/g")
    w.add(iri("https://example.org/s"), iri("https://example.org/p"), integer(-12))
    (quad,) = parse(w.data(), format=RdfFormat.N_QUADS)
    assert quad.object == Literal("-12", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
