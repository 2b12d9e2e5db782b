"""The queries behind a resource's page, one per section, each with ``?this`` (and any
other input) bound by pyoxigraph ``substitutions``: no term is ever written into the text.

What keeps them cheap on a large graph (measured on the 100k synthetic graph):

- Everything a UNION branch needs is matched inside the branch. Patterns after a
  UNION were joined by hash against every paragraph of the store (an act's
  paragraphs: 90 ms; inside the branches: 0.8 ms), so the cost grew with the graph.
- No label is joined here. Labels are restated in the graph of every source that
  cites a resource, and the default graph is the union of the graphs, so a joined
  label multiplies rows by its copies; ``labels.py`` reads them from the index.
- The bound term comes first in every pattern that has it.

The engine substitutes only projected variables, so each query projects its inputs.
"""
from __future__ import annotations

from collections.abc import Iterator

from pyoxigraph import Literal, NamedNode, QuerySolutions, Store, Variable

_PREFIXES = """PREFIX mcl: <https://w3id.org/mclinks/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""

# Whether anything is said about ?this (else the page is a 404).
EXISTS = "ASK { ?this ?p ?o }"

# The classes of ?this: an act's page has a family.
TYPES = _PREFIXES + "SELECT ?this ?t WHERE { ?this a ?t }"

# Every property of ?this, for the property rows.
PROPERTIES = "SELECT DISTINCT ?this ?p ?o WHERE { ?this ?p ?o } ORDER BY ?p ?o"

# What points at ?this, apart from the links its own sections show (citations, texts).
INCOMING = _PREFIXES + """SELECT DISTINCT ?this ?s ?p WHERE { ?s ?p ?this .
  FILTER (?p NOT IN (mcl:inText, mcl:target, mcl:paragraph, mcl:ofAct, rdf:type, mcl:citingAct,
                     mcl:respondsTo, mcl:states, mcl:citation)) }
ORDER BY ?p ?s LIMIT 300"""

# A text resource (a paragraph, a text): its words and their language.
TEXT = _PREFIXES + """SELECT ?this ?v ?lang WHERE { ?this rdf:value ?v .
  OPTIONAL { ?this mcl:inText ?text . ?text dcterms:language ?lang } } LIMIT 1"""

# Predicates shown in the page's own sections: every sub-property of mcl:cites.
CITE_PROPERTIES = _PREFIXES + "SELECT DISTINCT ?p WHERE { ?p rdfs:subPropertyOf+ mcl:cites }"

# The act's paragraphs in order: from its texts, or (a draft inside a note) those that are its own.
_PARAGRAPH = """?p mcl:order ?order ; mcl:paragraphKind ?kindIri ; rdf:value ?value .
    ?kindIri skos:notation ?kind .
    OPTIONAL { ?p mcl:number ?number }
    OPTIONAL { ?t dcterms:language ?lang }
    OPTIONAL { ?p mcl:startOffset ?pstart }"""
PARAGRAPHS = _PREFIXES + f"""SELECT DISTINCT ?this ?p ?t ?order ?kind ?number ?value ?lang ?pstart WHERE {{
  {{ ?this mcl:text ?t . ?p mcl:inText ?t .
    {_PARAGRAPH} }}
  UNION
  {{ ?p mcl:ofAct ?this ; mcl:inText ?t .
    {_PARAGRAPH} }}
}} ORDER BY ?t ?order"""

# The citations inside the act's paragraphs, to make their words links (one query for the
# whole text, not two per paragraph).
_MARK = """?p mcl:citation ?c . ?c mcl:startOffset ?start ; mcl:endOffset ?end ; mcl:target ?target ;
      mcl:referenceKind ?kind .
    FILTER (?kind NOT IN ("instrument", "body"))"""
PARAGRAPH_MARKS = _PREFIXES + f"""SELECT DISTINCT ?this ?p ?start ?end ?target ?kind WHERE {{
  {{ ?this mcl:text ?t . ?p mcl:inText ?t . {_MARK} }}
  UNION
  {{ ?p mcl:ofAct ?this . {_MARK} }}
}} ORDER BY ?p ?start"""

# A paragraph's citations, for its own page.
CITATIONS = _PREFIXES + """SELECT DISTINCT ?this ?target ?kind ?words ?start ?part WHERE {
  ?this mcl:citation ?c . ?c mcl:target ?target ; mcl:referenceKind ?kind ;
     mcl:surfaceText ?words ; mcl:startOffset ?start .
  OPTIONAL { ?c mcl:part ?part }
} ORDER BY ?start"""

# The files the act's texts were read from, whether each is an excerpt.
_SOURCE = """?t dcterms:source ?file .
    OPTIONAL { ?t dcterms:language ?lang } OPTIONAL { ?t mcl:excerpt ?excerpt }"""
SOURCES = _PREFIXES + f"""SELECT DISTINCT ?this ?file ?lang ?excerpt WHERE {{
  {{ ?this mcl:text ?t . {_SOURCE} }}
  UNION
  {{ ?p mcl:ofAct ?this ; mcl:inText ?t . {_SOURCE} }}
}} ORDER BY ?file"""

# Who cites ?this: citing act, paragraph, action, words.
CITED_BY = _PREFIXES + """SELECT DISTINCT ?this ?act ?p ?words ?type ?start WHERE {
  ?c mcl:target ?this ; mcl:citingAct ?act ; mcl:surfaceText ?words ; mcl:startOffset ?start .
  ?p mcl:citation ?c .
  OPTIONAL { ?c mcl:citationType ?type }
} ORDER BY ?act ?start LIMIT 500"""

# What ?this cites (acts, articles, documents; not the instruments and bodies it names).
CITES = _PREFIXES + """SELECT DISTINCT ?this ?target ?kind ?p ?words ?type ?start WHERE {
  ?c mcl:citingAct ?this ; mcl:target ?target ; mcl:referenceKind ?kind ;
     mcl:surfaceText ?words ; mcl:startOffset ?start .
  FILTER (?kind NOT IN ("instrument", "body"))
  ?p mcl:citation ?c .
  OPTIONAL { ?c mcl:citationType ?type }
} ORDER BY ?start LIMIT 1000"""

# The acts that answer ?this (responds-to).
ANSWERED_BY = _PREFIXES + "SELECT DISTINCT ?this ?s WHERE { ?s mcl:respondsTo ?this } ORDER BY ?s"

Row = dict[str, "NamedNode | Literal | None"]


def select(store: Store, query: str, **terms: NamedNode | Literal | str) -> Iterator[Row]:
    """Rows of ``query`` over the union of the graphs, each keyword bound as an RDF term
    (a ``str`` is an IRI; ``NamedNode`` raises ``ValueError`` for one that is not).

    >>> s = Store()
    >>> [r["t"] for r in select(s, TYPES, this="http://example.com/a")]
    []
    """
    bound = {Variable(k): NamedNode(v) if isinstance(v, str) else v for k, v in terms.items()}
    result = store.query(query, use_default_graph_as_union=True, substitutions=bound)
    if not isinstance(result, QuerySolutions):
        raise TypeError("a page query is a SELECT")
    names = [v.value for v in result.variables]
    for solution in result:
        yield {n: solution[n] for n in names}  # type: ignore[misc]


def ask(store: Store, query: str, **terms: str) -> bool:
    """``query`` (an ASK) with each keyword bound to an IRI."""
    return bool(store.query(query, use_default_graph_as_union=True,
                            substitutions={Variable(k): NamedNode(v) for k, v in terms.items()}))
