"""Stages that ask the text's one scan whether a span can hold a match at all (fused footnote
numbers before a document symbol, "in response to") find what they found searching every span:
the same with the scan off (every span searched) and with each scanner."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from mclinks.model import Reference
from mclinks.text import prefilter
from mclinks.text.clean import fold
from mclinks.text.responses import response_pairs
from mclinks.text.segment import segment

_PIECES = ["2020;31UNEP/CHW.13/INF/38", ".2UNEP/CHW.13/INF/39", ",11UNEP/MC/COP.1/7", "UNEP/GC", "unep/gc.25/4",
           "SAICM/ICCM.4/1", ";3 ", "In response to decisions", "in  response to", "en reponse aux", "pursuant to",
           "comme suite a", "The Conference of the Parties,", "1. Decides;", "2. Requests", "(a) Work", "Recalling",
           "\n", "\n\n", " ", ". ", "; ", "12", "decision BC-13/4", "x"]


def _each_scanner(fn):  # type: ignore[no-untyped-def]
    before = prefilter.BACKEND
    try:
        prefilter.set_backend("off")
        expected = fn()
        for name in prefilter.backends():
            prefilter.set_backend(name)
            assert fn() == expected, name
    finally:
        prefilter.set_backend(before)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join))
def test_segments_are_the_same_with_the_scan_off(text: str) -> None:
    folded = fold(text)
    _each_scanner(lambda: segment(text, folded))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join), st.integers(0, 400), st.integers(0, 400))
def test_responses_are_the_same_with_the_scan_off(text: str, a: int, b: int) -> None:
    folded = fold(text).lower()
    start, end = min(a, b, len(folded)), min(max(a, b), len(folded))
    refs = [(0, Reference("decision", "BC-1/1", end, end, "")), (1, Reference("decision", "MC-1/2", end, end, ""))]
    _each_scanner(lambda: response_pairs(folded, start, end, refs))
