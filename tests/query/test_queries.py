"""Canned queries and lineage give real answers on the built graph."""
from __future__ import annotations

import json
from collections import Counter

import pytest
from click.testing import CliRunner

from mclinks.cli import main
from mclinks.errors import MclinksError
from mclinks.query.canned import canned_queries, find_query
from mclinks.query.lineage import render, resolve_act, trace
from mclinks.store.endpoint import EmbeddedEndpoint


@pytest.fixture(scope="module")
def endpoint(built) -> EmbeddedEndpoint:
    return EmbeddedEndpoint(built.store)


def test_every_query_documents_its_question(settings) -> None:
    queries = canned_queries(settings.queries_dir)
    assert len(queries) >= 8
    for q in queries.values():
        assert q.question.endswith("?"), q.name


def test_every_query_runs(endpoint, settings) -> None:
    """With its defaults, each query answers on data/: a query that runs but finds nothing is
    as broken for its reader as one that does not parse."""
    empty = []
    for q in canned_queries(settings.queries_dir).values():
        names, rows = endpoint.select(q.bind({}, settings.base))
        assert names, q.name
        if not rows:
            empty.append(q.name)
        assert all(set(r) <= set(names) and any(r.get(n) not in (None, "") for n in names) for r in rows), q.name
    assert empty == []


def _column(endpoint, settings, name: str, column: str, **params: str) -> list[str]:
    _, rows = endpoint.select(find_query(name, settings.queries_dir).bind(params, settings.base))
    return [r[column] for r in rows]


def test_brs_answers(endpoint, settings) -> None:
    answering = set(_column(endpoint, settings, "brs-answers", "answering"))
    assert answering == {"BC-17/22", "RC-12/9", "SC-12/23"}
    assert set(_column(endpoint, settings, "brs-answers", "answered")) == {"MC-3/11", "MC-4/9", "MC-5/19"}


def test_unea_recalled(endpoint, settings) -> None:
    assert _column(endpoint, settings, "unea-recalled", "resolution") == ["UNEA-1/5", "UNEA-2/7"]


def test_open_mandates_carry_deadline_and_conditions(endpoint, settings) -> None:
    q = find_query("open-mandates", settings.queries_dir)
    _, rows = endpoint.select(q.bind({"today": "2017-01-01"}, settings.base))
    mc121 = {r["givenBy"]: r for r in rows}["MC-1/21"]
    assert mc121["deadline"] == "MC-COP-2" and mc121["conditions"] == "subject-to-resources"
    assert mc121["addressee"] == "minamata-secretariat"


def test_open_mandates_filter_by_date(endpoint, settings) -> None:
    q = find_query("open-mandates", settings.queries_dir)
    _, before = endpoint.select(q.bind({"today": "2018-01-01"}, settings.base))
    _, after = endpoint.select(q.bind({"today": "2019-01-01"}, settings.base))
    assert "MC-1/21" in {r["givenBy"] for r in before}
    assert "MC-1/21" not in {r["givenBy"] for r in after}
    executive = {r["addressee"] for r in endpoint.select(q.bind({"who": "executive-secretary"}, settings.base))[1]}
    assert "minamata-executive-secretary" in executive and all(a.endswith("executive-secretary") for a in executive)


def test_most_cited_article(endpoint, settings) -> None:
    _, rows = endpoint.select(find_query("most-cited-articles", settings.queries_dir).bind({}, settings.base))
    counts = [int(r["citingActs"]) for r in rows]
    assert counts == sorted(counts, reverse=True) and "minamata/14" in {r["article"] for r in rows}


def test_document_annex_citations(endpoint, settings) -> None:
    parts = Counter(_column(endpoint, settings, "document-annex-citations", "part"))
    assert parts["annex I"] >= 2 and parts["annex II"] >= 2  # the seed note's, whatever else data/ holds


def test_shared_services_by_biennium(endpoint, settings) -> None:
    assert {"2026-2027", "2028-2029"} <= set(_column(endpoint, settings, "shared-services-by-biennium", "biennium"))


def test_unknown_parameter_is_refused(settings) -> None:
    with pytest.raises(MclinksError, match="has no parameter colour"):
        find_query("lookup-symbol", settings.queries_dir).bind({"colour": "red"}, settings.base)


def test_lineage_of_the_cop6_draft(endpoint, settings) -> None:
    root = resolve_act(endpoint, "draft:MC-COP-6")
    lineage = trace(endpoint, root)
    targets = {e.target.rsplit("/", 1)[-1] for e in lineage.edges if e.source == root}
    assert {"MC-3-11", "MC-4-9", "MC-5-19"} <= targets
    for e in lineage.edges:
        assert e.file and e.words and e.start is not None and e.type


def test_lineage_of_mc_1_21_reaches_unea(endpoint, settings) -> None:
    root = resolve_act(endpoint, "MC-1/21")
    lineage = trace(endpoint, root, down=False)
    got = {(e.type, e.target.split("/id/")[1]) for e in lineage.edges}
    assert {("recalls", "resolution/UNEA-1-5"), ("recalls", "resolution/UNEA-2-7"),
            ("recalls", "article/minamata/14/2")} <= got
    data = json.loads(render(lineage, "json"))
    assert data["root"] == root and len(data["edges"]) == len(lineage.edges)
    assert render(lineage, "svg").startswith("<svg") and "UNEA-1/5" in render(lineage, "svg")
    assert "digraph" in render(lineage, "dot")


def test_lineage_down_finds_the_brs_answers(endpoint, settings) -> None:
    root = resolve_act(endpoint, "MC-3/11")
    lineage = trace(endpoint, root, up=False)
    answers = {e.source.rsplit("/", 1)[-1] for e in lineage.edges if e.type == "responds-to"}
    assert answers == {"BC-17-22", "RC-12-9", "SC-12-23"}


def test_lineage_cli_tree_and_unknown_symbol(built_root) -> None:
    runner = CliRunner()
    res = runner.invoke(main, ["lineage", "MC-1/21", "--up", "--root", str(built_root)])
    assert res.exit_code == 0 and "recalls → Resolution UNEA-1/5" in res.output
    res = runner.invoke(main, ["lineage", "MC-99/1", "--root", str(built_root)])
    assert res.exit_code == 1 and "no decision" in res.output


def test_query_cli_formats(built_root) -> None:
    runner = CliRunner()
    root = ["--root", str(built_root)]
    res = runner.invoke(main, ["query", "lookup-symbol", "--param", "symbol=UNEA-1/5", "--format", "json", *root])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["rows"][0]["act"].endswith("/resolution/UNEA-1-5")
    res = runner.invoke(main, ["query", "unea-recalled", "--format", "csv", *root])
    assert res.output.splitlines()[0] == "instrument,resolution,acts,recalledBy"
    res = runner.invoke(main, ["query", "nope", *root])
    assert res.exit_code == 2 and "no query named 'nope'" in res.output
