"""Linked-data paths: which IRI of ours a ``/id/…`` or ``/doc/…`` path names, and
in which representation. A path that cannot be an IRI of ours is no IRI at all
(404), so nothing a client writes in a path ever reaches a query as text: the
IRI is bound as a term (``pages``), and only after it parsed as one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

from mclinks.formats import FORMATS
from mclinks.identifiers import fits_iri_path, from_local

# Path characters of our IRIs (RFC 3986 pchar and "/"), percent-escapes whole.
_SEGMENT = r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})+"
_LOCAL = re.compile(rf"{_SEGMENT}(?:/{_SEGMENT})*")
# "/doc/X.ttl", or as legislation.gov.uk writes it, "/doc/X/data.ttl"
SUFFIXES = {f.suffix: f.media_type for f in FORMATS if not f.dataset} | {".html": "text/html"}


@dataclass(frozen=True)
class DocPath:
    local: str  # the IRI's path below /id/
    media: str | None  # asked for by suffix, else None (negotiate)

    def iri(self, base: str) -> str:
        return from_local(base, self.local)


def local_id(raw: str) -> str | None:
    """The path below ``/id/`` when ``raw`` (still percent-encoded) can name an IRI of ours.

    >>> local_id("decision/MC-1-21"), local_id("a%20b"), local_id("../etc/passwd"), local_id("a b")
    ('decision/MC-1-21', None, None, None)
    """
    if not _LOCAL.fullmatch(raw) or any(seg in (".", "..") for seg in raw.split("/")):
        return None
    try:
        decoded = unquote(raw, errors="strict")
    except UnicodeDecodeError:  # %FF: not UTF-8, so no IRI of ours
        return None
    if any(c.isspace() or not c.isprintable() for c in decoded):  # %00, %20: never in an id we mint
        return None
    return raw if fits_iri_path(raw) else None


def doc_path(raw: str) -> DocPath | None:
    """The resource and representation a ``/doc/…`` path asks for, or None (404)."""
    media = None
    for suffix, media_type in SUFFIXES.items():
        if raw.endswith(suffix):
            raw, media = raw[: -len(suffix)], media_type
            raw = raw[: -len("/data")] if raw.endswith("/data") else raw
            break
    local = local_id(raw)
    return DocPath(local, media) if local else None
