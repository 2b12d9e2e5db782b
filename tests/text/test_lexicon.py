"""Every alternative of the lexicon's tables compiles, can match folded text, and is reached:
an alternative that an earlier action's words always match first never gives its own action."""
from __future__ import annotations

import re
from re import _parser as sre  # type: ignore[attr-defined]

import pytest

from mclinks.text import lexicon
from mclinks.text.clean import fold
from mclinks.text.issuers import _top_level

TABLES = {name: getattr(lexicon, name) for name in (
    "PREAMBLE_OPENERS", "OPERATIVE_OPENERS", "LATER_ACTIONS", "BODY_PATTERNS", "INSTRUMENT_PATTERNS",
    "CONDITION_PATTERNS")}
# The order clauses.py tries openers in, per paragraph kind: the first that matches wins.
ORDERS = {"preamble": lexicon.PREAMBLE_OPENERS + lexicon.OPERATIVE_OPENERS,
          "operative": lexicon.OPERATIVE_OPENERS + lexicon.PREAMBLE_OPENERS}
_ALTERNATIVES = [(table, action, alt) for table, rows in TABLES.items() for action, pattern in rows
                 for alt in _top_level(pattern)]


def _example(pattern: str) -> str:
    """The shortest text the pattern matches (each repeat at its minimum, each branch its first)."""
    def walk(items) -> str:  # type: ignore[no-untyped-def]
        out = []
        for op, arg in items:
            name = str(op)
            if name == "LITERAL":
                out.append(chr(arg))
            elif name == "SUBPATTERN":
                out.append(walk(arg[-1]))
            elif name == "BRANCH":
                out.append(walk(arg[1][0]))
            elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                out.append(walk(arg[2]) * arg[0])
            elif name == "IN":
                out.append(walk(arg[:1]))
            elif name == "RANGE":
                out.append(chr(arg[0]))
            elif name == "CATEGORY":
                out.append({"CATEGORY_SPACE": " ", "CATEGORY_DIGIT": "0"}.get(str(arg), "a"))
            elif name in ("NOT_LITERAL", "ANY"):
                out.append("a")
        return "".join(out)
    return walk(sre.parse(pattern))


@pytest.mark.parametrize(("table", "action", "alt"), _ALTERNATIVES, ids=lambda v: str(v)[:40])
def test_every_alternative_compiles_and_matches_its_own_example(table: str, action: str, alt: str) -> None:
    compiled = re.compile(alt, re.I)
    assert compiled.match(_example(alt) + ", "), (table, action, alt)  # ", ": what a lookahead may ask to follow


def test_no_alternative_is_accented() -> None:
    """Patterns are written for folded text: an accented letter never matches it."""
    accented = [(t, a, alt) for t, a, alt in _ALTERNATIVES if fold(alt) != alt]
    assert accented == []


@pytest.mark.parametrize("kind", sorted(ORDERS))
def test_no_alternative_stands_under_two_actions(kind: str) -> None:
    seen: dict[str, str] = {}
    twice = []
    for action, pattern in ORDERS[kind]:
        for alt in _top_level(pattern):
            if seen.setdefault(alt, action) != action:
                twice.append((alt, seen[alt], action))
    assert twice == []


@pytest.mark.parametrize("kind", sorted(ORDERS))
def test_no_opener_is_shadowed_by_an_earlier_action(kind: str) -> None:
    """Each alternative's own example, opening a paragraph, gives that alternative's action."""
    compiled = [(a, re.compile(lexicon.opener_pattern(p) + r"\b")) for a, p in ORDERS[kind]]
    own = lexicon.PREAMBLE_OPENERS if kind == "preamble" else lexicon.OPERATIVE_OPENERS
    shadowed = []
    for action, pattern in own:
        for alt in _top_level(pattern):
            example = _example(alt) + " the"
            first = next(a for a, c in compiled if c.match(example))
            if first != action:
                shadowed.append((alt, action, first))
    assert shadowed == []
