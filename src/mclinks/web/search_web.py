"""``/search?q=…``: the release's full-text index (``search_index``) as an HTML page for
people (``search_page``) and JSON for programs (``Accept: application/json``).

The search runs in a server thread, not a query worker: it reads only the
release's read-only SQLite file, never the store, and SQLite's progress handler
stops it at the time limit.
"""
from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from mclinks.release.search_index import SEARCH_FILE, BadSearch, Hit, SearchTimeout, SearchUnavailable, search
from mclinks.web.negotiation import choose
from mclinks.web.search_page import PAGE_SIZE, page_url, render_search_page

if TYPE_CHECKING:
    from mclinks.web.backend import Backend

MAX_RUNNING = 4  # searches at once; each is bounded by the time limit
_LANG = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")


def _int_param(request: Request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    if not (raw.isascii() and raw.isdigit()):  # "²" is a digit to str.isdigit, not to int()
        raise BadSearch(f"parameter {name}: {raw[:20]!r} is not a whole number")
    return int(raw)


def _hit_json(hit: Hit) -> dict[str, str]:
    data = hit.as_json()
    data["href"] = f"/doc/{hit.local}"
    data["act_href"] = f"/doc/{hit.act}" if hit.act else ""
    return data


def search_endpoint(backend: Callable[[], "Backend"], timeout_s: float) -> Callable[[Request], object]:
    """The ``/search`` route over whichever release ``backend()`` serves now."""

    running = asyncio.Semaphore(MAX_RUNNING)

    async def endpoint(request: Request) -> Response:
        media = choose(request.headers.get("accept"), ["text/html", "application/json"]) or "text/html"
        vary = {"Vary": "Accept"}
        q = request.query_params.get("q", "")
        lang = request.query_params.get("lang", "")
        current = backend()
        try:
            if lang and not _LANG.fullmatch(lang):
                raise BadSearch(f"parameter lang: {lang[:20]!r} is not a language tag (en, fr, es…)")
            limit = _int_param(request, "limit", PAGE_SIZE)
            offset = _int_param(request, "offset", 0)
            if not q.strip():
                if media == "application/json":
                    raise BadSearch("parameter q: give at least one word to search for")
                return Response(render_search_page(None, q), media_type="text/html; charset=utf-8", headers=vary)
            key = ("search", q, lang, limit, offset, media)
            hit = current.cache.get(key)
            if hit is not None:
                return Response(hit[0], media_type=hit[1], headers=vary)
            async with running:  # searches wait here rather than fill the server's thread pool
                results = await run_in_threadpool(search, current.release / SEARCH_FILE, q, limit, offset, lang,
                                                  timeout_s)
        except BadSearch as e:
            return _failure(400, str(e), q, lang, media)
        except SearchTimeout as e:
            return _failure(504, str(e), q, lang, media)
        except SearchUnavailable as e:
            message = str(e)[len(e.file) + 2:] if e.file else str(e)  # the server's paths are not the client's business
            return _failure(503, message, q, lang, media)
        if media == "application/json":
            body = json.dumps({
                "query": q, "total": results.total, "offset": results.offset, "limit": results.limit,
                "hits": [_hit_json(h) for h in results.hits],
                "next": page_url(q, lang, limit, offset + limit) if offset + len(results.hits) < results.total else None,
            }, ensure_ascii=False).encode("utf-8")
            content_type = "application/json"
        else:
            body = render_search_page(results, q, lang).encode("utf-8")
            content_type = "text/html; charset=utf-8"
        current.remember(key, (body, content_type))
        return Response(body, media_type=content_type, headers=vary)

    return endpoint


def _failure(status: int, message: str, q: str, lang: str, media: str) -> Response:
    if media == "application/json":
        return Response(json.dumps({"error": message}), status_code=status, media_type="application/json",
                        headers={"Vary": "Accept"})
    page = render_search_page(None, q, lang, error=message)
    return Response(page, status_code=status, media_type="text/html; charset=utf-8", headers={"Vary": "Accept"})
