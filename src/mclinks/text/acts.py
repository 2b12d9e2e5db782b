"""Decisions and resolutions: lists after a keyword, explicit symbols, parts, and the
body a bare number belongs to, checked against the issuers table (``issuers``).

A bare ``26/12`` is tried, in order, for the body the clause names, the body that
adopted the source, a body the same number was given to earlier in the text, then every
body whose bare template fits; the first whose session can exist by the source's date
wins. None fits: the reference is unresolved, kept apart, never published as a fact.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from mclinks.model import Reference
from mclinks.text import issuers
from mclinks.text.lexicon import (
    ACT_ANAPHORA,
    ACT_ANAPHORA_AFTER_PART,
    ACT_KEYWORDS,
    ACT_TOPIC_WORDS,
    PART_LINK,
    PART_RE,
    PART_WORDS,
)
from mclinks.text.prefilter import Prefiltered, prefiltered
from mclinks.text.trie import trie_pattern
from mclinks.text.windows import clause_after, clause_before

_I = re.I | re.A
_SEP = r"(?:\s*,\s*(?:et|and|y)?\s*|\s+(?:et|and|y)\s+|\s*;\s*)"
_SECTION_TAIL = r"(?:\s+(?P<sec>[IVX]{1,4})\b(?!\s?[/.]))?"
_DATE_TAIL = r"(?:\s+(?:of|du|de|del)\s+\d{1,2}\s+[A-Za-z]+\s+\d{4})?"
# What an item is about, between two items: "1/5 … on chemicals and waste and 2/7" (no digits,
# so that it never swallows the next item; kept only when another item follows).
_TOPIC_TAIL = rf"(?:\s+(?:{ACT_TOPIC_WORDS})\s+[^;:.()\d]{{1,120}}?(?={_SEP}))?"


@dataclass(slots=True)
class ActContext:
    """What decides a bare number: the adopting body, the source's year, what came before."""

    own_prefix: str | None
    year: int | None
    own_symbols: frozenset[str] = frozenset()
    seen: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, "53/242") -> issuer given earlier
    unresolved: list[Reference] = field(default_factory=list)


def _compiled(kind: str) -> tuple[Prefiltered, re.Pattern[str]]:
    item = issuers.list_item(kind)
    tail = _SECTION_TAIL.replace("?P<sec>", "?:") + _DATE_TAIL
    between = tail + _TOPIC_TAIL
    listing = prefiltered(re.compile(
        rf"(?=[dDrR])\b(?P<kw>{ACT_KEYWORDS[kind]})\s+(?:n[o°]\s*)?(?P<list>{item}(?:{between}{_SEP}{item})*{tail})", _I))
    one = re.compile(rf"(?P<item>{item}){_SECTION_TAIL}{_DATE_TAIL}", _I)
    return listing, one


_PATTERNS = {kind: _compiled(kind) for kind in ACT_KEYWORDS}
# A part named just before the keyword: "paragraph 6 of General Assembly resolution 53/242".
_PART_BEFORE_RE = re.compile(rf"{issuers.first_letters(trie_pattern(PART_WORDS))}\b(?P<part>{PART_RE}){PART_LINK}(?:{issuers.names_pattern()}\s+)?$", _I)
_PART_REACH = 70


def _part_before(folded: str, start: int) -> re.Match[str] | None:
    return _PART_BEFORE_RE.search(folded, max(0, start - _PART_REACH), start)


@lru_cache(maxsize=None)
def _acting(kind: str) -> frozenset[str]:
    return frozenset(t.issuer for t in issuers.act_templates(kind))


@lru_cache(maxsize=None)
def _bare(kind: str) -> dict[str, tuple[issuers.SymbolTemplate, ...]]:
    """Bare templates of ``kind`` per issuer, in table order."""
    out: dict[str, list[issuers.SymbolTemplate]] = {}
    for t in issuers.act_templates(kind, bare=True):
        out.setdefault(t.issuer, []).append(t)
    return {k: tuple(v) for k, v in out.items()}


def _named(folded: str, start: int, end: int, kind: str) -> str | None:
    """The issuer the clause names: the first after the list, else the nearest before it."""
    able = _acting(kind)
    after = [p for p, _, _ in issuers.named_issuers(clause_after(folded, end)) if p in able]
    if after:
        return after[0]
    before = [p for p, _, _ in issuers.named_issuers(clause_before(folded, start)) if p in able]
    return before[-1] if before else None


_PART_NUMBER_RE = re.compile(r"(?<![(\w])(?:[IVXL]{1,6}|\d{1,3})(?![\w)])")


def with_parts(text: str, folded: str, kind: str, rid: str, part: re.Match[str], end: int) -> list[Reference]:
    """References to ``rid`` for each number of a part list before it, the last one running to ``end``."""
    word = part.group("pword")
    numbers = [(part.start("pnum"), part.end("pnum"), part.group("pnum"))]
    numbers += [(n.start(), n.end(), n.group()) for n in _PART_NUMBER_RE.finditer(folded, part.start("pmore"), part.end("pmore"))]
    refs = []
    for k, (s, e, number) in enumerate(numbers):
        start = part.start() if k == 0 else s
        stop = end if k == len(numbers) - 1 else e
        refs.append(Reference(kind, rid, start, stop, text[start:stop], part_label(word, number)))
    return refs


def part_label(word: str, number: str) -> str:
    """'paragraphe', '2' → 'paragraph 2'; 'annexe', 'i' → 'annex I'."""
    return f"{PART_WORDS[word.lower()]} {number.upper()}"


class _Lazy:
    """A value computed on first use: the clause's named body is needed only for bare numbers."""

    def __init__(self, compute: Callable[[], str | None]) -> None:
        self._compute, self._done, self._value = compute, False, None

    def get(self) -> str | None:
        if not self._done:
            self._value, self._done = self._compute(), True
        return self._value


def resolve_item(surface: str, kind: str, named: _Lazy | str | None, ctx: ActContext) -> tuple[str | None, list[str]]:
    """The id of one list item, and the candidates that were tried (for an unresolved report)."""
    pattern, templates = issuers.explicit_acts()
    if m := pattern.fullmatch(surface):
        k, groups = issuers.groups_of(m, "x")
        if templates[k].kind == kind and (result := templates[k].normalise(groups)):
            return result[0], [result[0]]
    if isinstance(named, _Lazy):
        named = named.get()
    key = (kind, re.sub(r"\s", "", surface).upper())
    order: list[str] = [p for p in (named, ctx.own_prefix) if p]
    if key in ctx.seen and named is None:
        order.insert(0, ctx.seen[key])  # a second bare "resolution 53/242" is the first one
    bare = _bare(kind)
    order += list(bare)
    tried: list[str] = []
    for prefix in dict.fromkeys(order):
        for template in bare.get(prefix, ()):
            m = issuers.compiled(template.template).fullmatch(surface)
            result = template.normalise(m.groupdict()) if m else None
            if result is None:
                continue
            tried.append(result[0])
            if issuers.session_exists(prefix, result[1], ctx.year):
                ctx.seen.setdefault(key, prefix)
                return result[0], tried
    return None, tried


_EXPLICIT = prefiltered(issuers.explicit_acts()[0])


def acts(text: str, folded: str, ctx: ActContext) -> Iterator[Reference]:
    """Decisions and resolutions named by keyword lists, and explicit symbols anywhere."""
    for kind, (listing, one) in _PATTERNS.items():
        for m in listing.finditer(folded):
            named = _Lazy(lambda m=m, kind=kind: _named(folded, m.start("kw"), m.end(), kind))
            before = _part_before(folded, m.start())
            first = True
            for item in one.finditer(folded, m.start("list"), m.end("list")):
                start = m.start() if first else item.start()
                surface = item.group("item")
                rid, tried = resolve_item(surface, kind, named, ctx)
                item_part = f"section {item.group('sec')}" if item.group("sec") else None
                end = item.end("sec") if item.group("sec") else item.end("item")  # a date is not the act
                ref = Reference(kind, rid or (tried[0] if tried else surface), start, end, text[start:end], item_part)
                # "paragraphs 3 and 4 of resolutions 53/242 and 60/1": the parts are the first act's
                refs = with_parts(text, folded, kind, ref.id, before, end) if first and before else [ref]
                first = False
                if rid is None:
                    ctx.unresolved.extend(refs)
                elif rid not in ctx.own_symbols:
                    yield from refs
    _, templates = issuers.explicit_acts()
    for m in _EXPLICIT.finditer(folded):
        k, groups = issuers.groups_of(m, "x")
        result = templates[k].normalise(groups)
        if result and result[0] not in ctx.own_symbols:
            yield Reference(templates[k].kind, result[0], m.start(), m.end(), text[m.start():m.end()])


_ANAPHORA_WORD = r"(?P<kw>decision|resolution|document|resolucion)\b(?![-\w])(?!\s+(?:[A-Z]{1,5}[/(]|(?:[A-Z]{2,4}\s?[-.]?\s?)?[\dIVX]+\s?/))"
_LINK_ONLY = PART_LINK.replace(r"(?:the\s+)?", "")
_ANAPHORA_WORD_RE = prefiltered(re.compile(rf"(?=[dDrR])\b{_ANAPHORA_WORD}", _I))
_ANAPHORA_BEFORE_RE = re.compile(rf"(?:(?P<part>{PART_RE}){_LINK_ONLY}{ACT_ANAPHORA_AFTER_PART}|\b{ACT_ANAPHORA})$", _I)
_KIND_OF_WORD = {"decision": "decision", "resolution": "resolution", "document": "document", "resolucion": "resolution"}


def anaphora(text: str, folded: str, found: list[Reference]) -> Iterator[Reference]:
    """'the same decision', 'paragraph 2 of the decision', 'annex I to the document': the
    act or document of that kind cited last before (``found`` sorted by start)."""
    last: dict[str, Reference] = {}
    events = iter(found)
    pending = next(events, None)
    for w in _ANAPHORA_WORD_RE.finditer(folded):
        d = _ANAPHORA_BEFORE_RE.search(folded, max(0, w.start() - _PART_REACH), w.start())
        if d is None:
            continue
        start, end = d.start(), w.end()
        while pending is not None and pending.start < start:
            last[pending.kind] = pending
            pending = next(events, None)
        kind = _KIND_OF_WORD.get(w.group("kw").lower())
        target = last.get(kind or "")
        if target is None:
            continue
        if d.group("part"):
            yield from with_parts(text, folded, target.kind, target.id, d, end)
        else:
            yield Reference(target.kind, target.id, start, end, text[start:end])
