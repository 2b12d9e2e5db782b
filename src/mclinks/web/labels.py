"""The label a page shows for an IRI, read from the store's index, not by a query.

A cited act's label is restated in the graph of every source that cites it, so a
label joined into a query multiplies its rows; a page asks for a few hundred
labels, and a query each cost more to parse and plan than to answer. Reading the
quads of ``(iri, rdfs:label)`` costs the copies of that one label.
"""
from __future__ import annotations

from pyoxigraph import Literal, NamedNode, Store

from mclinks.vocab import PREFIXES

_LABEL_PREDICATES = (NamedNode(PREFIXES["rdfs"] + "label"), NamedNode(PREFIXES["skos"] + "prefLabel"))


def fallback(iri: str) -> str:
    """What stands for an IRI without a label: its path after ``/id/``, or its fragment."""
    return iri.rsplit("/id/", 1)[-1].rsplit("#", 1)[-1]


class Labels:
    """Labels in the interface's language first, then English, then any (each IRI read once).

    >>> from pyoxigraph import Quad
    >>> s = Store()
    >>> s.extend([Quad(NamedNode("http://x/a"), _LABEL_PREDICATES[0], Literal("Décision", language="fr")),
    ...           Quad(NamedNode("http://x/a"), _LABEL_PREDICATES[0], Literal("Decision", language="en"))])
    >>> Labels(s, "fr").label("http://x/a"), Labels(s, "es").label("http://x/a"), Labels(s, "en").label("http://x/id/b")
    ('Décision', 'Decision', 'b')
    """

    def __init__(self, store: Store, lang: str) -> None:
        self.store = store
        self.lang = lang
        self._cache: dict[str, str] = {}

    def label(self, iri: str) -> str:
        if iri not in self._cache:
            node = NamedNode(iri)
            names = {q.object for p in _LABEL_PREDICATES for q in self.store.quads_for_pattern(node, p, None, None)
                     if isinstance(q.object, Literal)}
            best = min(names, key=lambda lit: (lit.language != self.lang, lit.language != "en", lit.value), default=None)
            self._cache[iri] = best.value if best is not None else fallback(iri)
        return self._cache[iri]
