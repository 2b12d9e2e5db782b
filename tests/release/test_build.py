"""`mclinks build`: dumps that round-trip, atomic publication, clear errors."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from rdflib.compare import isomorphic

from mclinks.cli import main
from mclinks.store.local import to_rdflib, union_triples
from mclinks.text.readers import SUFFIXES


def _build(root: Path, *args: str):
    return CliRunner().invoke(main, ["build", "--root", str(root), *args], catch_exceptions=False)


@pytest.fixture()
def published(project_copy: Path) -> Path:
    result = _build(project_copy)
    assert result.exit_code == 0, result.output
    return project_copy / "dist" / "current"


def test_build_writes_every_dump(published: Path) -> None:
    for name in ("mclinks.ttl", "mclinks.nt.gz", "mclinks.jsonld", "mclinks.trig", "mclinks.nq.gz", "void.ttl"):
        assert (published / name).stat().st_size > 0, name


def test_dumps_round_trip_to_an_isomorphic_graph(published: Path, settings) -> None:
    from mclinks.store.local import load_store
    reference = to_rdflib(union_triples(load_store(published / "mclinks.trig")))
    assert len(reference) > 3000
    for name, fmt in (("mclinks.ttl", "turtle"), ("mclinks.jsonld", "json-ld")):
        g = rdflib.Graph().parse(published / name, format=fmt)
        assert isomorphic(g, reference), name
    with gzip.open(published / "mclinks.nt.gz", "rt", encoding="utf-8") as f:
        assert isomorphic(rdflib.Graph().parse(data=f.read(), format="nt"), reference)
    ds = rdflib.Dataset()
    ds.parse(published / "mclinks.trig", format="trig")
    names = {str(g.identifier) for g in ds.graphs()}
    assert any(n.endswith("/graph/registry") for n in names)
    sources = [f for f in (published.parents[1] / "data" / "sources").iterdir() if f.suffix in SUFFIXES]
    assert sum(1 for n in names if "/graph/source/" in n) == len(sources)  # one graph per source, however many


def test_void_counts_match(published: Path) -> None:
    void = rdflib.Graph().parse(published / "void.ttl")
    VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
    ds = next(void.subjects(rdflib.RDF.type, VOID.Dataset))
    from mclinks.store.local import load_store
    triples = len(union_triples(load_store(published / "mclinks.nq.gz")))
    assert int(void.value(ds, VOID.triples)) == triples
    assert len(list(void.objects(ds, rdflib.URIRef("http://www.w3.org/ns/dcat#distribution")))) == 5


def test_bad_source_fails_and_leaves_dist_untouched(published: Path, project_copy: Path) -> None:
    before = (project_copy / "dist" / "current").resolve()
    (project_copy / "data" / "sources" / "broken.fr.txt").write_bytes(b"ok\n\xff\xfe")
    result = CliRunner().invoke(main, ["build", "--root", str(project_copy)])
    assert result.exit_code == 3
    assert "broken.fr.txt:2: not valid utf-8" in result.output
    assert (project_copy / "dist" / "current").resolve() == before
    assert not [p for p in (project_copy / "dist" / "releases").iterdir() if p.name.startswith(".tmp")]


def test_bad_metadata_fails_naming_the_sidecar(project_copy: Path) -> None:
    (project_copy / "data" / "sources" / "MC-1-21.fr.meta.json").write_text('{"symbol": "MC-1/21",,}')
    result = CliRunner().invoke(main, ["build", "--root", str(project_copy)])
    assert result.exit_code == 3
    assert "MC-1-21.fr.meta.json:1" in result.output
    assert not (project_copy / "dist" / "current").exists()


def test_extract_json_contract(settings) -> None:
    result = CliRunner().invoke(main, ["extract", "--json", str(settings.sources_dir / "MC-1-21.fr.txt")])
    data = json.loads(result.output)
    assert data["symbol"] == "MC-1/21"
    assert {"paragraphs", "references"} <= data.keys()
    op = [p for p in data["paragraphs"] if p["kind"] == "operative"][0]
    assert op["deadline"] == "MC-COP-2" and op["addressees"] == ["minamata-secretariat"]


def test_extract_cli_warns_but_extracts_with_odd_metadata(tmp_path: Path) -> None:
    src = tmp_path / "d.en.txt"
    src.write_text("Decision MC-2/3: Releases\n\nThe Conference of the Parties,\n\nRecalling decision MC-1/2,\n")
    (tmp_path / "d.en.meta.json").write_text('{"meeting": "COP 2"}')
    result = CliRunner().invoke(main, ["extract", "--json", str(src)])
    assert result.exit_code == 0
    assert "COP 2 is not a meeting in data/registry/meetings.tsv" in result.stderr
    data = json.loads(result.stdout)
    assert [r["id"] for r in data["references"] if r["kind"] == "decision"] == ["MC-1/2"]


@pytest.mark.parametrize("jobs", [1, 2])
def test_union_filled_as_sources_arrive_is_the_union_of_the_store(settings, jobs: int) -> None:
    """The build fills its union from each source's own text (``as_triples``) instead of copying
    every graph across afterwards: the same distinct triples, registry and ontology included."""
    from pyoxigraph import DefaultGraph

    from mclinks.build import build_graph
    from mclinks.store.local import union_store
    built = build_graph(settings, jobs=jobs)
    assert [q for q in built.union if q.graph_name != DefaultGraph()] == []
    assert set(built.union) == set(union_store(built.store))
    assert len(built.union) > 9000
