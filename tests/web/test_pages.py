"""Issue 12's repros on the pages a researcher reads (rendered from the built graph)."""
from __future__ import annotations

import re

import pytest
from pyoxigraph import Store

from mclinks.query.canned import canned_queries
from mclinks.query.lineage import resolve_act, trace
from mclinks.store.endpoint import EmbeddedEndpoint
from mclinks.web.pages import Linker, PageMaker, natural_key

BASE = "https://w3id.org/mclinks"
ID = f"{BASE}/id"


@pytest.fixture(scope="module")
def store(built) -> Store:
    return built.store


@pytest.fixture(scope="module")
def maker(store: Store, settings) -> PageMaker:
    return PageMaker(store, BASE, Linker(BASE), canned_queries(settings.queries_dir))


def test_lineage_of_the_draft_crosses_hops_regression(store: Store, settings) -> None:
    """`lineage draft:MC-COP-6` stopped after one hop: the BRS answers were missing."""
    endpoint = EmbeddedEndpoint(store)
    act = resolve_act(endpoint, "draft:MC-COP-6")
    family = trace(endpoint, act)
    nodes = set(family.nodes())
    for symbol in ("MC-3-11", "MC-4-9", "MC-5-19", "BC-17-22", "RC-12-9", "SC-12-23"):
        assert f"{ID}/decision/{symbol}" in nodes, symbol
    answers = {(e.source, e.target) for e in family.edges if e.type == "responds-to"}
    assert (f"{ID}/decision/BC-17-22", f"{ID}/decision/MC-5-19") in answers
    assert not family.fact(f"{ID}/decision/BC-17-22").has_text  # known only by citation
    assert family.fact(act).has_text
    timeline = dict(family.timeline())
    minamata = [family.label(a) for a in timeline["minamata"]]
    assert minamata.index("Decision MC-3/11") < minamata.index("Decision MC-4/9") < minamata.index("Decision MC-5/19")


def test_referred_to_by_is_not_the_acts_own_citations_regression(maker: PageMaker) -> None:
    """"Referred to by" on MC-1/21 listed the decision's own 29 outgoing citations."""
    page = maker.data(f"{ID}/decision/MC-1-21")
    assert all("citingAct" not in name and "citing act" not in name.lower() for name, _ in page.incoming)
    assert all("/ref-" not in (v.href or "") for _, v in page.incoming)
    actions = dict(page.cites)
    assert "recalls" in actions and any(r["label"].startswith("Resolution UNEA-1/5") or "UNEA-1/5" in r["label"]
                                        for r in actions["recalls"])


def test_responds_to_reads_the_right_way_regression(maker: PageMaker) -> None:
    """MC-5/19 showed `mcl:respondsTo BC-17/22` backwards; it is answered by BC-17/22."""
    page = maker.data(f"{ID}/decision/MC-5-19")
    assert {v.text for v in page.answered_by} >= {"Decision BC-17/22", "Decision RC-12/9", "Decision SC-12/23"}
    assert all("respondsTo" not in name for name, _ in page.incoming)
    citing = [g["label"] for g in page.cited_by]
    assert any(label.startswith("Draft decision for MC-COP-6") for label in citing)


def test_draft_page_has_text_and_a_readable_label_regression(maker: PageMaker) -> None:
    draft = next(iri for iri in _subjects(maker, "DraftDecision"))
    page = maker.data(draft)
    assert page.label.startswith("Draft decision for MC-COP-6")
    assert len(page.paragraphs) >= 5 and {p["kind"] for p in page.paragraphs} >= {"preamble", "operative"}
    assert all(p["lang"] == "fr" for p in page.paragraphs)


def test_word_markers_never_shown_regression(maker: PageMaker) -> None:
    note = next(iri for iri in _subjects(maker, "Note") if "MC-COP-6" in iri)  # the seed note: a Word export
    html = maker.render_resource(note, {})
    assert "[footnoteRef:" not in html and "[bookmark:" not in html
    assert re.search(r'<sup class="fn"><a href="#fn-\d+">\d+</a></sup>', html)


def test_links_stay_on_the_site_regression(maker: PageMaker, store: Store, settings) -> None:
    from mclinks.web.pages import lineage_svg_for

    section = lineage_svg_for(store, f"{ID}/decision/MC-5-19", BASE, Linker(BASE))
    assert section and 'href="https://w3id.org' not in section and 'href="/id/decision/BC-17-22"' in section
    static = lineage_svg_for(store, f"{ID}/decision/MC-5-19", BASE, Linker(BASE, static=True))
    assert static and 'href="https://w3id.org' not in static


def test_pages_say_their_language(maker: PageMaker) -> None:
    html = maker.render_resource(f"{ID}/decision/MC-1-21", {})
    assert re.search(r'class="para" id="[^"]+" lang="fr"', html)


def test_natural_order_of_symbols() -> None:
    assert sorted(["MC-1/10", "MC-1/2", "MC-1/1"], key=natural_key) == ["MC-1/1", "MC-1/2", "MC-1/10"]


def _subjects(maker: PageMaker, cls: str) -> list[str]:
    rows = maker.store.query(f"SELECT DISTINCT ?s WHERE {{ ?s a <https://w3id.org/mclinks/ontology#{cls}> }}",
                             use_default_graph_as_union=True)
    return [r["s"].value for r in rows]  # type: ignore[index]


def test_interface_in_french(store: Store, settings) -> None:
    french = PageMaker(store, BASE, Linker(BASE), canned_queries(settings.queries_dir), lang="fr")
    html = french.render_resource(f"{ID}/decision/MC-1-21", {})
    assert '<html lang="fr">' in html and "Paragraphes" in html and "Propriétés" in html
    assert "<h1>Décision MC-1/21</h1>" in html
    english = PageMaker(store, BASE, Linker(BASE), canned_queries(settings.queries_dir))
    html = english.render_resource(f"{ID}/decision/MC-1-21", {})
    assert '<html lang="en">' in html and "Paragraphs" in html and "<h1>Decision MC-1/21</h1>" in html


def test_interface_language_choice() -> None:
    from mclinks.ui import choose_language

    assert choose_language(None, "fr-FR,fr;q=0.9,en;q=0.5") == "fr"
    assert choose_language(None, "en;q=0.9,fr;q=0.8") == "en"
    assert choose_language("fr", "en") == "fr"
    assert choose_language("de", None) == "en"


def test_paragraphs_side_by_side_when_an_act_has_two_languages(project_copy) -> None:
    import shutil

    from mclinks.build import build_graph
    from mclinks.config import Settings
    from tests.conftest import ROOT

    for suffix in (".txt", ".meta.json"):
        shutil.copy(ROOT / "tests" / "sources" / f"MC-1-21.en{suffix}", project_copy / "data" / "sources" / f"MC-1-21.en{suffix}")
    store = build_graph(Settings(root=project_copy, base=BASE)).store
    page = PageMaker(store, BASE, Linker(BASE)).data(f"{ID}/decision/MC-1-21")
    assert page.languages == ["en", "fr"]
    rows = page.parallel()
    preambles = [r for r in rows if any(p["kind"] == "preamble" for p in r.values())]
    assert set(preambles[0]) == {"en", "fr"}
    english, french = str(preambles[0]["en"]["html"]), str(preambles[0]["fr"]["html"])
    assert english.startswith("Recalling") and "UNEA-1-5" in english and french.startswith("Rappelant")
    html = PageMaker(store, BASE, Linker(BASE)).render_resource(f"{ID}/decision/MC-1-21", {})
    assert 'id="parallel"' in html and '<td lang="en">' in html and '<td lang="fr">' in html


def test_index_browses_by_body_year_and_meeting(maker: PageMaker) -> None:
    html = maker.render_index({"triples": 1, "graphs": 1})
    by_body = html[html.index('id="by-body"'):html.index('id="by-meeting"')]
    assert "Conference of the Parties to the Minamata Convention" in by_body and ">MC-1/21<" in by_body
    by_year = html[html.index('id="by-year"'):html.index('id="by-topic"')]
    assert "<h3>2017 " in by_year and ">MC-1/21<" in by_year


def test_act_page_names_its_original_and_says_excerpt(maker: PageMaker) -> None:
    rows = maker.store.query("""PREFIX mcl: <https://w3id.org/mclinks/ontology#>
        SELECT ?act WHERE { ?act mcl:text ?t . ?t mcl:excerpt true } LIMIT 1""", use_default_graph_as_union=True)
    excerpts = [r["act"].value for r in rows]  # type: ignore[index]
    assert excerpts, "data/ ships excerpts (the dev texts)"
    page = maker.data(excerpts[0])
    assert page.sources and page.sources[0]["excerpt"] and str(page.sources[0]["href"]).startswith("/original/")
    whole = maker.data(f"{ID}/decision/MC-1-21")
    assert whole.sources == [{"name": "MC-1-21.fr.txt", "lang": "fr", "href": "/original/MC-1-21.fr.txt", "excerpt": False}]


def test_index_lists_what_to_add_next(maker: PageMaker) -> None:
    html = maker.render_index({"triples": 1, "graphs": 1})
    table = html[html.index('id="coverage-table"'):html.index('id="by-instrument"')]
    counts = [int(n) for n in re.findall(r"</a></td><td>(\d+)</td>", table)]
    assert counts and counts == sorted(counts, reverse=True)


def test_page_family_is_bounded_on_a_large_graph_regression(tmp_path) -> None:
    """On the 100k synthetic graph a decision's page took 1-10 s (every ancestor at any depth,
    one query each); a page now expands the nearest acts only and says the family is cut."""
    from benchmarks.synthetic import write_corpus
    from mclinks.build import build_graph
    from mclinks.config import Settings
    from tests.conftest import ROOT

    root = tmp_path / "synthetic"
    write_corpus(root, ROOT, 90)
    store = build_graph(Settings(root=root, base=BASE)).store
    act = f"{ID}/decision/MC-3-30"
    whole = trace(EmbeddedEndpoint(store), act)
    cut = trace(EmbeddedEndpoint(store), act, max_acts=3)
    assert cut.truncated and not whole.truncated
    assert len(cut.nodes()) < len(whole.nodes())
    from mclinks.web.pages import lineage_svg_for
    section = lineage_svg_for(store, act, BASE, Linker(BASE))
    assert section is not None
