"""The queries that trace an act's family: a whole level of acts in one query.

``lineage-edges`` (``queries/``) answers one hop of one act, and used to be run
once per act, with the labels of both ends joined to every edge. Labels, like
an act's meeting and instrument, are restated in the graph of every source
that cites it, and the default graph is the union of those graphs, so each
edge came back once per *copy* of each label: an act cited by 12 sources gave
11 edges x 91,584 rows (1.9 s on the 100k synthetic graph), more as the graph
grows. Here the edges of a level come without labels, and labels and facts of
the family's acts come in one more query whose branches are UNIONed, not
joined, so copies add up instead of multiplying.

Every query is plain SPARQL 1.1 (Oxigraph, Virtuoso, Fuseki alike). The acts
go in a ``VALUES`` block at the head of each branch, so the engine starts from
the bound act and reads only its own citations; the terms are written by
pyoxigraph (``NamedNode`` checks the IRI), never pasted from input.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from pyoxigraph import NamedNode

from mclinks.store.endpoint import Endpoint, Row

_PREFIXES = """PREFIX mcl: <https://w3id.org/mclinks/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
_ROW = "?direction ?from ?to ?toKind ?linkType ?paragraph ?words ?start ?end ?file"

# The branches of ``lineage-edges`` with the act bound by VALUES; ``$acts`` is
# the list of terms. Each branch matches what it needs where its variables are
# bound (an OPTIONAL of two patterns would be joined against every citation),
# so the bound end of a citation is matched first.
_CITATION_DETAILS = """    ?paragraph mcl:citation ?c ; mcl:inText ?text .
    ?c mcl:surfaceText ?words ; mcl:startOffset ?start ; mcl:endOffset ?end .
    ?text dcterms:source ?file .
    OPTIONAL { ?c mcl:citationType ?t }"""
_LINK_TYPE = 'BIND (COALESCE(REPLACE(STR(?t), "^.*#action-", ""), "cites") AS ?linkType)'


def _cites(direction: str) -> str:
    """Citations made by the bound acts (up) or of them (down)."""
    if direction == "up":
        head = """VALUES ?from { $acts }
    ?c mcl:citingAct ?from ; mcl:target ?to ; mcl:referenceKind ?toKind .
    FILTER (?toKind IN ("decision", "resolution", "article", "document"))"""
    else:
        head = """VALUES ?to { $acts }
    ?c mcl:target ?to ; mcl:citingAct ?from ; mcl:referenceKind ?toKind ."""
    return f"""{{
    {head}
{_CITATION_DETAILS}
    BIND ("{direction}" AS ?direction)
    {_LINK_TYPE}
  }}"""


def _answers(direction: str) -> str:
    """``respondsTo`` links from the bound acts (up) or to them (down), with the citation that states one."""
    bound = "?from" if direction == "up" else "?to"
    return f"""{{
    VALUES {bound} {{ $acts }}
    ?from mcl:respondsTo ?to .
    OPTIONAL {{ ?paragraph mcl:states ?from ; mcl:citation ?c ; mcl:inText ?text . ?c mcl:target ?to ;
               mcl:surfaceText ?words ; mcl:startOffset ?start ; mcl:endOffset ?end . ?text dcterms:source ?file }}
    BIND ("{direction}" AS ?direction) BIND ("responds-to" AS ?linkType) BIND ("decision" AS ?toKind)
  }}"""


UP_EDGES = f"{_PREFIXES}SELECT DISTINCT {_ROW} WHERE {{\n  {_cites('up')} UNION {_answers('up')} UNION {_answers('down')}\n}}"
DOWN_EDGES = f"{_PREFIXES}SELECT DISTINCT {_ROW} WHERE {{\n  {_cites('down')} UNION {_answers('down')}\n}}"

# Labels and facts of a set of acts, one row per distinct value.
NODE_FACTS = _PREFIXES + """SELECT DISTINCT ?act ?what ?value ?lang WHERE {
  { VALUES ?act { $acts } ?act rdfs:label ?value BIND ("label" AS ?what) BIND (LANG(?value) AS ?lang) }
  UNION { VALUES ?act { $acts } ?act mcl:text ?value BIND ("text" AS ?what) }
  UNION { VALUES ?act { $acts } ?value mcl:ofAct ?act BIND ("text" AS ?what) }
  UNION { VALUES ?act { $acts } ?act mcl:adoptedAt|mcl:proposedFor ?meeting . ?meeting mcl:startDate ?value
          BIND ("date" AS ?what) }
  UNION { VALUES ?act { $acts } ?act mcl:underInstrument ?value BIND ("instrument" AS ?what) }
}"""

CHUNK = 200  # acts per query: keeps a VALUES block well inside any endpoint's request limit


def with_acts(query: str, acts: Iterable[str]) -> str:
    """``query`` with ``$acts`` replaced by the acts' IRIs written as SPARQL terms.

    >>> with_acts("VALUES ?a { $acts }", ["http://example.com/a"])
    'VALUES ?a { <http://example.com/a> }'

    Raises ``ValueError`` for a string that is not an IRI.
    """
    return query.replace("$acts", " ".join(str(NamedNode(a)) for a in acts))


def select_for(endpoint: Endpoint, query: str, acts: list[str]) -> Iterator[Row]:
    """The rows of ``query`` for ``acts``, a chunk of acts per request."""
    for i in range(0, len(acts), CHUNK):
        yield from endpoint.select(with_acts(query, acts[i:i + CHUNK]))[1]


def edges_by_act(endpoint: Endpoint, acts: list[str], direction: str) -> dict[str, list[Row]]:
    """The edges each act contributes going ``direction`` ("up" or "down"), ordered as
    ``lineage-edges`` orders them (direction, from, to, start)."""
    out: dict[str, list[Row]] = {a: [] for a in acts}
    for row in select_for(endpoint, UP_EDGES if direction == "up" else DOWN_EDGES, acts):
        act = row["from"] if direction == "up" and row["direction"] == "up" else row["to"]
        out[str(act)].append(row)
    for rows in out.values():
        rows.sort(key=_edge_order)
    return out


def _edge_order(row: Row) -> tuple[object, ...]:
    start = row.get("start")
    # SPARQL orders an unbound ?start before any number; the rest only makes ties stable.
    return (row["direction"], row["from"], row["to"], start is not None, int(start) if start else 0,
            row.get("linkType") or "", row.get("paragraph") or "", row.get("words") or "")
