"""Meetings, tied to their body: "its twenty-seventh session" in a Governing Council text
is GC-27, "its fourth ordinary meeting" in a Minamata one MC-COP-4, "ninth special
session" GC-SS-9. Series, their words and symbols come from the issuers table; the
number must be a session the body can hold (registry calendar), else it is unresolved.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from mclinks.model import Reference
from mclinks.text import issuers
from mclinks.text.lexicon import COP_NAME, DETERMINERS, NEXT_WORDS, ORDINAL_RE, OTHER_BODIES, POSSESSIVES, ordinal_value
from mclinks.text.prefilter import Prefiltered, prefiltered
from mclinks.text.trie import trie_pattern
from mclinks.text.windows import clause_before

_I = re.I | re.A
_NEXT_WORDS = set(NEXT_WORDS)
_COP_NAME = COP_NAME
_COP_NAME_RE = re.compile(_COP_NAME, _I)
_OF = r"\s+(?:of\s+the|de\s+la|du|del|de\s+l')\s+"
_POSSESSIVE = "|".join(POSSESSIVES + DETERMINERS)
_POSSESSIVE_WORDS = set(POSSESSIVES)
_AHEAD = 2  # a text may plan its body's next meetings


def _session_names() -> str:
    """Names of bodies that hold numbered sessions without a series word ("25th UNEP Governing Council")."""
    names = {w for i in issuers.issuers() if i.meetings and not i.instrument for ws in i.names.values() for w in ws}
    return "|".join(r"\s+".join(re.escape(x) for x in n.split()) for n in sorted(names, key=len, reverse=True))


# Anchored on the series word or the body's name, then the ordinal is looked for just before
# it: an alternation of a hundred ordinals tried at every position of the text would be slow.
_WORD_RE = prefiltered(re.compile(
    rf"{issuers.first_letters(issuers.series_words(), _COP_NAME, _session_names())}"
    rf"(?:\b(?P<word>{issuers.series_words()})\b(?:{_OF}(?P<body>{_COP_NAME}|{issuers.names_pattern()}))?"
    rf"|\b(?P<name>{_COP_NAME}|{_session_names()})\b)",
    _I,
))
_BEFORE_RE = re.compile(
    rf"(?:\b(?P<poss>{_POSSESSIVE})\s+|(?P<owner>{issuers.names_pattern()})'s?\s+)?"
    rf"\b(?P<ord>{ORDINAL_RE}|{'|'.join(sorted(_NEXT_WORDS))})\s+(?P<unep>(?:UNEP|PNUE|PNUMA)\s+)?$",
    _I,
)
_REACH = 70
_OTHER_BODIES_RE = re.compile(rf"\b(?-i:{OTHER_BODIES})\b", re.A)
_WORDS_BACK = 5
_WORD_START_RE = re.compile(r"(?<=\s)\S")


def _just_before(folded: str, end: int) -> re.Match[str] | None:
    """``_BEFORE_RE`` ending at ``end``, tried only where one of the last few words starts
    (leftmost first, as a search would find it)."""
    floor = max(0, end - _REACH)
    starts = [m.start() for m in _WORD_START_RE.finditer(folded, floor + 1, end)][-_WORDS_BACK:]
    if floor == 0 < end and (len(starts) < _WORDS_BACK or starts[0] == 1):
        starts.insert(0, 0)  # the text's first word (as the backward walk reached it)
    for start in starts:
        if m := _BEFORE_RE.match(folded, start, end):
            return m
    return None


# After a meeting word, another body's name: "first meeting of the Open-ended Working Group".
# or a segment of a meeting: "the first session of the first meeting".
_OTHER_BODY_RE = re.compile(
    rf"\s+(?:of\s+the|de\s+la|du|del|des|de\s+los|de\s+las)\s+(?:(?-i:[A-Z])|(?:{ORDINAL_RE})\s)", _I)


@dataclass(slots=True)
class MeetingContext:
    own_prefix: str | None
    own_meeting: str | None
    year: int | None
    unresolved: list[Reference] = field(default_factory=list)


def _with_meetings(prefixes: list[str]) -> list[str]:
    return [p for p in prefixes if (i := issuers.by_prefix().get(p)) and i.meetings]


def _convention_after(folded: str, end: int) -> str | None:
    found = _with_meetings([p for p, _, _ in issuers.named_issuers(folded[end:end + 70])])
    return found[0] if found else None


def _number(ord_word: str, series: issuers.MeetingSeries, ctx: MeetingContext) -> int | None:
    if ord_word.lower() not in _NEXT_WORDS:
        return ordinal_value(ord_word)
    own = issuers.series_of_meeting(ctx.own_meeting)
    if own is not None and own.id == series.id and ctx.own_meeting:
        return int(re.findall(r"\d+", ctx.own_meeting)[-1]) + 1
    last = issuers.last_session(series.issuer, ctx.year)
    return last + 1 if last is not None and ctx.year is not None else None


def _emit(text: str, prefix: str | None, word: str | None, ord_word: str, start: int, end: int,
          ctx: MeetingContext) -> Iterator[Reference]:
    series = issuers.series_for(prefix, word) if prefix else None
    if series is None:
        return
    n = _number(ord_word, series, ctx)
    if n is None:
        return
    ref = Reference("meeting", series.meeting_id(n), start, end, text[start:end])
    if "{n}" in series.id and not issuers.session_exists(series.issuer, n, ctx.year, ahead=_AHEAD):
        ctx.unresolved.append(ref)
        return
    yield ref


def _fixed_series() -> tuple[Prefiltered, dict[str, issuers.MeetingSeries]]:
    """Series held once, named by their words alone ("Conference of Plenipotentiaries")."""
    series = {" ".join(w.lower().split()): s for i in issuers.issuers() for s in i.meetings if "{n}" not in s.id
              for w in s.words}
    return prefiltered(re.compile(rf"\b{trie_pattern(series)}\b", _I)), series


_FIXED_RE, _FIXED = _fixed_series()


def _fixed(text: str, folded: str, ctx: MeetingContext) -> Iterator[Reference]:
    """A once-held meeting of the adopting body, or of the body named right after it."""
    for m in _FIXED_RE.finditer(folded):
        series = _FIXED[" ".join(m.group().lower().split())]
        if ctx.own_prefix != series.issuer and _convention_after(folded, m.end()) != series.issuer:
            continue
        yield Reference("meeting", series.id, m.start(), m.end(), text[m.start():m.end()])


_SYMBOLS = prefiltered(issuers.meeting_symbols()[0])


def meetings(text: str, folded: str, ctx: MeetingContext) -> Iterator[Reference]:
    """Meetings named by ordinal and series word, by ordinal and body name, by symbol, or once-held."""
    yield from _fixed(text, folded, ctx)
    for m in _WORD_RE.finditer(folded):
        o = _just_before(folded, m.start())
        if o is None:
            continue
        if m.group("name"):
            if _COP_NAME_RE.fullmatch(m.group("name")):
                prefix = [p for p in (_convention_after(folded, m.end()) or _cop_of(ctx.own_prefix),) if p]
            else:
                prefix = _with_meetings([p for p, _, _ in issuers.named_issuers(m.group("name"))])
            yield from _emit(text, prefix[0] if prefix else None, None, o.group("ord"), o.start("ord"), m.end(), ctx)
            continue
        if o.group("unep"):
            continue  # "25th UNEP session"? only a body's name may follow "UNEP"
        body, owner = m.group("body"), o.group("owner")
        if body is None and _OTHER_BODY_RE.match(folded, m.end()):
            continue  # another body's meeting
        if body and _COP_NAME_RE.fullmatch(body):
            prefix = _convention_after(folded, m.end()) or _cop_of(ctx.own_prefix)
        elif body or owner:
            found = _with_meetings([p for p, _, _ in issuers.named_issuers(body or owner)])
            prefix = found[0] if found else None
        else:
            clause = clause_before(folded, o.start(), 90)
            named = [(p, e) for p, _, e in issuers.named_issuers(clause) if p in _with_meetings([p])]
            other = [x.end() for x in _OTHER_BODIES_RE.finditer(clause)]
            if other and (not named or other[-1] > named[-1][1]):
                continue  # "the Working Group at its seventh meeting": another body's
            prefix = named[-1][0] if named else ctx.own_prefix
        possessive = (o.group("poss") or "").lower() in _POSSESSIVE_WORDS
        start = o.start("owner") if owner else o.start("poss") if possessive else o.start("ord")
        yield from _emit(text, prefix, m.group("word"), o.group("ord"), start, m.end(), ctx)
    _, templates = issuers.meeting_symbols()
    for m in _SYMBOLS.finditer(folded):
        k, groups = issuers.groups_of(m, "m")
        template = templates[k]
        result = template.normalise(groups)
        if result is None:
            continue
        mid = result[0]
        if template.bare:
            before = _with_meetings([p for p, _, _ in issuers.named_issuers(folded[max(0, m.start() - 12):m.start()])])
            owner = before[-1] if before else _cop_of(ctx.own_prefix) or template.issuer
            series = issuers.series_for(owner, None)
            if series is None:
                continue
            mid = series.meeting_id(result[1])
        yield Reference("meeting", mid, m.start(), m.end(), text[m.start():m.end()])


def _cop_of(prefix: str | None) -> str | None:
    """The adopting body, when it is one whose meetings are COPs ("Conference of the Parties")."""
    issuer = issuers.by_prefix().get(prefix or "")
    return prefix if issuer and any(s.series == "cop" for s in issuer.meetings) else None
