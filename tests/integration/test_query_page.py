"""The query page's forms and ``/query/NAME`` (parameters bound by the server), over
real HTTP on 127.0.0.1."""
from __future__ import annotations

import html
import re
import urllib.parse

import pytest

from mclinks.query.canned import canned_queries
from tests.conftest import ROOT
from tests.integration.test_serve import http
from tests.servers import mclinks_server

pytestmark = pytest.mark.integration
BASE = "https://w3id.org/mclinks"


@pytest.fixture(scope="module")
def server(built_root):
    with mclinks_server(built_root) as base:
        yield base


def test_every_parameter_of_every_canned_query_has_a_typed_field_with_its_default(server: str) -> None:
    page = http(f"{server}/query")[2].decode()
    queries = canned_queries(ROOT / "queries")
    assert any(q.params for q in queries.values())
    for q in queries.values():
        assert f'id="params-{q.name}"' in page
        for p in q.params:
            field = re.search(rf'<input id="p-{q.name}-{p.name}" name="{p.name}" type="(\w+)"[^>]* value="([^"]*)"', page)
            assert field, (q.name, p.name)
            assert field.group(1) == {"string": "text", "iri": "url", "integer": "number"}[p.type]
            assert html.unescape(field.group(2)) == p.default_value(BASE)
            assert "{base}" not in field.group(2)


def test_bound_query_text(server: str) -> None:
    act = f"{BASE}/id/decision/MC-5-19"
    status, headers, body = http(f"{server}/query/lineage-edges?act=" + urllib.parse.quote(act))
    assert status == 200 and headers["content-type"].startswith("application/sparql-query")
    assert f"<{act}>" in body.decode() and "$act" not in body.decode()
    status, _, body = http(f"{server}/query/lookup-symbol?symbol=" + urllib.parse.quote('x" } DROP ALL {'))
    assert status == 200 and '"x\\" } DROP ALL {"' in body.decode()  # a string stays one literal


@pytest.mark.parametrize("path, status, message", [
    ("/query/lineage-edges?act=" + urllib.parse.quote("x> } <y"), 400, "parameter act"),
    ("/query/lineage-edges?bogus=1", 400, "has no parameter bogus"),
    ("/query/no-such-query", 404, "no canned query"),
])
def test_bound_query_refusals_name_the_problem(server: str, path: str, status: int, message: str) -> None:
    got, _, body = http(server + path)
    assert got == status and message in body.decode()
