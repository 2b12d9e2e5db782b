"""Namespaces and term helpers, over pyoxigraph terms (the embedded engine)."""
from __future__ import annotations

from pyoxigraph import Literal, NamedNode

from mclinks.identifiers import ONTOLOGY_NS

XSD = "http://www.w3.org/2001/XMLSchema#"
LANGUAGES = "http://id.loc.gov/vocabulary/"  # Library of Congress: iso639-1/fr, iso639-2/fre
PREFIXES: dict[str, str] = {
    "mcl": ONTOLOGY_NS,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": XSD,
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "eli": "http://data.europa.eu/eli/ontology#",
    "void": "http://rdfs.org/ns/void#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "sh": "http://www.w3.org/ns/shacl#",
}


class Namespace:
    """``MCL.Decision`` → NamedNode of ``mcl:Decision``; a term asked for as an attribute is
    kept as one, so that the next lookup is a plain one (the registry asks for the same few
    terms for every triple it mints; a term never changes, so the attribute cannot go stale)."""

    def __init__(self, uri: str) -> None:
        self.uri = uri
        self._cache: dict[str, NamedNode] = {}

    def __getattr__(self, name: str) -> NamedNode:
        if name.startswith("__"):
            raise AttributeError(name)
        node = self[name]
        setattr(self, name, node)  # only reached for a name that is not an attribute yet
        return node

    def __getitem__(self, name: str) -> NamedNode:
        node = self._cache.get(name)
        if node is None:
            node = self._cache[name] = NamedNode(self.uri + name)
        return node


MCL = Namespace(PREFIXES["mcl"])
RDF = Namespace(PREFIXES["rdf"])
RDFS = Namespace(PREFIXES["rdfs"])
SKOS = Namespace(PREFIXES["skos"])
DCTERMS = Namespace(PREFIXES["dcterms"])
PROV = Namespace(PREFIXES["prov"])
VOID = Namespace(PREFIXES["void"])
DCAT = Namespace(PREFIXES["dcat"])
FOAF = Namespace(PREFIXES["foaf"])
A = RDF.type

# The classes whose instances are acts (a text that decides, resolves or notes): pages show
# their lineage, the publication log counts them.
ACT_CLASSES = frozenset(MCL[t] for t in ("Decision", "Resolution", "DraftDecision", "Note", "Document",
                                         "UnnumberedDecision"))


def text(value: str, lang: str | None = None) -> Literal:
    return Literal(value, language=lang) if lang else Literal(value)


def integer(value: int) -> Literal:
    return Literal(str(value), datatype=NamedNode(XSD + "integer"))


def date(value: str) -> Literal:
    return Literal(value, datatype=NamedNode(XSD + "date"))


def language(code: str) -> NamedNode:
    """The Library of Congress IRI of an ISO 639 code ('fr' → …/iso639-1/fr, 'fre' →
    …/iso639-2/fre): a dcterms:LinguisticSystem, which dcterms:language expects, not a literal."""
    code = code.lower()
    return NamedNode(f"{LANGUAGES}iso639-{1 if len(code) == 2 else 2}/{code}")


def non_negative(value: int) -> Literal:
    return Literal(str(value), datatype=NamedNode(XSD + "nonNegativeInteger"))


def boolean(value: bool) -> Literal:
    return Literal("true" if value else "false", datatype=NamedNode(XSD + "boolean"))
