"""The search page, rendered for ``/search`` (server-side hits) and for the static
site (``search.html`` with a little script over ``search.json``, the same entries
as the release's index)."""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlencode

from pyoxigraph import Store

from mclinks.release.search_index import Results, entries
from mclinks.web.pages import TEMPLATES

PAGE_SIZE = 20
STATIC_INDEX = "search.json"


def page_url(q: str, lang: str, limit: int, offset: int) -> str:
    params = {"q": q, **({"lang": lang} if lang else {}), **({"limit": limit} if limit != PAGE_SIZE else {}),
              "offset": offset}
    return "/search?" + urlencode(params)


def render_search_page(results: Results | None, q: str, lang: str = "", error: str = "",
                       static: bool = False) -> str:
    """The search page: form, hit count, hits with highlighted snippets, paging links."""
    hits = []
    previous = following = ""
    if results:
        for hit in results.hits:
            hits.append({"href": f"/doc/{hit.local}", "label": hit.label, "kind": hit.kind, "lang": hit.lang,
                         "act_href": f"/doc/{hit.act}" if hit.act else "", "act": hit.act, "snippet": hit.snippet_html()})
        if results.offset > 0:
            previous = page_url(q, lang, results.limit, max(0, results.offset - results.limit))
        if results.offset + len(results.hits) < results.total:
            following = page_url(q, lang, results.limit, results.offset + results.limit)
    return TEMPLATES.get_template("search.html").render(
        q=q, lang=lang, results=results, hits=hits, error=error, previous=previous, following=following,
        static=static, home="/" if not static else "", index_file=STATIC_INDEX)


def write_static_search(store: Store, base: str, out: Path) -> int:
    """For the static site: ``search.html`` and ``search.json`` (the same entries as the
    release's index, links relative to the site root); returns how many entries."""
    items = [{"href": f"doc/{e.local}.html", "act_href": f"doc/{e.act}.html" if e.act else "", "kind": e.kind,
              "label": e.label, "lang": e.lang, "symbol": e.symbol, "title": e.title, "body": e.body}
             for e in entries(store, base)]
    (out / STATIC_INDEX).write_text(json.dumps(items, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    (out / "search.html").write_text(render_search_page(None, "", static=True), encoding="utf-8")
    return len(items)
