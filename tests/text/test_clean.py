"""The cleaner keeps every offset: output length equals input length."""
from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from mclinks.text.clean import artefact_spans, fold, normalise


@given(st.text())
def test_fold_preserves_length(text: str) -> None:
    assert len(fold(text)) == len(text)
    assert len(normalise(text)) == len(text)


def test_ocr_elisions_become_l() -> None:
    assert fold("de I’ Assemblée pour 1’environnement") == "de l' Assemblee pour l'environnement"


def test_word_artefacts_are_masked() -> None:
    text = "Stockholm[footnoteRef:3], x [bookmark: _Hlk38284587]Réaffirme"
    folded = fold(text)
    assert "footnoteRef" not in folded and "bookmark" not in folded
    assert folded.endswith("Reaffirme")
    assert [text[s:e] for s, e in artefact_spans(text)] == ["[footnoteRef:3]", "[bookmark: _Hlk38284587]"]


def test_spaces_dashes_apostrophes_are_plain() -> None:
    assert fold("2028\u20132029\u00a0l\u2019annexe") == "2028-2029 l'annexe"


_NOISY = st.text(alphabet=st.sampled_from(list("aI1l' ./-éÉ\u2019\u00a0\t\r\n\u2013\u0663\uff10[]:footnoteRf") + ["\u4e2d", "\u212a"]))


@given(_NOISY)
def test_fold_is_the_character_tables_applied_in_order(text: str) -> None:
    """Only the characters the tables change are looked up (issue #15), with the same result as
    translating every character: the tables, then the artefacts, the elisions, the accents."""
    from mclinks.text import clean
    out = text.translate(clean._TRANSLATION)
    out = clean._ARTEFACTS.sub(lambda m: " " * len(m.group()), out)
    out = re.sub(r"(?<![\w/.-])[1I](?=' ?[a-zA-Z\u00c0-\u017f])", "l", out)
    assert normalise(text) == out
    assert fold(text) == out.translate(clean._FOLD)
