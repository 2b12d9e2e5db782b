"""Extraction stage: one source text in, paragraphs and references out."""
from __future__ import annotations

import bisect
from collections.abc import Callable
from pathlib import Path

from . import citations
from .citations import Context
from .clean import fold
from .clauses import analyse
from .model import Extraction, Reference, SourceInfo
from .segment import segment
from .sources import load_source

# Citation kinds may not overlap each other; the earlier kind wins a tie.
_CITATION_PRIORITY = ("document", "resolution", "decision", "article", "meeting", "period")


def _context(info: SourceInfo) -> Context:
    prefix = None
    if info.meeting:
        prefix = info.meeting.split("-COP-")[0] if "-COP-" in info.meeting else info.meeting.rsplit("-", 1)[0]
    return Context(symbol=info.symbol, instrument=info.instrument, meeting=info.meeting, body_prefix=prefix)


def _without_overlaps(refs: list[Reference], priority: tuple[str, ...]) -> list[Reference]:
    """Keep the best of overlapping references: by kind priority, then the longer span.

    Characters already claimed are marked in a byte map, so each candidate costs the length
    of its own span: linear in the text, whatever the number of references.
    """
    if not refs:
        return []
    rank = {k: i for i, k in enumerate(priority)}
    ordered = sorted(refs, key=lambda r: (rank.get(r.kind, len(rank)), -(r.end - r.start), r.start))
    taken = bytearray(max(r.end for r in refs) + 1)
    kept: list[Reference] = []
    for r in ordered:
        if r.end > r.start and taken.find(1, r.start, r.end) >= 0:
            continue
        taken[r.start:r.end] = b"\x01" * (r.end - r.start)
        kept.append(r)
    kept.sort(key=lambda r: (r.start, r.end))
    return kept


def extract_text(text: str, info: SourceInfo) -> Extraction:
    """Paragraphs and references of ``text``, offsets into ``text`` itself."""
    folded = fold(text)
    ctx = _context(info)
    cites = [
        *citations.documents(text, folded),
        *citations.decisions_and_resolutions(text, folded, ctx),
        *citations.articles(text, folded, ctx),
        *citations.meetings(text, folded, ctx),
        *citations.periods(text, folded),
    ]
    cites = [r for r in cites if not (r.kind in ("decision", "resolution") and r.id == info.symbol)]
    cites = _without_overlaps(cites, _CITATION_PRIORITY)
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
    paragraphs = [analyse(p, folded, cites, bodies, info.meeting) for p in segments]
    return Extraction(info, tuple(paragraphs), tuple(references))


def extract_file(path: Path, strict: bool = True, warn: Callable[[str], None] | None = None) -> Extraction:
    """Read a source (text + sidecar metadata) and extract it; see ``load_source`` for ``strict``."""
    info, text = load_source(path, strict, warn)
    return extract_text(text, info)
