"""Clean-ups that change the text's length, with the map back to the source (as eyecite
maps cleaned text to the original): words hyphenated across a line break are joined
("deci-\\nsion" → "decision") and soft hyphens dropped, so that recognisers read words
whole; every span found in the cleaned text is mapped back, so offsets still index the
source and ``text == source[start:end]`` holds.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

# A letter, a hyphen, the line break (and the indentation around it), a letter (lower case: checked
# in code); or a soft hyphen, with or without a line break.
# (Each pattern begins with its hyphen, a literal, and the letter is looked for behind it: the search
# skips to the next hyphen in C, as it does not for a class of the two; soft hyphens are rare.)
_HYPHEN_BREAK_RE = re.compile(r"-(?<=[^\W\d_]-)[ \t]*\r?\n[ \t]*(?=[^\W\d_])")
_SOFT_HYPHEN_RE = re.compile(r"\u00ad(?<=[^\W\d_]\u00ad)[ \t]*\r?\n?[ \t]*(?=[^\W\d_])")


def hyphenations(source: str) -> list[re.Match[str]]:
    """Both kinds of hyphenation, in the order of the text (a match of one kind holds no hyphen
    of the other, so they never overlap)."""
    found = list(_HYPHEN_BREAK_RE.finditer(source))
    if "\u00ad" in source:
        found = sorted(found + list(_SOFT_HYPHEN_RE.finditer(source)), key=lambda m: m.start())
    return found


@dataclass(frozen=True, slots=True)
class Cleaned:
    """The cleaned text, and where each cut was made."""

    text: str
    cuts: tuple[int, ...] = ()  # positions in the cleaned text where characters were removed
    removed: tuple[int, ...] = ()  # characters removed up to and including each cut

    def source_offset(self, position: int) -> int:
        """Where cleaned ``position`` (a character start) lies in the source."""
        k = bisect.bisect_right(self.cuts, position) - 1
        return position + (self.removed[k] if k >= 0 else 0)

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """A cleaned span [start, end) as a source span: a cut inside it is inside it in the source too."""
        if not self.cuts or end <= start:
            return self.source_offset(start), self.source_offset(start) + max(0, end - start)
        return self.source_offset(start), self.source_offset(end - 1) + 1


def dehyphenate(source: str) -> Cleaned:
    """``source`` with hyphenated line breaks joined and soft hyphens removed, and its offset map."""
    pieces: list[str] = []
    cuts: list[int] = []
    removed: list[int] = []
    pos = total = length = 0
    for m in hyphenations(source):
        if not source[m.end()].islower():
            continue  # "Minamata-\nBasel": a hyphen that stays
        pieces.append(source[pos:m.start()])
        length += m.start() - pos
        total += m.end() - m.start()
        cuts.append(length)
        removed.append(total)
        pos = m.end()
    if not cuts:
        return Cleaned(source)
    pieces.append(source[pos:])
    return Cleaned("".join(pieces), tuple(cuts), tuple(removed))
