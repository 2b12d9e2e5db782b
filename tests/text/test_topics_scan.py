"""Topics found through the text's one scan (``topics_of_spans``) are exactly those that
searching each topic's pattern in each paragraph finds (``topics_of``), with every scanner."""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mclinks.text import prefilter
from mclinks.text.clean import fold
from mclinks.text.topics import load_topics, topics_of, topics_of_spans
from tests.conftest import ROOT

TOPICS = load_topics(ROOT / "data" / "registry")
_WORDS = ["cooperation", "Synergies", "coordination", "cost-recovery", "cost recovery", "shared services",
          "sharing of services", "purchase of services", "capacity building", "capacity-building", "regional centres",
          "centres regionaux", "waste", "wastes", "wastewater", "dechets", "trade", "trader", "budget", "training",
          "formation", "formations", "report on", "reporting to", "rapport sur", "effectiveness evaluation",
          "WASTE", "\u017fynergies", "\u212aey", "İ", "\u00a0", "\n", "\n\n", ".", ",", " ", "of", "the", "x"]


@pytest.fixture()
def backend() -> Iterator[None]:
    before = prefilter.BACKEND
    yield
    prefilter.set_backend(before)


def _spans(text: str, cuts: list[int]) -> list[tuple[int, int]]:
    points = sorted({min(c, len(text)) for c in cuts} | {0, len(text)})
    return [(a, b) for a, b in zip(points, points[1:])]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=40), st.lists(st.integers(0, 300), max_size=8))
def test_the_scan_finds_the_topics_a_search_per_paragraph_finds(words: list[str], cuts: list[int]) -> None:
    text = fold(" ".join(words))
    spans = _spans(text, cuts)
    expected = [topics_of(text, s, e, TOPICS) for s, e in spans]
    try:
        for name in [*prefilter.backends(), "off"]:
            prefilter.set_backend(name)
            assert topics_of_spans(text, spans, TOPICS) == expected, name
    finally:
        prefilter.set_backend(prefilter.backends()[0])


def test_spans_that_overlap_are_searched_one_by_one(backend: None) -> None:
    text = "cooperation and waste"
    spans = [(0, 21), (5, 11), (16, 21)]
    assert topics_of_spans(text, spans, TOPICS) == [topics_of(text, s, e, TOPICS) for s, e in spans]


def test_a_pattern_registered_late_with_known_literals_gets_its_own_places(backend: None) -> None:
    """The scanners are rebuilt for a pattern added after they were built, even when its
    literals were all listed already (the rebuild once counted literals, not patterns)."""
    first = prefilter.prefiltered(re.compile(r"zqxwv\d"))
    for name in prefilter.backends():
        prefilter.set_backend(name)
        assert [m.span() for m in first.finditer("a zqxwv1")] == [(2, 8)]
    second = prefilter.prefiltered(re.compile(r"zqxwv[a-z]"))
    for name in prefilter.backends():
        prefilter.set_backend(name)
        assert [m.span() for m in second.finditer("b zqxwvq")] == [(2, 8)], name


@pytest.mark.parametrize("path", sorted(Path(ROOT, "data", "sources").glob("*.txt")), ids=lambda p: p.name)
def test_paragraph_topics_of_the_sources(path: Path, backend: None) -> None:
    folded = fold(path.read_text(encoding="utf-8"))
    spans = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", folded)]
    expected = [topics_of(folded, s, e, TOPICS) for s, e in spans]
    for name in prefilter.backends():
        prefilter.set_backend(name)
        assert topics_of_spans(folded, spans, TOPICS) == expected
