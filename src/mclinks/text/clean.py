"""Length-preserving clean-up of source text, so offsets never need a map.

Every function here returns a string of exactly the same length as its
input: character *i* of the cleaned text stands for character *i* of the
original. Recognisers run on the cleaned text; spans are cut from the
original. This is eyecite's offset discipline made trivial.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = "\u00a0\u202f\u2007\u2009\u200a\u2002\u2003\u2004\u2005\u2006\u2008\u200b\ufeff\u00ad\t\f\v"
_APOSTROPHES = "\u2019\u2018\u02bc\u2032\u00b4`"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
# Arabic-Indic, Eastern Arabic-Indic and fullwidth digits, fullwidth "/" "-" ".": one ASCII character each.
_DIGITS = {chr(base + k): str(k) for base in (0x0660, 0x06F0, 0xFF10) for k in range(10)}
_FULLWIDTH = {"\uff0f": "/", "\uff0d": "-", "\uff0e": ".", "\u060c": ",", "\u061b": ";", "\u3001": ",", "\u3002": ".", "\uff0c": ",", "\uff1b": ";", "\uff1a": ":"}
_TRANSLATION = str.maketrans(
    {**_DIGITS, **_FULLWIDTH, **{c: " " for c in _SPACES}, **{c: "'" for c in _APOSTROPHES}, **{c: "-" for c in _DASHES},
     "\u201c": '"', "\u201d": '"', "\u00ab": '"', "\u00bb": '"', "\r": "\n"}
)

# str.translate with a dict costs a lookup per character; the characters it changes are few,
# so one character-class pass finds them and only they are looked up (the same result).
_CHANGED = {chr(k): v for k, v in _TRANSLATION.items()}
_CHANGED_RE = re.compile("[" + "".join(re.escape(c) for c in _CHANGED) + "]")
_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]+")

# Word exports leave markers that are not text: masked to spaces.
_ARTEFACTS = re.compile(r"\[footnoteRef:\s*\d+\]|\[bookmark:[^\]\n]*\]|\[endnoteRef:\s*\d+\]")
# OCR reads "l'" as "1'" or "I'" (often with a stray space): "1’environnement", "I’ Assemblée".
# (The character is matched first, then what precedes it: the search skips to each 1 or I.)
_OCR_ELISION = re.compile(r"[1I](?<![\w/.-][1I])(?=' ?[a-zA-Z\u00c0-\u017f])")


@lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    """One character without its accent (é → e); characters that would not stay one character are kept."""
    base = unicodedata.normalize("NFD", c)[0]
    return base if len(base) == 1 else c


def normalise(text: str) -> str:
    """Spaces, apostrophes, dashes and quotes made plain; Word artefacts masked; OCR elisions fixed."""
    out = _CHANGED_RE.sub(lambda m: _CHANGED[m.group()], text)
    out = _ARTEFACTS.sub(lambda m: " " * len(m.group()), out)
    if "'" in out:  # what an elision needs: most texts have none, and the search stops at every 1 and I
        out = _OCR_ELISION.sub("l", out)
    return out


class _FoldTable(dict):  # type: ignore[type-arg]
    """str.translate table filled on demand: each code point maps to its unaccented form."""

    def __missing__(self, code: int) -> str:
        value = _fold_char(chr(code))
        self[code] = value
        return value


_FOLD = _FoldTable({c: c for c in range(128)})


def fold(text: str) -> str:
    """``normalise`` plus accents removed: what the recognisers read ("deuxiéme" → "deuxieme")."""
    normal = normalise(text)
    return normal if normal.isascii() else _NON_ASCII_RE.sub(lambda m: m.group().translate(_FOLD), normal)


def artefact_spans(text: str) -> list[tuple[int, int]]:
    """Where the Word artefacts are, for callers that must skip them."""
    return [m.span() for m in _ARTEFACTS.finditer(text)]
