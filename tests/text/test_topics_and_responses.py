"""Topics and "in response to" are recognised by the text stage, so `extract --json` shows
them and the graph stage only writes what the extraction says (issue #14)."""
from __future__ import annotations

import json
import re

from click.testing import CliRunner

from mclinks.cli import main
from mclinks.model import SourceInfo
from mclinks.text.extract import extract_text
from tests.conftest import ROOT

NOTE = ROOT / "data" / "sources" / "COP6-note-cooperation-brs.fr.txt"


def _info(language: str = "en") -> SourceInfo:
    return SourceInfo(path="t.txt", symbol=None, kind="decision", language=language, instrument="minamata",
                      body="minamata-cop", meeting="MC-COP-3")


def test_extract_json_shows_the_responses_the_graph_states() -> None:
    result = CliRunner().invoke(main, ["extract", "--json", str(NOTE)])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    pairs = [(out["references"][a]["id"], out["references"][b]["id"])
             for p in out["paragraphs"] for a, b in p.get("responses", [])]
    assert pairs, "the note says which BRS decisions answer which Minamata decisions"
    for answering, answered in pairs:
        assert answering.split("-")[0] != answered.split("-")[0]  # acts of one series answer another's


def test_a_response_names_acts_cited_after_the_phrase_only() -> None:
    text = ("The Conference of the Parties,\n\n"
            "1. Recalls decision MC-1/2 and, in response to decision MC-2/3, welcomes decisions BC-14/1 and "
            "RC-9/2;\n")
    extraction = extract_text(text, _info())
    refs = extraction.references
    pairs = {(refs[a].id, refs[b].id) for p in extraction.paragraphs for a, b in p.responses}
    assert pairs == {("BC-14/1", "MC-2/3"), ("RC-9/2", "MC-2/3")}


def test_topics_are_the_registrys_and_reach_the_json() -> None:
    topics = (("asgm", re.compile(r"artisanal", re.I)), ("waste", re.compile(r"dechets|waste", re.I)))
    text = "The Conference of the Parties,\n\n1. Requests the secretariat to report on artisanal gold mining;\n"
    extraction = extract_text(text, _info(), topics)
    operative = [p for p in extraction.paragraphs if p.kind == "operative"]
    assert [p.topics for p in operative] == [("asgm",)]
    assert operative[0].to_json()["topics"] == ["asgm"]


def test_no_topic_no_key() -> None:
    text = "The Conference of the Parties,\n\n1. Decides to meet again;\n"
    extraction = extract_text(text, _info(), ())
    assert all("topics" not in p.to_json() and "responses" not in p.to_json() for p in extraction.paragraphs)
