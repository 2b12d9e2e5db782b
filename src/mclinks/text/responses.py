"""Acts a paragraph says answer other acts: "In response to decisions BC-13/4, RC-6/12 …, the
Conference … in its decision MC-1/21" — every act cited after the phrase whose series differs
from the first one's answers each act of that first series."""
from __future__ import annotations

from mclinks.model import Reference
from mclinks.text.lexicon import RESPONSE_RE
from mclinks.text.prefilter import any_within, prefiltered

# Where the phrase may begin, from the text's one scan: most paragraphs have none, and are not searched.
_PHRASE = prefiltered(RESPONSE_RE)


def response_pairs(folded: str, start: int, end: int, refs: list[tuple[int, Reference]]) -> tuple[tuple[int, int], ...]:
    """(answering, answered) pairs of reference indices, for the paragraph ``folded[start:end]``
    holding ``refs`` (index, reference); none when the paragraph has no response phrase.

    >>> from mclinks.model import Reference as R
    >>> text = "in response to decisions bc-1/1 of the basel cop, decides mc-1/2"
    >>> refs = [(0, R("decision", "BC-1/1", 25, 31, "bc-1/1")), (1, R("decision", "MC-1/2", 58, 64, "mc-1/2"))]
    >>> response_pairs(text, 0, len(text), refs)
    ((1, 0),)
    """
    places = _PHRASE.places(folded)
    if places is not None and not any_within(places, start, end):
        return ()
    m = RESPONSE_RE.search(folded, start, end)
    if not m:
        return ()
    decisions = [(i, r) for i, r in refs if r.kind in ("decision", "resolution") and r.start >= m.end()]
    if not decisions:
        return ()
    series = decisions[0][1].id.split("-")[0]
    answered = [i for i, r in decisions if r.id.split("-")[0] == series]
    answering = [i for i, r in decisions if r.id.split("-")[0] != series]
    return tuple((a, b) for a in answering for b in answered)
