"""Recognise references in folded text and normalise them to the BRIEF's ids.

Each recogniser yields ``Reference`` objects whose spans index the original
text. Context that decides an id (which convention a bare "decision IX/15"
belongs to, which assembly a "resolution 1/5" comes from) is read from the
words around the match, then from the source's own metadata.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from mclinks.model import Reference
from mclinks.text import issuers
from mclinks.text.lexicon import ANAPHORIC_CONVENTION, BODY_PATTERNS, INSTRUMENT_PATTERNS
from mclinks.text.prefilter import prefiltered
from mclinks.text.text_tables import find_tables


@dataclass(frozen=True, slots=True)
class Context:
    """What the source's metadata says, used where the text is silent."""

    symbol: str | None
    instrument: str | None  # minamata, basel, ... or None
    meeting: str | None  # adopting/target meeting id, e.g. MC-COP-6


_I = re.I | re.A  # folded text is ASCII: ASCII-only case folding is faster
# A footnote number fused before a known series ("Programme;11UNEP/CHW.12/25") does not hide it.
_DOCUMENT_RE = prefiltered(re.compile(
    rf"(?=[UFAESW])(?:(?<![\w/])|(?<=\d)(?={issuers.document_series_start()}))(?:UNEP(?:\([A-Z]+\))?|FAO|UNITAR|UNIDO|WHO|ILO|SAICM|A|E)"
    r"(?:/[A-Za-z0-9][A-Za-z0-9().\-]*)+(?:/[A-Za-z0-9]+)*",
    re.A,  # no word boundary between a CJK character and a symbol
))
_ANNEX_PART = r"(?:annexe?|annex)\s+(?P<annex>[IVXL]{1,6}|\d{1,2})"
_ANY_ANNEX = r"(?:annexe?|annex)(?:\s+(?P<annex>[IVXL]{1,6}|\d{1,2}))?"  # "the annex to document X"
_DOC_ANNEX_BEFORE_RE = re.compile(rf"(?:l'|the\s+)?{_ANY_ANNEX}\s+(?:du|au|to|of)\s+(?:the\s+)?(?:document|note)\s*$", _I)
_DOC_ANNEX_AFTER_RE = re.compile(rf"\s*,\s*{_ANY_ANNEX}\b", _I)
# Joint symbols ("UNEP/CHW.12/INF/31-UNEP/FAO/RC/COP.7/INF/20") and footnote numbers fused
# between symbols ("…/INF/44.2UNEP/CHW…") separate documents of known series.
_JOINT_RE = re.compile(rf"(?:-|\.?\d{{1,3}}|[;,])(?={issuers.document_series_start()})")
_SAME_DOC_RE = prefiltered(re.compile(
    rf"(?=[lLtTaAiI])(?:l'|the\s+)?{_ANNEX_PART}\s+(?:du\s+meme\s+document|to\s+the\s+same\s+document|of\s+the\s+same\s+document)"
    rf"|\bIbid\s*\.?(?:\s*,\s*{_ANNEX_PART.replace('annex>', 'annex2>')})?",
    _I,
))
_ARTICLE_RE = prefiltered(re.compile(
    r"(?=[sSpPaA])(?:(?:sous-|sub)?(?:paragraphe|paragraph|parrafo|apartado|para\.)\s+(?P<para>\d{1,2})(?:\s?\(?(?P<lit>[a-z])\))?\s+"
    r"(?:de\s+l'|of\s+|del\s+|de\s+)?)?"
    r"(?P<art>articles?|article|articulos?)\s+(?P<num>\d{1,2})"
    r"(?:\s*,?\s*(?:paragraphe|paragraph|parrafo|para\.)\s+(?P<para2>\d{1,2})|\s?\((?P<para3>\d{1,2})\))?",
    _I,
))
# A list of articles stays on one line: "articles 3, 4 and 5" (a number on the next line is a paragraph's).
_ARTICLE_LIST_TAIL_RE = re.compile(r"(?:[ \t]*,[ \t]*|[ \t]+(?:et|and|y)[ \t]+|[ \t]*,[ \t]*(?:et|and|y)[ \t]+)(?P<num>\d{1,2})\b(?!\s*/)", _I)
# "part I of annex A", "Part I of Annexes A and B" (the part is every letter's), "Annex A, Part II".
_INSTRUMENT_ANNEX_RE = prefiltered(re.compile(
    r"(?=[pPaA])(?:(?:partie|parte|part)\s+(?P<part>[IVX]{1,4})\s+(?:de\s+l'|of\s+|de\s+los\s+|de\s+)?)?"
    r"\b(?:annexes?|annex|anexos?)\s+(?P<letter>[A-E])\b(?P<tail>(?:\s*(?:,|et|and|y)\s*[A-E]\b)*)"
    r"(?:\s*,\s*(?:partie|parte|part)\s+(?P<after>[IVX]{1,4})\b)?",
    _I,
))
# Parts of "the Annex" named just before: "both Part I and Part II of the Annex".
_ANNEX_PARTS_RE = prefiltered(re.compile(
    r"(?=[pP])\b(?:partie|parte|part)\s+(?P<p>[IVX]{1,4})\b(?:\s+(?:and|et|y)\s+(?:(?:partie|parte|part)\s+)?(?P<q>[IVX]{1,4})\b)?"
    r"\s+(?:of\s+the|de\s+l'|del)\s+(?:annex|annexe|anexo)\b(?!\s+[A-E]\b)",
    _I,
))
_PERIOD_RE = prefiltered(re.compile(
    r"(?=[pPeEbB12])(?:(?:periode|exercice)\s+bienn\w+|biennium|biennat|bienn?ale?)\s+(?:de\s+|of\s+)?(?P<a>(?:19|20)\d\d)\s?-\s?(?P<b>(?:19|20)?\d\d)\b"
    r"|(?P<c>(?:19|20)\d\d)\s?-\s?(?P<d>(?:19|20)\d\d)(?:\s+(?:biennium|bienn\w+))?",
    _I,
))
@lru_cache(maxsize=1)
def _conventions() -> frozenset[str]:
    """Instruments whose COP issues decisions (from the issuers table): minamata, basel, …"""
    return frozenset(i.instrument for i in issuers.issuers() if i.instrument and i.symbols and i.body.endswith("-cop"))


def _ref(text: str, kind: str, id_: str, start: int, end: int, part: str | None = None) -> Reference:
    return Reference(kind, id_, start, end, text[start:end], part)


def _clean_symbol(raw: str) -> str:
    return raw.rstrip(".,;:)")


_RESOLUTION_SYMBOL_RE = re.compile(r"A/RES/|UNEP/EA\.\d+/Res\.", _I)


def _annex_label(number: str | None) -> str:
    return f"annex {number.upper()}" if number else "annex"


def _pieces(folded: str, start: int, end: int) -> list[tuple[int, int]]:
    """A matched symbol split where another document of a known series begins."""
    out, pos = [], start
    for m in _JOINT_RE.finditer(folded, start + 1, end):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, end))
    return out


def documents(text: str, folded: str) -> Iterator[Reference]:
    """Official document symbols, with "annex I" parts, "Ibid." and "du meme document"."""
    last_doc: str | None = None
    found: list[tuple[int, int, str, str | None]] = []
    for piece_start, piece_end in (p for m in _DOCUMENT_RE.finditer(folded) for p in _pieces(folded, m.start(), m.end())):
        symbol = _clean_symbol(folded[piece_start:piece_end])  # folded: "COP.３" is "COP.3"
        if _RESOLUTION_SYMBOL_RE.match(symbol) or symbol.count("/") < 1 or len(symbol) < 6:
            continue
        start, end = piece_start, piece_start + len(symbol)
        part = None
        before = _DOC_ANNEX_BEFORE_RE.search(folded, max(0, start - 60), start)
        if before and before.end() >= start - 1:
            start, part = before.start(), _annex_label(before.group("annex"))
        elif after := _DOC_ANNEX_AFTER_RE.match(folded, end):
            end, part = after.end(), _annex_label(after.group("annex"))
        found.append((start, end, symbol, part))
    anaphora = [(m.start(), m.end(), m) for m in _SAME_DOC_RE.finditer(folded)]
    events = sorted([(s, e, sym, part, None) for s, e, sym, part in found] +
                    [(s, e, None, None, m) for s, e, m in anaphora], key=lambda x: x[0])
    for start, end, symbol, part, m in events:
        if symbol is not None:
            last_doc = symbol
            yield _ref(text, "document", symbol, start, end, part)
        elif last_doc is not None and m is not None:
            annex = m.group("annex") or m.group("annex2")
            yield _ref(text, "document", last_doc, start, end, f"annex {annex.upper()}" if annex else None)


_CONVENTION_AFTER_RE = re.compile(
    r"\s*(?:,\s*)?(?:de\s+la|du|of\s+the|to\s+the|de\s+l'|a\s+la|del|al)\s+(?:(?P<pre>\w+)\s+)?(?:Convention|Convenio)"
    r"(?:\s+de\s+(?P<post>\w+))?", _I)
_NAMED_INSTRUMENTS = {"minamata": "minamata", "basel": "basel", "bale": "basel", "basilea": "basel",
                      "rotterdam": "rotterdam", "stockholm": "stockholm", "estocolmo": "stockholm"}


def _instrument_near(folded: str, end: int, default: str | None) -> str:
    """The convention named right after a match ("… of the Basel Convention"), else the source's own."""
    m = _CONVENTION_AFTER_RE.match(folded, end, end + 90)
    if m:
        for name in (m.group("pre"), m.group("post")):
            if name and name.lower() in _NAMED_INSTRUMENTS:
                return _NAMED_INSTRUMENTS[name.lower()]
    return default or "minamata"


_DOCUMENT_ANNEX_TAIL_RE = re.compile(r"\s*(?:du|au|to|of)\s+(?:the\s+)?(?:document|note|present)", _I)


# "paragraphs 8 (a) and 8 (b) of article 8", "subparagraphs 2 (b) and (c) of article 11",
# "paragraphs 3 to 5 of article 4": one reference per item, ids at paragraph level.
_PARA_ITEM = r"(?:\d{1,2}(?:\s?\([a-z]\))?|\([a-z]\))"
_PARA_SEP = r"(?:\s*,\s*(?:and\s+|et\s+|y\s+)?|\s+(?:and|et|y|to|a|au)\s+)"
_PARAGRAPH_LIST_RE = prefiltered(re.compile(
    rf"(?=[sSpP])\b(?:sub-?|sous-)?(?:paragraphs|paragraphes|parrafos|paragraph|paragraphe|parrafo)\s+"
    rf"(?P<items>{_PARA_ITEM}(?:{_PARA_SEP}{_PARA_ITEM})+)\s+(?:of|de\s+l'|de|del)\s+(?:the\s+)?(?:article|articulo)\s+(?P<art>\d{{1,2}})\b",
    _I,
))
_PARA_ITEM_RE = re.compile(rf"{_PARA_ITEM}|(?P<range>\s(?:to|a|au)\s)", _I)


def _paragraph_lists(text: str, folded: str, ctx: Context) -> Iterator[Reference]:
    for m in _PARAGRAPH_LIST_RE.finditer(folded):
        inst = _instrument_near(folded, m.end(), ctx.instrument)
        art = int(m.group("art"))
        items = [i for i in _PARA_ITEM_RE.finditer(folded, m.start("items"), m.end("items"))]
        numbers: list[tuple[int, int, int]] = []  # (paragraph, start, end)
        current: int | None = None
        ranged: re.Match[str] | None = None
        for item in items:
            if item.group("range"):
                ranged = item
                continue
            digits = re.match(r"\d+", item.group())
            n = int(digits.group()) if digits else current
            if n is None:
                continue
            if ranged and current is not None and digits:  # the items a range leaves unwritten stand on "to"
                numbers += [(k, ranged.start() + 1, ranged.end() - 1) for k in range(current + 1, n)]
            ranged = None
            numbers.append((n, item.start(), item.end()))
            current = n
        for k, (n, s, e) in enumerate(numbers):
            start = m.start() if k == 0 else s
            end = m.end() if k == len(numbers) - 1 else e
            yield _ref(text, "article", f"{inst}/art{art}/para{n}", start, end)


_ROW_PARAGRAPH_RE = re.compile(
    r"\b(?:sub)?(?:paragraph|paragraphe|parrafo)\s+(?P<para>\d{1,2})(?:\s?\([a-z]\))?(?!\s*(?:of|de|del)\s+(?:the\s+)?(?:article|articulo|annex))",
    _I)


def _article_columns(text: str, folded: str, ctx: Context) -> Iterator[Reference]:
    """A table whose first column is "Article": each row's first cell cites that article."""
    for table in find_tables(folded):
        if table.article_column:
            inst = ctx.instrument or "minamata"
            for row_start, row_end, start, end in table.rows:
                article = int(folded[start:end])
                yield _ref(text, "article", f"{inst}/art{article}", start, end)
                # "… pursuant to paragraph 2(b)" in that row: a paragraph of the row's article
                for p in _ROW_PARAGRAPH_RE.finditer(folded, end, row_end):
                    yield _ref(text, "article", f"{inst}/art{article}/para{int(p.group('para'))}", p.start(), p.end())


def articles(text: str, folded: str, ctx: Context) -> Iterator[Reference]:
    """Articles, paragraphs of articles and annexes A-E of an instrument."""
    yield from _paragraph_lists(text, folded, ctx)
    yield from _article_columns(text, folded, ctx)
    for m in _ARTICLE_RE.finditer(folded):
        para = m.group("para") or m.group("para2") or m.group("para3")
        inst = _instrument_near(folded, m.end(), ctx.instrument)
        art = int(m.group("num"))
        aid = f"{inst}/art{art}" + (f"/para{int(para)}" if para else "")
        yield _ref(text, "article", aid, m.start(), m.end())
        pos = m.end()
        while tail := _ARTICLE_LIST_TAIL_RE.match(folded, pos):
            yield _ref(text, "article", f"{inst}/art{int(tail.group('num'))}", tail.start("num"), tail.end("num"))
            pos = tail.end()
    annexes: list[Reference] = []
    for m in _INSTRUMENT_ANNEX_RE.finditer(folded):
        if _DOCUMENT_ANNEX_TAIL_RE.match(folded, m.end(), m.end() + 30):
            continue
        inst = _instrument_near(folded, m.end(), ctx.instrument)
        roman = m.group("part") or m.group("after")
        part = f"part {roman.upper()}" if roman else None
        head_end = m.start("tail") if m.group("tail") else m.end()
        annexes.append(_ref(text, "article", f"{inst}/annex{m.group('letter').upper()}", m.start(), head_end, part))
        for letter in re.finditer(r"[A-E]\b", folded[m.start("tail"):m.end("tail")] if m.group("tail") else ""):
            s = m.start("tail") + letter.start()
            annexes.append(_ref(text, "article", f"{inst}/annex{letter.group().upper()}", s, s + 1, part))
    yield from annexes
    yield from _parts_of_the_annex(text, folded, annexes)


def _parts_of_the_annex(text: str, folded: str, annexes: list[Reference]) -> Iterator[Reference]:
    """'Part I and Part II of the Annex': parts of the annex named last before them."""
    starts = [a.start for a in annexes]
    for m in _ANNEX_PARTS_RE.finditer(folded):
        i = bisect.bisect_left(starts, m.start()) - 1
        if i < 0:
            continue
        annex = annexes[i].id
        if m.group("q"):
            yield _ref(text, "article", annex, m.start(), m.end("p"), f"part {m.group('p').upper()}")
            yield _ref(text, "article", annex, m.start("q"), m.end(), f"part {m.group('q').upper()}")
        else:
            yield _ref(text, "article", annex, m.start(), m.end(), f"part {m.group('p').upper()}")


def periods(text: str, folded: str) -> Iterator[Reference]:
    """Bienniums: "periode biennale 2026-2027", "the 2018-2019 biennium", "2026-2027"."""
    for m in _PERIOD_RE.finditer(folded):
        a, b = (m.group("a"), m.group("b")) if m.group("a") else (m.group("c"), m.group("d"))
        y1 = int(a)
        y2 = int(b) if len(b) == 4 else int(a[:2] + b)
        if y2 != y1 + 1:
            continue
        yield _ref(text, "period", f"{y1}-{y2}", m.start(), m.end())


_INSTRUMENT_IDS = [inst for inst, _ in INSTRUMENT_PATTERNS]
_ANAPHORIC_CONVENTION = prefiltered(ANAPHORIC_CONVENTION)
_INSTRUMENTS_RE = prefiltered(re.compile(r"\b(?=(?i:appr|stra|saic|cadr|glob|mina|conv|base|bale|rott|stoc))(?:" + "|".join(
    f"(?P<i{k}>{'(?i:' + p + ')' if inst in ('saicm', 'gfc') else p})" for k, (inst, p) in enumerate(INSTRUMENT_PATTERNS)) + ")"))


def instruments(text: str, folded: str, ctx: Context) -> Iterator[Reference]:
    """Named instruments, and "la Convention" read as the source's own instrument."""
    for m in _INSTRUMENTS_RE.finditer(folded):
        yield _ref(text, "instrument", _INSTRUMENT_IDS[int(m.lastgroup[1:])], m.start(), m.end())  # type: ignore[index]
    if ctx.instrument in _conventions():
        for m in _ANAPHORIC_CONVENTION.finditer(folded):
            yield _ref(text, "instrument", ctx.instrument, m.start(), m.end())


_BODY_IDS = [b for b, _ in BODY_PATTERNS]
# The lookahead lets the engine skip, cheaply, every position where no body name can start.
_BODIES_RE = prefiltered(re.compile(r"\b(?=secr|exec|dire|equi|join|task|serv|chem|cent|regi|fond|glob|fem\b|gef\b|asse|envi|conf|part)(?:" + "|".join(f"(?P<b{i}>{p})" for i, (_, p) in enumerate(BODY_PATTERNS)) + ")", _I))
_BODY_TAIL_RE = re.compile(
    r"\s+(?:de\s+la|des|of\s+the|du)\s+(?:(\w+)\s+)?(?:conventions?|Convention)(?:\s+de\s+(\w+))?", _I)
_RELATIVE_BODIES = ("minamata-secretariat", "minamata-executive-secretary", "minamata-cop")


def bodies(text: str, folded: str, ctx: Context) -> Iterator[Reference]:
    """Bodies named in the text; "the secretariat" is the source instrument's, unless a convention is named."""
    own = ctx.instrument if ctx.instrument in _conventions() else "minamata"
    for m in _BODIES_RE.finditer(folded):
        body = _BODY_IDS[int(m.lastgroup[1:])]  # type: ignore[index]
        end = m.end()
        bid = body
        if body in _RELATIVE_BODIES:
            tail = _BODY_TAIL_RE.match(folded, end, end + 60)
            names = [n.lower() for n in (tail.groups() if tail else ()) if n]
            named = next((_NAMED_INSTRUMENTS[n] for n in names if n in _NAMED_INSTRUMENTS), None)
            plural = bool(tail and "conventions" in tail.group().lower())
            if body == "minamata-cop":
                inst = named or own
                bid = f"{inst}-cop" if inst in _conventions() else "minamata-cop"
            elif named in ("basel", "rotterdam", "stockholm") or (plural and named is None):
                bid = body.replace("minamata", "brs")
            elif named is None and own != "minamata":
                bid = body.replace("minamata", "brs") if own in ("basel", "rotterdam", "stockholm") else body
            if tail:
                end = tail.end()
        yield _ref(text, "body", bid, m.start(), end)


# Not prose: file names and web addresses. A symbol inside one ("UNEP-POPS-COP.2-SC-2-15.Chinese.pdf",
# "…/COP-3/report.pdf") is part of a name, never a citation.
_ADDRESS_RE = prefiltered(re.compile(r"(?=[hHwW])(?:https?://|www\.)[^\s<>\"]+", re.I | re.A))
_EXTENSION_RE = prefiltered(re.compile(r"\.(?:pdf|docx?|xlsx?|pptx?|html?|zip|png|jpe?g|txt)\b", re.I | re.A))


def not_prose(folded: str) -> list[tuple[int, int]]:
    """Spans of file names and web addresses, in text order, disjoint.

    A file name is found by its extension, then extended back to the space before it.
    """
    spans = [(m.start(), m.start() + len(m.group().rstrip(".,;:)"))) for m in _ADDRESS_RE.finditer(folded)]
    for m in _EXTENSION_RE.finditer(folded):
        start = max(folded.rfind(c, 0, m.start()) for c in " \n\t<>\"") + 1
        if start < m.start():
            spans.append((start, m.end()))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged
