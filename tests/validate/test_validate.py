"""Every rule of shapes/ has a fixture file that makes it fire, and only it
(``tests/validate/fixtures/RULE.ttl``), and one that passes them all (``valid.ttl``);
the fast engine and pyshacl (the reference) agree on all of them."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import RdfFormat, parse

from mclinks.cli import main
from mclinks.store.local import new_store
from mclinks.validate import load_shapes, validate_with_oxigraph, validate_with_pyshacl

FIXTURES = Path(__file__).resolve().parent / "fixtures"  # valid.ttl, and one file per rule that breaks it
PFX = """@prefix mcl: <https://w3id.org/mclinks/ontology#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> . @prefix id: <https://w3id.org/mclinks/id/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


@dataclass(frozen=True)
class Break:
    """A fixture file: replacements in valid.ttl, triples to add, other rules the same break fires."""

    replacements: tuple[tuple[str, str], ...]
    add: str
    also: frozenset[str]


def _break(path: Path) -> Break:
    lines = path.read_text(encoding="utf-8").splitlines()
    replacements = tuple(tuple(part.strip() for part in line.removeprefix("# replace:").split("=>", 1))
                         for line in lines if line.startswith("# replace:"))
    also = frozenset(w for line in lines if line.startswith("# also:") for w in line.removeprefix("# also:").split())
    return Break(replacements, "\n".join(line for line in lines if not line.startswith("#")), also)  # type: ignore[arg-type]


BREAKS: dict[str, Break] = {p.stem: _break(p) for p in sorted(FIXTURES.glob("*.ttl")) if p.stem != "valid"}


@pytest.fixture(scope="module")
def shapes(settings):
    return load_shapes(settings.shapes_dir)


def _store(fixture: Break | None = None):
    text = (FIXTURES / "valid.ttl").read_text(encoding="utf-8")
    if fixture is not None:
        for old, new in fixture.replacements:
            assert old in text, old
            text = text.replace(old, new)
        text += "\n" + PFX + fixture.add + "\n"
    return new_store(q for q in parse(text.encode(), format=RdfFormat.TURTLE))


def test_every_rule_has_a_breaking_fixture(shapes) -> None:
    from mclinks.validate import constraints
    assert {c.rule for c in constraints(shapes)} == set(BREAKS)  # a new rule needs tests/validate/fixtures/RULE.ttl


def test_valid_fixture_passes(shapes) -> None:
    report = validate_with_oxigraph(_store(), shapes)
    assert report.conforms and report.results == [], report.as_text()


@pytest.mark.pyshacl
def test_valid_fixture_passes_the_reference_engine(shapes) -> None:
    report = validate_with_pyshacl(_store(), shapes)
    assert report.conforms and report.results == [], report.as_text()


@pytest.mark.parametrize("rule", sorted(BREAKS))
def test_rule_fires(shapes, rule: str) -> None:
    fast = validate_with_oxigraph(_store(BREAKS[rule]), shapes)
    assert {r.rule for r in fast.results} == {rule} | BREAKS[rule].also, fast.as_text()
    if rule != "decision-title":
        assert not fast.conforms


@pytest.mark.pyshacl
@pytest.mark.parametrize("rule", sorted(BREAKS))
def test_both_engines_agree(shapes, rule: str) -> None:
    store = _store(BREAKS[rule])
    key = lambda rep: sorted((r.rule, r.focus, r.value) for r in rep.results)  # noqa: E731
    assert key(validate_with_oxigraph(store, shapes)) == key(validate_with_pyshacl(store, shapes))


def test_report_names_file_and_span(shapes) -> None:
    store = _store(BREAKS["no-dangling-reference"])
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


def test_restated_meetings_regression_rows_do_not_multiply(shapes) -> None:
    """Issue 15: a meeting is described again in the graph of every source that mints it, and
    Oxigraph's union default graph repeats such a triple once per graph, so
    no-citing-the-future got a row per combination of copies (16 s at 100k triples, most of a
    1M build). Validation reads the deduplicated union: one citation, one row, however many
    graphs restate the meetings."""
    from pyoxigraph import Literal, NamedNode, Quad

    from mclinks.store.local import union_store
    from mclinks.validate import constraints, solutions, validate_with_oxigraph
    from mclinks.vocab import MCL, RDFS, XSD, A

    def store_with(copies: int):
        act, cited = NamedNode("https://w3id.org/mclinks/id/decision/MC-1-1"), NamedNode("https://w3id.org/mclinks/id/decision/MC-2-1")
        m1, m2 = NamedNode("https://w3id.org/mclinks/id/meeting/MC-COP-1"), NamedNode("https://w3id.org/mclinks/id/meeting/MC-COP-2")
        quads = [Quad(act, MCL.cites, cited, NamedNode("https://w3id.org/mclinks/graph/source/a")),
                 Quad(MCL.Decision, RDFS.subClassOf, MCL.Act, NamedNode("https://w3id.org/mclinks/graph/ontology"))]
        for k in range(copies):
            g = NamedNode(f"https://w3id.org/mclinks/graph/source/s{k}")
            for node, meeting, n, day in ((act, m1, 1, "2017-09-24"), (cited, m2, 2, "2018-11-19")):
                quads += [Quad(node, A, MCL.Decision, g), Quad(node, MCL.adoptedAt, meeting, g),
                          Quad(meeting, MCL.meetingOf, NamedNode("https://w3id.org/mclinks/id/body/minamata-cop"), g),
                          Quad(meeting, MCL.meetingNumber, Literal(str(n), datatype=NamedNode(XSD + "integer")), g),
                          Quad(meeting, MCL.symbol, Literal(f"MC-COP-{n}"), g),
                          Quad(meeting, MCL.startDate, Literal(day, datatype=NamedNode(XSD + "date")), g)]
        return new_store(quads)

    [rule] = [c for c in constraints(shapes) if c.rule == "no-citing-the-future"]
    for copies in (1, 12):
        store = store_with(copies)
        rows = [r for r in solutions(union_store(store), rule) if r["this"].endswith("MC-1-1")]
        assert len(rows) == 1, copies
        found = [r for r in validate_with_oxigraph(store, shapes).results if r.rule == "no-citing-the-future"]
        assert [(r.focus.rsplit("/", 1)[1], r.value.rsplit("/", 1)[1]) for r in found] == [("MC-1-1", "MC-2-1")]
