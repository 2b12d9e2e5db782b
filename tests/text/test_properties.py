"""Open-ended input: any text, any bytes decoded with errors, never crashes;
every offset lies inside the text and every span is the text it claims."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mclinks.model import PARAGRAPH_KINDS, SourceInfo
from mclinks.text.extract import extract_text

INFO = SourceInfo(path="prop.txt", symbol=None, kind="decision", language="fr", instrument="minamata",
                  body="minamata-cop", meeting="MC-COP-3")
PIECES = st.sampled_from([
    "décision MC-3/11", "resolution 1/5", "Rappelant", "1. Prie le secrétariat", "a) De", "[footnoteRef:3]",
    "[3: Ibid., annexe II.]", "à sa prochaine réunion", "période biennale 2026–2027", "\n", "\n\n", " ", "\u00a0",
    "UNEP/MC/COP.6/INF/29", "paragraphe 2 de l'article 14", "La Conférence des Parties,", "annexe A", "I’ ",
])


def _check(text: str) -> None:
    result = extract_text(text, INFO)
    for p in result.paragraphs:
        assert 0 <= p.start < p.end <= len(text)
        assert p.kind in PARAGRAPH_KINDS
    for r in result.references:
        assert 0 <= r.start < r.end <= len(text)
        assert text[r.start:r.end] == r.text


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_any_text(text: str) -> None:
    _check(text)


@settings(max_examples=300)
@given(st.binary())
def test_any_bytes_decoded_with_errors(data: bytes) -> None:
    _check(data.decode("utf-8", errors="replace"))


@settings(max_examples=300)
@given(st.lists(st.one_of(PIECES, st.text(max_size=5)), max_size=40).map("".join))
def test_decision_like_fragments(text: str) -> None:
    _check(text)
