"""One table of RDF formats: MIME type ↔ file suffix ↔ pyoxigraph format ↔ rdflib name ↔ label.

Every module picks a format from here by name, media type or suffix, and writes
through ``Format.write`` (which alone knows which syntaxes take prefixes).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pyoxigraph import Quad, RdfFormat, Triple, serialize


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    suffix: str
    ox: RdfFormat
    rdflib: str
    label: str
    dataset: bool = False
    prefixed: bool = False  # the syntax declares prefixes (Turtle, TriG)

    def write(self, data: Iterable[Triple] | Iterable[Quad], prefixes: Mapping[str, str] | None = None) -> bytes:
        """``data`` in this format; ``prefixes`` are declared where the syntax has them.

        >>> from pyoxigraph import NamedNode, Triple
        >>> t = Triple(NamedNode("http://e.org/a"), NamedNode("http://e.org/b"), NamedNode("http://e.org/c"))
        >>> BY_NAME["turtle"].write([t], {"e": "http://e.org/"}).decode().split("\\n")[1]
        'e:a e:b e:c .'
        """
        extra = {"prefixes": dict(prefixes)} if prefixes and self.prefixed else {}
        return serialize(data, format=self.ox, **extra) or b""  # type: ignore[arg-type]


FORMATS: tuple[Format, ...] = (
    Format("turtle", "text/turtle", ".ttl", RdfFormat.TURTLE, "turtle", "Turtle", prefixed=True),
    Format("ntriples", "application/n-triples", ".nt", RdfFormat.N_TRIPLES, "nt", "N-Triples"),
    Format("jsonld", "application/ld+json", ".jsonld", RdfFormat.JSON_LD, "json-ld", "JSON-LD"),
    Format("trig", "application/trig", ".trig", RdfFormat.TRIG, "trig", "TriG", dataset=True, prefixed=True),
    Format("nquads", "application/n-quads", ".nq", RdfFormat.N_QUADS, "nquads", "N-Quads", dataset=True),
    Format("rdfxml", "application/rdf+xml", ".rdf", RdfFormat.RDF_XML, "xml", "RDF/XML"),
)
BY_NAME = {f.name: f for f in FORMATS}
BY_MEDIA_TYPE = {f.media_type: f for f in FORMATS}
# What the endpoint and the linked-data documents serve for graphs, in preference order.
GRAPH_FORMATS: tuple[Format, ...] = tuple(BY_NAME[n] for n in ("turtle", "ntriples", "jsonld", "rdfxml"))
# What a resource's page links to, and what the static site writes beside it.
PAGE_FORMATS: tuple[Format, ...] = tuple(BY_NAME[n] for n in ("turtle", "ntriples", "jsonld"))
BY_SUFFIX = {f.suffix: f for f in FORMATS}
TURTLE, NTRIPLES, NQUADS = BY_NAME["turtle"], BY_NAME["ntriples"], BY_NAME["nquads"]


def page_links(prefix: str) -> dict[str, str]:
    """Label → link of each data file beside a page: {'Turtle': f'{prefix}.ttl', …}."""
    return {f.label: f"{prefix}{f.suffix}" for f in PAGE_FORMATS}


def for_path(path: str) -> Format:
    """The format a file name's suffix says (``.gz`` ignored); ValueError if none."""
    name = path[:-3] if path.endswith(".gz") else path
    for suffix, fmt in BY_SUFFIX.items():
        if name.endswith(suffix):
            return fmt
    raise ValueError(f"{path}: unknown RDF suffix (expected one of {', '.join(BY_SUFFIX)})")
