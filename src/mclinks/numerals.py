"""Numbers as symbols write them: arabic or roman (``GC-SS.XII``, "session XII").

A supporting module, below the text stage and the registry, because both read session
numbers written in roman numerals.
"""
from __future__ import annotations


def roman_value(text: str) -> int | None:
    """'XII' → 12; None for anything that is not a well-formed roman numeral up to 89.

    >>> roman_value("XII"), roman_value("IIII"), roman_value("xiv")
    (12, None, 14)
    """
    values = {"I": 1, "V": 5, "X": 10, "L": 50}
    s = text.upper()
    if not s or any(c not in values for c in s):
        return None
    total = 0
    for i, c in enumerate(s):
        v = values[c]
        if i + 1 < len(s) and values[s[i + 1]] > v:
            total -= v
        else:
            total += v
    return total if _to_roman(total) == s else None


def _to_roman(n: int) -> str:
    out = ""
    for value, sym in ((50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += sym
            n -= value
    return out


def number_value(text: str) -> int | None:
    """An arabic or roman number: '12' → 12, 'XII' → 12.

    >>> number_value("12"), number_value("XII"), number_value("twelve")
    (12, 12, None)
    """
    return int(text) if text.isdigit() else roman_value(text)
