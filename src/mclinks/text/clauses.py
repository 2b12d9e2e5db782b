"""What a paragraph does: its actions, whom it addresses, under which
conditions, and by which meeting (deadline). Reads the paragraph's own
references, found earlier by ``citations``.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

from mclinks.model import ACT_PARAGRAPH_KINDS, MANDATE_ACTIONS, Paragraph, Reference
from mclinks.text.lexicon import CONDITION_PATTERNS, LATER_ACTIONS, OPERATIVE_OPENERS, PREAMBLE_OPENERS, opener_pattern
from mclinks.text.prefilter import prefiltered

_LEAD_RE = re.compile(r"\s*(?:\d{1,3}\s?\.\s*|\(?(?:[a-z]{1,2}|[ivx]{1,5})\)\s*)?")
_ADDRESSEE_REACH = 24


def _openers(openers: list[tuple[str, str]]) -> tuple[re.Pattern[str], list[str]]:
    """One alternation of the openers, in order: at one place it takes the first that matches,
    as trying each in turn did, in one call."""
    pattern = "|".join(f"(?P<o{i}>{opener_pattern(p)}\\b)" for i, (_, p) in enumerate(openers))
    return re.compile(pattern), [a for a, _ in openers]


_COMPILED = {
    "preamble": _openers(PREAMBLE_OPENERS + OPERATIVE_OPENERS),
    "operative": _openers(OPERATIVE_OPENERS + PREAMBLE_OPENERS),
}
_LATER_IDS = [a for a, _ in LATER_ACTIONS]
_LATER_RE = prefiltered(re.compile("(?=[eEaA,])(?:" + "|".join(f"(?P<a{i}>{p})" for i, (_, p) in enumerate(LATER_ACTIONS)) + ")", re.I | re.A))
_CONDITION_IDS = [c for c, _ in CONDITION_PATTERNS]
_CONDITIONS_RE = prefiltered(re.compile("(?=[sdwaSDWA])(?:" + "|".join(f"(?P<c{i}>{p})" for i, (_, p) in enumerate(CONDITION_PATTERNS)) + ")", re.I | re.A))


def _opening_action(folded: str, p: Paragraph) -> tuple[str, int] | None:
    lead = _LEAD_RE.match(folded, p.start, p.end)
    pos = lead.end() if lead else p.start
    while pos < p.end and folded[pos].isspace():
        pos += 1
    pattern, actions = _COMPILED["operative" if p.kind != "preamble" else "preamble"]
    if m := pattern.match(folded, pos, p.end):
        return actions[int(m.lastgroup[1:])], m.end()  # type: ignore[index]
    return None


@lru_cache(maxsize=1024)  # asked for the adopting meeting in every act paragraph
def _meeting_number(meeting_id: str) -> tuple[str, int]:
    m = re.match(r"(.*?)-?(\d+)$", meeting_id)
    return (m.group(1), int(m.group(2))) if m else (meeting_id, 0)


class ByStart:
    """References sorted by start, found by bisection: analysing every paragraph costs
    O(n log n), not paragraphs x references (issue 9)."""

    def __init__(self, refs: Sequence[Reference]) -> None:
        self.refs = refs
        self.starts = [r.start for r in refs]

    def within(self, lo: int, hi: int) -> Sequence[Reference]:
        """The references that start in [lo, hi)."""
        first = bisect.bisect_left(self.starts, lo)
        last = bisect.bisect_left(self.starts, hi, lo=first)
        return self.refs[first:last] if last > first else ()


def analyse(paragraph: Paragraph, folded: str, refs: ByStart, bodies: ByStart,
            adopting_meeting: str | None) -> Paragraph:
    """The paragraph with actions, addressees, conditions and deadline filled in.

    Only the references inside the paragraph (``refs``) and the bodies right after its verbs are read.
    """
    if paragraph.kind not in ACT_PARAGRAPH_KINDS:
        return paragraph
    actions: list[str] = []
    verb_ends: list[tuple[str, int]] = []
    opening = _opening_action(folded, paragraph)
    if opening and paragraph.kind != "subparagraph":
        actions.append(opening[0])
        verb_ends.append(opening)
    for m in _LATER_RE.finditer(folded, paragraph.start, paragraph.end):
        action = _LATER_IDS[int(m.lastgroup[1:])]  # type: ignore[index]
        verb_ends.append((action, m.end() - len(m.group().split()[-1])))
        if action not in actions and paragraph.kind != "subparagraph":
            actions.append(action)
    addressees: list[str] = []
    for action, end in verb_ends:
        if action not in MANDATE_ACTIONS:
            continue
        for b in bodies.within(end, end + _ADDRESSEE_REACH + 1):
            if b.id not in addressees:
                addressees.append(b.id)
                break
    found = {_CONDITION_IDS[int(m.lastgroup[1:])] for m in _CONDITIONS_RE.finditer(folded, paragraph.start, paragraph.end)}  # type: ignore[index]
    conditions = [c for c in _CONDITION_IDS if c in found]
    deadline = None
    if adopting_meeting:
        own, n = _meeting_number(adopting_meeting)
        for r in refs.within(paragraph.start, paragraph.end):
            if r.kind == "meeting":
                body, k = _meeting_number(r.id)
                if body == own and k > n:
                    deadline = r.id
                    break
    if not (actions or addressees or conditions or paragraph.actions or paragraph.addressees
            or paragraph.conditions) and deadline is None and paragraph.deadline is None:
        return paragraph  # nothing to fill in: ``replace`` costs more than the rest of this function
    return replace(paragraph, actions=tuple(actions), addressees=tuple(addressees),
                   conditions=tuple(conditions), deadline=deadline)
