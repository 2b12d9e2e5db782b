"""One scan of the text finds where each recogniser can match at all, so that its own
pattern is tried only there.

Python's ``re`` walks every position of the text once per whole-text pattern, and the
extractor has about twenty of them (issue #15: most of the time, even for patterns that
find nothing). Almost every match must begin with one of a few short literals ("dec",
"res", "unep/", "20"): ``prefixes`` reads them off the pattern's own parse tree, so they
are derived, never written twice. ``Scan`` finds all literals of all registered patterns
in one pass over an ASCII, lower-case copy of the text (Hyperscan when its wheel is
installed, else ``bytes.find``); ``Prefiltered.finditer`` then calls ``match`` only at
those positions. A literal that every match must start with is a necessary condition, so
the matches are exactly those of ``re.finditer`` (``tests/text/test_prefilter.py``).
"""
from __future__ import annotations

import bisect
import os
import re
from collections.abc import Iterator
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
from typing import Any

_MAX_PREFIX = 6  # longer literals are rarer, so fewer places to try
_MAX_LITERALS = 96  # per pattern; more, and a shorter prefix is taken
_MAX_CLASS = 12  # a character class wider than this ends the literal ("[A-Z]", "\w")
_BLOWUP = 4096


class _Unknown(Exception):
    """The pattern can start with too many strings to list."""


# A prefix is (string, open): open means the next item of the sequence may extend it.
_Prefixes = set[tuple[str, bool]]


def _chars(item: tuple[Any, Any], flags: int) -> list[str] | None:
    """The ASCII lower-case characters one pattern item may match, or None for 'too many'.

    Without ``re.ASCII``, ``\\d`` matches other scripts' digits: not listed. (A letter that
    ignores case may match one of ``_CASE_TWINS``: the scan text holds the ASCII letter.)
    """
    op, arg = item
    ascii_only = bool(flags & re.A)

    def one(code: int) -> str | None:
        if chr(code).isspace():
            return " "  # the scan text holds every space as " "
        return None if code >= 128 else chr(code).lower()  # non-ASCII: the scan text holds "?"

    if op is C.LITERAL:
        c = one(arg)
        return None if c is None else [c]
    if op is not C.IN:
        return None
    out: set[str] = set()
    for sub_op, sub in arg:
        if sub_op is C.LITERAL:
            codes = [sub]
        elif sub_op is C.RANGE:
            if sub[1] - sub[0] >= 64:
                return None
            codes = list(range(sub[0], sub[1] + 1))
        elif sub_op is C.CATEGORY and sub is C.CATEGORY_DIGIT and ascii_only:
            codes = list(range(48, 58))
        elif sub_op is C.CATEGORY and sub in (C.CATEGORY_SPACE, C.CATEGORY_UNI_SPACE):
            codes = [32]  # every space is " " in the scan text
        else:
            return None  # negated classes, \s, \w: too wide to be worth listing
        for code in codes:
            c = one(code)
            if c is None:
                return None
            out.add(c)
    return sorted(out) if len(out) <= _MAX_CLASS else None


def _concat(left: _Prefixes, right_of: Any, k: int) -> _Prefixes:
    out: _Prefixes = set()
    right: _Prefixes | None = None
    for s, open_ in left:
        if not open_ or len(s) >= k:
            out.add((s[:k], False))
            continue
        if right is None:
            right = right_of()
        for t, t_open in right:
            u = s + t
            out.add((u[:k], t_open and len(u) < k))
        if len(out) > _BLOWUP:
            raise _Unknown
    return out


def _sequence(items: list[Any], flags: int, k: int) -> _Prefixes:
    acc: _Prefixes = {("", True)}
    for item in items:
        if not any(open_ for _, open_ in acc):
            break
        acc = _concat(acc, lambda item=item: _item(item, flags, k), k)
    return acc


def _item(item: tuple[Any, Any], flags: int, k: int) -> _Prefixes:
    op, arg = item
    if op in (C.LITERAL, C.IN):
        chars = _chars(item, flags)
        return {("", False)} if chars is None else {(c, True) for c in chars}
    if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
        return {("", True)}  # zero width; a lookahead's own condition is ignored (a superset)
    if op is C.BRANCH:
        return set().union(*(_sequence(list(b), flags, k) for b in arg[1]))
    if op is C.SUBPATTERN:
        _group, add, remove, sub = arg
        return _sequence(list(sub), (flags | add) & ~remove, k)
    if op is getattr(C, "ATOMIC_GROUP", None):
        return _sequence(list(arg), flags, k)
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", C.MAX_REPEAT)):
        low, high, sub = arg
        one_pass = _sequence(list(sub), flags, k)
        acc: _Prefixes = {("", True)}
        out: _Prefixes = set()
        n = 0  # passes made: "\\s+" reads " " followed by what comes after, or "  " and stops there
        while True:
            if n > low and high > 1:  # more passes than needed: not followed (literals would multiply)
                return out | {(s, False) for s, _ in acc}
            if n >= low:
                out |= acc
            if n == high:
                return out
            if n == k or not any(open_ for _, open_ in acc):
                return out | {(s, False) for s, _ in acc}  # further passes are not followed
            acc = _concat(acc, lambda: one_pass, k)
            n += 1
    return {("", False)}  # back references, conditionals, "." …: nothing known from here on


def _minimal(strings: set[str]) -> set[str]:
    """The strings no other one of them begins: each string's own few prefixes are looked up
    (comparing every pair was most of the import's second, at a thousand strings per pattern)."""
    return {s for s in strings if not any(s[:j] in strings for j in range(1, len(s)))}


def prefixes(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Lower-case ASCII literals one of which begins every match of ``pattern``, or None.

    >>> sorted(prefixes(re.compile(r"\\b(?:decision|resolution)s?\\s+\\d", re.I | re.A)))
    ['decisi', 'resolu']
    """
    if not isinstance(pattern.pattern, str):
        return None
    try:  # re's parser is private; a pattern it cannot read here simply runs unfiltered
        parsed = _parser.parse(pattern.pattern, pattern.flags)
    except Exception:
        return None
    best: set[str] | None = None
    for k in range(1, _MAX_PREFIX + 1):
        try:
            found = _sequence(list(parsed), parsed.state.flags, k)
        except _Unknown:
            break
        strings = {s for s, _ in found}
        if "" in strings:
            return None  # a match may begin anywhere
        minimal = _minimal(strings)
        if len(minimal) > _MAX_LITERALS:
            break
        best = minimal  # longer literals: fewer places tried in vain
    return None if best is None else frozenset(best)


# Non-ASCII characters a pattern may match with an ASCII letter or "\s": the only ones that
# ``re.IGNORECASE`` matches to an ASCII letter, and every space ("\s" without re.ASCII);
# ``tests/text/test_prefilter.py`` checks this against every code point.
_CASE_TWINS = {"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"}
_WIDE_SPACES = "".join(c for c in map(chr, range(128, 0x3001)) if c.isspace())
_TWINS_RE = re.compile("[" + "".join(_CASE_TWINS) + _WIDE_SPACES + "]")


def _plain(m: re.Match[str]) -> str:
    return _CASE_TWINS.get(m.group(), " ")


def scan_bytes(text: str) -> bytes:
    """One byte per character: ASCII lower-cased, spaces " ", anything else "?"; offsets stay the text's."""
    if not text.isascii():
        text = _TWINS_RE.sub(_plain, text)
    return text.encode("ascii", "replace").translate(_SCAN_TABLE)


_SCAN_TABLE = bytes(32 if chr(b).isspace() else ord(chr(b).lower()) for b in range(128)) + bytes(range(128, 256))


class _Registry:
    """Every prefiltered pattern's literals, in one table the scanners are built from."""

    def __init__(self) -> None:
        self.literals: dict[bytes, list[int]] = {}  # literal -> ids of patterns that start with it
        self.patterns: list[Prefiltered] = []
        self.count = 0  # len(patterns), read on every finditer
        # Scanners are rebuilt when patterns were added since, counted by patterns, not literals:
        # a new pattern may add only literals already listed, yet it needs its own places.
        self._hs: Any = None
        self._hs_count = -1
        self._py: Any = None
        self._py_count = -1

    def add(self, pattern: Prefiltered, literals: frozenset[str]) -> int:
        index = self.count
        self.patterns.append(pattern)
        self.count += 1
        for lit in literals:
            self.literals.setdefault(lit.encode("ascii"), []).append(index)
        return index

    def python(self) -> tuple[Any, dict[bytes, list[int]]]:
        """One trie-shaped pattern of all literals (the longest that fits wins at each place), and
        for each literal the patterns of every literal it begins with: at a place where the
        longest is found, its prefixes that are literals are found too."""
        if self._py is None or self._py_count != self.count:
            closure = {lit: sorted({i for k in range(1, len(lit) + 1) for i in self.literals.get(lit[:k], ())})
                       for lit in self.literals}
            search = re.compile(_bytes_trie(list(self.literals)), re.S).search
            self._py, self._py_count = (search, closure), self.count
        return self._py

    def hyperscan(self) -> tuple[Any, list[tuple[int, tuple[int, ...]]]]:
        """The Hyperscan database of all literals (rebuilt when patterns were added since), and
        for each literal's id its length and the patterns it begins."""
        if self._hs is None or self._hs_count != self.count:
            import hyperscan  # type: ignore[import-not-found]
            table = list(self.literals)
            db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
            db.compile(expressions=[b"".join(b"\\x%02x" % c for c in lit) for lit in table],
                       ids=list(range(len(table))), elements=len(table), flags=[0] * len(table))
            self._hs = db, [(len(lit), tuple(self.literals[lit])) for lit in table]
            self._hs_count = self.count
        return self._hs


def _bytes_trie(literals: list[bytes]) -> bytes:
    """A pattern matching exactly the literals, the longest first at each place."""
    root: dict[int, dict] = {}  # type: ignore[type-arg]
    for lit in literals:
        node = root
        for c in lit:
            node = node.setdefault(c, {})
        node[-1] = {}
    return _emit(root)


def _emit(node: dict) -> bytes:  # type: ignore[type-arg]
    branches = [re.escape(bytes([c])) + _emit(child) for c, child in sorted(node.items()) if c >= 0]
    if not branches:
        return b""
    body = branches[0] if len(branches) == 1 else b"(?:" + b"|".join(branches) + b")"
    return b"(?:" + body + b")?" if -1 in node else body


_REGISTRY = _Registry()


def _hyperscan_available() -> bool:
    if os.environ.get("MCLINKS_SCANNER") == "python":
        return False
    try:
        import hyperscan  # type: ignore[import-not-found]  # noqa: F401
    except ImportError:
        return False
    return True


BACKEND = "hyperscan" if _hyperscan_available() else "python"


def set_backend(name: str) -> None:
    """Choose the scanner: ``hyperscan`` or ``python`` (benchmarks and tests compare them)."""
    global BACKEND, _last
    if name not in ("hyperscan", "python", "off"):
        raise ValueError(f"unknown scanner {name!r}")
    if name == "hyperscan" and not _hyperscan_available():
        raise ValueError("the hyperscan wheel is not installed")
    BACKEND, _last = name, None


class Scan:
    """Where each registered pattern may begin in one text: sorted start offsets per pattern."""

    def __init__(self, text: str, backend: str | None = None) -> None:
        self.text = text
        data = scan_bytes(text)
        # A pattern's literals are prefix-free (``prefixes`` keeps the shortest), so at most one of
        # them begins at a place: each place is found once per pattern, no set is needed.
        starts: list[list[int]] = [[] for _ in range(_REGISTRY.count)]
        if (backend or BACKEND) == "hyperscan":
            db, table = _REGISTRY.hyperscan()
            hits: list[tuple[int, int]] = []
            hit = hits.append

            def found(lit_id: int, _from: int, to: int, _flags: int, _ctx: object) -> None:
                hit((lit_id, to))  # as little as can be per match: this runs in Python

            db.scan(data, match_event_handler=found)
            for lit_id, to in hits:
                length, indices = table[lit_id]
                for index in indices:
                    starts[index].append(to - length)
            for places in starts:
                places.sort()  # reported by where each literal ends
        else:
            search, closure = _REGISTRY.python()
            m = search(data)
            while m is not None:  # left to right: each list comes out sorted
                at = m.start()
                for index in closure[m.group()]:
                    starts[index].append(at)
                m = search(data, at + 1)
        self.starts = starts
        self.count = len(self.starts)


_last: Scan | None = None


def scan_of(text: str) -> Scan:
    """The scan of ``text``, made once for all patterns (the last text's is kept)."""
    global _last
    last = _last
    if last is None or last.text is not text or last.count != _REGISTRY.count:
        last = _last = Scan(text)
    return last


class Prefiltered:
    """A compiled pattern whose whole-text ``finditer`` tries only where the scan says.

    Other methods, and ``finditer`` over a slice (``pos``/``endpos``), are the pattern's own.
    """

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.regex = pattern
        self.literals = prefixes(pattern)
        self.index = _REGISTRY.add(self, self.literals) if self.literals else None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.regex, name)

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[re.Match[str]]:
        """As ``re.Pattern.finditer``: ``match`` at each place the scan found, left to right,
        each after the end of the one before (no match is empty: its prefix is not)."""
        endpos = len(text) if endpos is None else min(endpos, len(text))
        if self.index is None or BACKEND == "off":
            return self.regex.finditer(text, pos, endpos)
        return self._at(text, scan_of(text).starts[self.index], pos, endpos)

    def places(self, text: str) -> list[int] | None:
        """Sorted offsets where a match of the whole-text pattern may begin, or None when
        every place must be tried (no literal known, or the scan is off)."""
        if self.index is None or BACKEND == "off":
            return None
        return scan_of(text).starts[self.index]

    def _at(self, text: str, starts: list[int], pos: int, endpos: int) -> Iterator[re.Match[str]]:
        match = self.regex.match
        for k in range(bisect.bisect_left(starts, pos), len(starts)):
            start = starts[k]
            if start >= endpos:
                return
            if start >= pos and (m := match(text, start, endpos)):
                yield m
                pos = m.end()


def any_within(places: list[int], start: int, end: int) -> bool:
    """Whether sorted ``places`` (as ``Prefiltered.places`` gives them) hold one in [start, end)."""
    k = bisect.bisect_left(places, start)
    return k < len(places) and places[k] < end


def registered() -> list[Prefiltered]:
    """Every pattern the scan serves (for tests and benchmarks)."""
    return list(_REGISTRY.patterns)


def backends() -> list[str]:
    """The scanners usable here: ``python`` always, ``hyperscan`` when its wheel is installed."""
    return ["hyperscan", "python"] if _hyperscan_available() else ["python"]


def prefiltered(pattern: re.Pattern[str]) -> Prefiltered:
    """``pattern`` registered with the scan (see the module's docstring)."""
    return Prefiltered(pattern)
