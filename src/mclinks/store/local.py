"""The embedded store: pyoxigraph, chosen by measurement (see README); rdflib
graphs are made from it only where pyshacl or rdflib-only APIs need them.
"""
from __future__ import annotations

import gzip
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar
from pathlib import Path

import rdflib
from pyoxigraph import DefaultGraph, NamedNode, Quad, Store, Triple, parse

from mclinks.formats import NTRIPLES, for_path

T = TypeVar("T")
R = TypeVar("R")


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


def side_by_side(job: Callable[[T], R], items: list[T]) -> list[R]:
    """``job`` of every item, in order, on a thread per core: pyoxigraph evaluates a query (and
    writes a dump) in Rust without holding the GIL, so threads share the cores and the store
    (one copy, safe to read from many threads)."""
    if len(items) < 2 or (os.cpu_count() or 1) < 2:
        return [job(item) for item in items]
    with ThreadPoolExecutor(max_workers=min(len(items), os.cpu_count() or 1)) as pool:
        return list(pool.map(job, items))


def together(*jobs: Callable[[], R]) -> list[R]:
    """Each job's result, the jobs run side by side (see ``side_by_side``)."""
    return side_by_side(lambda job: job(), list(jobs))


def union_triples(store: Store) -> list[Triple]:
    """Every distinct triple, whatever graph holds it."""
    return list({q.triple for q in store})


def add_to_union(union: Store, store: Store, graphs: Iterable[NamedNode | DefaultGraph]) -> None:
    """The triples of ``graphs`` of ``store`` into ``union``'s default graph (deduplicated there)."""
    for graph in graphs:
        union.load(store.dump(format=NTRIPLES.ox, from_graph=graph), format=NTRIPLES.ox)


def union_store(store: Store) -> Store:
    """Every distinct triple of ``store``, whatever graph holds it, in the default graph of a
    new store: each graph goes across as N-Triples, parsed and deduplicated in Rust."""
    union = Store()
    add_to_union(union, store, [DefaultGraph(), *store.named_graphs()])
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
