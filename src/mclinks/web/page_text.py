"""A text as a page shows it: Word export markers out, footnote markers as links to
their footnotes, citations as links to what they cite; every piece escaped."""
from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable

from mclinks.text.clean import artefact_spans


def display(text: str) -> str:
    """Text for readers: Word export markers ([footnoteRef:3], [bookmark: …]) taken out."""
    out, pos = [], 0
    for start, end in artefact_spans(text):
        out.append(text[pos:start])
        pos = end
    out.append(text[pos:])
    return "".join(out)


_FOOTNOTE_REF = re.compile(r"\[(?:footnote|endnote)Ref:\s*(\d+)\]")
_FOOTNOTE_BODY = re.compile(r"\s*\[(\d+):")


def display_html(text: str) -> str:
    """Escaped text for a page: footnote markers become links to their footnotes, other
    Word markers are dropped."""
    out, pos = [], 0
    for start, end in artefact_spans(text):
        out.append(html.escape(text[pos:start]))
        if m := _FOOTNOTE_REF.fullmatch(text, start, end):
            out.append(f'<sup class="fn"><a href="#fn-{m.group(1)}">{m.group(1)}</a></sup>')
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)


def footnote_anchor(text: str) -> str | None:
    """``fn-3`` for a footnote paragraph written "[3: …]" by a Word export."""
    m = _FOOTNOTE_BODY.match(text)
    return f"fn-{m.group(1)}" if m else None


def marked_html(text: str, offset: int, marks: Iterable[tuple[int, int, str, str]], href: Callable[[str], str]) -> str:
    """``text`` (which starts at ``offset`` of its source) with each citation ``(start, end,
    target, kind)``, in source offsets and in order, made a link to its target; a
    citation that overlaps the one before or runs past the text is left as words.

    >>> marked_html("see MC-1/21.", 100, [(104, 111, "http://x/MC-1-21", "decision")], lambda i: i)
    'see <a class="cite cite-decision" href="http://x/MC-1-21">MC-1/21</a>.'
    """
    out, pos = [], 0
    for start, end, target, kind in marks:
        s, e = start - offset, end - offset
        if s < pos or e > len(text):
            continue
        out.append(display_html(text[pos:s]))
        out.append(f'<a class="cite cite-{html.escape(kind)}" href="{html.escape(href(target))}">{display_html(text[s:e])}</a>')
        pos = e
    out.append(display_html(text[pos:]))
    return "".join(out)
