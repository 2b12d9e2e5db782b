"""Cleaning that changes the text's length keeps every offset pointing into the source."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from mclinks.model import SourceInfo
from mclinks.text.extract import extract_text
from mclinks.text.offsets import dehyphenate

INFO = SourceInfo(path="h.txt", symbol=None, kind="decision", language="fr", instrument="minamata",
                  body="minamata-cop", meeting="MC-COP-3")
PIECES = st.sampled_from(["deci-\nsion", "déci-\n  sion MC-1/21", "résolu-\ntion 1/5", "Minamata-\nBasel", "-\n",
                          "ex\u00adamen", "\u00ad", "para-\ngraphe 2 de l'article 14", " ", "\n", "1. Prie", "a"])


def test_hyphenated_words_are_joined_and_mapped_back() -> None:
    source = "Rappelant la déci-\n   sion MC-1/21 et la réso\u00adlution 1/5,"
    cleaned = dehyphenate(source)
    assert cleaned.text == "Rappelant la décision MC-1/21 et la résolution 1/5,"
    start = cleaned.text.index("décision")
    assert source[slice(*cleaned.source_span(start, start + len("décision")))] == "déci-\n   sion"


def test_a_hyphen_before_a_capital_stays() -> None:
    assert dehyphenate("Minamata-\nBasel").text == "Minamata-\nBasel"


def test_a_citation_split_by_hyphenation_is_found_with_its_source_span() -> None:
    source = "Rappelant la déci-\nsion MC-1/21 et le para-\ngraphe 2 de l'article 14,"
    refs = [(r.kind, r.id, r.text) for r in extract_text(source, INFO).references if r.kind in ("decision", "article")]
    assert refs == [("decision", "MC-1/21", "déci-\nsion MC-1/21"),
                    ("article", "minamata/art14/para2", "para-\ngraphe 2 de l'article 14")]


@settings(max_examples=300)
@given(st.lists(st.one_of(PIECES, st.text(max_size=4)), max_size=30).map("".join))
def test_every_span_is_the_source_text_it_claims(source: str) -> None:
    result = extract_text(source, INFO)
    for r in [*result.references, *result.unresolved]:
        assert 0 <= r.start <= r.end <= len(source)
        assert source[r.start:r.end] == r.text
    for p in result.paragraphs:
        assert 0 <= p.start < p.end <= len(source)
