"""The prefilter (``mclinks.text.prefilter``) changes how fast, never what is found: every
registered pattern finds exactly what ``re.finditer`` finds, and the whole extraction is the
same with the scan off, with the pure-Python scanner and with Hyperscan."""
from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mclinks.text import prefilter
from mclinks.text.clean import fold
from mclinks.text.extract import extract_text
from mclinks.text.sources import load_source

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "corpus"


def _texts() -> list[Path]:
    dirs = [ROOT / "data" / "sources", ROOT / "tests" / "texts", SHARED / "texts", SHARED / "dev" / "texts"]
    return [p for d in dirs if d.is_dir() for p in sorted(d.glob("*.txt"))]


@pytest.fixture()
def backend() -> Iterator[None]:
    before = prefilter.BACKEND
    yield
    prefilter.set_backend(before)


def _plain(pattern: prefilter.Prefiltered, text: str, pos: int = 0, endpos: int | None = None) -> list[tuple[int, int]]:
    end = len(text) if endpos is None else endpos
    return [m.span() for m in pattern.regex.finditer(text, pos, end)]


def _fast(pattern: prefilter.Prefiltered, text: str, pos: int = 0, endpos: int | None = None) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text, pos, endpos)]


def test_prefixes_are_read_off_the_pattern() -> None:
    assert prefilter.prefixes(re.compile(r"\b(?:decision|resolution)s?\s+\d", re.I | re.A)) == {"decisi", "resolu"}
    assert prefilter.prefixes(re.compile(r"UNEP\s?/", re.A)) == {"unep/", "unep /"}
    assert prefilter.prefixes(re.compile(r"de\s+la", re.A)) == {"de la", "de  "}  # a second space stops there
    assert prefilter.prefixes(re.compile(r"(?:19|20)\d\d")) is not None  # "\d" without re.A: other digits too
    assert prefilter.prefixes(re.compile(r"x?y*")) is None  # may match the empty string
    assert prefilter.prefixes(re.compile(r"\w+ing")) is None  # may begin with any letter


def test_scan_text_keeps_offsets_and_maps_what_patterns_may_match() -> None:
    text = "A\u00a0Décision\u212a \u3000İx"
    data = prefilter.scan_bytes(text)
    assert len(data) == len(text)
    assert data == b"a d?cisionk  ix"


def test_every_non_ascii_twin_is_mapped() -> None:
    """Characters that ``re.IGNORECASE`` matches with an ASCII letter, and every space, are
    written as that letter or " " in the scan text: the literal finds them."""
    letter = re.compile(r"(?i)[a-z]")
    space = re.compile(r"\s")
    for code in range(128, sys.maxunicode + 1):
        c = chr(code)
        if letter.fullmatch(c) or space.fullmatch(c):
            assert prefilter.scan_bytes(c) in (c.lower().encode("ascii", "replace"), b" ", b"i", b"s", b"k"), hex(code)
            assert prefilter.scan_bytes(c) != b"?", hex(code)


@pytest.mark.parametrize("path", _texts(), ids=lambda p: p.name)
def test_every_pattern_finds_what_re_finds(path: Path, backend: None) -> None:
    folded = fold(path.read_text(encoding="utf-8"))
    for name in prefilter.backends():
        prefilter.set_backend(name)
        for pattern in prefilter.registered():
            assert _fast(pattern, folded) == _plain(pattern, folded), (name, pattern.pattern[:80])
            third = len(folded) // 3
            assert _fast(pattern, folded, third, 2 * third) == _plain(pattern, folded, third, 2 * third)


@pytest.mark.parametrize("path", _texts(), ids=lambda p: p.name)
def test_both_scanners_find_the_same_places(path: Path) -> None:
    if "hyperscan" not in prefilter.backends():
        pytest.skip("the hyperscan wheel is not installed")
    folded = fold(path.read_text(encoding="utf-8"))
    assert prefilter.Scan(folded, "python").starts == prefilter.Scan(folded, "hyperscan").starts


@pytest.mark.parametrize("path", _texts(), ids=lambda p: p.name)
def test_extraction_is_the_same_with_every_scanner(path: Path, backend: None) -> None:
    info, text = load_source(path, strict=False)
    prefilter.set_backend("off")
    expected = extract_text(text, info)
    for name in prefilter.backends():
        prefilter.set_backend(name)
        assert extract_text(text, info) == expected, name


_WORDS = ["decision", "Decisions", "resolution", "UNEP/MC/COP.6/INF/29", "A/RES/70/1", "MC-1/21", "BC-17/22",
          "IX/15", "article 14", "paragraph 2 of article", "annex", "Annex A", "part I", "2026-2027", "biennium",
          "Conference of the Parties", "its second meeting", "secretariat", "Executive Secretary", "the Convention",
          "Minamata", "Basel", "Bâle", "réunion", "www.example.org/a.pdf", "Ibid.", ",", ";", ".", "\n", "\n\n",
          " ", "  ", "\u00a0", "\u212a", "İ", "(a)", "1.", "and", "et", "of the", "de la", "COP-4", "GC-25", "25/5"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=40), st.integers(0, 60), st.integers(0, 60))
def test_random_texts_match_the_same(words: list[str], a: int, b: int) -> None:
    text = fold(" ".join(words))
    pos, endpos = min(a, b), max(a, b)
    for name in prefilter.backends():
        prefilter.set_backend(name)
        try:
            for pattern in prefilter.registered():
                assert _fast(pattern, text) == _plain(pattern, text)
                assert _fast(pattern, text, pos, endpos) == _plain(pattern, text, pos, min(endpos, len(text)))
        finally:
            prefilter.set_backend(prefilter.backends()[0])


@settings(max_examples=300, deadline=None)
@given(st.sets(st.text(alphabet="ab/ ", min_size=1, max_size=6), max_size=60))
def test_the_shortest_literals_are_those_no_other_begins(strings: set[str]) -> None:
    pairwise = {s for s in strings if not any(t != s and s.startswith(t) for t in strings)}
    assert prefilter._minimal(strings) == pairwise
