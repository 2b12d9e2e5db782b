"""What a public, read-only endpoint refuses before a query reaches the engine:
updates, federated SERVICE calls, dataset clauses or parameters naming graphs
it does not hold (some engines would fetch those from the web), and nesting
deeper than the engine can parse safely. Decided on the query's shape
(``query_shape``), so a literal that says "DELETE" is no reason to refuse.

Refusing SERVICE here is the polite answer; it is not the only guard: query
workers run without any network (``sandbox``)."""
from __future__ import annotations

from dataclasses import dataclass

from mclinks.web.query_shape import QueryShape, shape_of

MAX_DEPTH = 64  # groups, brackets and parentheses nested; real queries stay under 15


@dataclass(frozen=True)
class Refusal:
    status: int
    message: str


def refusal_for(shape: QueryShape, known_graphs: set[str], max_depth: int = MAX_DEPTH) -> Refusal | None:
    """A refusal for a query of this shape, or None when it may run."""
    if shape.update:
        return Refusal(403, f"this endpoint is read-only: {shape.update} (SPARQL Update) is refused")
    if shape.uses_service:
        return Refusal(403, "SERVICE (federated query) is refused: this endpoint makes no outbound requests")
    if shape.depth > max_depth:
        return Refusal(400, f"the query nests {shape.depth} levels deep; this endpoint accepts at most {max_depth}")
    for clause in shape.datasets:
        if clause.iri not in known_graphs:
            word = "FROM NAMED" if clause.named else "FROM"
            return Refusal(403, f"{word} <{clause.iri}> is refused: this endpoint fetches nothing from outside and "
                                "holds no graph of that name")
    return None


def check_query(query: str, known_graphs: set[str], base: str = "") -> Refusal | None:
    """A refusal, or None when the query may run (relative IRIs resolve against ``base``)."""
    return refusal_for(shape_of(query, base), known_graphs)


def check_graph_uris(uris: list[str], known_graphs: set[str]) -> Refusal | None:
    for iri in uris:
        if iri not in known_graphs:
            return Refusal(403, f"graph <{iri}> is refused: this endpoint fetches nothing from outside and holds "
                                "no graph of that name")
    return None
