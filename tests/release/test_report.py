"""Issue 11, the build report: per source what was read and what did not resolve, for each
violation the file, line and field and what to change, and what to add next (coverage)."""
from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from mclinks.cli import main

SOURCES = Path("data") / "sources"


def _build(root: Path):
    return CliRunner().invoke(main, ["build", "--root", str(root)])


def test_release_holds_report_json_and_html_regression(project_copy: Path) -> None:
    result = _build(project_copy)
    assert result.exit_code == 0, result.output
    current = project_copy / "dist" / "current"
    report = json.loads((current / "report.json").read_text(encoding="utf-8"))
    assert report["published"] is True
    by_file = {s["file"]: s for s in report["sources"]}
    seed = by_file["data/sources/MC-1-21.fr.txt"]
    assert seed["symbol"] == "MC-1/21" and seed["paragraphs"] > 5 and seed["references"] > 5
    assert "data/sources/MC-1-21.fr.txt" in (current / "report.html").read_text(encoding="utf-8")
    assert "data/sources/MC-1-21.fr.txt: " in result.stderr and " paragraphs, " in result.stderr


def test_unresolved_reference_reported_with_words_and_offsets(project_copy: Path) -> None:
    """A reference to nothing (article 40 of a 35-article convention) is listed with its words and
    offsets, and the violation it causes says the line and what to change."""
    text = ("Decision MC-2/9: Test\n\nThe Conference of the Parties,\n\n"
            "Recalling article 40 of the Minamata Convention,\n\n1. Requests the Secretariat to report;\n")
    (project_copy / SOURCES / "MC-2-9.en.txt").write_text(text)
    (project_copy / SOURCES / "MC-2-9.en.meta.json").write_text(
        '{"symbol": "MC-2/9", "kind": "decision", "language": "en", "title": {"en": "Test"}}')
    result = _build(project_copy)
    assert result.exit_code == 4, result.output
    report = json.loads((project_copy / "dist" / "rejected-report.json").read_text(encoding="utf-8"))
    mine = next(s for s in report["sources"] if s["file"].endswith("MC-2-9.en.txt"))
    [u] = mine["unresolved"]
    assert text[u["start"]:u["end"]] == u["text"] and "article 40" in u["text"], u
    assert f"unresolved: «{u['text']}» at {u['start']}-{u['end']}" in result.stderr
    blamed = [v for v in report["violations"] if v["file"] == "data/sources/MC-2-9.en.txt"]
    assert blamed and all(v["line"] == 5 and "points to nothing" in v["change"] for v in blamed), report["violations"]


def test_violation_says_file_line_field_and_what_to_change_regression(project_copy: Path) -> None:
    """It said '… [decision-instrument]'; now: the sidecar, the line of 'instrument', and the change."""
    (project_copy / SOURCES / "MC-3-11.en.txt").write_text(
        "Decision MC-3/11: Cooperation\n\nThe Conference of the Parties,\n\n1. Requests the Secretariat to cooperate;\n")
    (project_copy / SOURCES / "MC-3-11.en.meta.json").write_text(
        '{\n "symbol": "MC-3/11",\n "kind": "decision",\n "language": "en",\n "instrument": "basel"\n}\n')
    result = _build(project_copy)
    assert result.exit_code == 4, result.output
    assert ("data/sources/MC-3-11.en.meta.json:5: " in result.stderr
            and "the symbol's prefix and 'instrument' disagree: fix one of them (field 'instrument')" in result.stderr)
    rejected = json.loads((project_copy / "dist" / "rejected-report.json").read_text(encoding="utf-8"))
    assert rejected["published"] is False and rejected["reason"] == "1 SHACL violation(s)"
    [v] = rejected["violations"]
    assert (v["file"], v["line"], v["field"]) == ("data/sources/MC-3-11.en.meta.json", 5, "instrument")
    assert "rejected-report.html" in result.stderr


def test_rejected_report_removed_once_a_build_is_published(project_copy: Path) -> None:
    (project_copy / SOURCES / "MC-3-11.en.txt").write_text("Decision MC-3/11: Cooperation\n\n1. Decides;\n")
    (project_copy / SOURCES / "MC-3-11.en.meta.json").write_text('{"symbol": "MC-3/11", "instrument": "basel"}')
    assert _build(project_copy).exit_code == 4
    assert (project_copy / "dist" / "rejected-report.json").exists()
    (project_copy / SOURCES / "MC-3-11.en.meta.json").write_text('{"symbol": "MC-3/11", "instrument": "minamata", '
                                                                  '"title": {"en": "Cooperation"}}')
    result = _build(project_copy)
    assert result.exit_code == 0, result.output
    assert not (project_copy / "dist" / "rejected-report.json").exists()


def test_coverage_lists_cited_acts_without_text_most_cited_first(project_copy: Path) -> None:
    for n in (1, 2):
        (project_copy / SOURCES / f"MC-2-{n}.en.txt").write_text(
            f"Decision MC-2/{n}: Test\n\nThe Conference of the Parties,\n\nRecalling decision MC-1/3,\n\n"
            + ("Recalling also decision MC-1/8,\n\n" if n == 1 else "") + "1. Decides;\n")
        (project_copy / SOURCES / f"MC-2-{n}.en.meta.json").write_text(
            f'{{"symbol": "MC-2/{n}", "language": "en", "title": {{"en": "Test"}}}}')
    result = _build(project_copy)
    assert result.exit_code == 0, result.output
    coverage = json.loads((project_copy / "dist" / "current" / "report.json").read_text(encoding="utf-8"))["coverage"]
    ids = [c["id"] for c in coverage]
    assert "MC-1/21" not in ids  # it has a text in data/
    assert ids.index("MC-1/3") < ids.index("MC-1/8")
    mc13 = next(c for c in coverage if c["id"] == "MC-1/3")
    assert mc13["citations"] >= 2 and {"MC-2-1.en.txt", "MC-2-2.en.txt"} <= set(mc13["cited_by"])
    assert [c["citations"] for c in coverage] == sorted((c["citations"] for c in coverage), reverse=True)
    assert "cited but without text in data/" in result.stderr


def test_no_progress_bar_when_not_a_terminal(project_copy: Path) -> None:
    result = _build(project_copy)
    assert result.exit_code == 0 and "extracting" not in result.stderr


def test_warnings_printed_when_publishing_fails_regression(project_copy: Path) -> None:
    """The report (resolve warnings, unresolved words) was printed only after the release was
    written: a build that failed while publishing said why, but not what the texts left unresolved."""
    blocker = project_copy / "not-a-directory"
    blocker.write_text("a file where the releases' parent directory should be")
    result = CliRunner().invoke(main, ["build", "--root", str(project_copy), "--out", str(blocker / "dist")])
    assert result.exit_code != 0 and "cannot write" in result.stderr
    assert "unresolved: «decision IX/15»" in result.stderr, result.output  # data/sources/BC-10-7.en.txt
    assert "warning: decision without a symbol: set 'symbol' in BC-10-7.en.txt's metadata" in result.stderr
