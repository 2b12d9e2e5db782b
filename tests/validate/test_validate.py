"""Every shape has a fixture that makes it fire and one that passes; the fast
engine and pyshacl (the reference) agree on all of them."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import RdfFormat, parse

from mclinks.cli import main
from mclinks.store.local import new_store
from mclinks.validate import load_shapes, validate_with_oxigraph, validate_with_pyshacl

FIXTURES = Path(__file__).resolve().parents[1] / "shapes"
ID = "https://w3id.org/mclinks/id/"
PFX = """@prefix mcl: <https://w3id.org/mclinks/ontology#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> . @prefix id: <https://w3id.org/mclinks/id/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

# rule → (replacements in the valid file, triples to add, other rules the same break also fires)
BREAKS: dict[str, tuple[list[tuple[str, str]], str, set[str]]] = {
    "decision-symbol": ([('mcl:symbol "MC-1/20"', 'mcl:symbol "MC-1/20bis"')], "", set()),
    "decision-one-symbol": ([], 'id:decision\\/MC-1-20 mcl:symbol "MC-1/19" .', set()),
    "decision-one-meeting": ([], 'id:decision\\/MC-1-8 a mcl:Decision ; rdfs:label "x" ; mcl:symbol "MC-1/8" ; dcterms:title "x"@en .', set()),
    "decision-meeting-number": ([], 'id:decision\\/MC-2-9 a mcl:Decision ; rdfs:label "x" ; mcl:symbol "MC-2/9" ; '
                                    'mcl:adoptedAt id:meeting\\/MC-COP-1 ; dcterms:title "x"@en .', set()),
    "decision-instrument": ([("mcl:underInstrument id:instrument\\/minamata", "mcl:underInstrument id:instrument\\/basel")],
                            "", set()),
    "decision-title": ([], 'id:decision\\/MC-1-8 a mcl:Decision ; rdfs:label "x" ; mcl:symbol "MC-1/8" ; mcl:adoptedAt id:meeting\\/MC-COP-1 .', set()),
    "resolution-symbol": ([('mcl:symbol "UNEA-1/5"', 'mcl:symbol "UNEA 1/5"')], "", set()),
    "no-dangling-reference": ([("mcl:target id:article\\/minamata\\/14", "mcl:target id:article\\/minamata\\/40")], "",
                              {"iri-typed"}),
    "reference-kind-matches": ([], 'id:decision\\/MC-1-21\\/fr\\/operative-1\\/ref-2 a mcl:Citation ; rdfs:label "x" ; '
                                   'mcl:target id:meeting\\/MC-COP-1 ; mcl:referenceKind "decision" ; mcl:surfaceText "x" .', set()),
    "no-citing-the-future": ([], "id:decision\\/MC-1-20 mcl:cites id:decision\\/MC-2-1 . "
                                 'id:decision\\/MC-2-1 a mcl:Decision ; rdfs:label "x" ; mcl:symbol "MC-2/1" ; '
                                 'mcl:adoptedAt id:meeting\\/MC-COP-2 ; dcterms:title "x"@en .', set()),
    "deadline-after-adoption": ([("mcl:deadline id:meeting\\/MC-COP-2", "mcl:deadline id:meeting\\/MC-COP-1")], "", set()),
    "mandate-addressee": ([("mcl:addressee id:body\\/minamata-secretariat ;", "")], "", set()),
    "paragraph-offsets": ([("mcl:endOffset 3095", "mcl:endOffset 3300")], "", set()),
    "paragraph-has-offsets": ([("mcl:startOffset 2618 ; mcl:endOffset 3095 ;", "")], "", set()),
    "paragraph-kind": ([("mcl:paragraphKind mcl:kind-operative", "mcl:paragraphKind mcl:kind-chapter")], "", set()),
    "paragraph-one-text": ([], "id:decision\\/MC-1-21\\/fr\\/operative-1 mcl:inText id:decision\\/MC-1-21\\/fr2 . "
                              'id:decision\\/MC-1-21\\/fr2 a mcl:Text ; rdfs:label "x" .', set()),
    "iri-typed": ([], "id:decision\\/MC-1-21 mcl:cites id:document\\/UNEP\\/MC\\/COP.1\\/1 .", set()),
    "iri-labelled": ([], "id:period\\/2018-2019 a mcl:Period .", set()),
    "label-without-notes": ([], 'id:decision\\/MC-1-20 mcl:unconfirmedTitle "Contaminated sites? (NOT seen in corpus)"@en .',
                            set()),
}


@pytest.fixture(scope="module")
def shapes(settings):
    return load_shapes(settings.shapes_dir)


def _store(replacements: list[tuple[str, str]], add: str, _also: set[str] = frozenset()):
    text = (FIXTURES / "valid.ttl").read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    text += "\n" + PFX + add + "\n"
    return new_store(q for q in parse(text.encode(), format=RdfFormat.TURTLE))


def test_every_rule_has_a_breaking_fixture(shapes) -> None:
    from mclinks.validate import constraints
    assert {c.rule for c in constraints(shapes)} == set(BREAKS)


def test_valid_fixture_passes(shapes) -> None:
    report = validate_with_oxigraph(_store([], ""), shapes)
    assert report.conforms and report.results == [], report.as_text()


@pytest.mark.pyshacl
def test_valid_fixture_passes_the_reference_engine(shapes) -> None:
    report = validate_with_pyshacl(_store([], ""), shapes)
    assert report.conforms and report.results == [], report.as_text()


@pytest.mark.parametrize("rule", sorted(BREAKS))
def test_rule_fires(shapes, rule: str) -> None:
    fast = validate_with_oxigraph(_store(*BREAKS[rule]), shapes)
    assert {r.rule for r in fast.results} == {rule} | BREAKS[rule][2], fast.as_text()
    if rule != "decision-title":
        assert not fast.conforms


@pytest.mark.pyshacl
@pytest.mark.parametrize("rule", sorted(BREAKS))
def test_both_engines_agree(shapes, rule: str) -> None:
    store = _store(*BREAKS[rule])
    key = lambda rep: sorted((r.rule, r.focus, r.value) for r in rep.results)  # noqa: E731
    assert key(validate_with_oxigraph(store, shapes)) == key(validate_with_pyshacl(store, shapes))


def test_report_names_file_and_span(shapes) -> None:
    store = _store(*BREAKS["no-dangling-reference"])
    [result] = [r for r in validate_with_oxigraph(store, shapes).results if r.rule == "no-dangling-reference"]
    assert (result.file, result.start, result.end) == ("data/sources/MC-1-21.fr.txt", 1607, 1635)
    assert "article reference «article 14» points to article/minamata/40" in result.message


def test_built_graph_has_no_violations(built, settings) -> None:
    from mclinks.validate import validate_store
    report = validate_store(built.store, settings)
    assert report.conforms, report.as_text()
    assert {r.rule for r in report.results} <= {"decision-title"}


def test_cli_formats_and_exit_status(tmp_path: Path, settings) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text((FIXTURES / "valid.ttl").read_text().replace('mcl:symbol "MC-1/20"', 'mcl:symbol "MC-1/20bis"'))
    good = tmp_path / "good.ttl"
    good.write_text((FIXTURES / "valid.ttl").read_text())
    runner = CliRunner()
    res = runner.invoke(main, ["validate", str(bad)])
    assert res.exit_code == 4 and "does not parse as MC-n/m" in res.output
    res = runner.invoke(main, ["validate", "--format", "json", str(good)])
    assert res.exit_code == 0 and '"conforms": true' in res.output
    res = runner.invoke(main, ["validate", "--format", "turtle", str(bad)])
    assert res.exit_code == 4 and "sh:ValidationReport" in res.output
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a> <b> .")
    res = runner.invoke(main, ["validate", str(broken)])
    assert res.exit_code == 3 and "broken.ttl" in res.output
