"""Every IRI of ours, minted and taken apart here: cool, stable, derived from official symbols.

``{base}/id/decision/MC-1-21``, ``{base}/id/article/minamata/14/2``,
``{base}/id/meeting/MC-COP-1``, ``{base}/graph/registry``, ``{base}/dump/…``;
the ontology under a fixed namespace. ``iri`` mints every kind and ``parse``
gives (kind, id) back, so no other module writes or splits a path of ours.
The grammar of act and meeting ids is the issuers table's (``data/issuers.json``).
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Protocol
from urllib.parse import quote, unquote

from mclinks.issuer_table import issuers

ONTOLOGY_NS = "https://w3id.org/mclinks/ontology#"  # fixed, whatever the data base is
NUMBER = r"[1-9]\d{0,2}"  # a session or item number as ids write it: arabic, no leading zero
ARTICLE_RE = re.compile(r"(?P<inst>[a-z]+)/(?:art(?P<art>[1-9]\d?)(?:/para(?P<para>[1-9]\d?))?|annex(?P<annex>[A-Z]))")
PERIOD_RE = re.compile(r"(\d{4})-(\d{4})")
REFERENCE_KINDS = ("decision", "resolution", "article", "document", "instrument", "body", "meeting", "period")
# Kinds below /id/ that are not references: their id is a source id or registry key, used as it is.
_KEYED = {"unnumbered": "id/decision/unnumbered/", "draft": "id/draft/", "source-graph": "graph/source/",
          "graph": "graph/", "dump": "dump/", "release": "release/"}
_SINGLE = ("dataset", "catalog", "publisher", "sparql", "feed")  # one of each per base: the id is ""


@lru_cache(maxsize=None)
def id_templates(kind: str) -> tuple[str, ...]:
    """The id templates of a kind in the issuers table: 'MC-{n}/{d}', 'GC-SS-{n}', 'MC-DIPCON'."""
    if kind == "meeting":
        found = [s.id for i in issuers() for s in i.meetings]
    else:
        found = [t.id for i in issuers() for t in i.symbols if t.kind == kind]
    return tuple(dict.fromkeys(found))


def _template_re(template: str, named: bool = True) -> str:
    """An id template as a pattern; its fields are named groups ``n`` and ``d`` when ``named``."""
    def field(name: str) -> str:
        return f"(?P<{name}>{NUMBER})" if named else f"(?:{NUMBER})"
    return re.escape(template).replace(r"\{n\}", field("n")).replace(r"\{d\}", field("d"))


@lru_cache(maxsize=None)
def grammar(kind: str) -> re.Pattern[str] | None:
    """The pattern a well-formed id of ``kind`` matches whole; None for kinds of free ids.

    >>> bool(grammar("decision").fullmatch("GC-SS.12/5")), bool(grammar("meeting").fullmatch("ICCM-5"))
    (True, True)
    """
    if kind == "article":
        return ARTICLE_RE
    if kind == "period":
        return PERIOD_RE
    templates = id_templates(kind) if kind in ("decision", "resolution", "meeting") else ()
    if not templates:
        return None
    return re.compile("|".join(_template_re(t, named=False) for t in templates))


def is_well_formed(kind: str, id_: str) -> bool:
    """Does an id parse by its kind's grammar? (SHACL checks the same on the graph.)"""
    pattern = grammar(kind)
    return bool(pattern.fullmatch(id_)) if pattern else bool(id_)


@lru_cache(maxsize=1 << 16)
def adopting_meeting(kind: str, symbol: str) -> str | None:
    """The meeting an act's symbol names: 'BC-17/22' → 'BC-COP-17', 'GC-SS.12/5' → 'GC-SS-12';
    None when the issuer holds no meetings of ours ('A/RES/70/1').

    Cached: every source that cites an act asks again, and the answer depends only on the
    symbol and the issuers table, which is read once per process (``issuers`` is cached too).
    """
    for issuer in issuers():
        for t in issuer.symbols:
            if t.kind != kind or not (m := re.fullmatch(_template_re(t.id), symbol)):
                continue
            meeting = t.meeting or (issuer.meetings[0].id if issuer.meetings else None)
            return meeting.format(n=int(m.group("n"))) if meeting else None
    return None


def fits_iri_path(value: str) -> bool:
    """Whether ``value`` can stand, as it is, in the path of an IRI (pyoxigraph's parser decides).

    >>> fits_iri_path("decision/MC-1-21"), fits_iri_path("a b"), fits_iri_path("x\x80")
    (True, False, False)
    """
    from pyoxigraph import NamedNode
    try:
        NamedNode(f"https://example.org/{value}")
    except ValueError:
        return False
    return True


def symbol_slug(symbol: str) -> str:
    """'MC-1/21' → 'MC-1-21'; 'A/RES/70/1' → 'A-RES-70-1'."""
    return symbol.replace("/", "-")


def _unslug(kind: str, slug: str) -> str:
    """The symbol whose slug ``slug`` is, by the kind's templates; the slug itself when none fits."""
    for t in id_templates(kind):
        if m := re.fullmatch(_template_re(symbol_slug(t)), slug):
            return t.format(**m.groupdict())
    return slug


def path_for(kind: str, id_: str) -> str:
    """The path under ``{base}/id/`` for a reference id of a kind."""
    if kind == "article":
        m = ARTICLE_RE.fullmatch(id_)
        if not m:
            return f"article/{quote(id_, safe='/')}"
        if m.group("annex"):
            return f"article/{m.group('inst')}/annex{m.group('annex')}"
        tail = f"/{m.group('para')}" if m.group("para") else ""
        return f"article/{m.group('inst')}/{m.group('art')}{tail}"
    if kind == "document":
        return f"document/{quote(id_, safe='/.-')}"
    if kind in ("decision", "resolution"):
        return f"{kind}/{quote(symbol_slug(id_), safe='.-')}"
    return f"{kind}/{quote(id_, safe='.-')}"


def _article_id(path: str) -> str:
    if m := re.fullmatch(r"([a-z]+)/([1-9]\d?)(?:/([1-9]\d?))?", path):
        return f"{m.group(1)}/art{m.group(2)}" + (f"/para{m.group(3)}" if m.group(3) else "")
    return unquote(path)


@lru_cache(maxsize=1 << 16)
def iri(base: str, kind: str, id_: str = "") -> str:
    """The IRI of an id of a kind: a reference kind (``{base}/id/{kind}/{slug}``), a source's
    'unnumbered' decision, 'draft' or 'source-graph', a 'graph', 'dump' or 'release' by name,
    or one of the dataset's own resources ('dataset', 'catalog', 'publisher', 'sparql', 'feed').

    Cached, because the build mints the same ids in every source that cites them (quoting
    each again cost a tenth of graph assembly); the IRI depends on the three strings alone,
    so an entry cannot go stale, and the bound keeps ids a server is asked for from piling up.

    >>> iri("https://x.org", "decision", "MC-1/21"), iri("https://x.org", "graph", "registry")
    ('https://x.org/id/decision/MC-1-21', 'https://x.org/graph/registry')
    """
    if kind in _KEYED:
        return f"{base}/{_KEYED[kind]}{id_}"
    if kind in _SINGLE:
        return f"{base}/{kind}"
    return f"{base}/id/{path_for(kind, id_)}"


def parse(value: str, base: str) -> tuple[str, str] | None:
    """(kind, id) of an IRI of ours, the inverse of ``iri``; None for any other IRI.

    >>> parse("https://x.org/id/article/minamata/14/2", "https://x.org")
    ('article', 'minamata/art14/para2')
    """
    if not value.startswith(base + "/"):
        return None
    path = value[len(base) + 1:]
    if path in _SINGLE:
        return path, ""
    for kind, prefix in _KEYED.items():  # longest prefixes first: unnumbered before decision, source before graph
        if path.startswith(prefix) and len(path) > len(prefix):
            return kind, path[len(prefix):]
    kind, _, tail = path.removeprefix("id/").partition("/")
    if not path.startswith("id/") or kind not in REFERENCE_KINDS or not tail:
        return None
    if kind == "article":
        return kind, _article_id(tail)
    if kind in ("decision", "resolution"):
        return kind, _unslug(kind, unquote(tail))
    return kind, unquote(tail)


def id_space(base: str) -> str:
    """Where every resource of ours lives: ``{base}/id/`` (VoID's uriSpace)."""
    return f"{base}/id/"


def local_path(value: str, base: str) -> str | None:
    """The path of an IRI of ours below ``{base}/id/`` (pages and the search index use it), else None."""
    space = id_space(base)
    return value[len(space):] if value.startswith(space) and len(value) > len(space) else None


def from_local(base: str, path: str) -> str:
    """The IRI whose ``local_path`` is ``path``."""
    return id_space(base) + path


class SourceFacts(Protocol):
    """What a source's identifier is made of (``model.SourceInfo`` has it; identifiers sit below the model)."""

    @property
    def symbol(self) -> str | None: ...
    @property
    def meeting(self) -> str | None: ...
    @property
    def kind(self) -> str: ...
    @property
    def body(self) -> str | None: ...
    @property
    def title(self) -> Mapping[str, str]: ...
    @property
    def date(self) -> str | None: ...
    @property
    def path(self) -> str: ...


def slug_for_source(info: SourceFacts) -> str:
    """A source's stable identifier: its symbol, or meeting + kind + a digest of its metadata."""
    if info.symbol:
        return symbol_slug(info.symbol)
    basis = "|".join([info.meeting or "", info.kind, info.body or "", *sorted(info.title.values())])
    if not info.meeting and info.date:  # same title, no meeting: the 2015 and 2017 BRS decisions differ by date only
        basis += "|" + info.date
    if not info.title:
        basis += "|" + info.path.rsplit("/", 1)[-1]
    digest = hashlib.sha1(basis.encode("utf-8")).hexdigest()[:8]
    meeting = info.meeting if info.meeting and fits_iri_path(info.meeting) else None  # "COP 1" stays in the digest only
    return "-".join(p for p in (meeting, info.kind, digest) if p)
