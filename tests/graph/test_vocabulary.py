"""The ontology's alignments are true of the data: an OWL 2 RL reasoner (owlrl)
over the ontology, the graph built from data/ and the axioms of PROV-O, ELI,
DCTERMS and ORG that we use (tests/vocab/external-axioms.ttl, restated from
the specifications) finds no inconsistency and none of the wrong inferences
the first alignments made."""
from __future__ import annotations

from pathlib import Path

import owlrl
import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, XSD

from mclinks.store.local import to_rdflib, union_triples

AXIOMS = Path(__file__).resolve().parents[1] / "vocab" / "external-axioms.ttl"
# owlrl reports each inconsistency it meets as a node of this class with a message.
OWLRL_ERRORS = rdflib.Namespace("http://www.daml.org/2002/03/agents/agent-ont#")
MCL = rdflib.Namespace("https://w3id.org/mclinks/ontology#")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
ELI = rdflib.Namespace("http://data.europa.eu/eli/ontology#")
DCTERMS = rdflib.Namespace("http://purl.org/dc/terms/")
RESERVED = (str(RDF), str(RDFS), str(OWL))


@pytest.fixture(scope="module")
def closure(built) -> rdflib.Graph:
    g = to_rdflib(union_triples(built.store))  # data and ontology (its own named graph)
    g.parse(AXIOMS, format="turtle")
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)
    return g


def _instances(g: rdflib.Graph, cls: rdflib.URIRef) -> set[rdflib.term.Node]:
    return set(g.subjects(RDF.type, cls))


def test_owl_rl_finds_no_inconsistency(closure: rdflib.Graph) -> None:
    errors = sorted(str(m) for m in closure.objects(None, OWLRL_ERRORS.error))
    assert errors == [], "\n".join(errors[:10])


def test_reasoner_reports_inconsistency_it_is_given(built) -> None:
    """The check above can fail: a meeting also typed a prov:Entity is reported."""
    g = to_rdflib(union_triples(built.store))
    g.parse(AXIOMS, format="turtle")
    meeting = next(iter(_instances(g, MCL.Meeting)))
    g.add((meeting, RDF.type, PROV.Entity))
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)
    assert any(str(meeting) in str(m) for m in g.objects(None, OWLRL_ERRORS.error))


def test_meeting_is_not_a_prov_entity_regression(closure: rdflib.Graph) -> None:
    """mcl:target was a subproperty of prov:entity, so cited meetings became entities."""
    meetings = _instances(closure, MCL.Meeting)
    assert meetings and meetings <= _instances(closure, PROV.Activity)
    assert not meetings & _instances(closure, PROV.Entity)


def test_meetings_and_bodies_are_not_legal_resources_regression(closure: rdflib.Graph) -> None:
    """underInstrument (eli:based_on) and partOf (eli:is_part_of) made meetings, bodies and offices ELI legal resources."""
    legal = _instances(closure, ELI.LegalResource)
    for cls in (MCL.Meeting, MCL.Body, MCL.Office):
        members = _instances(closure, cls)
        assert members, cls
        assert not members & legal, (cls, sorted(members & legal)[:3])
    assert _instances(closure, MCL.Article) <= legal  # the true ELI alignment is kept


def test_acts_are_not_prov_agents_regression(closure: rdflib.Graph) -> None:
    """citingAct (prov:agent) and givenBy (prov:wasAttributedTo) made every act a prov:Agent."""
    acts = _instances(closure, MCL.Act)
    assert acts and not acts & _instances(closure, PROV.Agent)
    assert _instances(closure, MCL.Body) <= _instances(closure, PROV.Agent)  # bodies are the agents


def _is_datatype(g: rdflib.Graph, cls: rdflib.term.Node) -> bool:
    return (cls == RDFS.Literal or str(cls).startswith(str(XSD)) or cls == RDF.langString
            or (cls, RDF.type, RDFS.Datatype) in g)


def test_no_literal_where_a_resource_is_expected_regression(closure: rdflib.Graph) -> None:
    """dcterms:language "fr", mcl:place (a dcterms:spatial) and prov:wasDerivedFrom "…" were literals
    where the vocabulary expects a resource: no literal is the value of an object property or of a
    property whose range is a class of resources, after reasoning (so through subproperties too)."""
    object_properties = set(closure.subjects(RDF.type, OWL.ObjectProperty))
    resource_ranges = {p for p, c in closure.subject_objects(RDFS.range) if not _is_datatype(closure, c)}
    wrong = sorted({(str(p), str(o)) for s, p, o in closure
                    if isinstance(o, rdflib.Literal) and not str(p).startswith(RESERVED)
                    and (p in object_properties or p in resource_ranges)})
    assert wrong == [], wrong[:10]
    for prop in (DCTERMS.language, PROV.wasDerivedFrom):
        values = set(closure.objects(None, prop))
        assert values and all(isinstance(v, rdflib.URIRef) for v in values), prop
    assert not set(closure.objects(None, DCTERMS.spatial))


def test_text_derives_from_its_web_address_or_a_described_origin() -> None:
    from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, parse

    from mclinks.graph.assemble import _origin
    from mclinks.graph.nquads import GraphWriter
    from mclinks.vocab import PROV, RDFS, A, language

    def written(source: str) -> set[Triple]:
        w = GraphWriter("https://example.org/g")
        _origin(w.add, expr.value, source)
        return {q.triple for q in parse(w.data(), format=RdfFormat.N_QUADS)}

    expr = NamedNode("https://w3id.org/mclinks/id/decision/MC-1-21/fr")
    assert written("https://www.mercuryconvention.org/en/documents/x.pdf") == {
        Triple(expr, PROV.wasDerivedFrom, NamedNode("https://www.mercuryconvention.org/en/documents/x.pdf"))}
    origin = NamedNode(f"{expr.value}/origin")
    assert written("seed document 000.txt (OCR text)") == {
        Triple(expr, PROV.wasDerivedFrom, origin), Triple(origin, A, PROV.Entity),
        Triple(origin, RDFS.label, Literal("seed document 000.txt (OCR text)"))}
    assert language("fr").value == "http://id.loc.gov/vocabulary/iso639-1/fr"
    assert language("fre").value == "http://id.loc.gov/vocabulary/iso639-2/fre"
