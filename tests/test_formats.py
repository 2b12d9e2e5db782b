"""The format table: one row per RDF syntax, every module goes through it."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import rdflib
from pyoxigraph import Literal, NamedNode, Quad, Triple
from rdflib.compare import isomorphic

import mclinks
from mclinks.formats import BY_NAME, FORMATS, PAGE_FORMATS, for_path, page_links

_E = "http://example.org/"
_TRIPLES = [Triple(NamedNode(_E + "a"), NamedNode(_E + "b"), Literal("c", language="fr")),
            Triple(NamedNode(_E + "a"), NamedNode(_E + "d"), NamedNode(_E + "e"))]


def test_names_media_types_and_suffixes_are_each_unique() -> None:
    for column in ("name", "media_type", "suffix", "rdflib", "label"):
        values = [getattr(f, column) for f in FORMATS]
        assert len(values) == len(set(values)), column


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.name)
def test_what_a_format_writes_rdflib_reads_back_by_its_rdflib_name(fmt) -> None:  # type: ignore[no-untyped-def]
    data = [Quad(t.subject, t.predicate, t.object, NamedNode(_E + "g")) for t in _TRIPLES] if fmt.dataset else _TRIPLES
    written = fmt.write(data, {"ex": _E})
    back = rdflib.Dataset() if fmt.dataset else rdflib.Graph()
    back.parse(data=written, format=fmt.rdflib)
    expected = rdflib.Graph().parse(data=BY_NAME["ntriples"].write(_TRIPLES), format="nt")
    got = rdflib.Graph()
    for triple in (back.triples((None, None, None)) if not fmt.dataset else ((s, p, o) for s, p, o, _ in back.quads())):
        got.add(triple)
    assert isomorphic(got, expected)
    assert (b"@prefix ex:" in written or b"PREFIX ex:" in written) == fmt.prefixed


def test_a_path_names_its_format() -> None:
    assert for_path("dump/mclinks.nq.gz") is BY_NAME["nquads"]
    with pytest.raises(ValueError, match="unknown RDF suffix"):
        for_path("x.csv")


def test_page_links_follow_the_page_formats() -> None:
    assert page_links("/doc/x") == {f.label: f"/doc/x{f.suffix}" for f in PAGE_FORMATS}


def test_no_module_picks_a_format_past_the_table() -> None:
    """RdfFormat members and positions in FORMATS are the table's to name."""
    package = Path(mclinks.__file__).parent
    bypass = re.compile(r"RdfFormat\.|FORMATS\[\d")
    found = [f"{p.relative_to(package)}:{n}" for p in sorted(package.rglob("*.py")) if p.name != "formats.py"
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if bypass.search(line)]
    assert found == []
