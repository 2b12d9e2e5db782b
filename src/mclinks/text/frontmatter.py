"""YAML front matter: a text may carry its metadata in a ``---`` block at its top.

The block is metadata, not text: it is cut off before extraction, so that the
extractor (and every offset it gives) sees only the words of the act.
"""
from __future__ import annotations

import re
from typing import Any

import yaml

from mclinks.errors import SourceError

_BLOCK_RE = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


def split_front_matter(text: str, file: str) -> tuple[dict[str, Any], str]:
    """(the front matter's fields, the text after it); ({}, text) when there is none."""
    m = _BLOCK_RE.match(text)
    if m is None:
        return {}, text
    try:
        data = yaml.safe_load(m.group(1) or "") or {}
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1  # +1 for the '---' line, +1 as lines count from 1
        raise SourceError(f"bad YAML front matter: {getattr(e, 'problem', None) or e}", file=file, line=line) from None
    if not isinstance(data, dict):
        raise SourceError("the YAML front matter must be a mapping of field: value", file=file, line=2)
    return {str(k): (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}, text[m.end():]
