"""Issue 11, the metadata contract: meetings, bodies and instruments are the registry's ids,
symbols are normalised, and every problem of a source is reported, in words, at once."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mclinks.cli import main
from mclinks.config import Settings
from mclinks.text.contract import normalise_symbol
from mclinks.text.sources import load_source

SOURCES = Path("data") / "sources"
_GC_TEXT = ("Decision SS.XII/5: Enhancing cooperation and coordination within the chemicals and wastes cluster\n\n"
            "The Governing Council,\n\nRecalling its decision GC-26/12 of 24 February 2011,\n\n"
            "1. Requests the Executive Director to report;\n")


def _source(root: Path, name: str, text: str, **meta: object) -> None:
    (root / SOURCES / f"{name}.txt").write_text(text, encoding="utf-8")
    if meta:
        (root / SOURCES / f"{name}.meta.json").write_text(json.dumps(meta), encoding="utf-8")


def _without_symbol(root: Path, symbol: str) -> None:
    for sidecar in (root / SOURCES).glob("*.meta.json"):
        if json.loads(sidecar.read_text(encoding="utf-8")).get("symbol") == symbol:
            for text in (root / SOURCES).glob(sidecar.name[: -len(".meta.json")] + ".*"):
                text.unlink()


def _build(root: Path) -> object:
    return CliRunner().invoke(main, ["build", "--root", str(root)])


@pytest.mark.parametrize("meeting", ["GC-SS-12", "MC-INC-1", "BRS-EXCOP-1", "MC-DIPCON"])
def test_registry_meeting_ids_accepted_regression(project_copy: Path, meeting: str) -> None:
    """These ids are in data/registry/meetings.tsv; a fixed pattern refused them."""
    _source(project_copy, "note.en", "Note by the secretariat\n\n1. The meeting took note of the report.\n",
            symbol=None, kind="note", language="en", meeting=meeting)
    result = _build(project_copy)
    assert result.exit_code == 0, result.output


def test_unknown_meeting_names_the_registry_file_regression(project_copy: Path) -> None:
    _source(project_copy, "BC-99-1.en", "Decision BC-99/1: Nothing\n\nThe Conference of the Parties,\n\n1. Decides;\n",
            symbol="BC-99/1", kind="decision", language="en", meeting="BC-COP-99")
    result = _build(project_copy)
    assert result.exit_code == 3, result.output
    assert ("BC-COP-99 is not a meeting in data/registry/meetings.tsv: add it there or fix 'meeting' in "
            "BC-99-1.en.meta.json") in result.stderr
    assert not (project_copy / "dist").exists()


@pytest.mark.parametrize(("field", "value", "words"), [
    ("body", "basel-secretariat", "basel-secretariat is not a body in data/registry/bodies.tsv: add it there or fix 'body'"),
    ("instrument", "espoo", "espoo is not an instrument in data/registry/instruments.tsv: add it there or fix 'instrument'"),
])
def test_unknown_body_and_instrument_refused(project_copy: Path, field: str, value: str, words: str) -> None:
    meta = {"symbol": None, "kind": "note", "language": "en", field: value}
    _source(project_copy, "n.en", "A note\n\n1. Text of the note.\n", **meta)
    result = _build(project_copy)
    assert result.exit_code == 3 and words in result.stderr, result.output


@pytest.mark.parametrize(("written", "context", "normal"), [
    ("GC-SS.XII/5", {}, "GC-SS.12/5"),
    ("decision IX/15", {"body": "basel-cop"}, "BC-9/15"),
    ("IX/15", {"instrument": "basel"}, "BC-9/15"),
    ("MC 3/11", {}, "MC-3/11"),
    ("SC1/15", {}, "SC-1/15"),
    ("UNEP/MC/COP.6/INF/29", {}, "UNEP/MC/COP.6/INF/29"),
])
def test_symbols_normalised_regression(written: str, context: dict[str, str], normal: str) -> None:
    assert normalise_symbol(written, **context) == normal


def test_symbol_normalised_in_the_graph_regression(tmp_path: Path) -> None:
    """'GC-SS.XII/5' in a sidecar became an act of that name, beside the registry's GC-SS.12/5."""
    (tmp_path / "gc.en.txt").write_text(_GC_TEXT)
    (tmp_path / "gc.en.meta.json").write_text('{"symbol": "GC-SS.XII/5", "kind": "decision", "language": "en"}')
    info, _ = load_source(tmp_path / "gc.en.txt")
    assert info.symbol == "GC-SS.12/5"


def test_question_mark_in_symbol_refused_regression(project_copy: Path) -> None:
    _source(project_copy, "MC-5-x.en", "Decision on something\n\n1. Decides;\n",
            symbol="MC-5/?", kind="decision", language="en", meeting="MC-COP-5")
    result = _build(project_copy)
    assert result.exit_code == 3, result.output
    assert "'symbol' is 'MC-5/?': a '?' says the symbol is unknown; leave it null" in result.stderr


def test_special_session_citing_earlier_regular_session_is_no_violation_regression(project_copy: Path) -> None:
    """GC-SS.12/5 (2012) citing GC-26/12 (2011) was 'citing the future' because 12 < 26."""
    _without_symbol(project_copy, "GC-SS.12/5")  # whatever data/sources ships, this text is the one
    _source(project_copy, "GC-SS-12-5.en", _GC_TEXT, symbol="GC-SS.12/5", kind="decision", language="en",
            body="unep-gc", meeting="GC-SS-12", date="2012-02-22")
    result = _build(project_copy)
    assert "no-citing-the-future" not in result.output
    assert result.exit_code == 0, result.output
    assert "GC-SS.12/5" in (project_copy / "dist" / "current" / "mclinks.trig").read_text(encoding="utf-8")
    info, text = load_source(project_copy / SOURCES / "GC-SS-12-5.en.txt")
    from mclinks.text.extract import extract_text
    assert "GC-26/12" in {r.id for r in extract_text(text, info).references}


def test_citing_a_later_session_is_still_a_violation(project_copy: Path) -> None:
    """The calendar still catches the future: MC-1/21 (2017) cannot cite MC-5/19 (2023)."""
    _source(project_copy, "MC-1-99.en", "Decision MC-1/99: Test\n\nThe Conference of the Parties,\n\n"
            "Recalling decision MC-5/19,\n\n1. Decides;\n",
            symbol="MC-1/99", kind="decision", language="en", meeting="MC-COP-1")
    result = _build(project_copy)
    assert result.exit_code == 4 and "no-citing-the-future" in result.output, result.output


def test_decision_without_symbol_is_reported_regression(project_copy: Path) -> None:
    """It became 'Draft decision in …' with no word said."""
    _source(project_copy, "draft.en", "Decision on cooperation\n\nThe Conference of the Parties,\n\n1. Decides;\n",
            symbol=None, kind="decision", language="en", meeting="MC-COP-5")
    result = _build(project_copy)
    assert "decision without a symbol: set 'symbol' in draft.en.txt's metadata" in result.stderr, result.output
    trig = (project_copy / "dist" / "current" / "mclinks.trig").read_text(encoding="utf-8")
    mine = [line for line in trig.splitlines() if "/id/decision/unnumbered/MC-COP-5-decision-" in line]
    assert mine, "published as an unnumbered decision of its meeting"
    assert "Draft decision for MC-COP-5" not in trig  # an adopted act, not a draft


def test_sidecar_without_text_is_an_error_regression(project_copy: Path) -> None:
    (project_copy / SOURCES / "MC-2-46.en.meta.json").write_text('{"symbol": "MC-2/46", "language": "en"}')
    result = _build(project_copy)
    assert result.exit_code == 3, result.output
    assert "MC-2-46.en.meta.json: has no text beside it: add MC-2-46.en.txt" in result.stderr


def test_yaml_front_matter_is_metadata_regression(tmp_path: Path) -> None:
    """The front matter became the title; now it is metadata, and offsets index the text after it."""
    body = "Decision MC-2/3: Releases\n\nThe Conference of the Parties,\n\nRecalling decision MC-1/2,\n"
    (tmp_path / "d.en.txt").write_text(f"---\nsymbol: MC-2/3\nkind: decision\nlanguage: en\ndate: 2018-11-23\n---\n{body}")
    result = CliRunner().invoke(main, ["extract", "--json", str(tmp_path / "d.en.txt")])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    ref = next(r for r in data["references"] if r["id"] == "MC-1/2")
    assert body[ref["start"]:ref["end"]] == ref["text"]
    info, text = load_source(tmp_path / "d.en.txt")
    assert (info.symbol, info.date, text) == ("MC-2/3", "2018-11-23", body)
    assert "---" not in "".join(info.title.values())


def test_front_matter_and_sidecar_disagreeing_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "d.en.txt").write_text("---\nlanguage: fr\n---\nDecision MC-2/3: Releases\n")
    (tmp_path / "d.en.meta.json").write_text('{"language": "en"}')
    with pytest.raises(Exception, match="'language' is 'en' in d.en.meta.json but 'fr' in the front matter"):
        load_source(tmp_path / "d.en.txt")


def test_bad_yaml_names_file_and_line(project_copy: Path) -> None:
    _source(project_copy, "y.en", "---\nsymbol: MC-2/3\nkind: [decision\n---\nDecision MC-2/3: x\n")
    result = _build(project_copy)
    assert result.exit_code == 3 and "y.en.txt:" in result.stderr and "bad YAML front matter" in result.stderr


def test_every_problem_of_a_source_is_reported_regression(project_copy: Path) -> None:
    """Only the first problem was said; fixing it revealed the next."""
    _source(project_copy, "MC-2-46.en", "Decision MC-2/46: x\n\n1. Decides;\n", symbol="MC-2/46", kind="ruling",
            language="English", meeting="COP-2", date="23 Nov 2018")
    _source(project_copy, "other.en", "A note\n\n1. Text.\n", kind="note", language="en", body="nobody")
    result = _build(project_copy)
    assert result.exit_code == 3, result.output
    for words in ("'kind' is 'ruling'", "'language' is 'English'", "COP-2 is not a meeting", "'date' is '23 Nov 2018'",
                  "nobody is not a body"):
        assert words in result.stderr, (words, result.stderr)
    assert "2 sources have problems" in result.stderr


def test_extract_uses_this_checkouts_registry(settings: Settings, tmp_path: Path) -> None:
    (tmp_path / "d.en.txt").write_text("Decision MC-2/3: Releases\n")
    (tmp_path / "d.en.meta.json").write_text('{"meeting": "MC-INC-1"}')
    result = CliRunner().invoke(main, ["extract", "--json", str(tmp_path / "d.en.txt")])
    assert result.exit_code == 0 and "not a meeting" not in result.stderr
