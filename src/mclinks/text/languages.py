"""Which of the six UN languages a text is written in.

Arabic, Chinese and Russian are told by their scripts; English, French and Spanish by
their commonest function words. The words are data (``FUNCTION_WORDS``), one row per
language, so that a language is added by adding a row.
"""
from __future__ import annotations

import re

FUNCTION_WORDS: dict[str, tuple[str, ...]] = {
    "en": ("the", "and", "of", "to", "on", "its", "with"),
    "fr": ("le", "la", "les", "des", "et", "du", "aux", "sur"),
    "es": ("el", "los", "las", "del", "y", "en", "por", "con"),
}
SCRIPTS: dict[str, str] = {
    "ar": "[\u0600-\u06ff\u0750-\u077f]",
    "zh": "[\u4e00-\u9fff\u3400-\u4dbf]",
    "ru": "[\u0400-\u04ff]",
}
_WORD_RE = re.compile(r"[^\W\d_]+")
_SCRIPT_RES = {lang: re.compile(p) for lang, p in SCRIPTS.items()}
_SAMPLE = 5000


def guess_language(text: str) -> str:
    """'ar', 'zh', 'ru' when most letters are in that script; else 'en', 'fr' or 'es' by function words."""
    sample = text[:_SAMPLE]
    letters = sum(1 for c in sample if c.isalpha()) or 1
    for lang, pattern in _SCRIPT_RES.items():
        if len(pattern.findall(sample)) * 3 >= letters:  # a third of the letters: page furniture in Latin aside
            return lang
    counts = {lang: 0 for lang in FUNCTION_WORDS}
    index = {w: lang for lang, words in FUNCTION_WORDS.items() for w in words}
    for word in _WORD_RE.findall(sample.lower()):
        if word in index:
            counts[index[word]] += 1
    return max(counts, key=lambda lang: (counts[lang], lang == "en"))
