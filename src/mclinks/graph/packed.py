"""The build's dataset without a store of it: its N-Quads as gzip members, each holding
whole named graphs (one source's, or the shared ones), with the quads of each graph counted.

Concatenated, the members are ``mclinks.nq.gz`` as it is published (a gzip file may hold
many members). At 830k triples they take 11 MB where an in-memory store of the same quads
took 270 MB beside the union store that validation and the triple dumps read. Each member
comes with its renderings in the other dataset formats asked for (TriG), made where the
member is made (``pack``: in the extraction worker, by pyoxigraph's serializer) and kept
packed too (6 MB of TriG at 830k). What else needs the quads in a store loads one
member at a time, or only the lines it asks about.

>>> packed = PackedDataset()
>>> packed.add(pack(b'<https://e.org/s> <https://e.org/p> "o" <https://e.org/g> .\\n', ()), {"https://e.org/g": 1})
>>> packed.quads, len(packed.store())
(1, 1)
"""
from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO

from pyoxigraph import NamedNode, Store, parse, serialize

from mclinks.formats import NQUADS, Format
from mclinks.graph.nquads import distinct, lines_of
from mclinks.vocab import PREFIXES

COMPRESSION = 1  # gzip level: a 1M-triple dump compresses 3x faster than at 6, for files about 1.5x larger
_GZIP = 31  # zlib's window bits for a gzip member (header and trailer) rather than a raw stream


def gzip_member(data: bytes) -> bytes:
    """``data`` as one gzip member (zlib releases the GIL while it compresses)."""
    packer = zlib.compressobj(COMPRESSION, zlib.DEFLATED, _GZIP)
    return packer.compress(data) + packer.flush()


def graph_sizes(store: Store) -> dict[str, int]:
    """Quads per named graph, by graph IRI in order, counted by the store."""
    rows = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    sizes = {row["g"].value: int(row["n"].value) for row in rows if isinstance(row["g"], NamedNode)}  # type: ignore[union-attr]
    return dict(sorted(sizes.items()))


@dataclass(frozen=True)
class Member:
    """Whole graphs' N-Quads as a gzip member, and their renderings (format name → gzip member)."""

    nquads: bytes
    rendered: dict[str, bytes]


def pack(nquads: bytes, formats: Iterable[Format]) -> Member:
    """Whole graphs' N-Quads packed, and written in each of ``formats`` by pyoxigraph's
    serializer as its parser reads them (half the cost of a store loaded and dumped, for
    the same bytes: the lines come grouped by subject). The parse is lenient: the lines were
    written from terms checked when they were made (``nquads.iri``), or by pyoxigraph."""
    rendered = {fmt.name: gzip_member(serialize(parse(nquads, format=NQUADS.ox, lenient=True), format=fmt.ox,
                                                **({"prefixes": PREFIXES} if fmt.prefixed else {})) or b"")
                for fmt in formats}
    return Member(gzip_member(nquads), rendered)


@dataclass
class PackedDataset:
    """The dataset as members. A named graph lies whole in one member and each member's
    lines are distinct, so the counts are the store's; a blank node's label names one node
    only within its member (a store loads each member on its own)."""

    members: list[Member] = field(default_factory=list)
    graphs: dict[str, int] = field(default_factory=dict)  # quads per named graph
    default_quads: int = 0  # quads in the default graph
    rendering: tuple[Format, ...] = ()  # the formats every member is rendered in

    @classmethod
    def from_store(cls, store: Store, rendering: tuple[Format, ...] = ()) -> "PackedDataset":
        """The quads of ``store``, in one member, rendered in ``rendering`` (the dataset the
        build starts from, its shared graphs; or a store a caller publishes)."""
        graphs = graph_sizes(store)
        return cls([pack(store.dump(format=NQUADS.ox), rendering)], graphs, len(store) - sum(graphs.values()), rendering)

    def add(self, member: Member, graphs: dict[str, int], default_quads: int = 0) -> None:
        """A member of graphs none of which is packed yet, each line once, with the quads of
        each graph (a graph met again goes to ``regroup`` instead)."""
        self.members.append(member)
        self.graphs.update(graphs)
        self.default_quads += default_quads

    def regroup(self, late: dict[str, list[bytes]]) -> None:
        """Graphs met again after their member was packed (a decision's English and French
        texts share the decision's graph): each graph's lines leave the member that held
        them and join the late ones in a member of their own, each line once (one pass over
        the members, however many graphs)."""
        if not late:
            return
        tails = {f" <{graph}> .\n".encode(): graph for graph in late}  # a line's last term is its graph
        earlier: dict[str, list[bytes]] = {graph: [] for graph in late}
        for i, chunk in enumerate(self.chunks()):  # one member decompressed at a time; only members[i] is replaced
            kept, moved = [], False
            for line in lines_of(chunk):
                graph = tails.get(line[line.rfind(b" <"):])
                if graph is None:
                    kept.append(line)
                else:
                    earlier[graph].append(line)
                    moved = True
            if moved:
                self.members[i] = pack(b"".join(kept), self.rendering)
        for graph, parts in late.items():
            data, self.graphs[graph] = distinct([b"".join(earlier[graph]), *parts])
            self.members.append(pack(data, self.rendering))

    @property
    def quads(self) -> int:
        return self.default_quads + sum(self.graphs.values())

    def chunks(self) -> Iterator[bytes]:
        """Each member's N-Quads, decompressed one at a time."""
        for member in self.members:
            yield zlib.decompress(member.nquads, _GZIP)

    def write_in(self, fmt: Format, out: IO[bytes], compressed: bool) -> bool:
        """The dataset in ``fmt`` into ``out``, gzipped or not, if it is packed in ``fmt``
        (N-Quads, or a format every member was rendered in); else False. The members'
        renderings are written one after the other, each after the first without the
        prefix declarations that open it (the same in every member), so that a TriG file
        declares its prefixes once."""
        if fmt is not NQUADS and fmt not in self.rendering:
            return False
        prologue = b""
        for member in self.members:
            piece = member.nquads if fmt is NQUADS else member.rendered[fmt.name]
            if compressed and fmt is NQUADS:
                out.write(piece)
                continue
            text = zlib.decompress(piece, _GZIP)
            if fmt.prefixed:
                if not prologue:
                    prologue = _prologue(text)
                elif text.startswith(prologue):
                    text = text[len(prologue):]
            out.write(text)
        return True

    def store(self) -> Store:
        """An in-memory store of every quad (for callers that query the whole dataset; the
        build itself never makes one)."""
        store = Store()
        for chunk in self.chunks():
            store.load(chunk, format=NQUADS.ox)
        return store

    def about(self, nodes: Iterable[str]) -> Store:
        """A store of every statement whose subject is one of ``nodes``, each in the graph that
        states it: with the texts among the nodes, enough to say which source's graph states
        something of a node, without a store of the whole dataset (one pass over the lines,
        a set lookup each: 0.6 s at 830k triples)."""
        subjects = {f"<{n}>".encode() for n in nodes}
        kept: list[bytes] = []
        for chunk in self.chunks():
            kept += [line for line in chunk.split(b"\n") if line[:line.find(b" ")] in subjects]
        store = Store()
        store.load(b"\n".join(kept) + b"\n", format=NQUADS.ox, lenient=True)
        return store


def _prologue(text: bytes) -> bytes:
    """The prefix declarations a Turtle or TriG document opens with, as pyoxigraph writes them.

    >>> _prologue(b'@prefix e: <http://e.org/> .\\ne:g {\\n}\\n')
    b'@prefix e: <http://e.org/> .\\n'
    """
    end = 0
    while text.startswith(b"@prefix ", end):
        end = text.index(b"\n", end) + 1
    return text[:end]
