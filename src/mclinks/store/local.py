"""The embedded store: pyoxigraph, chosen by measurement (see README); rdflib
graphs are made from it only where pyshacl or rdflib-only APIs need them.
"""
from __future__ import annotations

import gzip
from collections.abc import Iterable
from pathlib import Path

import rdflib
from pyoxigraph import DefaultGraph, NamedNode, Quad, Store, Triple, parse

from mclinks.formats import NTRIPLES, for_path


def new_store(quads: Iterable[Quad] = ()) -> Store:
    """An in-memory store holding ``quads``."""
    store = Store()
    store.bulk_extend(quads)
    return store


def load_store(path: Path) -> Store:
    """A store from a dump file (TriG, N-Quads, Turtle…; ``.gz`` allowed)."""
    fmt = for_path(path.name)
    opener = gzip.open if path.name.endswith(".gz") else open
    store = Store()
    with opener(path, "rb") as f:
        data = f.read()
    store.bulk_extend(_quads(data, fmt))
    return store


def _quads(data: bytes, fmt: object) -> Iterable[Quad]:
    for q in parse(data, format=fmt.ox):  # type: ignore[attr-defined]
        yield q if isinstance(q, Quad) else Quad(q.subject, q.predicate, q.object, DefaultGraph())


def union_triples(store: Store) -> list[Triple]:
    """Every distinct triple, whatever graph holds it."""
    return list({q.triple for q in store})


def union_store(store: Store) -> Store:
    """Every distinct triple of ``store``, whatever graph holds it, in the default graph of a
    new store: each graph goes across as N-Triples, parsed and deduplicated in Rust."""
    union = Store()
    for graph in [DefaultGraph(), *store.named_graphs()]:
        union.load(store.dump(format=NTRIPLES.ox, from_graph=graph), format=NTRIPLES.ox)
    return union


def to_rdflib(triples: Iterable[Triple]) -> rdflib.Graph:
    """An rdflib graph of the triples, by way of N-Triples (exact, and fast enough for subgraphs)."""
    g = rdflib.Graph()
    data = NTRIPLES.write(triples)
    if data:
        g.parse(data=data.decode("utf-8"), format=NTRIPLES.rdflib)
    return g


def graph_names(store: Store) -> list[NamedNode]:
    return sorted((g for g in store.named_graphs() if isinstance(g, NamedNode)), key=lambda n: n.value)
