"""Every dump of a release is the same graph: the dataset dumps hold exactly the quads the
build assembled, the triple dumps exactly their distinct triples, the on-disk store the
same quads, and VoID counts them. (The build now writes the dumps from the store in Rust;
these compare sets of terms, exact, where test_build compares rdflib graphs.)"""
from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import DefaultGraph, NamedNode, Quad, RdfFormat, Store, Triple, parse

from mclinks.cli import main
from mclinks.config import Settings
from mclinks.release.dumps import ensure_store
from tests.release.reference import reference_store


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Settings]:
    import shutil
    root = tmp_path_factory.mktemp("equivalence")
    here = Settings().root
    for name in ("data", "ontology", "shapes", "queries"):
        shutil.copytree(here / name, root / name)
    (root / "pyproject.toml").write_text("[project]\nname = 'copy'\n")
    result = CliRunner().invoke(main, ["build", "--root", str(root)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return root / "dist" / "current", Settings(root=root)


def _read(path: Path) -> bytes:
    return gzip.decompress(path.read_bytes()) if path.name.endswith(".gz") else path.read_bytes()


def _quads(path: Path, fmt: RdfFormat) -> set[Quad]:
    return set(parse(_read(path), format=fmt))  # type: ignore[arg-type]


def test_nquads_dump_is_what_the_build_assembled(release: tuple[Path, Settings]) -> None:
    published, project = release
    assembled = set(reference_store(project))
    assert len(assembled) > 3000
    assert _quads(published / "mclinks.nq.gz", RdfFormat.N_QUADS) == assembled


def test_trig_and_the_on_disk_store_hold_the_nquads_dump(release: tuple[Path, Settings]) -> None:
    published, _ = release
    nquads = _quads(published / "mclinks.nq.gz", RdfFormat.N_QUADS)
    assert _quads(published / "mclinks.trig", RdfFormat.TRIG) == nquads
    disk = Store.read_only(str(ensure_store(published)))
    assert set(disk) == nquads


@pytest.mark.parametrize("name, fmt", [("mclinks.ttl", RdfFormat.TURTLE), ("mclinks.nt.gz", RdfFormat.N_TRIPLES),
                                       ("mclinks.jsonld", RdfFormat.JSON_LD)])
def test_each_triple_dump_is_the_union_of_the_nquads_dump(release: tuple[Path, Settings], name: str,
                                                          fmt: RdfFormat) -> None:
    published, _ = release
    union = {q.triple for q in _quads(published / "mclinks.nq.gz", RdfFormat.N_QUADS)}
    parsed = list(parse(_read(published / name), format=fmt))
    assert all(isinstance(q, Triple) or isinstance(q.graph_name, DefaultGraph) for q in parsed)
    assert {q if isinstance(q, Triple) else q.triple for q in parsed} == union


def test_void_counts_the_union_and_each_graph(release: tuple[Path, Settings]) -> None:
    published, _ = release
    quads = _quads(published / "mclinks.nq.gz", RdfFormat.N_QUADS)
    void = list(parse((published / "void.ttl").read_bytes(), format=RdfFormat.TURTLE))
    count = NamedNode("http://rdfs.org/ns/void#triples")
    counts = {t.subject.value: int(t.object.value) for t in void if t.predicate == count}
    dataset = next(v for k, v in counts.items() if k.endswith("/dataset"))
    assert dataset == len({q.triple for q in quads})
    graphs = {q.graph_name.value for q in quads if not isinstance(q.graph_name, DefaultGraph)}
    assert {g: counts[g] for g in graphs} == {g: sum(1 for q in quads if q.graph_name.value == g) for g in graphs}
