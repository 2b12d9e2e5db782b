"""The IRI scheme both ways: what ``iri`` mints, ``parse`` gives back, and no two ids share an IRI."""
from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from mclinks import identifiers
from mclinks.identifiers import id_templates, iri, is_well_formed, parse
from mclinks.issuer_table import issuers

BASE = "https://example.org/mc"
_NUMBER = st.integers(1, 999)
_KEY = st.lists(st.text("abcMCOP019.", min_size=1, max_size=8), min_size=1, max_size=4).map("-".join)  # source ids


def _from_template(kind: str) -> st.SearchStrategy[str]:
    return st.builds(lambda t, n, d: t.format(n=n, d=d), st.sampled_from(id_templates(kind)), _NUMBER, _NUMBER)


_ARTICLE = st.one_of(
    st.builds(lambda i, a: f"{i}/art{a}", st.sampled_from(["minamata", "basel"]), st.integers(1, 99)),
    st.builds(lambda i, a, p: f"{i}/art{a}/para{p}", st.sampled_from(["minamata", "basel"]), st.integers(1, 99),
              st.integers(1, 99)),
    st.builds(lambda i, x: f"{i}/annex{x}", st.sampled_from(["minamata", "stockholm"]), st.sampled_from("ABCDEZ")),
)
_FREE = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=20)  # documents, bodies: any text
WELL_FORMED: dict[str, st.SearchStrategy[str]] = {
    "decision": _from_template("decision"),
    "resolution": _from_template("resolution"),
    "meeting": st.one_of(_from_template("meeting"), st.sampled_from([t for t in id_templates("meeting") if "{" not in t])),
    "article": _ARTICLE,
    "period": st.builds(lambda y: f"{y}-{y + 1}", st.integers(1000, 9998)),
    "document": _FREE,
    "instrument": _FREE,
    "body": _FREE,
    "unnumbered": st.one_of(_KEY, st.builds(lambda a, b: f"{a}/{b}", _KEY, _KEY)),
    "draft": _KEY,
    "source-graph": _KEY,
    "graph": st.sampled_from(["registry", "ontology"]),
    "dump": _KEY,
    "release": _KEY,
    **{kind: st.just("") for kind in ("dataset", "catalog", "publisher", "sparql", "feed")},
}
_KIND_AND_ID = st.sampled_from(sorted(WELL_FORMED)).flatmap(lambda k: st.tuples(st.just(k), WELL_FORMED[k]))


@given(_KIND_AND_ID)
def test_a_well_formed_id_parses_back_to_itself(kind_id: tuple[str, str]) -> None:
    kind, id_ = kind_id
    assert is_well_formed(kind, id_) or kind not in identifiers.REFERENCE_KINDS
    assert parse(iri(BASE, kind, id_), BASE) == (kind, id_)


@given(st.sampled_from(sorted(WELL_FORMED)).flatmap(lambda k: st.tuples(st.just(k), WELL_FORMED[k], WELL_FORMED[k])))
def test_two_ids_of_a_kind_never_share_an_iri(kind_ids: tuple[str, str, str]) -> None:
    kind, a, b = kind_ids
    assert (iri(BASE, kind, a) == iri(BASE, kind, b)) == (a == b)


@given(_KIND_AND_ID)
def test_every_minted_iri_is_an_iri(kind_id: tuple[str, str]) -> None:
    from pyoxigraph import NamedNode
    NamedNode(iri(BASE, *kind_id))  # raises when not


def test_an_iri_not_of_ours_does_not_parse() -> None:
    assert parse("https://example.org/other/id/decision/MC-1-21", BASE) is None
    assert parse(f"{BASE}/id/nothing/x", BASE) is None
    assert parse(f"{BASE}/id/decision/", BASE) is None


def test_the_id_grammar_is_the_issuers_table() -> None:
    """Every id an example of the table normalises to is well-formed, and nothing else is hard-coded."""
    for issuer in issuers():
        for t in [*issuer.symbols, *(s for series in issuer.meetings for s in series.symbols)]:
            for _, expected in t.examples:
                assert is_well_formed(t.kind, expected), (t.template, expected)
    assert not hasattr(identifiers, "DECISION_RE") and not hasattr(identifiers, "MEETING_RE")


def test_the_shapes_accept_every_act_id_of_the_table() -> None:
    """The SHACL shapes write the act grammar as a regex of their own (escaped twice: Turtle, then SPARQL):
    it must accept the table's examples."""
    shapes = (Path(__file__).parents[1] / "shapes" / "mclinks-shapes.ttl").read_text(encoding="utf-8")
    regexes = [r.replace("\\\\", "\\").replace("\\\\", "\\") for r in re.findall(r'REGEX\(STR\(\?value\), "(.+?)"\)', shapes)]
    assert len(regexes) == 2
    for issuer in issuers():
        for t in issuer.symbols:
            for _, expected in t.examples:
                assert any(re.search(r, expected) for r in regexes), expected


def test_an_iccm_meeting_is_well_formed() -> None:
    """Regression: the hand-written meeting grammar had no ICCM series, though the issuers table has."""
    assert is_well_formed("meeting", "ICCM-5")
    assert identifiers.adopting_meeting("resolution", "ICCM-5/6") == "ICCM-5"


def test_the_adopting_meeting_follows_the_series() -> None:
    assert identifiers.adopting_meeting("decision", "GC-SS.12/5") == "GC-SS-12"
    assert identifiers.adopting_meeting("decision", "GC-25/5") == "GC-25"
    assert identifiers.adopting_meeting("decision", "BC-17/22") == "BC-COP-17"
    assert identifiers.adopting_meeting("resolution", "A/RES/70/1") is None  # the General Assembly: no meetings of ours
