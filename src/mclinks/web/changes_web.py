"""``/changes`` (the publication log, and what changed between two releases) and
``/feed.atom`` (an Atom 1.0 feed with one entry per kept release).

Both read only ``dist/releases`` through ``changelog``; a release named in the
URL is looked up among the listed ones, never opened by the name it was given.
"""
from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from mclinks.errors import MclinksError
from mclinks.identifiers import iri
from mclinks.release.changelog import (
    Changes,
    KeptRelease,
    NotKept,
    UnknownRelease,
    compare,
    find_release,
    kept_releases,
)
from mclinks.web.pages import TEMPLATES

ATOM = "http://www.w3.org/2005/Atom"


def changes_url(older: KeptRelease | None, newer: KeptRelease) -> str:
    return "/changes?" + urlencode({**({"from": older.name} if older else {}), "to": newer.name})


def _predecessor(kept: list[KeptRelease], release: KeptRelease) -> KeptRelease | None:
    """The kept release made just before ``release`` (``kept`` is newest first)."""
    index = kept.index(release)
    return kept[index + 1] if index + 1 < len(kept) else None


def render_changes(kept: list[KeptRelease], changes: Changes | None, current: str, error: str = "") -> str:
    log = [{"release": r, "href": changes_url(_predecessor(kept, r), r) if _predecessor(kept, r) else "",
            "current": r.name == current} for r in kept]
    return TEMPLATES.get_template("changes.html").render(log=log, changes=changes, error=error, home="/", static=False,
                                                    kept=len(kept))


def changes_endpoint(dist: Callable[[], Path], current: Callable[[], str]) -> Callable[[Request], object]:
    """``/changes``: ``from`` and ``to`` name kept releases; by default the newest and the one before it."""

    async def endpoint(request: Request) -> Response:
        kept = await run_in_threadpool(kept_releases, dist())
        status, error, changes = 200, "", None
        try:
            to = find_release(kept, request.query_params["to"], "to") if "to" in request.query_params else (
                kept[0] if kept else None)
            if "from" in request.query_params:
                older = find_release(kept, request.query_params["from"], "from")
            else:
                older = _predecessor(kept, to) if to else None
            if to and older:
                if older.manifest.created > to.manifest.created:
                    older, to = to, older  # always read forwards in time
                changes = await run_in_threadpool(compare, older, to)
        except UnknownRelease as e:
            status, error = 404 if isinstance(e, NotKept) else 400, str(e)
        except MclinksError as e:
            status, error = 503, str(e)
        return Response(render_changes(kept, changes, current(), error), status_code=status,
                        media_type="text/html; charset=utf-8")

    return endpoint


def atom_feed(kept: list[KeptRelease], site: str) -> bytes:
    """The Atom 1.0 document (RFC 4287): feed id, title, updated, author, self link, and
    per release an entry with its id, title, updated, link to its changes and a summary."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    base = kept[0].manifest.base if kept else site

    def sub(parent: ET.Element, name: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{name}", attrs)
        element.text = text
        return element
    sub(feed, "id", uuid.uuid5(uuid.NAMESPACE_URL, iri(base, "feed")).urn)
    sub(feed, "title", "mclinks releases")
    sub(feed, "subtitle", "Each release of the Minamata Convention decisions graph, with what changed")
    sub(feed, "updated", kept[0].manifest.created if kept else "1970-01-01T00:00:00+00:00")
    sub(sub(feed, "author"), "name", "mclinks")
    sub(feed, "link", rel="self", type="application/atom+xml", href=f"{site}/feed.atom")
    sub(feed, "link", rel="alternate", type="text/html", href=f"{site}/changes")
    sub(feed, "generator", "mclinks")
    for release in kept:
        m = release.manifest
        entry = sub(feed, "entry")
        sub(entry, "id", uuid.uuid5(uuid.NAMESPACE_URL, iri(m.base, "release", release.name)).urn)
        sub(entry, "title", f"Release {release.name}")
        sub(entry, "updated", m.created)
        sub(entry, "link", rel="alternate", type="text/html",
            href=site + changes_url(_predecessor(kept, release), release))
        sub(entry, "summary", f"{m.triples} triples from {m.sources} source texts, built by mclinks {m.version} "
                              f"under {m.base}.")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def feed_endpoint(dist: Callable[[], Path], site: str) -> Callable[[Request], object]:
    async def endpoint(request: Request) -> Response:
        kept = await run_in_threadpool(kept_releases, dist())
        return Response(atom_feed(kept, site.rstrip("/")), media_type="application/atom+xml")

    return endpoint
