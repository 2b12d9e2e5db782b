"""Golden graphs: the named graph each seed text gives, kept as Turtle next to this test and
compared as RDF graphs (isomorphism), not as strings.

The seeds are the texts of ``shared/corpus/gold`` (their copies in ``data/sources``). When a
change to the graph is meant, regenerate the files on purpose and review the diff:

    MCLINKS_REGENERATE_GOLDEN=1 python -m pytest tests/graph/test_golden.py

(the tests then write ``tests/graph/golden/*.ttl`` and fail, so a regeneration is never
mistaken for a pass).
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
import rdflib
from pyoxigraph import Triple
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from mclinks.build import build_graph
from mclinks.formats import NTRIPLES, TURTLE
from mclinks.identifiers import iri
from mclinks.vocab import PREFIXES

GOLDEN = Path(__file__).resolve().parent / "golden"
SEEDS = ("MC-1-21.fr", "COP6-note-cooperation-brs.fr")
_REGENERATE = os.environ.get("MCLINKS_REGENERATE_GOLDEN") == "1"


def _source_triples(settings, seed: str) -> list[Triple]:  # type: ignore[no-untyped-def]
    """The triples of the seed's own named graph, built from that source alone."""
    result = build_graph(settings, [settings.sources_dir / f"{seed}.txt"], jobs=1)
    [extraction] = result.extractions
    name = iri(settings.base, "source-graph", extraction.source.identifier)
    triples = [q.triple for q in result.store if q.graph_name.value == name]  # type: ignore[union-attr]
    assert triples, f"no graph {name}"
    return triples


@pytest.mark.parametrize("seed", SEEDS)
def test_seed_graph_is_the_golden_one(settings, seed: str) -> None:  # type: ignore[no-untyped-def]
    got = rdflib.Graph().parse(data=NTRIPLES.write(_source_triples(settings, seed)), format=NTRIPLES.rdflib)
    golden = GOLDEN / f"{seed}.ttl"
    if _REGENERATE:
        for prefix, namespace in PREFIXES.items():
            got.bind(prefix, namespace, replace=True)
        golden.write_text(got.serialize(format=TURTLE.rdflib), encoding="utf-8")  # rdflib sorts: diffs read well
        pytest.fail(f"regenerated {golden.name}: review the diff, then run without MCLINKS_REGENERATE_GOLDEN")
    expected = rdflib.Graph().parse(golden, format=TURTLE.rdflib)
    if not isomorphic(got, expected):
        _, missing, extra = graph_diff(to_isomorphic(expected), to_isomorphic(got))
        pytest.fail(f"{seed}: {len(missing)} triple(s) missing, {len(extra)} extra; e.g. missing "
                    f"{sorted(missing)[:3]}, extra {sorted(extra)[:3]} (a meant change: see this module's docstring)")


def test_a_changed_graph_is_not_isomorphic_to_its_golden_file(settings) -> None:  # type: ignore[no-untyped-def]
    """The comparison can fail: one triple fewer is a different graph."""
    triples = _source_triples(settings, SEEDS[0])
    expected = rdflib.Graph().parse(GOLDEN / f"{SEEDS[0]}.ttl", format=TURTLE.rdflib)
    fewer = rdflib.Graph().parse(data=NTRIPLES.write(triples[1:]), format=NTRIPLES.rdflib)
    assert not isomorphic(fewer, expected)
