"""Each reference pattern with its example surface strings (BRIEF id table)."""
from __future__ import annotations

import pytest

from mclinks.model import SourceInfo
from mclinks.text.extract import extract_text


def _info(language: str = "en", instrument: str = "minamata", meeting: str = "MC-COP-2") -> SourceInfo:
    return SourceInfo(path="inline.txt", symbol=None, kind="decision", language=language,
                      instrument=instrument, body="minamata-cop", meeting=meeting)


def _refs(text: str, **kw: str) -> list[tuple[str, str, str | None]]:
    result = extract_text(text, _info(**kw))
    return [(r.kind, r.id, r.part) for r in result.references if r.kind not in ("instrument", "body")]


@pytest.mark.parametrize(("text", "expected"), [
    ("Recalling décision MC-1/21,", [("decision", "MC-1/21", None)]),
    ("Recalling decisions MC-3/11, MC-4/9 and MC-5/19,",
     [("decision", "MC-3/11", None), ("decision", "MC-4/9", None), ("decision", "MC-5/19", None)]),
    ("Noting decision SC1/15,", [("decision", "SC-1/15", None)]),
    ("Recalling decision IX/15 of the Conference of the Parties to the Basel Convention,", [("decision", "BC-9/15", None)]),
    ("Recalling decision SS.XII/5 of the Governing Council,", [("decision", "GC-SS.12/5", None)]),
    ("Recalling Governing Council decision 25/5,", [("decision", "GC-25/5", None)]),
    ("Rappelant la résolution 1/5 de l'Assemblée des Nations Unies pour l'environnement,", [("resolution", "UNEA-1/5", None)]),
    ("Recalling resolution UNEP/EA.1/Res.5,", [("resolution", "UNEA-1/5", None)]),
    ("Recalling General Assembly resolution 70/1,", [("resolution", "A/RES/70/1", None)]),
    ("Recalling resolution V/6 of the International Conference on Chemicals Management,", [("resolution", "ICCM-5/6", None)]),
    ("Rappelant le paragraphe 2 de l'article 14 de la Convention de Minamata,", [("article", "minamata/art14/para2", None)]),
    ("Recalling paragraph 8 of article 4,", [("article", "minamata/art4/para8", None)]),
    ("Recalling article 11 of the Basel Convention,", [("article", "basel/art11", None)]),
    ("Noting part I of annex A,", [("article", "minamata/annexA", "part I")]),
    ("Noting annex I to document UNEP/MC/COP.6/INF/29,", [("document", "UNEP/MC/COP.6/INF/29", "annex I")]),
    ("Voir l'annexe I du document UNEP/MC/COP.6/INF/29 et l'annexe II du même document.",
     [("document", "UNEP/MC/COP.6/INF/29", "annex I"), ("document", "UNEP/MC/COP.6/INF/29", "annex II")]),
    ("Requests a report at its second meeting;", [("meeting", "MC-COP-2", None)]),
    ("Prie le secrétariat de faire rapport à sa prochaine réunion ;", [("meeting", "MC-COP-3", None)]),
    ("at the seventeenth meeting of the Conference of the Parties to the Basel Convention",
     [("meeting", "BC-COP-17", None)]),
    ("at the first session of the United Nations Environment Assembly", [("meeting", "UNEA-1", None)]),
    ("for the biennium 2018\u20132019", [("period", "2018-2019", None)]),
    ("pour la période biennale 2026-2027", [("period", "2026-2027", None)]),
])
def test_surface_strings(text: str, expected: list[tuple[str, str, str | None]]) -> None:
    assert _refs(text) == expected


def test_instruments_and_anaphora() -> None:
    result = extract_text("aux conventions de Bâle, de Rotterdam et de Stockholm et au titre de la Convention.", _info("fr"))
    ids = [r.id for r in result.references if r.kind == "instrument"]
    assert ids == ["basel", "rotterdam", "stockholm", "minamata"]


def test_own_symbol_is_not_a_reference() -> None:
    info = SourceInfo(path="x", symbol="MC-1/21", kind="decision", language="fr", instrument="minamata",
                      body="minamata-cop", meeting="MC-COP-1")
    refs = extract_text("Décision MC-1/21 : Renforcement\n\nRappelant la décision MC-1/20,", info).references
    assert [r.id for r in refs if r.kind == "decision"] == ["MC-1/20"]


def test_relative_meeting_needs_an_adopting_meeting() -> None:
    refs = _refs("report at its next meeting;", meeting="")
    assert refs == []


def test_a_year_alone_is_not_a_period() -> None:
    assert _refs("En 2024 et 2025, la coopération a ciblé 2019-2023.") == []


def test_a_resolution_does_not_cite_itself() -> None:
    info = SourceInfo(path="x", symbol="UNEA-1/5", kind="resolution", language="en", instrument=None,
                      body="unea", meeting="UNEA-1")
    text = ("Resolution 1/5: Chemicals and waste\n\nThe United Nations Environment Assembly,\n\n"
            "Recalling resolution UNEP/EA.1/Res.5 and General Assembly resolution 70/1,\n\n"
            "1. Requests the Executive Director to report at its next session;")
    result = extract_text(text, info)
    assert [(r.kind, r.id) for r in result.references if r.kind in ("resolution", "meeting")] == [
        ("resolution", "A/RES/70/1"), ("meeting", "UNEA-2")]
    operative = [p for p in result.paragraphs if p.kind == "operative"][0]
    assert operative.addressees == ("unep-executive-director",) and operative.deadline == "UNEA-2"


@pytest.mark.parametrize(("opening", "kind", "action"), [
    ("Expressing its appreciation to the donors,", "preamble", "other"),
    ("Encouraging Parties to cooperate,", "preamble", "encourages"),
    ("Urging Parties to ratify,", "preamble", "urges"),
    ("Highlighting the role of regional centres,", "preamble", "emphasizes"),
    ("1. Endorses the road map;", "operative", "adopts"),
    ("2. Underscores the importance of cooperation;", "operative", "emphasizes"),
    ("3. Also decides to review the matter;", "operative", "decides"),
    ("4. Prie instamment les Parties de contribuer ;", "operative", "urges"),
])
def test_paragraph_openings(opening: str, kind: str, action: str) -> None:
    text = f"Decision MC-2/1: Title\n\nThe Conference of the Parties,\n\n{opening}\n"
    paragraph = [p for p in extract_text(text, _info()).paragraphs if p.kind in ("preamble", "operative")][0]
    assert (paragraph.kind, paragraph.actions[:1]) == (kind, (action,))
