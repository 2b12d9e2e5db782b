"""The family queries answer what ``lineage-edges`` answers, one level at a time.

The reference below is how ``trace`` worked before the family queries: breadth-first,
the canned ``lineage-edges`` query once per act, labels taken from its rows. Every act
of the built graph is traced both ways and compared edge by edge, label by label.
"""
from __future__ import annotations

from collections import deque

import pytest

from mclinks.query.canned import find_query
from mclinks.query.family import edges_by_act, with_acts
from mclinks.query.lineage import Edge, act_facts, trace
from mclinks.store.endpoint import EmbeddedEndpoint

ACT_CLASSES = "<https://w3id.org/mclinks/ontology#Decision> <https://w3id.org/mclinks/ontology#Resolution> " \
              "<https://w3id.org/mclinks/ontology#DraftDecision>"


def reference_trace(endpoint, query, root: str, base: str, max_acts: int | None = None):
    """(edges, labels, truncated) as one ``lineage-edges`` query per act gave them."""
    edges: list[Edge] = []
    labels: dict[str, str] = {}
    seen: set[tuple[str, str, str, int | None]] = set()
    truncated = False
    for direction in ("up", "down"):
        queue, visited, expanded = deque([root]), {root}, 0
        while queue:
            act = queue.popleft()
            if max_acts is not None and expanded >= max_acts:
                truncated = True
                break
            expanded += 1
            for row in endpoint.select(query.bind({"act": act}, base))[1]:
                answers = direction == "up" and row["direction"] == "down" and row["linkType"] == "responds-to"
                if row["direction"] != direction and not answers:
                    continue
                edge = Edge(row["from"], row["to"], row["linkType"], row["toKind"], row["paragraph"], row["words"],
                            int(row["start"]) if row["start"] else None, int(row["end"]) if row["end"] else None,
                            row["file"])
                if (edge.source, edge.target, edge.type, edge.start) in seen:
                    continue
                seen.add((edge.source, edge.target, edge.type, edge.start))
                edges.append(edge)
                for iri, label in ((edge.source, row["fromLabel"]), (edge.target, row["toLabel"])):
                    if label and iri not in labels:
                        labels[iri] = label
                nxt = edge.target if direction == "up" else edge.source
                if not answers and nxt not in visited and (direction == "down" or edge.kind in ("decision", "resolution")):
                    visited.add(nxt)
                    queue.append(nxt)
    return edges, labels, truncated


@pytest.fixture(scope="module")
def endpoint(built) -> EmbeddedEndpoint:
    return EmbeddedEndpoint(built.store)


@pytest.fixture(scope="module")
def acts(endpoint) -> list[str]:
    _, rows = endpoint.select(f"SELECT DISTINCT ?a WHERE {{ VALUES ?c {{ {ACT_CLASSES} }} ?a a ?c }} ORDER BY ?a")
    return [str(r["a"]) for r in rows]


@pytest.mark.parametrize("max_acts", [None, 2])
def test_trace_answers_as_lineage_edges_act_by_act(endpoint, acts, settings, max_acts) -> None:
    query = find_query("lineage-edges", settings.queries_dir)
    answered = 0
    for act in acts:
        edges, labels, truncated = reference_trace(endpoint, query, act, settings.base, max_acts)
        family = trace(endpoint, act, max_acts=max_acts)
        assert family.edges == edges, act
        assert family.truncated == truncated, act
        if edges:  # an act without links has its own label now; the reference had none
            assert family.labels == labels, act
        answered += any(e.type == "responds-to" for e in edges)
    assert len(acts) > 20 and answered  # the graph has families, and answers among them


def test_an_act_answered_by_others_brings_them_up_and_down(endpoint, settings) -> None:
    mc_5_19 = f"{settings.base}/id/decision/MC-5-19"
    up = edges_by_act(endpoint, [mc_5_19], "up")[mc_5_19]
    down = edges_by_act(endpoint, [mc_5_19], "down")[mc_5_19]
    answering = {r["from"] for r in down if r["linkType"] == "responds-to"}
    assert f"{settings.base}/id/decision/BC-17-22" in answering
    assert answering == {r["from"] for r in up if r["linkType"] == "responds-to" and r["direction"] == "down"}


def test_facts_prefer_an_english_label(endpoint, settings) -> None:
    act = f"{settings.base}/id/decision/MC-1-21"
    labels, facts = act_facts(endpoint, [act])
    assert labels[act] == "Decision MC-1/21" and facts[act].has_text and facts[act].date


def test_acts_are_written_as_terms_never_pasted() -> None:
    assert with_acts("VALUES ?a { $acts }", ["http://example.com/a", "http://example.com/b"]) == \
        "VALUES ?a { <http://example.com/a> <http://example.com/b> }"
    with pytest.raises(ValueError):
        with_acts("VALUES ?a { $acts }", ["http://example.com/a> } ?s ?p ?o { <http://x"])
