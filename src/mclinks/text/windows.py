"""The words of the clause around a match: where a recogniser looks for the body a
citation belongs to ("decision IX/15 of the Conference of the Parties to the Basel
Convention", "Governing Council decision 26/12"). A clause ends at a semicolon, a full
stop or a blank line.
"""
from __future__ import annotations

import re

_CLAUSE_END = re.compile(r";|\n\s*\n|\.\s")


def clause_after(folded: str, end: int, reach: int = 140) -> str:
    """Up to ``reach`` characters after ``end``, stopping where the clause ends."""
    window = folded[end:end + reach]
    cut = _CLAUSE_END.search(window)
    return window[: cut.start()] if cut else window


def clause_before(folded: str, start: int, reach: int = 60) -> str:
    """Up to ``reach`` characters before ``start``, from where the clause begins."""
    window = folded[max(0, start - reach):start]
    cut = max(window.rfind(";"), window.rfind("\n\n"), window.rfind(". "))
    return window[cut + 1:] if cut >= 0 else window
