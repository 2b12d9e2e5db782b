"""The build holds its dataset packed (gzip members of whole named graphs) instead of in a
store: the packed quads and their counts are those of a store loaded source by source,
whatever the batches, and validation places its results without a store of the graphs
exactly where it places them with one."""
from __future__ import annotations

import shutil
import zlib

import pytest
from pyoxigraph import Quad, RdfFormat, parse

from mclinks import build
from mclinks.build import build_graph
from mclinks.config import Settings
from mclinks.store.local import union_store
from mclinks.store.packed import PackedDataset, graph_sizes
from mclinks.validate import locate_all, validate_store
from tests.conftest import ROOT
from tests.release.reference import reference_store


@pytest.fixture()
def bilingual(project_copy):
    """data/ and the English text of MC-1/21 beside its French one: two sources, one graph."""
    for suffix in (".txt", ".meta.json"):
        shutil.copy(ROOT / "tests" / "sources" / f"MC-1-21.en{suffix}", project_copy / "data" / "sources")
    return Settings(root=project_copy)


def _graphs_of(member: bytes) -> set[str]:
    return {q.graph_name.value for q in parse(zlib.decompress(member, 31), format=RdfFormat.N_QUADS)}  # type: ignore[union-attr]


@pytest.mark.parametrize("batch", [1, build._Loader.BATCH], ids=["a-batch-per-source", "default-batches"])
def test_packed_dataset_is_the_store_loaded_source_by_source(bilingual, monkeypatch, batch) -> None:
    monkeypatch.setattr(build._Loader, "BATCH", batch)  # one byte: the French text's graph is packed before the English
    result = build_graph(bilingual, jobs=1)
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
    packed = PackedDataset()
    assert packed.add_graphs([(g, line("a") + line("b"), 2), (other, line("x", other), 1)]) == {}
    late = packed.add_graphs([(g, line("b") + line("c"), 2)])
    assert late == {g: [line("b") + line("c")]} and packed.graphs == {g: 2, other: 1}
    packed.regroup(late)
    assert packed.graphs == {g: 3, other: 1} and packed.quads == len(packed.store()) == 4
    assert [sorted(_graphs_of(m)) for m in packed.members] == [[other], [g]]


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
