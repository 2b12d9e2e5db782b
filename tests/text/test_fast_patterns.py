"""Patterns rewritten for speed (issue #15) find what their plain forms found: the plain forms
are kept here as the reference, and random texts built from the words they look for are read by
both."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from mclinks.text import clauses, meetings, segment
from mclinks.text.lexicon import PREAMBLE_OPENERS, opener_pattern

_STOP = r"(?:(?<=[;:.,])|(?<=[;:.,]\d)|(?<=[;:.,]\d\d))"
_PLAIN_INLINE_BREAK = re.compile(
    rf"(?=\s)(?:{_STOP}\s+(?=\d{{1,3}}\s?\.\s+[A-Z])"
    r"|(?<=[;:])\s+(?=\(?(?:[a-z]{1,2}|[ivx]{1,5})\)\s+[A-Z])"
    rf"|{_STOP}\s+(?=(?:{opener_pattern('|'.join(p for _, p in PREAMBLE_OPENERS))})\b)"
    r"|(?<=[a-z])\s+(?=1\s?\.\s+[A-Z]))"
)
_PLAIN_TRAILING_MARKER = re.compile(r"(?<=[.;:,])\s*(?:\d{1,3}|[*\u00b9\u00b2\u00b3\u2070-\u2079]+)$")
_PIECES = ["1", "1.", "2.", "12", "(a)", "b)", "iv)", "Recalling", "Noting", "Takes", "note", "the", "x", ";", ":",
           ".", ",", " ", "  ", "\n", "\t", "*", "\u00b9", "\u00b2", "3", "A", "Z"]
_TEXTS = st.lists(st.sampled_from(_PIECES), max_size=30).map("".join)


@settings(max_examples=400, deadline=None)
@given(_TEXTS)
def test_inline_breaks_are_the_plain_pattern_s(text: str) -> None:
    assert [m.span() for m in segment._INLINE_BREAK_RE.finditer(text)] == [m.span() for m in _PLAIN_INLINE_BREAK.finditer(text)]


@settings(max_examples=400, deadline=None)
@given(_TEXTS)
def test_trailing_marker_is_cut_as_before(text: str) -> None:
    assert segment._TRAILING_MARKER_RE.sub(r"\1", text) == _PLAIN_TRAILING_MARKER.sub("", text)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["Recalling", "Recalling also", "Requests", "Notes", "Takes note", "Decides", "1.", " ",
                                 "(a)", "further", "with", "appreciation", "x"]), max_size=8).map(" ".join))
def test_one_opener_alternation_takes_the_first_opener_that_matches(text: str) -> None:
    for kind, (pattern, actions) in clauses._COMPILED.items():
        openers = clauses.OPERATIVE_OPENERS + clauses.PREAMBLE_OPENERS if kind == "operative" else \
            clauses.PREAMBLE_OPENERS + clauses.OPERATIVE_OPENERS
        first = next(((a, m.end()) for a, p in openers if (m := re.match(opener_pattern(p) + r"\b", text))), None)
        m = pattern.match(text)
        got = (actions[int(m.lastgroup[1:])], m.end()) if m else None
        assert got == first


def _walked_back(folded: str, end: int) -> re.Match[str] | None:
    """``meetings._just_before`` as it was: a walk back over the characters."""
    starts: list[int] = []
    k = end - 1
    floor = max(0, end - meetings._REACH)
    while k > floor and len(starts) < meetings._WORDS_BACK:
        if folded[k - 1].isspace() and not folded[k].isspace():
            starts.append(k)
        k -= 1
    if k == floor and floor == 0:
        starts.append(0)
    for start in reversed(starts):
        if m := meetings._BEFORE_RE.match(folded, start, end):
            return m
    return None


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["its", "at", "second", "twenty-seventh", "next", "UNEP", "Governing Council's", " ",
                                 "  ", "\n", "\u3000", "x", "of", "the"]), max_size=30).map(" ".join), st.integers(0, 200))
def test_words_before_a_meeting_word_are_read_as_before(text: str, end: int) -> None:
    end = min(end, len(text))
    got, want = meetings._just_before(text, end), _walked_back(text, end)
    assert (got and got.span()) == (want and want.span())


def _plain_is_heading(line: str) -> bool:
    stripped = _PLAIN_TRAILING_MARKER.sub("", line.strip())
    if segment._SECTION_RE.match(stripped):
        return True
    return len(stripped) < 100 and stripped[-1:] not in segment._TERMINAL and not segment._NUMBERED_RE.match(stripped)


@settings(max_examples=400, deadline=None)
@given(_TEXTS)
def test_a_heading_is_told_as_before(text: str) -> None:
    assert segment._is_heading(text) == _plain_is_heading(text)


_PLAIN_HYPHENATION = re.compile(r"(?=[-\u00ad])(?<=[^\W\d_])(?:-[ \t]*\r?\n[ \t]*|\u00ad[ \t]*\r?\n?[ \t]*)(?=[^\W\d_])")


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["dé", "ci", "-", "\u00ad", "\n", "\r\n", " ", "\t", "1", "_", "sion", "x"]), max_size=20).map("".join))
def test_hyphenation_is_found_as_before(text: str) -> None:
    from mclinks.text import offsets
    assert [m.span() for m in offsets.hyphenations(text)] == [m.span() for m in _PLAIN_HYPHENATION.finditer(text)]


_PLAIN_NOISE = re.compile(segment._NOISE_RE.pattern.replace(r"|(?=.*>|.*›).*\s", r"|.*\s"), re.I)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["Home", "Meetings", ">", "›", "»", "/", " ", "  ", "\t", "\u00a0", "COP-5", "x", "menu"]),
                max_size=14).map("".join))
def test_a_breadcrumb_is_noise_as_before(line: str) -> None:
    assert _PLAIN_NOISE.pattern != segment._NOISE_RE.pattern
    assert bool(segment._NOISE_RE.match(line)) == bool(_PLAIN_NOISE.match(line))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["Article", "Title", "File", "Date", "Decision", "Further Information", " ", "\t", "\n",
                                 "\n\n", "3", "x", "Titles"]), max_size=16).map(" ".join))
def test_table_headers_are_the_multiline_pattern_s(text: str) -> None:
    from mclinks.text import text_tables
    assert text_tables.header_lines(text) == [m.span() for m in text_tables._HEADER_RE.finditer(text)]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["Page", "3", "of", "12", "-", "UNEP/MC/COP.1/1", "K1708543", "041017", "___", "...",
                                 "Home", ">", "Print", "Share", "cookies", " ", "\t", "x", "\u00a0"]), max_size=8).map(" ".join))
def test_one_furniture_pattern_is_the_three_rows(line: str) -> None:
    plain = any(r.match(line) for r in (segment._PAGE_NUMBER_RE, segment._NOISE_RE, segment._RULE_LINE_RE))
    assert segment._is_noise(line, 0, len(line)) == plain
