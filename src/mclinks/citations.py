"""Recognise references in folded text and normalise them to the BRIEF's ids.

Each recogniser yields ``Reference`` objects whose spans index the original
text. Context that decides an id (which convention a bare "decision IX/15"
belongs to, which assembly a "resolution 1/5" comes from) is read from the
words around the match, then from the source's own metadata.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .lexicon import (
    ANAPHORIC_CONVENTION, BODY_PATTERNS, INSTRUMENT_PATTERNS, INSTRUMENT_PREFIX, ORDINAL_RE,
    PREFIX_INSTRUMENT, number_value, ordinal_value,
)
from .model import Reference


@dataclass(frozen=True, slots=True)
class Context:
    """What the source's metadata says, used where the text is silent."""

    symbol: str | None
    instrument: str | None  # minamata, basel, ... or None
    meeting: str | None  # adopting/target meeting id, e.g. MC-COP-6
    body_prefix: str | None = None  # MC, BC, ..., UNEA, GC: whose meetings "sa prochaine reunion" means


_I = re.I | re.A  # folded text is ASCII: ASCII-only case folding is faster
_NUM = r"(?:\d{1,3}|[IVXL]{1,6})"
# A symbol item in a list after "decision(s)" / "resolution(s)".
_ITEM = rf"(?:(?P<pfx>MC|BC|RC|SC|GC|UNEA|ICCM)\s?[-.]?\s?)?(?P<ss>SS\s?\.\s?)?(?P<a>{_NUM})\s?/\s?(?P<b>\d{{1,3}})(?![\d/])"
_ITEM_RE = re.compile(_ITEM)
_SEP = r"(?:\s*,\s*(?:et|and)?\s*|\s+(?:et|and)\s+|\s*;\s*)"
_LIST_RE = re.compile(
    rf"(?=[dDrR])\b(?P<kw>decisions?|resolutions?)\s+(?:n[o°]\s*)?(?P<list>{_ITEM}(?:{_SEP}(?:{_ITEM}))*)".replace(
        "(?P<pfx>", "(?:").replace("(?P<ss>", "(?:").replace("(?P<a>", "(?:").replace("(?P<b>", "(?:"),
    _I,
)
_EXPLICIT_DECISION_RE = re.compile(
    r"(?<![/\w.])(?=[MBRS])(?P<pfx>MC|BC|RC|SC)\s?-?\s?(?P<a>\d{1,2}|[IVXL]{1,6})\s?/\s?(?P<b>\d{1,3})(?![\d/])", re.A
)
_UNEA_SYMBOL_RE = re.compile(
    r"(?=[Uu])UNEP/EA\.(?P<a>\d{1,2})/Res\.(?P<b>\d{1,3})|\bUNEA\s?-?\s?(?P<c>\d{1,2})\s?/\s?(?P<d>\d{1,3})(?![\d/])", _I
)
_GA_SYMBOL_RE = re.compile(r"\bA/RES/(?P<a>\d{2,3})/(?P<b>\d{1,3})\b")
_DOCUMENT_RE = re.compile(
    r"(?<![\w/])(?=[UFAESW])(?:UNEP(?:\([A-Z]+\))?|FAO|UNITAR|UNIDO|WHO|ILO|SAICM|A|E)"
    r"(?:/[A-Za-z0-9][A-Za-z0-9().\-]*)+(?:/[A-Za-z0-9]+)*"
)
_ANNEX_PART = r"(?:annexe?|annex)\s+(?P<annex>[IVXL]{1,6}|\d{1,2})"
_DOC_ANNEX_BEFORE_RE = re.compile(rf"(?:l'|the\s+)?{_ANNEX_PART}\s+(?:du|au|to|of)\s+(?:the\s+)?(?:document|note)\s*$", _I)
_DOC_ANNEX_AFTER_RE = re.compile(rf"\s*,\s*{_ANNEX_PART}\b", _I)
_SAME_DOC_RE = re.compile(
    rf"(?=[lLtTaAiI])(?:l'|the\s+)?{_ANNEX_PART}\s+(?:du\s+meme\s+document|to\s+the\s+same\s+document|of\s+the\s+same\s+document)"
    rf"|\bIbid\s*\.?(?:\s*,\s*{_ANNEX_PART.replace('annex>', 'annex2>')})?",
    _I,
)
_ARTICLE_RE = re.compile(
    r"(?=[sSpPaA])(?:(?:sous-)?(?:paragraphe|paragraph|para\.)\s+(?P<para>\d{1,2})(?:\s?\(?(?P<lit>[a-z])\))?\s+"
    r"(?:de\s+l'|of\s+|de\s+)?)?"
    r"(?P<art>articles?|article)\s+(?P<num>\d{1,2})"
    r"(?:\s*,?\s*(?:paragraphe|paragraph|para\.)\s+(?P<para2>\d{1,2})|\s?\((?P<para3>\d{1,2})\))?",
    _I,
)
# A list of articles stays on one line: "articles 3, 4 and 5" (a number on the next line is a paragraph's).
_ARTICLE_LIST_TAIL_RE = re.compile(r"(?:[ \t]*,[ \t]*|[ \t]+(?:et|and)[ \t]+|[ \t]*,[ \t]*(?:et|and)[ \t]+)(?P<num>\d{1,2})\b(?!\s*/)", _I)
_INSTRUMENT_ANNEX_RE = re.compile(
    r"(?=[pPaA])(?:(?:partie|part)\s+(?P<part>[IVX]{1,4})\s+(?:de\s+l'|of\s+|de\s+)?)?"
    r"\b(?:annexes?|annex)\s+(?P<letter>[A-E])\b(?P<tail>(?:\s*(?:,|et|and)\s*[A-E]\b)*)",
    _I,
)
_PERIOD_RE = re.compile(
    r"(?=[pPeEbB12])(?:(?:periode|exercice)\s+bienn\w+|biennium|biennat|bienn?ale?)\s+(?:de\s+|of\s+)?(?P<a>(?:19|20)\d\d)\s?-\s?(?P<b>(?:19|20)?\d\d)\b"
    r"|(?P<c>(?:19|20)\d\d)\s?-\s?(?P<d>(?:19|20)\d\d)(?:\s+(?:biennium|bienn\w+))?",
    _I,
)
_RELATIVE_MEETING_RE = re.compile(
    rf"(?=[sSiItTlL])\b(?:sa|son|its|their|leur)\s+(?P<ord>{ORDINAL_RE}|prochaine|next|suivante|following)\s+"
    r"(?:(?:reunion|meeting|session)(?:\s+ordinaire|\s+ordinary)?)\b",
    _I,
)
_NEXT_MEETING_RE = re.compile(r"(?=[aAlLtT])\b(?:(?:a|at)\s+)?(?:la|the)\s+(?:prochaine|next)\s+(?:reunion|meeting|session)\b", _I)
# Anchored on the body's name, then the ordinal is looked for just before it:
# a 100-word alternation tried at every position of the text would be slow.
_MEETING_BODY_RE = re.compile(
    r"\b(?=conf|asse|unit|envi|cons|gove)(?P<body>Conference\s+des\s+Parties|Conference\s+of\s+the\s+Parties"
    r"|Assemblee\s+des\s+Nations\s+Unies\s+pour\s+\S{0,3}\s?environnement|(?:United\s+Nations\s+)?Environment\s+Assembly"
    r"|Conseil\s+d'administration|Governing\s+Council)",
    _I,
)
_ORDINAL_BEFORE_RE = re.compile(
    rf"\b(?P<ord>{ORDINAL_RE})\s+(?:(?:reunion|meeting|session)(?:\s+ordinaire|\s+ordinary)?\s+(?:de\s+la|du|of\s+the|de\s+l')\s+)?$",
    _I,
)
_COP_SYMBOL_RE = re.compile(
    r"(?<![/\w.])(?=[MBRSCmbrsc])(?:(?P<pfx>MC|BC|RC|SC|Minamata|Basel)\s?)?COP\s?[-.]?\s?(?P<n>\d{1,2})\b(?![./]\d)", _I
)
_UNEA_SESSION_RE = re.compile(r"(?=U)(?<![/\w.])UNEA\s?-\s?(?P<n>\d{1,2})\b(?!\s?/)|(?<![/\w.])UNEA\s?(?P<m>\d)\b(?!\s?/)")
_GC_SESSION_RE = re.compile(r"(?=G)(?<![/\w.])GC\s?-\s?(?P<n>\d{1,2})\b(?!\s?/)")

_CONTEXT_WINDOW = 140


def _after(folded: str, end: int, n: int = _CONTEXT_WINDOW) -> str:
    """Words after a match, up to the end of the clause."""
    window = folded[end:end + n]
    cut = re.search(r";|\n\s*\n|\.\s", window)
    return window[: cut.start()] if cut else window


def _before(folded: str, start: int, n: int = 60) -> str:
    window = folded[max(0, start - n):start]
    cut = max(window.rfind(";"), window.rfind("\n\n"), window.rfind(". "))
    return window[cut + 1:] if cut >= 0 else window


_ISSUER_CUES: tuple[tuple[str, str], ...] = (
    ("UNEA", r"Assemblee\s+des\s+Nations\s+Unies\s+pour\s+\S{0,3}\s?environnement|Environment\s+Assembly|\bUNEA\b|Assemblee\s+pour\s+l'environnement"),
    ("GA", r"Assemblee\s+generale|General\s+Assembly"),
    ("GC", r"Conseil\s+d'administration|Governing\s+Council|\bPNUE\b\s*$|\bGC\b"),
    ("ICCM", r"\bICCM|Conference\s+internationale\s+sur\s+la\s+gestion\s+des\s+produits\s+chimiques"
             r"|International\s+Conference\s+on\s+Chemicals\s+Management"),
    ("BC", r"\bBasel\b|\bBale\b"),
    ("RC", r"\bRotterdam\b"),
    ("SC", r"\bStockholm\b"),
    ("MC", r"\bMinamata\b"),
)


_RESOLUTION_ISSUERS = ("UNEA", "GA", "ICCM")


_ISSUER_IDS = [issuer for issuer, _ in _ISSUER_CUES]
_ISSUERS_RE = re.compile("|".join(f"(?P<c{k}>{p})" for k, (_, p) in enumerate(_ISSUER_CUES)), _I)


def _issuer(text: str, allowed: tuple[str, ...] | None = None, nearest_last: bool = False) -> str | None:
    """Which body a nearby phrase names: the first cue after a match, or the last one before it."""
    found = None
    for m in _ISSUERS_RE.finditer(text):
        issuer = _ISSUER_IDS[int(m.lastgroup[1:])]  # type: ignore[index]
        if allowed is not None and issuer not in allowed:
            continue
        found = issuer
        if not nearest_last:
            break
    return found


def _decision_id(prefix: str, a: str, b: str, special: bool = False) -> str | None:
    session = number_value(a.upper())
    if session is None:
        return None
    if prefix == "GC" and special:
        return f"GC-SS.{session}/{int(b)}"
    return f"{prefix}-{session}/{int(b)}"


def _resolution_id(issuer: str, a: str, b: str) -> str | None:
    session = number_value(a.upper())
    if session is None:
        return None
    if issuer == "GA":
        return f"A/RES/{session}/{int(b)}"
    if issuer == "ICCM":
        return f"ICCM-{session}/{int(b)}"
    return f"UNEA-{session}/{int(b)}"


def _ref(text: str, kind: str, id_: str, start: int, end: int, part: str | None = None) -> Reference:
    return Reference(kind, id_, start, end, text[start:end], part)


def decisions_and_resolutions(text: str, folded: str, ctx: Context) -> Iterator[Reference]:
    """Symbols after "decision(s)"/"resolution(s)", and explicit MC-/BC-/RC-/SC- symbols anywhere."""
    for m in _LIST_RE.finditer(folded):
        keyword = m.group("kw").lower()
        allowed = _RESOLUTION_ISSUERS if keyword.startswith("resolution") else None
        cue = _issuer(_after(folded, m.end()), allowed) or _issuer(_before(folded, m.start()), allowed, nearest_last=True)
        first = True
        for item in _ITEM_RE.finditer(folded, m.start("list"), m.end("list")):
            start = m.start() if first else item.start()
            first = False
            pfx = (item.group("pfx") or "").upper()
            special = bool(item.group("ss"))
            a, b = item.group("a"), item.group("b")
            if keyword.startswith("resolution") and pfx not in ("MC", "BC", "RC", "SC", "GC"):
                issuer = "ICCM" if pfx == "ICCM" or (cue is None and not a.isdigit()) else (cue or "UNEA")
                if issuer not in ("UNEA", "GA", "ICCM"):
                    issuer = "UNEA"
                rid = _resolution_id(issuer, a, b)
                if rid:
                    yield _ref(text, "resolution", rid, start, item.end())
                continue
            if not pfx:
                pfx = "GC" if special else {"UNEA": "", "GA": "", "ICCM": ""}.get(cue or "", cue or "")
                if not pfx:
                    pfx = INSTRUMENT_PREFIX.get(ctx.instrument or "", "MC")
            if pfx in ("UNEA",):
                rid = _resolution_id("UNEA", a, b)
                if rid:
                    yield _ref(text, "resolution", rid, start, item.end())
                continue
            did = _decision_id(pfx, a, b, special)
            if did:
                yield _ref(text, "decision", did, start, item.end())
    for m in _EXPLICIT_DECISION_RE.finditer(folded):
        did = _decision_id(m.group("pfx").upper(), m.group("a"), m.group("b"))
        if did:
            yield _ref(text, "decision", did, m.start(), m.end())
    for m in _UNEA_SYMBOL_RE.finditer(folded):
        a, b = (m.group("a"), m.group("b")) if m.group("a") else (m.group("c"), m.group("d"))
        yield _ref(text, "resolution", f"UNEA-{int(a)}/{int(b)}", m.start(), m.end())
    for m in _GA_SYMBOL_RE.finditer(folded):
        yield _ref(text, "resolution", f"A/RES/{int(m.group('a'))}/{int(m.group('b'))}", m.start(), m.end())


def _clean_symbol(raw: str) -> str:
    return raw.rstrip(".,;:)")


_RESOLUTION_SYMBOL_RE = re.compile(r"A/RES/|UNEP/EA\.\d+/Res\.", _I)


def documents(text: str, folded: str) -> Iterator[Reference]:
    """Official document symbols, with "annex I" parts, "Ibid." and "du meme document"."""
    last_doc: str | None = None
    found: list[tuple[int, int, str, str | None]] = []
    for m in _DOCUMENT_RE.finditer(folded):
        symbol = _clean_symbol(text[m.start():m.end()])
        if _RESOLUTION_SYMBOL_RE.match(symbol) or symbol.count("/") < 1 or len(symbol) < 6:
            continue
        start, end = m.start(), m.start() + len(symbol)
        part = None
        before = _DOC_ANNEX_BEFORE_RE.search(folded, max(0, start - 60), start)
        if before and before.end() >= start - 1:
            start, part = before.start(), f"annex {before.group('annex').upper()}"
        elif after := _DOC_ANNEX_AFTER_RE.match(folded, end):
            end, part = after.end(), f"annex {after.group('annex').upper()}"
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
    r"\s*(?:,\s*)?(?:de\s+la|du|of\s+the|to\s+the|de\s+l'|a\s+la)\s+(?:(?P<pre>\w+)\s+)?Convention(?:\s+de\s+(?P<post>\w+))?", _I)
_NAMED_INSTRUMENTS = {"minamata": "minamata", "basel": "basel", "bale": "basel", "rotterdam": "rotterdam",
                      "stockholm": "stockholm"}


def _instrument_near(folded: str, end: int, default: str | None) -> str:
    """The convention named right after a match ("… of the Basel Convention"), else the source's own."""
    m = _CONVENTION_AFTER_RE.match(folded, end, end + 90)
    if m:
        for name in (m.group("pre"), m.group("post")):
            if name and name.lower() in _NAMED_INSTRUMENTS:
                return _NAMED_INSTRUMENTS[name.lower()]
    return default or "minamata"


_DOCUMENT_ANNEX_TAIL_RE = re.compile(r"\s*(?:du|au|to|of)\s+(?:the\s+)?(?:document|note|present)", _I)


def articles(text: str, folded: str, ctx: Context) -> Iterator[Reference]:
    """Articles, paragraphs of articles and annexes A-E of an instrument."""
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
    for m in _INSTRUMENT_ANNEX_RE.finditer(folded):
        if _DOCUMENT_ANNEX_TAIL_RE.match(folded, m.end(), m.end() + 30):
            continue
        inst = _instrument_near(folded, m.end(), ctx.instrument)
        part = f"part {m.group('part').upper()}" if m.group("part") else None
        head_end = m.start("tail") if m.group("tail") else m.end()
        yield _ref(text, "article", f"{inst}/annex{m.group('letter').upper()}", m.start(), head_end, part)
        for letter in re.finditer(r"[A-E]\b", folded[m.start("tail"):m.end("tail")] if m.group("tail") else ""):
            s = m.start("tail") + letter.start()
            yield _ref(text, "article", f"{inst}/annex{letter.group().upper()}", s, s + 1)


def _meeting_id(prefix: str, number: int) -> str:
    if prefix in ("UNEA", "GC"):
        return f"{prefix}-{number}"
    return f"{prefix}-COP-{number}"


def meetings(text: str, folded: str, ctx: Context) -> Iterator[Reference]:
    """Meetings named by ordinal, by symbol, or relative to the adopting meeting."""
    own_prefix = ctx.body_prefix or INSTRUMENT_PREFIX.get(ctx.instrument or "", "MC")
    adopting = _meeting_number(ctx.meeting)
    for b in _MEETING_BODY_RE.finditer(folded):
        window_start = max(0, b.start() - 70)
        o = _ORDINAL_BEFORE_RE.search(folded, window_start, b.start())
        if o is None:
            continue
        n = ordinal_value(o.group("ord"))
        if n is None:
            continue
        body = b.group("body").lower()
        if "assembl" in body:
            prefix = "UNEA"
        elif "conseil" in body or "council" in body:
            prefix = "GC"
        else:
            cue = _issuer(_after(folded, b.end(), 80))
            prefix = cue if cue in PREFIX_INSTRUMENT else INSTRUMENT_PREFIX.get(ctx.instrument or "", "MC")
        yield _ref(text, "meeting", _meeting_id(prefix, n), o.start(), b.end())
    for m in _RELATIVE_MEETING_RE.finditer(folded):
        word = m.group("ord").lower()
        if word in ("prochaine", "next", "suivante", "following"):
            if adopting is None:
                continue
            n = adopting + 1
        else:
            value = ordinal_value(word)
            if value is None:
                continue
            n = value
        yield _ref(text, "meeting", _meeting_id(own_prefix, n), m.start(), m.end())
    for m in _NEXT_MEETING_RE.finditer(folded):
        if adopting is not None:
            yield _ref(text, "meeting", _meeting_id(own_prefix, adopting + 1), m.start(), m.end())
    for m in _COP_SYMBOL_RE.finditer(folded):
        raw = (m.group("pfx") or "").upper()
        prefix = {"MINAMATA": "MC", "BASEL": "BC"}.get(raw, raw) or INSTRUMENT_PREFIX.get(ctx.instrument or "", "MC")
        yield _ref(text, "meeting", _meeting_id(prefix, int(m.group("n"))), m.start(), m.end())
    for m in _UNEA_SESSION_RE.finditer(folded):
        yield _ref(text, "meeting", f"UNEA-{int(m.group('n') or m.group('m'))}", m.start(), m.end())
    for m in _GC_SESSION_RE.finditer(folded):
        yield _ref(text, "meeting", f"GC-{int(m.group('n'))}", m.start(), m.end())


def _meeting_number(meeting: str | None) -> int | None:
    if not meeting:
        return None
    m = re.search(r"(\d+)$", meeting)
    return int(m.group(1)) if m else None


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
_INSTRUMENTS_RE = re.compile(r"\b(?=(?i:appr|stra|saic|cadr|glob|mina|conv|base|bale|rott|stoc))(?:" + "|".join(
    f"(?P<i{k}>{'(?i:' + p + ')' if inst in ('saicm', 'gfc') else p})" for k, (inst, p) in enumerate(INSTRUMENT_PATTERNS)) + ")")


def instruments(text: str, folded: str, ctx: Context) -> Iterator[Reference]:
    """Named instruments, and "la Convention" read as the source's own instrument."""
    for m in _INSTRUMENTS_RE.finditer(folded):
        yield _ref(text, "instrument", _INSTRUMENT_IDS[int(m.lastgroup[1:])], m.start(), m.end())  # type: ignore[index]
    if ctx.instrument in INSTRUMENT_PREFIX:
        for m in ANAPHORIC_CONVENTION.finditer(folded):
            yield _ref(text, "instrument", ctx.instrument, m.start(), m.end())


_BODY_IDS = [b for b, _ in BODY_PATTERNS]
# The lookahead lets the engine skip, cheaply, every position where no body name can start.
_BODIES_RE = re.compile(r"\b(?=secr|exec|dire|equi|join|task|serv|chem|cent|regi|fond|glob|fem\b|gef\b|asse|envi|conf|part)(?:" + "|".join(f"(?P<b{i}>{p})" for i, (_, p) in enumerate(BODY_PATTERNS)) + ")", _I)
_BODY_TAIL_RE = re.compile(
    r"\s+(?:de\s+la|des|of\s+the|du)\s+(?:(\w+)\s+)?(?:conventions?|Convention)(?:\s+de\s+(\w+))?", _I)
_RELATIVE_BODIES = ("minamata-secretariat", "minamata-executive-secretary", "minamata-cop")


def bodies(text: str, folded: str, ctx: Context) -> Iterator[Reference]:
    """Bodies named in the text; "the secretariat" is the source instrument's, unless a convention is named."""
    own = ctx.instrument if ctx.instrument in INSTRUMENT_PREFIX else "minamata"
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
                bid = f"{inst}-cop" if inst in INSTRUMENT_PREFIX else "minamata-cop"
            elif named in ("basel", "rotterdam", "stockholm") or (plural and named is None):
                bid = body.replace("minamata", "brs")
            elif named is None and own != "minamata":
                bid = body.replace("minamata", "brs") if own in ("basel", "rotterdam", "stockholm") else body
            if tail:
                end = tail.end()
        yield _ref(text, "body", bid, m.start(), end)
