"""Minting IRIs from normalised ids: cool, stable, derived from official symbols.

``{base}/id/decision/MC-1-21``, ``{base}/id/article/minamata/14/2``,
``{base}/id/meeting/MC-COP-1``; the ontology under ``{base}/ontology#``.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import Protocol
from urllib.parse import quote

ONTOLOGY_NS = "https://w3id.org/mclinks/ontology#"  # fixed, whatever the data base is
DECISION_RE = re.compile(r"(?P<pfx>MC|BC|RC|SC)-(?P<m>\d{1,2})/(?P<n>\d{1,3})|GC-(?:SS\.)?(?P<gm>\d{1,2})/(?P<gn>\d{1,3})")
RESOLUTION_RE = re.compile(r"UNEA-\d{1,2}/\d{1,3}|A/RES/\d{2,3}/\d{1,3}|ICCM-\d{1,2}/\d{1,3}")
MEETING_RE = re.compile(r"(?:MC|BC|RC|SC)-COP-\d{1,2}|(?:MC-INC|BRS-EXCOP)-\d{1,2}|UNEA-\d{1,2}|GC-\d{1,2}|GC-SS-\d{1,2}|MC-DIPCON|MC-DIPCON-PREP")
ARTICLE_RE = re.compile(r"(?P<inst>[a-z]+)/(?:art(?P<art>\d{1,2})(?:/para(?P<para>\d{1,2}))?|annex(?P<annex>[A-Z]))")
PERIOD_RE = re.compile(r"(\d{4})-(\d{4})")
_KIND_PATH = {"decision": "decision", "resolution": "resolution", "meeting": "meeting", "document": "document",
              "instrument": "instrument", "body": "body", "period": "period", "article": "article"}


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


def path_for(kind: str, id_: str) -> str:
    """The path under ``{base}/id/`` for a reference id of a kind."""
    if kind == "article":
        m = ARTICLE_RE.fullmatch(id_)
        if not m:
            return f"article/{quote(id_, safe='/')}"
        if m.group("annex"):
            return f"article/{m.group('inst')}/annex{m.group('annex')}"
        tail = f"/{int(m.group('para'))}" if m.group("para") else ""
        return f"article/{m.group('inst')}/{int(m.group('art'))}{tail}"
    if kind == "document":
        return f"document/{quote(id_, safe='/.-')}"
    if kind in ("decision", "resolution"):
        return f"{kind}/{quote(symbol_slug(id_), safe='.-')}"
    return f"{_KIND_PATH.get(kind, kind)}/{quote(id_, safe='.-')}"


def iri(base: str, kind: str, id_: str) -> str:
    """``{base}/id/{kind}/{slug}`` for a normalised id."""
    return f"{base}/id/{path_for(kind, id_)}"


def is_well_formed(kind: str, id_: str) -> bool:
    """Does an id parse by its kind's grammar? (SHACL checks the same on the graph.)"""
    pattern = {"decision": DECISION_RE, "resolution": RESOLUTION_RE, "meeting": MEETING_RE,
               "article": ARTICLE_RE, "period": PERIOD_RE}.get(kind)
    return bool(pattern.fullmatch(id_)) if pattern else bool(id_)


def meeting_of_decision(symbol: str) -> str | None:
    """The adopting meeting a decision symbol names: 'BC-17/22' → 'BC-COP-17', 'GC-25/5' → 'GC-25'."""
    m = DECISION_RE.fullmatch(symbol)
    if not m:
        return None
    if m.group("pfx"):
        return f"{m.group('pfx')}-COP-{int(m.group('m'))}"
    if symbol.startswith("GC-SS."):
        return f"GC-SS-{int(m.group('gm'))}"
    return f"GC-{int(m.group('gm'))}"


def meeting_of_resolution(symbol: str) -> str | None:
    m = re.fullmatch(r"UNEA-(\d{1,2})/\d+", symbol)
    return f"UNEA-{int(m.group(1))}" if m else None


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
