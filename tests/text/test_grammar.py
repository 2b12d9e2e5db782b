"""Citation grammar productions and the resolution pass, each with its own examples."""
from __future__ import annotations

import pytest

from mclinks.model import SourceInfo
from mclinks.text.extract import extract_text


def _info(body: str = "minamata-cop", meeting: str | None = "MC-COP-3", instrument: str | None = "minamata",
          symbol: str | None = None, date: str | None = None) -> SourceInfo:
    return SourceInfo(path="inline.txt", symbol=symbol, kind="decision", language="en", instrument=instrument,
                      body=body, meeting=meeting, date=date)


_GC = {"body": "unep-gc", "meeting": "GC-26", "instrument": None}


def _refs(text: str, **kw) -> list[tuple[str, str, str | None]]:  # type: ignore[no-untyped-def]
    result = extract_text(text, _info(**kw))
    return [(r.kind, r.id, r.part) for r in result.references if r.kind not in ("instrument", "body")]


@pytest.mark.parametrize(("text", "kw", "expected"), [
    # A bare number belongs to the adopting body...
    ("Recalling its decision 26/12 on mercury,", _GC, [("decision", "GC-26/12", None)]),
    # ... unless the clause names another one.
    ("Recalling decision IX/15 of the Conference of the Parties to the Basel Convention,", {},
     [("decision", "BC-9/15", None)]),
    # A number the adopting body cannot have issued goes to the body whose session exists.
    ("Recalling resolution 53/242,", _GC, [("resolution", "A/RES/53/242", None)]),
    ("Recalling decision IX/15,", {}, [("decision", "BC-9/15", None)]),
    # Lists carrying dates (the date is not part of the span) and sections.
    ("Recalling its decisions 18/12 of 26 May 1995, 19/13 of 7 February 1997 and SS.VII/3,", _GC,
     [("decision", "GC-18/12", None), ("decision", "GC-19/13", None), ("decision", "GC-SS.7/3", None)]),
    ("Recalling decisions 24/3 II, 23/3 IV and 24/5,", _GC,
     [("decision", "GC-24/3", "section II"), ("decision", "GC-23/3", "section IV"), ("decision", "GC-24/5", None)]),
    ("Recalling decisions BC-10/29, RC-5/12 and SC-5/27,", {},
     [("decision", "BC-10/29", None), ("decision", "RC-5/12", None), ("decision", "SC-5/27", None)]),
    # A part before a citation.
    ("Recalling paragraph 6 of General Assembly resolution 53/242,", _GC,
     [("resolution", "A/RES/53/242", "paragraph 6")]),
    ("Recalling section II of decision 23/3,", _GC, [("decision", "GC-23/3", "section II")]),
    # Anaphora resolve to the act cited last before them.
    ("Recalling decision MC-2/5. Pursuant to paragraph 2 of the decision and the same decision,", {},
     [("decision", "MC-2/5", None), ("decision", "MC-2/5", "paragraph 2"), ("decision", "MC-2/5", None)]),
    ("Noting decision MC-1/9 and annex I to the decision,", {},
     [("decision", "MC-1/9", None), ("decision", "MC-1/9", "annex I")]),
    # Joint symbols and footnote numbers fused to symbols.
    ("See UNEP/CHW.12/INF/31-UNEP/FAO/RC/COP.7/INF/20-UNEP/POPS/COP.7/INF/41.", {"instrument": "basel", "body": "basel-cop", "meeting": "BC-COP-12"},
     [("document", "UNEP/CHW.12/INF/31", None), ("document", "UNEP/FAO/RC/COP.7/INF/20", None),
      ("document", "UNEP/POPS/COP.7/INF/41", None)]),
    ("Programme;11UNEP/CHW.12/25, annex.", {"instrument": "basel", "body": "basel-cop", "meeting": "BC-COP-12"},
     [("document", "UNEP/CHW.12/25", "annex")]),
])
def test_productions(text: str, kw: dict, expected: list) -> None:  # type: ignore[type-arg]
    assert _refs(text, **kw) == expected


@pytest.mark.parametrize(("text", "kw", "expected"), [
    ("to report to the Governing Council at its twenty-seventh session;", _GC, "GC-27"),
    ("Recalling the outcome of its twelfth special session,", {"body": "unep-gc", "meeting": "GC-SS-12", "instrument": None}, "GC-SS-12"),
    ("at its twenty-seventh session;", {"body": "unep-gc", "meeting": "GC-SS-12", "instrument": None}, "GC-27"),
    ("The 25th UNEP Governing Council took place in Nairobi.", _GC, "GC-25"),
    ("to be considered at its fourth ordinary meeting;", {}, "MC-COP-4"),
    ("the Second Meeting of the Conference of the Parties to the Stockholm Convention", {}, "SC-COP-2"),
    ("Recordando su segunda reunión,", {}, "MC-COP-2"),
    ("at its next meeting;", {}, "MC-COP-4"),
    ("decided at COP-4 to amend", {"instrument": "basel", "body": "basel-cop", "meeting": "BC-COP-12"}, "BC-COP-4"),
])
def test_meetings_are_tied_to_their_body(text: str, kw: dict, expected: str) -> None:  # type: ignore[type-arg]
    assert [i for k, i, _ in _refs(text, **kw) if k == "meeting"] == [expected]


def test_a_meeting_of_another_body_is_not_a_cop() -> None:
    assert _refs("at the first meeting of the Open-ended Working Group;") == []


def test_an_impossible_meeting_is_unresolved_not_published() -> None:
    result = extract_text("Requests a report at its twenty-seventh meeting;", _info())
    assert [r for r in result.references if r.kind == "meeting"] == []


def test_the_decision_followed_by_its_symbol_is_not_an_anaphor() -> None:
    assert _refs("Welcoming the decision MC-1/9,") == [("decision", "MC-1/9", None)]


@pytest.mark.parametrize(("text", "expected"), [
    ("under paragraphs 8 (a) and 8 (b) of article 8,", ["minamata/art8/para8", "minamata/art8/para8"]),
    ("under subparagraphs 2 (b) and (c) of article 11,", ["minamata/art11/para2", "minamata/art11/para2"]),
    ("under paragraphs 3 to 5 of article 4,", ["minamata/art4/para3", "minamata/art4/para4", "minamata/art4/para5"]),
    ("en virtud de los párrafos 1 y 2 del artículo 16,", ["minamata/art16/para1", "minamata/art16/para2"]),
])
def test_paragraph_lists_give_one_reference_per_item(text: str, expected: list[str]) -> None:
    assert [i for k, i, _ in _refs(text) if k == "article"] == expected


def test_a_session_of_a_meeting_is_not_a_meeting() -> None:
    assert [i for k, i, _ in _refs("during the first session of the first meeting of the Conference of the Parties") if k == "meeting"] == ["MC-COP-1"]


@pytest.mark.parametrize(("text", "expected"), [
    ("listed in Annex A, Part II,", [("minamata/annexA", "part II")]),
    ("listed in Part I of Annexes A and B,", [("minamata/annexA", "part I"), ("minamata/annexB", "part I")]),
    ("to amend annex A. It will consider both Part I and Part II of the Annex.",
     [("minamata/annexA", None), ("minamata/annexA", "part I"), ("minamata/annexA", "part II")]),
])
def test_a_part_on_either_side_of_an_annex(text: str, expected: list) -> None:  # type: ignore[type-arg]
    assert [(i, p) for k, i, p in _refs(text) if k == "article"] == expected


def test_a_number_no_body_can_have_issued_is_unresolved_not_published() -> None:
    result = extract_text("Recalling decision 99/5,", _info())
    assert [r for r in result.references if r.kind == "decision"] == []
    assert [(r.kind, r.text) for r in result.unresolved] == [("decision", "decision 99/5")]
    assert result.to_json()["unresolved"][0]["text"] == "decision 99/5"


def test_file_names_and_addresses_are_never_citations() -> None:
    text = ("The files UNEP-POPS-COP.2-SC-2-15.Chinese.pdf and COP-3.pdf, and https://example.org/MC-1/2/report, "
            "are on the site; decision MC-1/2 is cited.")
    assert _refs(text) == [("decision", "MC-1/2", None)]


def test_a_second_bare_resolution_is_the_one_named_before() -> None:
    text = "Recalling General Assembly resolution 2/5. Noting that resolution 2/5 remains relevant,"
    assert _refs(text, **_GC) == [("resolution", "A/RES/2/5", None), ("resolution", "A/RES/2/5", None)]
    assert _refs("Noting that resolution 2/5 remains relevant,", **_GC) == [("resolution", "UNEA-2/5", None)]


def test_a_meeting_the_body_cannot_hold_by_the_source_date_is_unresolved() -> None:
    result = extract_text("Requests a report at its sixth meeting;", _info(date="2019-11-29", meeting="MC-COP-3"))
    assert [r.id for r in result.references if r.kind == "meeting"] == []
    assert [r.id for r in result.unresolved] == ["MC-COP-6"]


def test_not_prose_spans_are_file_names_and_addresses() -> None:
    from mclinks.text.citations import not_prose
    text = "see x.pdf and https://a.org/b.pdf or www.c.int; UNEP-POPS-COP.2-SC-2-15.Chinese.doc."
    assert [text[s:e] for s, e in not_prose(text)] == [
        "x.pdf", "https://a.org/b.pdf", "www.c.int", "UNEP-POPS-COP.2-SC-2-15.Chinese.doc"]


def test_its_meeting_after_another_body_is_that_bodys() -> None:
    text = "Taking note of the report of the Open-ended Working Group at its seventh meeting,"
    assert _refs(text, instrument="basel", body="basel-cop", meeting="BC-COP-10") == []


def test_spanish_article_paragraphs() -> None:
    text = "Recordando el párrafo 2 del artículo 16 del Convenio de Estocolmo,"
    assert _refs(text) == [("article", "stockholm/art16/para2", None)]


def test_list_items_separated_by_what_they_are_about() -> None:
    text = "Recalling its resolutions 1/5 of 27 June 2014 on chemicals and waste and 2/7 of 27 May 2016 on waste,"
    assert _refs(text, body="unea", meeting="UNEA-3", instrument=None) == [
        ("resolution", "UNEA-1/5", None), ("resolution", "UNEA-2/7", None)]


def test_a_list_of_parts_is_one_reference_per_part() -> None:
    text = "Recalling paragraphs 3 and 4 of decision RC-3/8 and sections II and III of the same decision,"
    assert _refs(text, instrument="rotterdam", body="rotterdam-cop", meeting="RC-COP-4") == [
        ("decision", "RC-3/8", "paragraph 3"), ("decision", "RC-3/8", "paragraph 4"),
        ("decision", "RC-3/8", "section II"), ("decision", "RC-3/8", "section III")]


@pytest.mark.parametrize(("text", "expected"), [
    ("the intergovernmental negotiating committee at its sixth session", ["MC-INC-6"]),
    ("adopted by the Conference of Plenipotentiaries on the Minamata Convention on Mercury", ["MC-DIPCON"]),
    ("the preparatory meeting of the Conference of Plenipotentiaries", ["MC-DIPCON-PREP"]),
])
def test_negotiation_meetings_of_minamata(text: str, expected: list[str]) -> None:
    assert [i for k, i, _ in _refs(text) if k == "meeting"] == expected


def test_a_once_held_meeting_of_another_body_is_not_claimed() -> None:
    assert _refs("at the Diplomatic Conference in Rome", body="unea", meeting="UNEA-3", instrument=None) == []
