"""Full-text search over a release: paragraphs, titles and symbols in an SQLite FTS5
index (``search.sqlite``), written once with the release and opened read-only.

The ``unicode61 remove_diacritics 2`` tokenizer folds case and accents, so
"secretariat" finds "secrétariat" and "Bâle" finds "Bale", in French, English
and Spanish alike. User input never becomes FTS5 syntax: every word is quoted
as a phrase token (``match_expression``), so no input is a syntax error, and
every value reaches SQL as a parameter. A query is bounded three ways: a page
of at most ``MAX_LIMIT`` hits, an offset of at most ``MAX_OFFSET``, and a time
limit enforced by SQLite's progress handler.
"""
from __future__ import annotations

import html
import re
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Store

from mclinks.errors import MclinksError
from mclinks.identifiers import from_local, local_path
from mclinks.text.clean import artefact_spans
from mclinks.vocab import PREFIXES

SEARCH_FILE = "search.sqlite"
MAX_LIMIT = 50
MAX_OFFSET = 1000
MAX_QUERY_CHARS = 500
MARK_START, MARK_END = "\ue000", "\ue001"  # private-use characters: never in our texts
TOKENIZER = "unicode61 remove_diacritics 2"
_WEIGHTS = (10.0, 5.0, 1.0)  # bm25 weights of symbol, title, body: a symbol match ranks first
_MCL, _RDFS, _DCT = PREFIXES["mcl"], PREFIXES["rdfs"], PREFIXES["dcterms"]
_TERMS = re.compile(r'"([^"]*)"|(\S+)')
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")  # FTS5 reads a string only up to a NUL: no control character gets in


class SearchUnavailable(MclinksError):
    """The release has no search index, or it cannot be opened."""


class BadSearch(MclinksError):
    """The search text or a paging parameter cannot be used (the caller's fault)."""

    exit_code = 3


class SearchTimeout(MclinksError):
    """The search ran past its time limit and was interrupted."""


@dataclass(frozen=True)
class Entry:
    """One searchable thing: a paragraph (``body`` is its text) or a resource with a symbol
    or title. ``local`` is the IRI's path below ``/id/``, so the index holds no base IRI."""

    local: str
    kind: str  # "paragraph", or the resource's class ("Decision", "Meeting"…)
    label: str
    act: str  # local id of the act a paragraph belongs to ("" for resources)
    lang: str
    symbol: str
    title: str
    body: str


@dataclass(frozen=True)
class Hit:
    local: str
    kind: str
    label: str
    act: str
    lang: str
    snippet: str  # plain text with MARK_START/MARK_END around matched words

    def snippet_html(self) -> str:
        """The snippet escaped for HTML, its matched words in ``<mark>``.

        >>> Hit("", "", "", "", "", "a <b> " + MARK_START + "secrétariat" + MARK_END).snippet_html()
        'a &lt;b&gt; <mark>secrétariat</mark>'
        """
        return html.escape(self.snippet).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")

    def as_json(self) -> dict[str, str]:
        data = asdict(self)
        data["snippet"] = self.snippet.replace(MARK_START, "").replace(MARK_END, "")
        data["highlighted"] = self.snippet_html()
        return data


@dataclass(frozen=True)
class Results:
    query: str
    total: int
    offset: int
    limit: int
    hits: tuple[Hit, ...]


def _rows(store: Store, query: str) -> Iterator[dict[str, object]]:
    result = store.query(query, use_default_graph_as_union=True)
    names = [v.value for v in result.variables]  # type: ignore[union-attr]
    for row in result:  # type: ignore[union-attr]
        yield {n: row[n] for n in names}


def _value(term: object) -> str:
    return " ".join(term.value.split()) if isinstance(term, (Literal, NamedNode)) else ""


def _without_markers(term: object) -> str:
    """A paragraph's text without the Word markers (``[footnoteRef:3]``) that are not text."""
    text = term.value if isinstance(term, Literal) else ""
    for start, end in reversed(artefact_spans(text)):
        text = text[:start] + text[end:]
    return " ".join(text.split())


def entries(store: Store, base: str) -> Iterator[Entry]:
    """Every paragraph with its text, and every resource of ours with a symbol or a title."""
    for r in _rows(store, f"""
        SELECT ?p (SAMPLE(?v) AS ?text) (SAMPLE(?l) AS ?label) (SAMPLE(?act) AS ?a) WHERE {{
          ?p <{_MCL}inText> ?t ; <{PREFIXES['rdf']}value> ?v .
          OPTIONAL {{ ?p <{_RDFS}label> ?l }} OPTIONAL {{ ?p <{_MCL}ofAct> ?act }}
        }} GROUP BY ?p"""):
        local = local_path(_value(r["p"]), base)
        if local is None:
            continue
        text = r["text"]
        act = local_path(_value(r["a"]), base) or ""
        yield Entry(local, "paragraph", _value(r["label"]) or local, act,
                    text.language or "" if isinstance(text, Literal) else "", "", "", _without_markers(text))
    found: dict[str, tuple[set[str], set[Literal]]] = {}  # local id → (symbols, titles)
    for predicate, slot in ((_MCL + "symbol", 0), (_DCT + "title", 1)):
        for quad in store.quads_for_pattern(None, NamedNode(predicate), None, None):
            local = local_path(_value(quad.subject), base)
            if local is not None and isinstance(quad.object, Literal):
                found.setdefault(local, (set(), set()))[slot].add(quad.object)  # type: ignore[arg-type]
    label, rdf_type = NamedNode(_RDFS + "label"), NamedNode(PREFIXES["rdf"] + "type")
    for local, (symbols, titles) in sorted(found.items()):
        subject = NamedNode(from_local(base, local))
        types = sorted(q.object.value.rsplit("#", 1)[-1] for q in store.quads_for_pattern(subject, rdf_type, None, None)
                       if q.object.value.startswith(_MCL))
        labels = sorted(q.object.value for q in store.quads_for_pattern(subject, label, None, None))
        symbol_text = " ".join(sorted({_value(t) for t in symbols}))
        yield Entry(local, types[0] if types else "Resource", symbol_text or (labels[0] if labels else local), "",
                    min((t.language or "" for t in titles), default=""), symbol_text,
                    " — ".join(sorted({_value(t) for t in titles})), "")


def write_search_index(store: Store, base: str, path: Path) -> int:
    """Write the FTS5 index of ``store`` to ``path`` (a new file); return how many entries it holds."""
    conn = sqlite3.connect(path)
    try:
        conn.execute(f"CREATE VIRTUAL TABLE entries USING fts5(symbol, title, body, local UNINDEXED, kind UNINDEXED,"
                     f" label UNINDEXED, act UNINDEXED, lang UNINDEXED, tokenize='{TOKENIZER}')")
        count = 0
        with conn:
            for e in entries(store, base):
                conn.execute("INSERT INTO entries (symbol, title, body, local, kind, label, act, lang)"
                             " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                             (e.symbol, e.title, e.body, e.local, e.kind, e.label, e.act, e.lang))
                count += 1
        conn.execute("INSERT INTO entries (entries) VALUES ('optimize')")
        conn.commit()
        return count
    finally:
        conn.close()


def match_expression(text: str) -> str:
    """``text`` as an FTS5 query that can never be a syntax error: each word, or each
    "quoted phrase", becomes a quoted phrase token (all must match); a trailing ``*``
    on a word asks for the prefix; words without a letter or digit are dropped.
    Returns "" when nothing searchable is left.

    >>> match_expression('secrétariat "task force" mercur* AND) NEAR(')
    '"secrétariat" "task force" "mercur"* "AND)" "NEAR("'
    """
    parts = []
    for m in _TERMS.finditer(_CONTROL.sub(" ", text)):
        phrase, word = m.group(1), m.group(2)
        prefix = False
        if word is not None:
            prefix = word.endswith("*") and len(word.rstrip("*")) > 0
            phrase = word.rstrip("*") if prefix else word
        if phrase and any(c.isalnum() for c in phrase):  # no letter or digit: no token to look for
            parts.append('"' + phrase.replace('"', '""') + '"' + ("*" if prefix else ""))
    return " ".join(parts)


def open_index(path: Path) -> sqlite3.Connection:
    """The index opened read-only (``immutable``: a release never changes)."""
    if not path.is_file():
        raise SearchUnavailable("this release has no search index: rebuild it with `mclinks build`", file=str(path))
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        conn.execute("SELECT 1 FROM entries LIMIT 0")
    except sqlite3.Error as e:
        raise SearchUnavailable(f"cannot open the search index: {e}", file=str(path)) from None
    return conn


def search(path: Path, text: str, limit: int = 20, offset: int = 0, lang: str = "",
           timeout_s: float = 2.0) -> Results:
    """The hits for ``text``, best first (bm25), with highlighted snippets.

    Raises ``BadSearch`` for empty or oversized input and out-of-range paging,
    ``SearchTimeout`` past ``timeout_s``, ``SearchUnavailable`` without an index.
    """
    if len(text) > MAX_QUERY_CHARS:
        raise BadSearch(f"parameter q: at most {MAX_QUERY_CHARS} characters")
    if not 1 <= limit <= MAX_LIMIT:
        raise BadSearch(f"parameter limit: between 1 and {MAX_LIMIT}")
    if not 0 <= offset <= MAX_OFFSET:
        raise BadSearch(f"parameter offset: between 0 and {MAX_OFFSET}; narrow the search instead")
    expression = match_expression(text)
    if not expression:
        raise BadSearch("parameter q: give at least one word to search for")
    conn = open_index(path)
    deadline = time.monotonic() + timeout_s
    conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 100)
    where = "entries MATCH ?" + (" AND lang = ?" if lang else "")
    args: tuple[object, ...] = (expression, lang) if lang else (expression,)
    try:
        total = conn.execute(f"SELECT count(*) FROM entries WHERE {where}", args).fetchone()[0]
        rows = conn.execute(
            f"SELECT local, kind, label, act, lang, snippet(entries, -1, ?, ?, '…', 24) FROM entries"
            f" WHERE {where} ORDER BY bm25(entries, ?, ?, ?) LIMIT ? OFFSET ?",
            (MARK_START, MARK_END, *args, *_WEIGHTS, limit, offset)).fetchall()
    except sqlite3.Error as e:
        if "interrupted" in str(e):
            raise SearchTimeout(f"the search took longer than {timeout_s:g} s; use fewer or longer words") from None
        # input never is FTS5 syntax (match_expression), so this is the file's fault
        raise SearchUnavailable(f"the search index cannot be read: {e}", file=str(path)) from None
    finally:
        conn.close()
    return Results(text, total, offset, limit, tuple(Hit(*row) for row in rows))
