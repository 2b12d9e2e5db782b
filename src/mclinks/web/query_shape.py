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
_TOKEN = re.compile(
    r"""(?P<ws>\s+)
    |(?P<comment>\#[^\n]*)
    |(?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
    |(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    |(?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    |(?P<var>[?$][""" + _PN_CHARS + r"""]+)
    |(?P<pname>(?:[A-Za-z\u00C0-\uFFFF](?:[""" + _PN_CHARS + r""".-]*[""" + _PN_CHARS + r"""-])?)?:(?:[""" + _PN_CHARS + r""":%\\-]|\.(?=[""" + _PN_CHARS + r""":%\\-]))*)
    |(?P<name>[A-Za-z_][A-Za-z0-9_]*)
    |(?P<open>[{(\[])
    |(?P<close>[})\]])
    |(?P<other>.)""",
    re.X | re.S,
)
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

    @property
    def returns_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")


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
    uses_service = False
    depth = deepest = 0
    for j in range(i, len(toks)):
        tok = toks[j]
        if tok.kind == "open":
            depth += 1
            deepest = max(deepest, depth)
        elif tok.kind == "close":
            depth -= 1
        elif tok.kind == "name":
            word = tok.text.upper()
            if form is None and update is None:
                if word in QUERY_FORMS:
                    form = word
                elif word in UPDATE_KEYWORDS:
                    update = word
            if word == "SERVICE":
                uses_service = True
            elif word == "FROM":
                named = j + 1 < len(toks) and toks[j + 1].text.upper() == "NAMED"
                target = toks[j + 2] if named and j + 2 < len(toks) else toks[j + 1] if j + 1 < len(toks) else None
                if target is not None and target.kind in ("iri", "pname"):
                    datasets.append(DatasetClause(_expand(target, prefixes, base), named))
                else:
                    datasets.append(DatasetClause(target.text if target else "", named))
    return QueryShape(form, update, tuple(datasets), uses_service, deepest)
