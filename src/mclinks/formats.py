"""One table of RDF formats: MIME type ↔ file suffix ↔ pyoxigraph format ↔ rdflib name."""
from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import RdfFormat


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    suffix: str
    ox: RdfFormat
    rdflib: str
    dataset: bool = False


FORMATS: tuple[Format, ...] = (
    Format("turtle", "text/turtle", ".ttl", RdfFormat.TURTLE, "turtle"),
    Format("ntriples", "application/n-triples", ".nt", RdfFormat.N_TRIPLES, "nt"),
    Format("jsonld", "application/ld+json", ".jsonld", RdfFormat.JSON_LD, "json-ld"),
    Format("trig", "application/trig", ".trig", RdfFormat.TRIG, "trig", dataset=True),
    Format("nquads", "application/n-quads", ".nq", RdfFormat.N_QUADS, "nquads", dataset=True),
    Format("rdfxml", "application/rdf+xml", ".rdf", RdfFormat.RDF_XML, "xml"),
)
BY_NAME = {f.name: f for f in FORMATS}
BY_MEDIA_TYPE = {f.media_type: f for f in FORMATS}
# What the endpoint and the linked-data documents serve for graphs, in preference order.
GRAPH_FORMATS: tuple[Format, ...] = tuple(BY_NAME[n] for n in ("turtle", "ntriples", "jsonld", "rdfxml"))
BY_SUFFIX = {f.suffix: f for f in FORMATS}


def for_path(path: str) -> Format:
    """The format a file name's suffix says (``.gz`` ignored); ValueError if none."""
    name = path[:-3] if path.endswith(".gz") else path
    for suffix, fmt in BY_SUFFIX.items():
        if name.endswith(suffix):
            return fmt
    raise ValueError(f"{path}: unknown RDF suffix (expected one of {', '.join(BY_SUFFIX)})")
