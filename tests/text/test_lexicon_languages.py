"""English, French and Spanish read in full: each action has an opening in each language,
each with an example; ordinals and enacting formulas likewise."""
from __future__ import annotations

import pytest

from mclinks.model import SourceInfo
from mclinks.text.clean import fold
from mclinks.text.extract import extract_text
from mclinks.text.lexicon import CHAPEAU_RE, ordinal_value

PREAMBLE = {
    "recalls": ("Recalling", "Rappelant", "Recordando"),
    "takes-note": ("Taking note", "Prenant note", "Tomando nota"),
    "notes": ("Noting", "Notant", "Observando"),
    "welcomes": ("Welcoming", "Se félicitant", "Acogiendo con beneplácito"),
    "reaffirms": ("Reaffirming", "Réaffirmant", "Reafirmando"),
    "acknowledges": ("Recognizing", "Reconnaissant", "Reconociendo"),
    "emphasizes": ("Stressing", "Soulignant", "Destacando"),
    "aware": ("Mindful", "Conscient", "Consciente"),
}
OPERATIVE = {
    "requests": ("Requests", "Prie", "Pide"),
    "invites": ("Invites", "Invite", "Invita"),
    "decides": ("Decides", "Décide", "Decide"),
    "adopts": ("Adopts", "Adopte", "Adopta"),
    "urges": ("Urges", "Prie instamment", "Insta"),
    "encourages": ("Encourages", "Encourage", "Alienta"),
    "takes-note": ("Takes note", "Prend note", "Toma nota"),
    "welcomes": ("Welcomes", "Se félicite", "Acoge con beneplácito"),
}
LANGUAGES = ("en", "fr", "es")
_FORMULA = {"en": "The Conference of the Parties,", "fr": "La Conférence des Parties,", "es": "La Conferencia de las Partes,"}


def _first(text: str, language: str, kind: str):  # type: ignore[no-untyped-def]
    info = SourceInfo(path="l.txt", symbol=None, kind="decision", language=language, instrument="minamata",
                      body="minamata-cop", meeting="MC-COP-2")
    full = f"Title\n\n{_FORMULA[language]}\n\n{text}\n"
    return next(p for p in extract_text(full, info).paragraphs if p.kind == kind)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("action", sorted(PREAMBLE))
def test_preamble_openings_in_each_language(action: str, language: str) -> None:
    word = PREAMBLE[action][LANGUAGES.index(language)]
    paragraph = _first(f"{word} the matter,", language, "preamble")
    assert paragraph.actions[:1] == (action,), word


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("action", sorted(OPERATIVE))
def test_operative_openings_in_each_language(action: str, language: str) -> None:
    word = OPERATIVE[action][LANGUAGES.index(language)]
    paragraph = _first(f"1. {word} the matter;", language, "operative")
    assert paragraph.actions[:1] == (action,), word


@pytest.mark.parametrize(("word", "value"), [
    ("second", 2), ("twenty-seventh", 27), ("12th", 12), ("deuxième", 2), ("vingt et unième", 21),
    ("segunda", 2), ("tercer", 3), ("duodécima", 12),
])
def test_ordinals_in_each_language(word: str, value: int) -> None:
    assert ordinal_value(fold(word)) == value


@pytest.mark.parametrize("formula", [*_FORMULA.values(), "El Consejo de Administración,", "Конференция Сторон,",
                                     "缔约方大会，", "إن مؤتمر الأطراف،"])
def test_enacting_formulas_are_recognised(formula: str) -> None:
    assert CHAPEAU_RE.match(fold(formula))


def test_french_ordinal_written_with_spaces_regression() -> None:
    """'vingt et unième' was not read: spaces were dropped from the word but not from the table."""
    assert ordinal_value("vingt et unieme") == 21
    assert ordinal_value("trente et unieme") == 31
