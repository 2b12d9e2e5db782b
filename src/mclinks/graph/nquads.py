"""A source's named graph as N-Quads text, written directly.

The graph stage runs in the extraction workers and hands the build its graph as
text that pyoxigraph parses in Rust: making a pyoxigraph ``Quad`` per triple cost
more than extracting the text (16 µs a quad against well under 1 µs for a line),
and a million of them held in the build process was most of its memory. What could
make a line that is not RDF, an IRI or a language tag, is checked by pyoxigraph
when the term is made (once per distinct value), so a malformed IRI still fails
the build, naming its source, rather than entering the graph.

>>> w = GraphWriter("https://example.org/g")
>>> w.add(iri("https://example.org/s"), RDFS.label, literal("Décision", "fr"))
>>> w.add(iri("https://example.org/s"), RDFS.label, literal("Décision", "fr"))
>>> data, quads = w.distinct()
>>> quads, data.decode()
(1, '<https://example.org/s> <http://www.w3.org/2000/01/rdf-schema#label> "Décision"@fr <https://example.org/g> .\\n')
"""
from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from pyoxigraph import Literal, NamedNode

from mclinks.vocab import PREFIXES, XSD

_INTEGER = f"<{XSD}integer>"
_BOOLEAN = f"<{XSD}boolean>"


class TermError(ValueError):
    """A value that cannot be an RDF term: an IRI with a space in it, a language tag that is none."""


@lru_cache(maxsize=1 << 16)
def iri(value: str) -> str:
    """``<value>``, checked by pyoxigraph once per distinct value (``TermError`` if it is not
    an IRI): the lines are then parsed leniently, which halves their parse.

    >>> iri("https://e.org/a b")
    Traceback (most recent call last):
    mclinks.graph.nquads.TermError: 'https://e.org/a b' is not an IRI: Invalid IRI code point ' '
    """
    try:
        NamedNode(value)
    except ValueError as e:
        raise TermError(f"{value!r} is not an IRI: {e}") from None
    return f"<{value}>"


@lru_cache(maxsize=None)
def _language(tag: str) -> str:
    """``tag``, checked by pyoxigraph (``TermError`` if it is not a language tag)."""
    try:
        Literal("", language=tag)
    except ValueError as e:
        raise TermError(f"{tag!r} is not a language tag: {e}") from None
    return tag


def term(node: NamedNode | Literal) -> str:
    """A pyoxigraph term in N-Triples form (its ``str``)."""
    return str(node)


def literal(value: str, lang: str | None = None) -> str:
    """A plain or language-tagged literal; only the four characters N-Quads forbids raw
    inside quotes are escaped (``"``, backslash, line feed, carriage return).

    >>> print(literal('say "hi"' + chr(10)))
    "say \\"hi\\"\\n"
    """
    if "\\" in value or '"' in value or "\n" in value or "\r" in value:
        value = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{value}"@{_language(lang)}' if lang else f'"{value}"'


def integer(value: int) -> str:
    return f'"{int(value)}"^^{_INTEGER}'


def boolean(value: bool) -> str:
    return f'"{"true" if value else "false"}"^^{_BOOLEAN}'


class Terms:
    """``MCL.Paragraph`` → ``'<https://w3id.org/mclinks/ontology#Paragraph>'``, cached as an
    attribute so that the next lookup is a plain one."""

    def __init__(self, namespace: str) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):
            raise AttributeError(name)
        value = f"<{self._namespace}{name}>"
        setattr(self, name, value)
        return value

    def __getitem__(self, name: str) -> str:
        return getattr(self, name)


class Family(dict[str, str]):
    """The terms of a namespace whose names share a prefix: ``Family(MCL, "kind-")["operative"]``
    is ``MCL["kind-operative"]``, kept once made, so a triple costs a dict lookup instead of
    building the name and asking the namespace (a term never changes: no entry goes stale)."""

    def __init__(self, terms: Terms, prefix: str) -> None:
        super().__init__()
        self._terms, self._prefix = terms, prefix

    def __missing__(self, name: str) -> str:
        value = self[name] = self._terms[f"{self._prefix}{name}"]
        return value


MCL = Terms(PREFIXES["mcl"])
RDF = Terms(PREFIXES["rdf"])
RDFS = Terms(PREFIXES["rdfs"])
DCTERMS = Terms(PREFIXES["dcterms"])
PROV = Terms(PREFIXES["prov"])
A = RDF.type


def as_triples(data: bytes, graph: str) -> bytes:
    """One named graph's N-Quads lines as N-Triples, for the build's deduplicated union:
    each line ends with `` <graph> .`` and a line feed, which no term can hold raw (N-Quads
    escapes it inside literals), so that ending is only ever a line's end. A line of another
    graph keeps its graph term and fails to parse as N-Triples, loudly.

    >>> as_triples(b'<s> <p> "a <g> ." <g> .\\n', "g")
    b'<s> <p> "a <g> ." .\\n'
    """
    return data.replace(f" <{graph}> .\n".encode(), b" .\n")


class GraphWriter:
    """The N-Quads lines of one named graph."""

    def __init__(self, graph: str) -> None:
        self.graph = graph
        self._tail = f" <{graph}> .\n"
        self._lines: list[str] = []

    def add(self, s: str, p: str, o: str) -> None:
        """One triple, each term already in N-Triples form."""
        self._lines.append(f"{s} {p} {o}{self._tail}")

    def extend(self, lines: Iterable[str]) -> None:
        """Lines of this graph written elsewhere (what the registry mints for the source)."""
        self._lines.extend(lines)

    def distinct(self) -> tuple[bytes, int]:
        """The graph's distinct lines, in the order first written, and how many there are:
        a store keeps a quad once, and the build counts a graph's quads without a store. (An
        item added may hold several lines: the registry writes a resource's lines as one.)"""
        return distinct(["".join(self._lines).encode("utf-8")])

    def data(self) -> bytes:
        return self.distinct()[0]


def distinct(parts: list[bytes]) -> tuple[bytes, int]:
    """The N-Quads lines of ``parts``, each once, in the order first met, and how many.

    >>> distinct([b"<a> <b> <c> <g> .\\n", b"<a> <b> <c> <g> .\\n<a> <b> <d> <g> .\\n"])[1]
    2
    """
    lines = dict.fromkeys(line for part in parts for line in lines_of(part))
    return b"".join(lines), len(lines)


def lines_of(data: bytes) -> list[bytes]:
    """N-Quads lines, each with its line feed (the only raw line end N-Quads allows)."""
    return [line + b"\n" for line in data.split(b"\n")[:-1]]
