"""What a public, read-only endpoint refuses before running a query: updates,
federated SERVICE calls, and dataset clauses naming graphs it does not hold
(some engines would fetch those from the web). Keywords are looked for in the
query with its strings, IRIs and comments blanked out, so a literal that
says "DELETE" is no reason to refuse."""
from __future__ import annotations

import re
from dataclasses import dataclass

_BLANK = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*'
)
# A keyword is not a variable (?from), a prefixed name (ex:add) or part of a word.
_KW = r"(?<![?$\w:-])"
_UPDATE = re.compile(_KW + r"(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD)\b", re.I)
_SERVICE = re.compile(_KW + r"SERVICE\b", re.I)
_FROM = re.compile(_KW + r"FROM\b", re.I)
_IRI_AT = re.compile(r"\s+(?:NAMED\s+)?(?:<([^<>\"{}|^`\\\s]*)>|(\S+))", re.I)


@dataclass(frozen=True)
class Refusal:
    status: int
    message: str


def skeleton(query: str) -> str:
    """The query with strings, IRIs and comments replaced by spaces (same length)."""
    return _BLANK.sub(lambda m: " " * len(m.group()), query)


def check_query(query: str, known_graphs: set[str]) -> Refusal | None:
    """A refusal, or None when the query may run."""
    blanked = skeleton(query)
    if m := _UPDATE.search(blanked):
        return Refusal(403, f"this endpoint is read-only: {m.group(1).upper()} (SPARQL Update) is refused")
    if _SERVICE.search(blanked):
        return Refusal(403, "SERVICE (federated query) is refused: this endpoint makes no outbound requests")
    for m in _FROM.finditer(blanked):
        at = _IRI_AT.match(query, m.end())
        iri = (at.group(1) if at.group(1) is not None else at.group(2)) if at else ""
        if iri not in known_graphs:
            return Refusal(403, f"FROM <{iri}> is refused: this endpoint fetches nothing from outside and holds no "
                                "graph of that name")
    return None


def check_graph_uris(uris: list[str], known_graphs: set[str]) -> Refusal | None:
    for iri in uris:
        if iri not in known_graphs:
            return Refusal(403, f"graph <{iri}> is refused: this endpoint fetches nothing from outside and holds "
                                "no graph of that name")
    return None
