"""One regular expression for many literal phrases, shaped as a trie.

Python's ``re`` tries the alternatives of ``a|b|c`` one after the other at every position;
a trie shares their prefixes (``sec(?:ond|retariat)``), so a list of two hundred ordinals
or body names costs about as much as one word. Spaces in a phrase match any run of
spaces; a hyphen may be spaced or missing ("twenty-seventh", "twenty - seventh").
"""
from __future__ import annotations

import re
from collections.abc import Iterable

_END = ""


def _piece(c: str) -> str:
    if c == " ":
        return r"\s+"
    if c == "-":
        return r"\s?-?\s?"
    return re.escape(c)


def trie_pattern(phrases: Iterable[str]) -> str:
    """A non-capturing pattern matching exactly the given phrases (case as given), longest first."""
    root: dict[str, dict] = {}  # type: ignore[type-arg]
    for phrase in phrases:
        node = root
        for c in " ".join(phrase.split()):
            node = node.setdefault(c, {})
        node[_END] = {}
    return _emit(root) or "(?!)"


def _emit(node: dict) -> str:  # type: ignore[type-arg]
    branches = [(c, child) for c, child in node.items() if c != _END]
    optional = _END in node
    if not branches:
        return ""
    parts = [_piece(c) + _emit(child) for c, child in sorted(branches)]
    body = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
    if optional:
        return f"(?:{body})?" if len(parts) > 1 or len(body) > 1 else f"{body}?"
    return body
