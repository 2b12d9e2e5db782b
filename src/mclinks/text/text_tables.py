"""Tables flattened into text by web exports: a header line of column names, then one row
per line ("Article Adopted Title File" / "3 COP1 MC-1/2 Guidance … Download").

Rows are paragraphs of their own, never headings; a column of article numbers makes each
row's first cell a reference to that article.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from mclinks.text.lexicon import ARTICLE_COLUMN, TABLE_COLUMNS

_MIN_COLUMNS = 3
_HEADER_LINE = rf"[ \t]*(?:(?:{TABLE_COLUMNS.replace(chr(92) + 's+', '[ ]+')})\b[ \t]*){{{_MIN_COLUMNS},}}$"
_HEADER_RE = re.compile("^" + _HEADER_LINE, re.M | re.A)
# A header is a whole line: after the first, each is looked for after a line break, a literal
# ``re`` skips to in C ("^" is tried at every character of the text).
_HEADER_AFTER_BREAK_RE = re.compile(rf"\n(?P<line>{_HEADER_LINE})", re.M | re.A)
_ROW_RE = re.compile(r"^[ \t]*(?P<cell>\d{1,3})[ \t]+\S", re.M | re.A)
_ARTICLE_FIRST_RE = re.compile(rf"[ \t]*(?:{ARTICLE_COLUMN})\b", re.A)


@dataclass(frozen=True, slots=True)
class Table:
    start: int  # the header line
    header_end: int
    article_column: bool
    rows: tuple[tuple[int, int, int, int], ...]  # (row start, row end, first cell start, first cell end)


@lru_cache(maxsize=2)  # segmentation and citations read the same text's tables
def find_tables(folded: str) -> tuple[Table, ...]:
    """Tables of ``folded``; a table runs from its header to the next header or the end."""
    headers = header_lines(folded)
    tables = []
    for k, (start, end) in enumerate(headers):
        stop = headers[k + 1][0] if k + 1 < len(headers) else len(folded)
        rows = []
        for r in _ROW_RE.finditer(folded, end, stop):
            line_end = folded.find("\n", r.start())
            rows.append((r.start(), stop if line_end < 0 or line_end > stop else line_end, r.start("cell"), r.end("cell")))
        if rows:
            tables.append(Table(start, end, bool(_ARTICLE_FIRST_RE.match(folded[start:end])), tuple(rows)))
    return tuple(tables)


def header_lines(folded: str) -> list[tuple[int, int]]:
    """(start, end) of every line of ``folded`` that is a table's header (as ``_HEADER_RE`` finds them)."""
    first = _HEADER_RE.match(folded)
    return ([first.span()] if first else []) + [m.span("line") for m in _HEADER_AFTER_BREAK_RE.finditer(folded)]
