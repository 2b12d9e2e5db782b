"""The document's language among the six UN languages, and digits of any script."""
from __future__ import annotations

import pytest

from mclinks.text.clean import fold
from mclinks.text.languages import guess_language


@pytest.mark.parametrize(("text", "language"), [
    ("The Conference of the Parties, Recalling its decision on the matter and the report,", "en"),
    ("La Conférence des Parties, Rappelant la décision sur les déchets et le rapport du secrétariat,", "fr"),
    ("La Conferencia de las Partes, Recordando la decisión sobre los desechos y el informe del Presidente,", "es"),
    ("إن مؤتمر الأطراف، إذ يشير إلى المقرر MC-2/2", "ar"),
    ("缔约方大会，回顾第MC-2/2号决定", "zh"),
    ("Конференция Сторон, ссылаясь на решение BC-10/7,", "ru"),
    ("Skip to main content\nКонференция Сторон, ссылаясь на решение и доклад секретариата", "ru"),
])
def test_guess_language_among_the_six(text: str, language: str) -> None:
    assert guess_language(text) == language


def test_digits_of_any_script_fold_to_ascii_keeping_length() -> None:
    text = "MC-٤/٩ UNEP/MC/COP.３/7 ۲۰۲۴"
    folded = fold(text)
    assert folded == "MC-4/9 UNEP/MC/COP.3/7 2024" and len(folded) == len(text)
