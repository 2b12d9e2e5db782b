"""What a SPARQL request is, read from its tokens: its form (SELECT, ASK,
CONSTRUCT, DESCRIBE or an update), its dataset clauses with prefixed names
expanded, whether it calls SERVICE, and how deeply it nests.

The endpoint decides refusals and the answer's media type from this shape, not
from a keyword scan: ``"x"@add`` is a language tag, ``ex:from`` a prefixed
name, ``PREFIX select: <x>`` a declaration. The engine parses the query itself
afterwards; a single regular-expression tokenizer is used here (not rdflib's
parser) because it costs microseconds and has no recursion to overflow on a
query of 5,000 nested groups, which is exactly what must be refused cheaply.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urljoin

_PN_CHARS = r"A-Za-z0-9_\u00B7\u00C0-\uFFFF"
# Comments, strings and IRIs: the tokens whose contents never change a shape (apart from FROM's
# target); masking them gives a query's skeleton (below).
_OPAQUE_KINDS = r"""(?P<comment>\#[^\n]*)
    |(?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
    |(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)"""
_TOKEN = re.compile(
    r"""(?P<ws>\s+)
    |""" + _OPAQUE_KINDS + r"""
    |(?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    |(?P<var>[?$][""" + _PN_CHARS + r"""]+)
    |(?P<pname>(?:[A-Za-z\u00C0-\uFFFF](?:[""" + _PN_CHARS + r""".-]*[""" + _PN_CHARS + r"""-])?)?:(?:[""" + _PN_CHARS + r""":%\\-]|\.(?=[""" + _PN_CHARS + r""":%\\-]))*)
    |(?P<name>[A-Za-z_][A-Za-z0-9_]*)
    |(?P<number>[0-9]+)
    |(?P<open>[{(\[])
    |(?P<close>[})\]])
    |(?P<other>.)""",
    re.X | re.S,
)
# The same three patterns tried at every position: no other kind of token can hold their opening
# characters (# " ' <), so they are found exactly where _TOKEN finds them.
# The lookahead lets the engine pass over text that cannot open a comment, string or IRI without
# trying each alternative there: 76 µs against 156 for a 3.3 KB lineage query.
_OPAQUE = re.compile(r"(?=[#\"'<])(?:" + _OPAQUE_KINDS + ")", re.X | re.S)
_MASKS = {"comment": " ", "string": '""', "iri": "<>"}
QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"})


@dataclass(frozen=True)
class Token:
    kind: str
    text: str


@dataclass(frozen=True)
class DatasetClause:
    iri: str
    named: bool


@dataclass(frozen=True)
class QueryShape:
    """The parts of a request that decide whether and how it may run."""

    form: str | None  # SELECT | ASK | CONSTRUCT | DESCRIBE, or None when no form keyword was found
    update: str | None  # the first update keyword, when the request is an update
    datasets: tuple[DatasetClause, ...]
    uses_service: bool
    depth: int  # deepest nesting of { ( [
    limit: int | None = None  # the query's own top-level LIMIT, when it has one
    trailing_values: bool = False  # a top-level VALUES after the WHERE clause (a LIMIT goes before it)
    balanced: bool = True  # every { ( [ closed, none closed too often
    uses_graph: bool = False  # a GRAPH pattern: the query sees named graphs, not only the default graph

    @property
    def returns_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")

    @property
    def sees_named_graphs(self) -> bool:
        """Whether the answer can depend on which graph a triple is in (GRAPH, FROM, FROM NAMED);
        any other query reads the default graph alone, the union of the graphs."""
        return self.uses_graph or bool(self.datasets)


def tokens(query: str) -> Iterator[Token]:
    """The query's tokens, whitespace and comments left out.

    >>> [t.kind for t in tokens('SELECT ?s { ?s <p> "o"@en } # done')]
    ['name', 'var', 'open', 'var', 'iri', 'string', 'langtag', 'close']
    """
    for m in _TOKEN.finditer(query):
        kind = m.lastgroup or "other"
        if kind not in ("ws", "comment"):
            yield Token(kind, m.group())


def _expand(token: Token, prefixes: dict[str, str], base: str) -> str:
    if token.kind == "iri":
        return urljoin(base, token.text[1:-1]) if base else token.text[1:-1]
    prefix, _, local = token.text.partition(":")
    return prefixes.get(prefix, token.text) + local if prefix in prefixes else token.text


def shape_of(query: str, base: str = "") -> QueryShape:
    """Read the query's shape; relative IRIs resolve against ``base`` (the endpoint's URL).

    >>> s = shape_of('PREFIX select: <http://x/> CONSTRUCT WHERE { ?s select:p "x"@add }')
    >>> (s.form, s.update, s.returns_graph)
    ('CONSTRUCT', None, True)
    """
    toks = list(tokens(query))
    prefixes: dict[str, str] = {}
    i = 0
    while i < len(toks) and toks[i].kind == "name" and toks[i].text.upper() in ("PREFIX", "BASE"):
        if toks[i].text.upper() == "BASE" and i + 1 < len(toks) and toks[i + 1].kind == "iri":
            base = _expand(toks[i + 1], prefixes, base)
            i += 2
        elif i + 2 < len(toks) and toks[i + 1].kind == "pname" and toks[i + 2].kind == "iri":
            prefixes[toks[i + 1].text[:-1]] = _expand(toks[i + 2], prefixes, base)
            i += 3
        else:
            break
    form = update = None
    datasets: list[DatasetClause] = []
    uses_service = uses_graph = False
    depth = deepest = 0
    limit: int | None = None
    trailing_values = False
    balanced = True
    for j in range(i, len(toks)):
        tok = toks[j]
        if tok.kind == "open":
            depth += 1
            deepest = max(deepest, depth)
        elif tok.kind == "close":
            depth -= 1
            balanced = balanced and depth >= 0
        elif tok.kind == "name":
            word = tok.text.upper()
            if depth == 0 and word == "LIMIT" and j + 1 < len(toks) and toks[j + 1].kind == "number":
                limit = int(toks[j + 1].text)
            elif depth == 0 and word == "VALUES" and form is not None:
                trailing_values = True
            if form is None and update is None:
                if word in QUERY_FORMS:
                    form = word
                elif word in UPDATE_KEYWORDS:
                    update = word
            if word == "SERVICE":
                uses_service = True
            elif word == "GRAPH":
                uses_graph = True
            elif word == "FROM":
                named = j + 1 < len(toks) and toks[j + 1].text.upper() == "NAMED"
                target = toks[j + 2] if named and j + 2 < len(toks) else toks[j + 1] if j + 1 < len(toks) else None
                if target is not None and target.kind in ("iri", "pname"):
                    datasets.append(DatasetClause(_expand(target, prefixes, base), named))
                else:
                    datasets.append(DatasetClause(target.text if target else "", named))
    return QueryShape(form, update, tuple(datasets), uses_service, deepest, limit, trailing_values,
                      balanced and depth == 0, uses_graph)


def skeleton(query: str) -> str:
    """The query with its comments, strings and IRIs masked: queries that differ only there
    (one canned query bound to different values) have one skeleton, and one shape.

    >>> skeleton('SELECT ?s { ?s <http://x/p> "MC-1/21" } # mine')
    'SELECT ?s { ?s <> "" }  '
    """
    return _OPAQUE.sub(lambda m: _MASKS[m.lastgroup or "comment"], query)


class ShapeReader:
    """``shape_of`` with the shapes of recent skeletons kept, so a canned query bound to new
    values is not read again token by token. A shape with dataset clauses depends on the IRIs
    that the skeleton masks, so it is never reused."""

    def __init__(self, base: str = "", size: int = 512) -> None:
        self.base = base
        self.size = size
        self._known: dict[str, QueryShape] = {}

    def shape(self, query: str) -> QueryShape:
        key = skeleton(query)
        known = self._known.get(key)
        if known is not None:
            return known
        shape = shape_of(query, self.base)
        if not shape.datasets:
            if len(self._known) >= self.size:
                self._known.pop(next(iter(self._known)))  # the oldest
            self._known[key] = shape
        return shape
