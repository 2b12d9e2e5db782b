"""Full-text search: the FTS5 index written with each release (search_index), and
``/search`` over real HTTP on 127.0.0.1 (search_web)."""
from __future__ import annotations

import json
import shutil
import sqlite3
import urllib.parse
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyoxigraph import Literal, NamedNode, Quad

from mclinks.release.search_index import (
    SEARCH_FILE,
    BadSearch,
    SearchTimeout,
    SearchUnavailable,
    match_expression,
    search,
    write_search_index,
)
from mclinks.store.local import new_store
from tests.integration.test_serve import http
from tests.servers import mclinks_server

MCL = "https://w3id.org/mclinks/ontology#"
RDF_VALUE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#value"
BASE = "https://example.org/mc"


@pytest.fixture(scope="module")
def release(built_root: Path) -> Path:
    return (built_root / "dist" / "current").resolve()


@pytest.fixture(scope="module")
def index(release: Path) -> Path:
    return release / SEARCH_FILE


def _paragraph(local: str, text: str, lang: str) -> list[Quad]:
    p = NamedNode(f"{BASE}/id/{local}")
    return [Quad(p, NamedNode(MCL + "inText"), NamedNode(f"{BASE}/id/{local.rsplit('/', 1)[0]}")),
            Quad(p, NamedNode(RDF_VALUE), Literal(text, language=lang))]


def test_fts5_is_compiled_in() -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='unicode61 remove_diacritics 2')")


def test_release_holds_the_index_with_paragraphs_titles_and_symbols(index: Path) -> None:
    kinds = {r[0] for r in sqlite3.connect(f"{index.as_uri()}?mode=ro", uri=True).execute("SELECT kind FROM entries")}
    assert {"paragraph", "Decision", "Meeting"} <= kinds


def test_accents_and_case_folded_in_french(index: Path) -> None:
    hits = search(index, "SECRETARIAT", limit=50).hits
    assert any("\ue000secrétariat\ue001" in h.snippet for h in hits)
    assert search(index, "Bale").total == search(index, "Bâle").total > 0


def test_english_and_spanish_folded_too(tmp_path: Path) -> None:
    store = new_store(_paragraph("decision/X-1-1/es/operative-1", "Pide a la Secretaría que informe", "es")
                      + _paragraph("decision/X-1-1/en/operative-1", "Requests the Secretariat to REPORT", "en"))
    path = tmp_path / SEARCH_FILE
    assert write_search_index(store, BASE, path) == 2
    assert [h.local for h in search(path, "secretaria").hits] == ["decision/X-1-1/es/operative-1"]
    assert [h.lang for h in search(path, "report").hits] == ["en"]
    assert [h.local for h in search(path, "secretaría", lang="es").hits] == ["decision/X-1-1/es/operative-1"]


def test_a_symbol_finds_its_act_first(index: Path) -> None:
    hits = search(index, "MC-1/21").hits
    assert hits[0].local == "decision/MC-1-21" and hits[0].kind == "Decision"


def test_word_markers_are_not_indexed(index: Path) -> None:
    assert search(index, "bookmark").total == 0 and search(index, "footnoteRef").total == 0


def test_phrase_and_prefix(index: Path) -> None:
    phrase = search(index, '"équipe spéciale commune"').total
    assert 0 < phrase <= search(index, "équipe spéciale commune").total
    assert search(index, "mercur*").total > search(index, "mercure").total > 0


@pytest.mark.parametrize("text", ['NEAR(', 'a AND OR', '"unclosed', "col:secretariat", "'; DROP TABLE entries; --",
                                  "^x", "a - b", "((( x", "mc*1"])
def test_fts5_syntax_in_input_is_never_syntax(index: Path, text: str) -> None:
    search(index, text)  # no exception: each word is a quoted phrase token
    assert search(index, "secretariat").total > 0  # and the table is still there


FTS5_PIECES = st.sampled_from(['"', "*", "(", ")", "^", ":", "-", "+", "NEAR", "AND", "OR", "NOT", "{", "}", " ",
                                "secrétariat", "MC-1/21", "col:", "\x00", "'", ";", "é"])


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(FTS5_PIECES, st.text(max_size=4)), max_size=30).map("".join))
def test_any_input_is_results_or_a_named_refusal(index: Path, text: str) -> None:
    try:
        results = search(index, text)
    except BadSearch:
        assert match_expression(text) == ""  # refused only when no word is left, never for FTS5 syntax
    else:
        assert 0 <= len(results.hits) <= results.total


def test_nul_in_query_regression(index: Path) -> None:
    """A NUL ended the FTS5 string early ("unterminated string", a 400); found by the property above."""
    assert search(index, "secr\x00etariat").total == search(index, "secr etariat").total
    assert search(index, "secretariat\x00").total == search(index, "secretariat").total > 0


def test_match_expression_quotes_every_word() -> None:
    assert match_expression('a"b "c d" e*') == '"a""b" "c d" "e"*'
    assert match_expression('say "hi"') == '"say" "hi"'
    assert match_expression('  *  ""  - ') == ""


@pytest.mark.parametrize("kwargs, message", [({"text": ""}, "parameter q"), ({"text": "x" * 501}, "parameter q"),
                                             ({"text": "x", "limit": 0}, "parameter limit"),
                                             ({"text": "x", "limit": 51}, "parameter limit"),
                                             ({"text": "x", "offset": 1001}, "parameter offset")])
def test_bad_input_named(index: Path, kwargs: dict, message: str) -> None:
    with pytest.raises(BadSearch, match=message):
        search(index, **kwargs)


def test_time_limit_interrupts_the_search(index: Path) -> None:
    with pytest.raises(SearchTimeout, match="longer than"):
        search(index, "d*", timeout_s=0)


def test_paging_is_bounded_and_consistent(index: Path) -> None:
    everything = search(index, "secretariat", limit=50).hits
    pages = search(index, "secretariat", limit=3).hits + search(index, "secretariat", limit=3, offset=3).hits
    assert [h.local for h in pages] == [h.local for h in everything[:6]]


def test_missing_index_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SearchUnavailable, match="mclinks build"):
        search(tmp_path / SEARCH_FILE, "x")


def test_index_opened_read_only_leaves_the_release_as_it_was(index: Path, release: Path) -> None:
    before = sorted(p.name for p in release.iterdir())
    search(index, "secretariat")
    assert sorted(p.name for p in release.iterdir()) == before


# ---- /search over HTTP -------------------------------------------------------

@pytest.fixture(scope="module")
def server(built_root: Path):
    with mclinks_server(built_root) as base:
        yield base


def test_search_page_html_with_highlighted_snippets_and_links(server: str) -> None:
    status, headers, body = http(f"{server}/search?q=secretariat", headers={"Accept": "text/html"})
    page = body.decode()
    assert status == 200 and headers["content-type"].startswith("text/html") and "Accept" in headers["vary"]
    assert "<mark>secrétariat</mark>" in page and 'href="/doc/document/MC-COP-6-note-c94ab1fc/fr/' in page
    assert 'lang="fr"' in page


def test_search_json_by_accept_and_its_links_resolve(server: str) -> None:
    status, headers, body = http(f"{server}/search?q=" + urllib.parse.quote("Décision MC-1/21"),
                                 headers={"Accept": "application/json"})
    data = json.loads(body)
    assert status == 200 and headers["content-type"] == "application/json"
    assert data["total"] >= 1 and data["hits"][0]["href"] == "/doc/decision/MC-1-21/fr/title-1"
    assert "<mark>" in data["hits"][0]["highlighted"] and "<mark>" not in data["hits"][0]["snippet"]
    status, _, page = http(server + data["hits"][0]["href"], headers={"Accept": "text/html"})
    assert status == 200 and "Conférence des Parties" in page.decode()


def test_search_paging_links(server: str) -> None:
    status, _, body = http(f"{server}/search?q=secretariat&limit=2", headers={"Accept": "application/json"})
    data = json.loads(body)
    assert len(data["hits"]) == 2 and data["next"] == "/search?q=secretariat&limit=2&offset=2"
    _, _, page = http(f"{server}/search?q=secretariat&limit=2&offset=2")
    assert 'rel="prev"' in page.decode() and 'rel="next"' in page.decode()


@pytest.mark.parametrize("query, message", [("q=x&limit=abc", "parameter limit"), ("q=x&offset=-1", "parameter offset"),
                                            ("q=x&limit=%C2%B2", "parameter limit"),  # a digit to str.isdigit only
                                            ("q=x&limit=1000", "parameter limit"), ("q=x&lang=%3Cb%3E", "parameter lang"),
                                            ("q=%22%22", "parameter q")])
def test_search_bad_parameters_answer_400_naming_them(server: str, query: str, message: str) -> None:
    status, _, body = http(f"{server}/search?{query}", headers={"Accept": "application/json"})
    assert status == 400 and message in json.loads(body)["error"]
    status, _, body = http(f"{server}/search?{query}", headers={"Accept": "text/html"})
    assert status == 400 and message in body.decode() and "<b>" not in body.decode()


def test_search_input_is_escaped_in_the_page(server: str) -> None:
    status, _, body = http(f"{server}/search?q=" + urllib.parse.quote('<script>alert(1)</script> "'))
    assert status == 200 and "<script>alert" not in body.decode() and "&lt;script&gt;" in body.decode()


def test_search_form_without_query(server: str) -> None:
    status, _, body = http(f"{server}/search")
    assert status == 200 and 'role="search"' in body.decode() and 'name="q"' in body.decode()


def test_docstring_examples() -> None:
    import doctest

    from mclinks.release import search_index
    result = doctest.testmod(search_index)
    assert result.attempted >= 2 and result.failed == 0


def test_release_without_an_index_answers_503_naming_the_fix(built_root: Path, tmp_path: Path) -> None:
    """A release made before search existed is still served; only /search says what to do."""
    root = tmp_path / "old"
    shutil.copytree(built_root, root, symlinks=True)
    (root / "dist" / "current" / SEARCH_FILE).unlink()
    with mclinks_server(root) as base:
        status, _, body = http(f"{base}/search?q=secretariat", headers={"Accept": "application/json"})
        error = json.loads(body)["error"]
        assert status == 503 and "mclinks build" in error and str(root) not in error  # no server path
        assert http(f"{base}/doc/decision/MC-1-21")[0] == 200


def test_index_downloadable_as_sqlite(server: str) -> None:
    status, headers, body = http(f"{server}/dump/{SEARCH_FILE}")
    assert status == 200 and headers["content-type"] == "application/vnd.sqlite3"
    assert body.startswith(b"SQLite format 3\x00")


def test_damaged_index_is_unavailable_not_a_crash(index: Path, tmp_path: Path) -> None:
    damaged = tmp_path / SEARCH_FILE
    data = bytearray(index.read_bytes())
    data[4096:] = b"\xff" * (len(data) - 4096)  # keep the header page, ruin the rest
    damaged.write_bytes(bytes(data))
    with pytest.raises(SearchUnavailable, match="search index"):
        search(damaged, "secretariat")
