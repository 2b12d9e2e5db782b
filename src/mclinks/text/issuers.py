"""Recognisers generated from the issuers table (``mclinks.issuer_table``).

A new body, numbering style or document series is a row of that table, not
code: the recognisers for act symbols, meeting symbols and document series
are generated here from its templates (``{n}`` arabic session, ``{R}`` roman
session, ``{d}`` item number). Which body a bare ``26/12`` belongs to, and
whether a session can exist by a source's date, is decided here too.
"""
from __future__ import annotations

import csv
import re
from functools import lru_cache

from mclinks.config import Settings
from mclinks.issuer_table import Issuer, MeetingSeries, SymbolTemplate, by_prefix, issuers, load
from mclinks.text.trie import trie_pattern

_FIELD = {"n": r"\d{1,3}", "R": r"[IVXL]{1,6}", "d": r"\d{1,3}"}
_TOKEN_RE = re.compile(r"\{([nRd])\}|([A-Za-z()]+)|(.)", re.S)


def template_regex(template: str, tag: str = "") -> str:
    """The regular expression a template stands for, on folded text.

    Fields become named groups suffixed with ``tag`` (so that several templates can share
    one alternation); a hyphen after letters is optional ("SC1/15"), spaces may surround
    "-", "/" and "." and stand between words ("BC COP-12", "BC-COP-12").
    """
    out: list[str] = []
    previous = ""
    for m in _TOKEN_RE.finditer(template):
        field, word, char = m.groups()
        if field:
            if previous == "word":
                out.append(r"\s?-?\s?")
            out.append(f"(?P<{field}{tag}>{_FIELD[field]})")
            previous = "field"
        elif word:
            out.append(re.escape(word))
            previous = "word"
        elif char == "-":
            out.append(r"\s?-?\s?" if previous == "word" else r"\s?-\s?")
            previous = "sep"
        elif char == " ":
            out.append(r"[\s-]?")
            previous = "sep"
        elif char in "/.":
            out.append(rf"\s?{re.escape(char)}\s?")
            previous = "sep"
        else:
            out.append(re.escape(char))
            previous = "sep"
    return "".join(out)


@lru_cache(maxsize=None)
def compiled(template: str) -> re.Pattern[str]:
    """A template's pattern, compiled once (ASCII, any case)."""
    return re.compile(template_regex(template), re.I | re.A)


def prefix_of_instrument(instrument: str | None) -> str | None:
    """'basel' → 'BC'; None for an instrument no issuer of acts stands for."""
    return next((i.prefix for i in issuers() if instrument and i.instrument == instrument and i.symbols), None)


def prefix_of_body(body: str | None) -> str | None:
    """'unep-gc' → 'GC'."""
    return next((i.prefix for i in issuers() if body and i.body == body), None)


def prefix_of_meeting(meeting: str | None) -> str | None:
    """The issuer of a meeting id: 'GC-SS-12' → 'GC', 'MC-COP-6' → 'MC', 'BRS-EXCOP-1' → 'BRS'."""
    if not meeting:
        return None
    for issuer in issuers():
        for series in issuer.meetings:
            if _meeting_id_re(series.id).fullmatch(meeting):
                return issuer.prefix
    return None


def series_of_meeting(meeting: str | None) -> MeetingSeries | None:
    for issuer in issuers():
        for series in issuer.meetings:
            if meeting and _meeting_id_re(series.id).fullmatch(meeting):
                return series
    return None


@lru_cache(maxsize=None)
def _meeting_id_re(series_id: str) -> re.Pattern[str]:
    """The meeting ids of a series ('MC-COP-{n}' → MC-COP-6), compiled once: both look-ups above
    run for every source extracted."""
    return re.compile(re.escape(series_id).replace(r"\{n\}", r"\d+"))


@lru_cache(maxsize=1)
def _registry_sessions() -> dict[str, list[tuple[int, int | None]]]:
    """(session number, start year) per registry body, from data/registry/meetings.tsv."""
    out: dict[str, list[tuple[int, int | None]]] = {}
    path = Settings().registry_dir / "meetings.tsv"
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if not (row.get("number") or "").isdigit():
                continue
            year = row.get("start_date", "")[:4]
            out.setdefault(row["body"], []).append((int(row["number"]), int(year) if year.isdigit() else None))
    return out


@lru_cache(maxsize=None)
def last_session(prefix: str, year: int | None = None) -> int | None:
    """The highest session of an issuer held by ``year`` (any year when None); None if unbounded."""
    issuer = by_prefix().get(prefix)
    if issuer is None:
        return None
    if issuer.registry_body:
        held = [n for n, y in _registry_sessions().get(issuer.registry_body, [])
                if year is None or y is None or y <= year]
        return max(held) if held else None
    if issuer.first_year is not None:
        return (year - issuer.first_year + 1) if year is not None else None
    return issuer.last_session


def session_exists(prefix: str, number: int, year: int | None = None, ahead: int = 0) -> bool:
    """Can session ``number`` of ``prefix`` have been held by ``year``? ``ahead`` allows
    meetings still to come (a text may plan its body's next meetings)."""
    last = last_session(prefix, year)
    return number >= 1 and (last is None or number <= last + ahead)


def _alternation(templates: list[SymbolTemplate], prefix: str) -> tuple[re.Pattern[str], list[SymbolTemplate]]:
    parts = [f"(?P<{prefix}{k}>{template_regex(t.template, f'_{prefix}{k}')})" for k, t in enumerate(templates)]
    return re.compile("|".join(parts), re.A), templates


def groups_of(m: re.Match[str], prefix: str) -> tuple[int, dict[str, str | None]]:
    """Which template of an alternation matched, and its fields without their tags."""
    k = int(m.lastgroup[len(prefix):])  # type: ignore[index]
    return k, {plain: m.group(tagged) for tagged, plain in _fields(m.re, prefix, k)}


@lru_cache(maxsize=None)
def _fields(pattern: re.Pattern[str], prefix: str, k: int) -> tuple[tuple[str, str], ...]:
    tag = f"_{prefix}{k}"
    return tuple((name, name[: -len(tag)]) for name in pattern.groupindex if name.endswith(tag))


@lru_cache(maxsize=None)
def act_templates(kind: str, bare: bool | None = None) -> tuple[SymbolTemplate, ...]:
    """Templates of acts of ``kind`` in table order; ``bare`` filters on bare/explicit."""
    return tuple(t for i in issuers() for t in i.symbols if t.kind == kind and (bare is None or t.bare == bare))


@lru_cache(maxsize=None)
def explicit_acts() -> tuple[re.Pattern[str], list[SymbolTemplate]]:
    """One pattern for every explicit act symbol ("MC-1/21", "UNEP/EA.1/Res.5", "SS.XII/5")."""
    templates = [t for i in issuers() for t in i.symbols if not t.bare]
    pattern, _ = _alternation(templates, "x")
    return re.compile(_guard(templates) + r"(?<![\w/.])(?:" + pattern.pattern + r")(?![\d/])", re.A), templates


@lru_cache(maxsize=None)
def list_item(kind: str) -> str:
    """An item of a list after "decisions"/"resolutions": any template of that kind (no groups)."""
    alternatives = {re.sub(r"\(\?P<\w+>", "(?:", template_regex(t.template)) for t in act_templates(kind)}
    return r"(?:" + "|".join(sorted(alternatives, key=len, reverse=True)) + r")(?![\d/])"


@lru_cache(maxsize=None)
def meeting_symbols() -> tuple[re.Pattern[str], list[SymbolTemplate]]:
    """One pattern for every meeting symbol ("COP-4", "UNEA-2", "GC-25", "INC5")."""
    templates = [t for i in issuers() for s in i.meetings for t in s.symbols]
    pattern, _ = _alternation(templates, "m")
    return re.compile(_guard(templates, fold_case=True) + r"(?<![\w/.])(?:" + pattern.pattern + r")\b(?![./]\d)",
                      re.A | re.I), templates


def _guard(templates: list[SymbolTemplate], fold_case: bool = False) -> str:
    """A lookahead on the first letters of templates that all start with a letter, else nothing."""
    heads = {t.template[0] for t in templates}
    if not all(h.isalpha() for h in heads):
        return ""
    if fold_case:
        heads |= {h.lower() for h in heads} | {h.upper() for h in heads}
    return "(?=[" + "".join(sorted(heads)) + "])"


@lru_cache(maxsize=1)
def document_series_start() -> str:
    """Where a document symbol of a known series starts ("UNEP/CHW", "UNEP/FAO/RC/COP"):
    used to split joint symbols and to cut footnote numbers fused before a symbol."""
    heads = set()
    for i in issuers():
        for template, _ in i.documents:
            head = re.split(r"[.{]", template, maxsplit=1)[0].rstrip("/")
            heads.add(re.escape(head))
    return "(?:" + "|".join(sorted(heads, key=len, reverse=True)) + ")"


@lru_cache(maxsize=1)
def _name_cues() -> tuple[re.Pattern[str], dict[str, str]]:
    """One trie of every issuer's names, and the issuer of each name (lower case, single spaces)."""
    owner = {" ".join(w.lower().split()): i.prefix for i in reversed(issuers()) for ws in i.names.values() for w in ws}
    pattern = rf"{first_letters(names_pattern())}\b{names_pattern()}(?![A-Za-z])"
    return re.compile(pattern, re.I | re.A), owner


def named_issuers(text: str) -> list[tuple[str, int, int]]:
    """Issuers the words of ``text`` name, with their spans, in text order."""
    pattern, owner = _name_cues()
    return [(owner[" ".join(m.group().lower().split())], m.start(), m.end()) for m in pattern.finditer(text)]


@lru_cache(maxsize=1)
def names_pattern() -> str:
    """Every issuer's names as one pattern without groups (a trie: see ``trie``)."""
    return trie_pattern({w for i in issuers() for words in i.names.values() for w in words})


@lru_cache(maxsize=1)
def series_words() -> str:
    """Every word that names a series of meetings ("special session", "reunion")."""
    return trie_pattern({w for i in issuers() for s in i.meetings for w in s.words})


def series_for(prefix: str, word: str | None) -> MeetingSeries | None:
    """The series of ``prefix`` that ``word`` names ("special session" → GC special), else its first."""
    issuer = by_prefix().get(prefix)
    if issuer is None or not issuer.meetings:
        return None
    if word:
        plain = " ".join(word.lower().split())
        for series in issuer.meetings:
            if plain in (w.lower() for w in series.words):
                return series
    return issuer.meetings[0]


def first_letters(*patterns: str) -> str:
    """A lookahead on the letters alternatives can start with, so that a search skips cheaply
    every position where none can ("(?=[cgmsu])")."""
    letters: set[str] = set()
    for pattern in patterns:
        for alternative in _top_level(pattern):
            head = alternative
            while head.startswith(("(?:", "\\b", "(")):
                head = head.removeprefix("(?:").removeprefix("\\b").removeprefix("(")
            if not head or not head[0].isalnum():
                return ""  # cannot tell: no guard
            letters.update({head[0].lower(), head[0].upper()})
    return "(?=[" + "".join(sorted(letters)) + "])"


def _top_level(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern wrapped in one "(?:…)" group, or the pattern."""
    if pattern.startswith("(?:") and pattern.endswith(")"):
        pattern = pattern[3:-1]
    out, depth, current = [], 0, ""
    for c in pattern:
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        if c == "|" and depth == 0:
            out.append(current)
            current = ""
        else:
            current += c
    out.append(current)
    return out


__all__ = ["Issuer", "MeetingSeries", "SymbolTemplate", "by_prefix", "issuers", "load"]  # the table, read below
