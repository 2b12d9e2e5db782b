"""The build holds its dataset packed (gzip members of whole named graphs) instead of in a
store: the packed quads and their counts are those of a store loaded source by source,
whatever the batches, and validation places its results without a store of the graphs
exactly where it places them with one."""
from __future__ import annotations

import io
import shutil
import zlib

import pytest
from pyoxigraph import Quad, RdfFormat, parse

from mclinks.build import build_graph
from mclinks.config import Settings
from mclinks.store.local import union_store
from mclinks.formats import BY_NAME
from mclinks.graph.packed import Member, PackedDataset, graph_sizes, pack
from mclinks.validate import locate_all, validate_store
from tests.conftest import ROOT
from tests.release.reference import reference_store

TRIG = BY_NAME["trig"]


@pytest.fixture()
def bilingual(project_copy):
    """data/ and the English text of MC-1/21 beside its French one: two sources, one graph."""
    for suffix in (".txt", ".meta.json"):
        shutil.copy(ROOT / "tests" / "sources" / f"MC-1-21.en{suffix}", project_copy / "data" / "sources")
    return Settings(root=project_copy)


def _graphs_of(member: Member) -> set[str]:
    return {q.graph_name.value for q in parse(zlib.decompress(member.nquads, 31), format=RdfFormat.N_QUADS)}  # type: ignore[union-attr]


def test_packed_dataset_is_the_store_loaded_source_by_source(bilingual) -> None:
    result = build_graph(bilingual, jobs=1)  # the French text's graph is packed before the English one arrives
    reference = reference_store(bilingual)
    packed = result.dataset
    assert set(packed.store()) == set(reference)
    assert packed.graphs == graph_sizes(reference) and packed.quads == len(reference)
    assert set(result.union) == set(union_store(reference))
    seen: set[str] = set()
    for member in packed.members:  # a graph lies whole in one member
        graphs = _graphs_of(member)
        assert not graphs & seen
        seen |= graphs
    shared = [g for g in seen if g.endswith("/MC-1-21")]
    assert shared and graph_sizes(reference)[shared[0]] > 0


def test_regroup_of_a_graph_met_again_counts_each_quad_once() -> None:
    g, other = "https://e.org/g", "https://e.org/h"
    line = lambda s, graph=g: f"<https://e.org/{s}> <https://e.org/p> <https://e.org/o> <{graph}> .\n".encode()
    packed = PackedDataset(rendering=(TRIG,))
    packed.add(pack(line("a") + line("b") + line("x", other), (TRIG,)), {g: 2, other: 1})
    packed.regroup({g: [line("b") + line("c")]})
    assert packed.graphs == {g: 3, other: 1} and packed.quads == len(packed.store()) == 4
    assert [sorted(_graphs_of(m)) for m in packed.members] == [[other], [g]]
    trig = io.BytesIO()
    assert packed.write_in(TRIG, trig, compressed=False)
    assert set(parse(trig.getvalue(), format=RdfFormat.TRIG)) == set(packed.store())


def test_trig_of_many_members_declares_its_prefixes_once() -> None:
    from mclinks.vocab import PREFIXES
    packed = PackedDataset(rendering=(TRIG,))
    for n in range(3):
        graph = f"{PREFIXES['mcl']}g{n}"
        packed.add(pack(f"<{graph}> <{PREFIXES['rdfs']}label> \"{n}\" <{graph}> .\n".encode(), (TRIG,)), {graph: 1})
    out = io.BytesIO()
    packed.write_in(TRIG, out, compressed=False)
    text = out.getvalue().decode()
    assert text.count("@prefix mcl:") == 1 and text.count("mcl:g2 {") == 1
    assert set(parse(out.getvalue(), format=RdfFormat.TRIG)) == set(packed.store())


def test_locations_without_a_store_of_the_graphs_are_the_ones_found_with_it(built, settings) -> None:
    with_store = validate_store(built.store, settings, union=built.union)
    packed = validate_store(built.union, settings, union=built.union, about=built.dataset.about)
    assert packed.results == with_store.results
    wanted = [(r.focus, r.value) for r in with_store.results]
    graphs = lambda: built.store  # noqa: E731 (a store of the named graphs, as locate_all asks for one)
    assert locate_all(built.union, wanted) != locate_all(built.union, wanted, graphs), \
        "some results are placed by the patterns that name a graph: what `about` is for"


def test_about_keeps_what_each_graph_states_of_the_nodes(built) -> None:
    node = next(q.subject for q in built.store if q.subject.value.endswith("/decision/MC-1-21"))
    about = built.dataset.about([node.value])
    stated = {q for q in built.store.quads_for_pattern(node, None, None, None)}
    assert stated and stated <= set(about)
    assert all(isinstance(q, Quad) for q in about)


def test_a_term_that_is_not_rdf_fails_naming_its_source(project_copy, monkeypatch) -> None:
    """The lines are parsed leniently because each term was checked when it was made."""
    from mclinks.errors import SourceError
    from mclinks.graph import assemble
    real = assemble.minted
    monkeypatch.setattr(assemble, "minted", lambda base, kind, id_="": real(base, kind, id_) + (" x" if kind == "decision" else ""))
    with pytest.raises(SourceError, match=r"MC-1-21\.fr\.txt.*not valid RDF.*is not an IRI"):
        build_graph(Settings(root=project_copy), [project_copy / "data" / "sources" / "MC-1-21.fr.txt"], jobs=1)
