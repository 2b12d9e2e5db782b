"""Clauses are found inside a line: web exports run a decision's paragraphs together."""
from __future__ import annotations

from mclinks.model import SourceInfo
from mclinks.text.extract import extract_text

_INFO = SourceInfo(path="inline.txt", symbol=None, kind="decision", language="en", instrument=None,
                   body="unep-gc", meeting="GC-26")


def test_clauses_inside_one_line() -> None:
    text = ("Chemicals and wastes\n"
            "The Governing Council, Recalling its decision 26/12 on cooperation, Having considered the report,11 "
            "1. Notes the progress made; 2. Requests the Executive Director to report on: (a) Financing options; "
            "(b) Cooperation.\n")
    got = [(p.kind, p.number, text[p.start:p.end][:18]) for p in extract_text(text, _INFO).paragraphs]
    assert got == [
        ("title", None, "Chemicals and wast"),
        ("heading", None, "The Governing Coun"),
        ("preamble", None, "Recalling its deci"),
        ("preamble", None, "Having considered "),
        ("operative", "1", "1. Notes the progr"),
        ("operative", "2", "2. Requests the Ex"),
        ("subparagraph", "a", "(a) Financing opti"),
        ("subparagraph", "b", "(b) Cooperation."),
    ]


def test_a_number_after_a_sentence_inside_a_line_opens_a_paragraph() -> None:
    text = "Note by the secretariat 1. In its decision MC-2/2, the Conference of the Parties agreed. 2. The group met.\n"
    info = SourceInfo(path="n.txt", symbol=None, kind="note", language="en", instrument="minamata",
                      body="minamata-secretariat", meeting="MC-COP-3")
    got = [(p.kind, p.number) for p in extract_text(text, info).paragraphs]
    assert got == [("title", None), ("body", "1"), ("body", "2")]


def test_footnotes_glued_to_their_paragraph_are_footnotes() -> None:
    text = ("International cooperation\n"
            "The Conference of the Parties,\n"
            "1.Takes note of the reports;31UNEP/CHW.13/INF/38-UNEP/POPS/COP.8/INF/44.2UNEP/CHW.13/INF/39.\n"
            "2.Welcomes the cooperation.\n")
    info = SourceInfo(path="f.txt", symbol=None, kind="decision", language="en", instrument="basel",
                      body="basel-cop", meeting="BC-COP-13")
    result = extract_text(text, info)
    got = [(p.kind, p.number, text[p.start:p.end]) for p in result.paragraphs if p.kind in ("operative", "footnote")]
    assert got == [
        ("operative", "1", "1.Takes note of the reports;3"),
        ("footnote", "1", "1UNEP/CHW.13/INF/38-UNEP/POPS/COP.8/INF/44."),
        ("footnote", "2", "2UNEP/CHW.13/INF/39."),
        ("operative", "2", "2.Welcomes the cooperation."),
    ]
    assert [r.id for r in result.references if r.kind == "document"] == [
        "UNEP/CHW.13/INF/38", "UNEP/POPS/COP.8/INF/44", "UNEP/CHW.13/INF/39"]


def test_a_catalogue_record_is_a_preface_and_its_title_is_the_record_title() -> None:
    text = ("× Information on this section of ECOLEX comes from the InforMEA Portal. In case of discrepancy the "
            "information as displayed on the respective MEA website prevails. Cooperation and coordination "
            "Tipo de documento Decision Número de referencia SC-2/15 Fecha May 1, 2006 Reunión Second Meeting of the "
            "Conference of the Parties to the Stockholm Convention Página web www.informea.org Resumen "
            "1. Pide a la secretaría que prepare un informe; 2. Decide examinar la cuestión.\n")
    info = SourceInfo(path="r.txt", symbol="SC-2/15", kind="decision", language="es", instrument="stockholm",
                      body="stockholm-cop", meeting="SC-COP-2")
    result = extract_text(text, info)
    got = [(p.kind, text[p.start:p.end][:20]) for p in result.paragraphs]
    assert got[0] == ("title", "Cooperation and coor")
    assert [k for k, _ in got[1:6]] == ["heading"] * 5
    assert got[-2:] == [("operative", "1. Pide a la secreta"), ("operative", "2. Decide examinar l")]
    assert result.paragraphs[-2].actions == ("requests",) and result.paragraphs[-1].actions == ("decides",)
    assert [r.id for r in result.references if r.kind == "meeting"] == ["SC-COP-2"]


def test_the_spanish_enacting_formula_is_a_heading() -> None:
    text = "Cooperación\n\nLa Conferencia de las Partes,\n\nRecordando su decisión SC-1/15,\n\n1. Pide a la secretaría que informe;\n"
    info = SourceInfo(path="e.txt", symbol=None, kind="decision", language="es", instrument="stockholm",
                      body="stockholm-cop", meeting="SC-COP-2")
    got = [(p.kind, p.actions) for p in extract_text(text, info).paragraphs]
    assert got == [("title", ()), ("heading", ()), ("preamble", ("recalls",)), ("operative", ("requests",))]


def test_furniture_and_record_fields_are_never_the_title() -> None:
    text = ("تجاوز إلى المحتوى الرئيسي\n\nShare meeting\n\nType\nDecision\nStatus\nActive\n\n"
            "Ключевые слова\nConventions, Sound management of chemicals and waste\n\nFull text\n\n"
            "The Conference of the Parties,\n\n1. Welcomes the guidelines;\n")
    info = SourceInfo(path="w.txt", symbol=None, kind="decision", language="en", instrument="basel",
                      body="basel-cop", meeting="BC-COP-12")
    got = [(p.kind, text[p.start:p.end][:12]) for p in extract_text(text, info).paragraphs]
    assert "title" not in [k for k, _ in got]
    assert got[-2:] == [("heading", "The Conferen"), ("operative", "1. Welcomes ")]
    assert not any(t.startswith(("Share", "Full", "تجاوز")) for _, t in got)  # furniture is dropped


def test_the_title_is_the_first_preface_unit_after_furniture() -> None:
    text = "Skip to main content\n\nShare this page\n\nCooperation with the Basel Convention\n\nThe Conference of the Parties,\n\n1. Decides;\n"
    info = SourceInfo(path="t.txt", symbol=None, kind="decision", language="en", instrument="minamata",
                      body="minamata-cop", meeting="MC-COP-2")
    got = [(p.kind, text[p.start:p.end]) for p in extract_text(text, info).paragraphs]
    assert got[0] == ("title", "Cooperation with the Basel Convention")
