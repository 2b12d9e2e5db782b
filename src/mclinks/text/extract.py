"""Extraction stage: one source text in, paragraphs and references out."""
from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

from mclinks.config import Settings
from mclinks.model import Extraction, Paragraph, Reference, SourceInfo
from mclinks.text import citations, issuers
from mclinks.text.acts import ActContext, acts, anaphora
from mclinks.text.citations import Context
from mclinks.text.clauses import ByStart, analyse
from mclinks.text.clean import fold
from mclinks.text.meetings import MeetingContext, meetings
from mclinks.text.offsets import Cleaned, dehyphenate
from mclinks.text.responses import response_pairs
from mclinks.text.segment import segment
from mclinks.text.sources import load_source
from mclinks.text.topics import Topics, load_topics, topics_of_spans

# Citation kinds may not overlap each other; the earlier kind wins a tie.
_CITATION_PRIORITY = ("document", "resolution", "decision", "article", "meeting", "period")


def _own_prefix(info: SourceInfo) -> str | None:
    """The adopting body's issuer prefix: from the meeting, the body, the symbol, else the instrument."""
    if prefix := issuers.prefix_of_meeting(info.meeting) or issuers.prefix_of_body(info.body):
        return prefix
    pattern, templates = issuers.explicit_acts()
    for symbol in _symbols(info):
        if m := pattern.fullmatch(symbol):
            return templates[issuers.groups_of(m, "x")[0]].issuer
    return issuers.prefix_of_instrument(info.instrument)


def _symbols(info: SourceInfo) -> list[str]:
    symbol = info.symbol
    return [] if not symbol else list(symbol) if isinstance(symbol, (list, tuple)) else [symbol]


def _year(info: SourceInfo) -> int | None:
    return int(info.date[:4]) if info.date and info.date[:4].isdigit() else None


def _outside(refs: list[Reference], spans: list[tuple[int, int]]) -> list[Reference]:
    """``refs`` that overlap none of ``spans`` (sorted, disjoint)."""
    if not spans:
        return refs
    starts = [s for s, _ in spans]

    def clear(r: Reference) -> bool:
        k = bisect.bisect_left(starts, r.end) - 1
        return k < 0 or spans[k][1] <= r.start

    return [r for r in refs if clear(r)]


def _without_overlaps(refs: list[Reference], priority: tuple[str, ...]) -> list[Reference]:
    """Keep the best of overlapping references: by kind priority, then the longer span.

    Characters already claimed are marked in a byte map, so each candidate costs the length
    of its own span: linear in the text, whatever the number of references.
    """
    if not refs:
        return []
    in_order = sorted(refs, key=_span)
    if all(a.end <= b.start for a, b in zip(in_order, in_order[1:])) and all(r.end > r.start for r in in_order):
        return in_order  # nothing overlaps (most lists): every reference is kept, in this order
    rank = {k: i for i, k in enumerate(priority)}
    ordered = sorted(refs, key=lambda r: (rank.get(r.kind, len(rank)), -(r.end - r.start), r.start))
    taken = bytearray(max(r.end for r in refs) + 1)
    kept: list[Reference] = []
    for r in ordered:
        if r.end > r.start and taken.find(1, r.start, r.end) >= 0:
            continue
        taken[r.start:r.end] = b"\x01" * (r.end - r.start)
        kept.append(r)
    kept.sort(key=_span)
    return kept


def _span(r: Reference) -> tuple[int, int]:
    return r.start, r.end


def extract_text(source: str, info: SourceInfo, topics: Topics | None = None) -> Extraction:
    """Paragraphs and references of ``source``, offsets into ``source`` itself; ``topics`` are
    the registry's (default: this project's ``data/registry/topics.tsv``).

    Recognisers read the cleaned text (hyphenated words joined, see ``offsets``); every span
    is mapped back to the source at the end.
    """
    topics = load_topics(Settings().registry_dir) if topics is None else topics
    cleaned = dehyphenate(source)
    text = cleaned.text
    folded = fold(text)
    ctx = Context(symbol=info.symbol, instrument=info.instrument, meeting=info.meeting)
    own, year = _own_prefix(info), _year(info)
    act_ctx = ActContext(own, year, frozenset(_symbols(info)))
    meeting_ctx = MeetingContext(own, info.meeting, year)
    cites = [
        *citations.documents(text, folded),
        *acts(text, folded, act_ctx),
        *citations.articles(text, folded, ctx),
        *meetings(text, folded, meeting_ctx),
        *citations.periods(text, folded),
    ]
    cites = _outside(cites, citations.not_prose(folded))
    cites = _without_overlaps(cites, _CITATION_PRIORITY)
    cites = _without_overlaps(cites + list(anaphora(text, folded, cites)), _CITATION_PRIORITY)
    mentions = _without_overlaps(list(citations.instruments(text, folded, ctx)), ("instrument",))
    bodies = _without_overlaps(list(citations.bodies(text, folded, ctx)), ("body",))
    segments = segment(text, folded, info.kind)
    # Words outside every paragraph are web-page noise: what they mention is not cited.
    starts = [p.start for p in segments]

    def inside(r: Reference) -> bool:
        i = bisect.bisect_right(starts, r.start) - 1
        return i >= 0 and segments[i].start <= r.start < segments[i].end

    cites, mentions, bodies = ([r for r in refs if inside(r)] for refs in (cites, mentions, bodies))
    references = sorted(cites + mentions + bodies, key=lambda r: (r.start, r.end))
    by_start, bodies_by_start = ByStart(cites), ByStart(bodies)
    paragraphs = [analyse(p, folded, by_start, bodies_by_start, info.meeting) for p in segments]
    paragraphs = _with_topics_and_responses(paragraphs, references, folded, topics)
    unresolved = sorted(act_ctx.unresolved + meeting_ctx.unresolved, key=lambda r: r.start)
    if cleaned.cuts:
        references, unresolved = ([_to_source(r, cleaned, source) for r in refs] for refs in (references, unresolved))
        paragraphs = [replace(p, start=a, end=b) for p in paragraphs for a, b in [cleaned.source_span(p.start, p.end)]]
    return Extraction(info, tuple(paragraphs), tuple(references), tuple(unresolved))


def _with_topics_and_responses(paragraphs: list[Paragraph], references: list[Reference], folded: str,
                               topics: Topics) -> list[Paragraph]:
    """Each paragraph with the topics it is about and the acts it says answer others (offsets
    of the cleaned text: before they are mapped back)."""
    starts = [p.start for p in paragraphs]
    held: dict[int, list[tuple[int, Reference]]] = {}
    for k, r in enumerate(references):
        i = bisect.bisect_right(starts, r.start) - 1
        if i >= 0 and paragraphs[i].start <= r.start < paragraphs[i].end:
            held.setdefault(i, []).append((k, r))
    about = topics_of_spans(folded, [(p.start, p.end) for p in paragraphs], topics)
    out = []
    for i, p in enumerate(paragraphs):
        responses = response_pairs(folded, p.start, p.end, held[i]) if i in held else ()
        # ``replace`` costs more than the rest of this loop: only where something is added.
        out.append(replace(p, topics=about[i], responses=responses) if about[i] or responses else p)
    return out


def _to_source(r: Reference, cleaned: Cleaned, source: str) -> Reference:
    start, end = cleaned.source_span(r.start, r.end)
    return replace(r, start=start, end=end, text=source[start:end])


def extract_file(path: Path, strict: bool = True, warn: Callable[[str], None] | None = None) -> Extraction:
    """Read a source (text + sidecar metadata) and extract it; see ``load_source`` for ``strict``."""
    info, text = load_source(path, strict, warn)
    return extract_text(text, info)


def describe(extraction: Extraction, text: str) -> Iterator[str]:
    """The extraction for a person reading a terminal: one line per paragraph (offsets, kind,
    number, actions, opening words), then one per reference with the words it was read from."""
    for p in extraction.paragraphs:
        head = " ".join(text[p.start:p.end].split())[:70]
        yield f"{p.start:>6}-{p.end:<6} {p.kind:<12} {p.number or '':<3} {','.join(p.actions):<20} {head}"
    for r in extraction.references:
        part = f" ({r.part})" if r.part else ""
        yield f"{r.start:>6}-{r.end:<6} {r.kind:<11} {r.id}{part}  «{' '.join(r.text.split())}»"
