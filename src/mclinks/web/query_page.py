"""``/query``: the canned queries as forms (one field per ``# Param:`` line, typed,
with its default), run in the browser against ``/sparql``; and ``/query/NAME``,
the query text with the given parameters bound by ``CannedQuery.bind`` (the one
place parameters become RDF terms), which the page shows and then runs.
"""
from __future__ import annotations

from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from mclinks.errors import MclinksError
from mclinks.query.canned import CannedQuery
from mclinks.web.pages import TEMPLATES

INPUT_TYPES = {"string": "text", "iri": "url", "integer": "number"}


def render_query_page(queries: dict[str, CannedQuery], endpoint: str, base: str) -> str:
    """The page: a form per canned query, a free query box, results as a table."""
    forms = [{"name": q.name, "question": q.question,
              "params": [{"name": p.name, "type": p.type, "input": INPUT_TYPES[p.type], "doc": p.doc,
                          "default": p.default_value(base)} for p in q.params]}
             for q in queries.values()]
    return TEMPLATES.get_template("query.html").render(forms=forms, endpoint=endpoint, base=base, home="/", static=False)


def bound_query_endpoint(queries: Callable[[], dict[str, CannedQuery]],
                         base: Callable[[], str]) -> Callable[[Request], object]:
    """``/query/NAME?param=value…``: the canned query's text with its parameters bound
    (``application/sparql-query``), or 404/400 naming what is wrong."""

    async def endpoint(request: Request) -> Response:
        name = request.path_params["name"]
        query = queries().get(name)
        if query is None:
            return PlainTextResponse(f"no canned query named {name[:60]!r}; see /query\n", status_code=404)
        values = dict(request.query_params)
        try:
            text = query.bind(values, base())
        except MclinksError as e:
            return PlainTextResponse(f"{e}\n", status_code=400)
        return Response(text, media_type="application/sparql-query; charset=utf-8")

    return endpoint
