"""Segment a source text into title, headings, preamble, operative paragraphs,
sub-paragraphs, body paragraphs and footnotes, with offsets into the original.

Two layouts occur: Word/web exports put one paragraph on one long line; OCR
text wraps lines at page width and separates paragraphs by blank lines, with
page breaks that split a paragraph in two. Each block is read in the layout
it shows, so mixed files work too.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from mclinks.model import Paragraph
from mclinks.text import issuers
from mclinks.text.lexicon import (
    CHAPEAU_RE,
    CONTINUING_WORDS,
    FURNITURE,
    OPERATIVE_OPENERS,
    PREAMBLE_OPENERS,
    RECORD_DISCLAIMER,
    RECORD_FIELDS,
    RECORD_LABEL_LINE,
    RECORD_SUMMARY,
    opener_pattern,
)
from mclinks.text.prefilter import any_within, prefiltered
from mclinks.text.text_tables import find_tables

_LONG_LINE = 200
# A line under this share of the block's width, without final punctuation, then a capital:
# cover-page lines ("Fourth meeting", a title) stand alone, they do not run on.
_SHORT_LINE = 0.5
_RUNS_ON_RE = re.compile(rf"\b(?:{CONTINUING_WORDS})$", re.I)
_PREAMBLE_RE = re.compile(r"^\s*" + opener_pattern("|".join(p for _, p in PREAMBLE_OPENERS)) + r"\b")
_OPERATIVE_RE = re.compile(r"^\s*" + opener_pattern("|".join(p for _, p in OPERATIVE_OPENERS)) + r"\b")
_NUMBERED_RE = re.compile(r"^\s*(\d{1,3})\s?\.(?!\d)\s*")
# "(a)", "b)", "(iv)", or a bullet (no number): items of a list.
_SUBPARA_RE = re.compile(r"^\s*(?:\(?([a-z]{1,2}|[ivx]{1,5})\)|[\u2022\u25aa\u25e6\u2023\u00b7\u2013*](?=\s))\s*")
_SECTION_RE = re.compile(r"^\s*(?:[IVXL]{1,6}|[A-H])\.(?:\s|$)")
_WORD_FOOTNOTE_RE = re.compile(r"\[(\d{1,3}):[^\]\n]*\]")
_OCR_FOOTNOTE_RE = re.compile(
    r"^\s*(\d{1,2})\s+(?=UNEP|Ibid|Voir|See|Disponible|Available|http|www|A/RES|FAO|Decision|Decision|Resolution)",
)
# Page furniture of printed UN documents: page numbers, the document's symbol alone on a
# line (running header), and the job number at the foot of a page ("K1708543 041017").
_PAGE_NUMBER_RE = re.compile(
    r"^\s*(?:-\s*)?\d{1,3}(?:\s*-)?\s*$|^\s*(?:Page|page)\s+\d+(?:\s+(?:of|sur|de)\s+\d+)?\s*$"
    r"|^\s*(?:UNEP|FAO)(?:\([A-Z]+\))?/[A-Za-z0-9./()-]+\s*$|^\s*/[A-Z][A-Za-z0-9./()-]*/[A-Za-z0-9./()-]+\s*$|^\s*[A-Z]{1,2}\d{6,8}\s+\d{6}\s*$"
)
_NOISE_RE = re.compile(
    r"^\s*(?:" + FURNITURE + r"|menu|search|rechercher|home|accueil|share"
    r"|partager|share\s+this\s+page|partager\s+cette\s+page|print|print\s+this\s+page|imprimer|back\s+to\s+top|retour\s+en\s+haut|log\s*in|sign\s+in|se\s+connecter"
    r"|download(?:\s+\w+){0,3}|telecharger(?:\s+\w+){0,3}|cookies?.*|this\s+(?:site|website)\s+uses\s+cookies.*"
    r"|ce\s+site\s+utilise\s+des\s+cookies.*|(?:copyright|©).*|follow\s+us.*|suivez-nous.*|newsletter"
    r"|(?:https?://|www\.)\S+|(?:home|accueil)\s*(?:>|›|»|/).*|(?=.*>|.*›).*\s(?:>|›)\s.*\s(?:>|›)\s.*)\s*$",
    re.I,
)
# A breadcrumb ("Home > Meetings > COP-5") needs a separator on the line: the lookahead finds one
# by literal (fast in ``re``) before ``.*\s`` backtracks over every character of a long line.
_TERMINAL = ".;:,"
_BARE_MARKER_RE = re.compile(r"^\s*(?:\d{1,3}\s?\.|\(?(?:[a-z]{1,2}|[ivx]{1,5})\))\s*$")
_DOCUMENT_START_RE = re.compile(r"^\s*(?:decision|resolution)\b.*?\d{1,3}\s?/\s?\d{1,3}", re.I | re.A)
_LEADING_SCAN = 60
# The stop is matched (and put back), not looked behind for: the search skips to each stop.
_TRAILING_MARKER_RE = re.compile(r"([.;:,])\s*(?:\d{1,3}|[*\u00b9\u00b2\u00b3\u2070-\u2079]+)$")
_MARK_LAST_RE = re.compile(r"[\d*\u00b9\u00b2\u00b3\u2070-\u2079]")  # what the mark's last character may be
_MENU_SEPARATOR_RE = re.compile(r"\s[|>›»/]\s")
_RULE_LINE_RE = re.compile(r"^[\s_=*.~-]+$")
_ANNEX_HEADING_RE = re.compile(r"^\s*(?:Annexe?|Appendi(?:x|ce))\b", re.I | re.A)


@dataclass(frozen=True, slots=True)
class _Unit:
    start: int
    end: int
    footnote: str | None = None  # number, when the unit is a Word footnote definition
    field: bool = False  # a field of a catalogue record: a heading of the preface


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, without its newline."""
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _strip(folded: str, start: int, end: int) -> tuple[int, int]:
    while start < end and folded[start].isspace():
        start += 1
    while end > start and folded[end - 1].isspace():
        end -= 1
    return start, end


# The three kinds of furniture line in one pattern, each with its own flags: one call per line.
_FURNITURE_LINE_RE = re.compile(f"(?:{_PAGE_NUMBER_RE.pattern})|(?i:{_NOISE_RE.pattern})|(?:{_RULE_LINE_RE.pattern})")


def _is_noise(folded: str, start: int, end: int) -> bool:
    return _FURNITURE_LINE_RE.match(folded[start:end]) is not None


def _starts_paragraph(line: str) -> bool:
    return bool(
        _NUMBERED_RE.match(line) or _SUBPARA_RE.match(line) or _SECTION_RE.match(line)
        or CHAPEAU_RE.match(line) or _OCR_FOOTNOTE_RE.match(line)
    )


def _split_footnotes(folded: str, start: int, end: int) -> list[_Unit]:
    """A line may end with Word footnote definitions "[3: ...]": each is its own unit."""
    if folded.find("[", start, end) < 0:  # most lines hold none: no search is started
        s, e = _strip(folded, start, end)
        return [_Unit(s, e)] if e > s else []
    units: list[_Unit] = []
    pos = start
    for m in _WORD_FOOTNOTE_RE.finditer(folded, start, end):
        s, e = _strip(folded, pos, m.start())
        if e > s:
            units.append(_Unit(s, e))
        units.append(_Unit(m.start(), m.end(), footnote=m.group(1)))
        pos = m.end()
    s, e = _strip(folded, pos, end)
    if e > s:
        units.append(_Unit(s, e))
    return units


def _units(folded: str, row_starts: frozenset[int] = frozenset()) -> list[_Unit]:
    """Paragraph-sized units: lines of long-line blocks, or wrapped runs of lines; a table's
    row (``row_starts``) is a unit of its own."""
    lines = [(s, e) for s, e in _lines(folded)]
    units: list[_Unit] = []
    block: list[tuple[int, int]] = []

    def flush() -> None:
        if not block:
            return
        widths = [e - s for s, e in block]
        wrap = max(widths)
        long_lines = wrap > _LONG_LINE
        current: list[tuple[int, int]] = []
        for i, (s, e) in enumerate(block):
            line = folded[s:e]
            if current:
                prev = folded[current[-1][0]:current[-1][1]].rstrip()
                ends = prev[-1:] in _TERMINAL if prev else True
                new = s in row_starts or not _BARE_MARKER_RE.match(prev) and (
                    long_lines
                    or _starts_paragraph(line)
                    or CHAPEAU_RE.match(prev) is not None
                    or _SECTION_RE.match(prev) is not None and len(prev) < 100
                    or (ends and prev[-1:] in ".:;" and len(prev) < 0.7 * wrap)
                    or (ends and (_PREAMBLE_RE.match(line) or _OPERATIVE_RE.match(line)) is not None)
                    or _SHORT_LINE * wrap > len(prev) and prev[-1:] not in _TERMINAL and line[:1].isupper()
                    and not long_lines and not _RUNS_ON_RE.search(prev)
                )
                if new:
                    units.extend(_split_footnotes(folded, current[0][0], current[-1][1]))
                    current = []
            current.append((s, e))
        if current:
            units.extend(_split_footnotes(folded, current[0][0], current[-1][1]))
        block.clear()

    first = _document_start(folded, lines)
    for k, (s, e) in enumerate(lines):
        if not folded[s:e].strip():
            flush()
        elif k < first or _is_noise(folded, s, e):
            flush()
        else:
            block.append((s, e))
    flush()
    merged = _merge_continuations(folded, units)
    series = _SERIES_RE.places(folded)
    return [piece for k, u in enumerate(merged) for piece in _split_inline(folded, u, k < _PREFACE_UNITS, series)]


# Web exports run paragraphs together: a clause opening inside a line starts a unit too
# ("…Goals, Recalling also…", "…; 2. Takes note…", "…matters: (a) Work…", "Note by the secretariat 1. In…").
# A footnote number fused to the punctuation ("26/12,11 1. Notes") does not hide the break.
# Every break is a run of spaces that begins with the pattern's first character, so the search
# skips to the next space in C; what comes before that space is read behind it.
_AFTER_STOP = r"(?:(?<=[;:.,]\s)|(?<=[;:.,]\d\s)|(?<=[;:.,]\d\d\s))"
# The guard holds for every alternative: a stop or a digit before the space, or a "1" after the run.
_INLINE_BREAK_RE = re.compile(
    rf"\s(?:(?<=[;:.,\d]\s)|(?=\s*1))(?:{_AFTER_STOP}\s*(?=\d{{1,3}}\s?\.\s+[A-Z])"
    r"|(?<=[;:]\s)\s*(?=\(?(?:[a-z]{1,2}|[ivx]{1,5})\)\s+[A-Z])"
    rf"|{_AFTER_STOP}\s*(?=(?:{opener_pattern('|'.join(p for _, p in PREAMBLE_OPENERS))})\b)"
    r"|(?<=[a-z]\s)\s*(?=1\s?\.\s+[A-Z]))"
)


# A footnote definition glued to the end of its paragraph: after the punctuation and the
# marker comes the footnote's number and a document symbol ("…2020;31UNEP/CHW.13/INF/38…",
# ".2UNEP/CHW.13/INF/39…"): marker 3, footnote 1, then footnote 2.
_FUSED_FOOTNOTE_RE = re.compile(rf"(?=\d)(?<=[;:,.])(?:\d(?=\d))?(?P<num>\d{{1,2}})(?={issuers.document_series_start()})")
# The symbol it needs, found by the text's one scan: a unit holding none is not searched (the
# search stops at every digit, and symbols are rare).
_SERIES_RE = prefiltered(re.compile(issuers.document_series_start()))


# A catalogue record run into one line: "<disclaimer> <title> Tipo de documento Decision Fecha …
# Resumen <text>". Its fields are headings of the preface, the disclaimer is furniture.
_RECORD_FIELD_RES = {
    lang: prefiltered(re.compile(rf"(?<=\s)(?:(?P<summary>{RECORD_SUMMARY})\s+|(?:{fields})(?=\s))"))
    for lang, fields in RECORD_FIELDS.items()
}
_RECORD_DISCLAIMER_RE = re.compile(RECORD_DISCLAIMER, re.I | re.S)
_RECORD_LABEL_RE = re.compile(rf"^\s*{RECORD_LABEL_LINE}", re.M)  # its first line is a label
_RECORD_MIN_FIELDS = 3
_PREFACE_REACH = 5000
_PREFACE_UNITS = 3  # a catalogue record is one of the first units of a text
_RECORD_MIN_LENGTH = 120


def _record_breaks(folded: str, unit: _Unit) -> list[tuple[int, int, str | None]]:
    if unit.start > _PREFACE_REACH or unit.end - unit.start < _RECORD_MIN_LENGTH:
        return []  # a record is a long line (fields with their values) near the start
    # The interface's language is the one whose labels occur most; the others' are values.
    fields = max((list(r.finditer(folded, unit.start, unit.end)) for r in _RECORD_FIELD_RES.values()), key=len)
    if len(fields) < _RECORD_MIN_FIELDS:
        return []
    breaks = []
    for m in fields:
        breaks.append((m.start(), m.start(), _FIELD))
        if m.group("summary"):
            breaks.append((m.end(), m.end(), None))
            break  # the text begins: words after it are not fields
    return breaks


_FIELD = "field"


def _split_inline(folded: str, unit: _Unit, preface: bool = False, series: list[int] | None = None) -> list[_Unit]:
    """A unit cut where clauses open inside it; a ``preface`` unit may be a catalogue record too.
    ``series``: sorted places where a document symbol may begin (None: anywhere)."""
    if unit.footnote is not None:
        return [unit]
    breaks = [(m.start(), m.end(), None) for m in _INLINE_BREAK_RE.finditer(folded, unit.start, unit.end)]
    if preface:
        breaks += _record_breaks(folded, unit)
        if disclaimer := _RECORD_DISCLAIMER_RE.match(folded, unit.start, unit.end):
            breaks.append((disclaimer.start(), disclaimer.end(), None))  # furniture: dropped
    if series is None or any_within(series, unit.start + 1, unit.end):
        breaks += [(m.start("num"), m.start("num"), m.group("num"))
                   for m in _FUSED_FOOTNOTE_RE.finditer(folded, unit.start, unit.end)]
    breaks.sort()
    pieces: list[_Unit] = []
    pos, mark = unit.start, None
    for start, end, next_mark in breaks:
        if start > pos:
            pieces.append(_unit(folded, pos, start, mark))
        pos, mark = end, next_mark
    pieces.append(_unit(folded, pos, unit.end, mark))
    return [p for p in pieces if p.end > p.start]


def _unit(folded: str, start: int, end: int, mark: str | None) -> _Unit:
    """A stripped unit; ``mark`` is a footnote's number or ``_FIELD``."""
    s, e = _strip(folded, start, end)
    return _Unit(s, e, field=True) if mark == _FIELD else _Unit(s, e, mark)


def _document_start(folded: str, lines: list[tuple[int, int]]) -> int:
    """Index of a decision heading ("Decision MC-1/14: …") when only menu-like lines
    (short, or with separators such as | and >) come before it; 0 otherwise."""
    for k, (s, e) in enumerate(lines[:_LEADING_SCAN]):
        line = folded[s:e].strip()
        if not line:
            continue
        if _DOCUMENT_START_RE.match(line):
            return k
        if len(line) >= 50 and not _MENU_SEPARATOR_RE.search(line):
            return 0  # a sentence or a title line: nothing before the decision is furniture
    return 0


def _merge_continuations(folded: str, units: list[_Unit]) -> list[_Unit]:
    """Join a unit that starts in lower case to the one before (a page break split it)."""
    merged: list[_Unit] = []
    for u in units:
        first = folded[u.start]
        previous = folded[merged[-1].start:merged[-1].end] if merged else ""
        if merged and merged[-1].footnote is None and u.footnote is None and _BARE_MARKER_RE.match(previous):
            merged[-1] = _Unit(merged[-1].start, u.end)  # "1." alone on its line, the text below it
        elif (
            merged and u.footnote is None and merged[-1].footnote is None
            and first.islower() and not _SUBPARA_RE.match(folded[u.start:u.end])
            and folded[merged[-1].end - 1] not in ".:"
            and not CHAPEAU_RE.match(previous)  # "Конференция Сторон," then "ссылаясь на…": a new clause
        ):
            merged[-1] = _Unit(merged[-1].start, u.end)
        else:
            merged.append(u)
    return merged


def _is_numbered_heading(line: str) -> bool:
    """'1. The guidance referred to in article 8': a numbered section title, no sentence."""
    stripped = line.strip()
    return (bool(_NUMBERED_RE.match(stripped)) and len(stripped) < 100 and stripped[-1:] not in _TERMINAL
            and "\n" not in stripped)


def _is_heading(line: str) -> bool:
    stripped = line.strip()
    if stripped and _MARK_LAST_RE.match(stripped, len(stripped) - 1):  # else no mark can end the line
        stripped = _TRAILING_MARKER_RE.sub(r"\1", stripped)  # "…thresholds,1": a footnote mark ends the line
    if _SECTION_RE.match(stripped):
        return True
    return len(stripped) < 100 and stripped[-1:] not in _TERMINAL and not _NUMBERED_RE.match(stripped)


def segment(text: str, folded: str, source_kind: str = "decision") -> list[Paragraph]:
    """Paragraphs of ``text`` (whose folded form is ``folded``), in reading order.

    >>> [p.kind for p in segment("Decision X\\n\\nThe Conference of the Parties,\\n\\n1. Decides;", \
"Decision X\\n\\nThe Conference of the Parties,\\n\\n1. Decides;")]
    ['title', 'heading', 'operative']
    """
    paragraphs: list[Paragraph] = []
    in_decision = False
    seen_operative = False
    last_operative: int | None = None
    in_preface, has_title = True, False  # the title is the first preface unit that is neither furniture nor a field
    label_before = False
    tables = find_tables(folded)
    row_starts = frozenset(row[0] for t in tables for row in t.rows)
    table_body = [(t.header_end, t.rows[-1][1]) for t in tables]
    table_starts = [a for a, _ in table_body]
    for unit in _units(folded, row_starts):
        line = folded[unit.start:unit.end]
        k = bisect.bisect_left(table_starts, unit.start) - 1
        if k >= 0 and table_body[k][0] < unit.start < table_body[k][1]:
            paragraphs.append(Paragraph(unit.start, unit.end, "body"))  # a row, or a note between rows
            continue
        if unit.footnote is not None:
            paragraphs.append(Paragraph(unit.start, unit.end, "footnote", number=unit.footnote))
            continue
        if unit.field:
            paragraphs.append(Paragraph(unit.start, unit.end, "heading"))
            continue
        if m := _OCR_FOOTNOTE_RE.match(line):
            paragraphs.append(Paragraph(unit.start, unit.end, "footnote", number=m.group(1)))
            continue
        if CHAPEAU_RE.match(line):  # the enacting formula is a heading, and the preface ends
            paragraphs.append(Paragraph(unit.start, unit.end, "heading"))
            in_decision, seen_operative, last_operative, in_preface = True, False, None, False
            continue
        if in_preface and (_RECORD_LABEL_RE.match(line) or label_before):
            paragraphs.append(Paragraph(unit.start, unit.end, "heading"))  # record fields: "Type / Decision"
            label_before = bool(_RECORD_LABEL_RE.fullmatch(line.strip()))  # a label alone: its value follows
            continue
        numbered = _NUMBERED_RE.match(line)
        sub = _SUBPARA_RE.match(line)
        rest = line[numbered.end():] if numbered else line
        preamble_line = _PREAMBLE_RE.match(line) is not None
        preamble = preamble_line if rest is line else _PREAMBLE_RE.match(rest) is not None
        operative = _OPERATIVE_RE.match(rest) is not None
        if in_preface and not has_title and not numbered and not preamble_line:
            paragraphs.append(Paragraph(unit.start, unit.end, "title"))
            has_title = True
            continue
        in_preface = in_preface and not numbered and not preamble_line and _is_heading(line)
        if not in_decision and source_kind in ("decision", "resolution") and (preamble or operative):
            in_decision = True
        if in_decision and _SECTION_RE.match(line) or _ANNEX_HEADING_RE.match(line):
            in_decision = False
        opens_clause = preamble or operative
        if not in_decision and not opens_clause and _is_numbered_heading(line):
            paragraphs.append(Paragraph(unit.start, unit.end, "heading", number=numbered.group(1) if numbered else None))
            continue
        if not numbered and not sub and not (in_decision and opens_clause) and _is_heading(line):
            paragraphs.append(Paragraph(unit.start, unit.end, "heading"))
            continue
        number = numbered.group(1) if numbered else None
        if in_decision:
            if sub and last_operative is not None:
                paragraphs.append(Paragraph(unit.start, unit.end, "subparagraph", number=sub.group(1),
                                            parent=last_operative))
                continue
            if numbered or operative:
                kind = "operative"
            elif preamble and not seen_operative:
                kind = "preamble"
            else:
                kind = "operative" if seen_operative else "preamble"
            if kind == "operative":
                seen_operative = True
                last_operative = len(paragraphs)
            paragraphs.append(Paragraph(unit.start, unit.end, kind, number=number))
        elif sub:
            paragraphs.append(Paragraph(unit.start, unit.end, "subparagraph", number=sub.group(1)))
        else:
            paragraphs.append(Paragraph(unit.start, unit.end, "body", number=number))
    return paragraphs
