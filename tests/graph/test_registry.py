"""The curated registry: everything the facts confirm, what they do not marked by each row's
status (never a '?' in a value), and research notes kept out of the graph."""
from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import NamedNode

from mclinks.errors import SourceError
from mclinks.registry import load_registry
from mclinks.store.local import new_store
from mclinks.vocab import MCL, SKOS

BASE = "https://example.org/mc"


@pytest.fixture(scope="module")
def registry(settings):
    return load_registry(settings.registry_dir, BASE)


def test_all_articles_and_annexes(registry) -> None:
    arts = registry.known["article"]
    assert {f"minamata/art{n}" for n in range(1, 36)} <= arts
    assert {f"minamata/annex{x}" for x in "ABCDE"} <= arts
    assert "minamata/art36" not in arts


def test_instruments_meetings_and_acts(registry) -> None:
    assert registry.known["instrument"] == {"minamata", "basel", "rotterdam", "stockholm", "saicm", "gfc"}
    for meeting in ("MC-COP-1", "MC-COP-6", "BC-COP-17", "RC-COP-12", "SC-COP-12", "UNEA-1", "UNEA-7", "GC-25"):
        assert registry.knows("meeting", meeting), meeting
    for decision in ("MC-1/21", "MC-3/11", "BC-9/15", "GC-SS.12/5", "BC-17/22", "RC-12/9", "SC-12/23"):
        assert registry.knows("decision", decision), decision
    assert registry.knows("resolution", "UNEA-1/5") and registry.knows("resolution", "ICCM-5/6")


def test_unconfirmed_values_are_flagged_not_completed(registry) -> None:
    store = new_store(registry.quads)
    mc1_1 = NamedNode(f"{BASE}/id/decision/MC-1-1")
    titles = [q.object.value for q in store.quads_for_pattern(mc1_1, MCL.unconfirmedTitle, None, None)]
    assert titles == ["Rules of procedure for the Conference of the Parties"]
    mc3_11 = NamedNode(f"{BASE}/id/decision/MC-3-11")
    assert not list(store.quads_for_pattern(mc3_11, NamedNode("http://purl.org/dc/terms/title"), None, None))
    assert [q.object.value for q in store.quads_for_pattern(mc3_11, MCL.unconfirmedTitle, None, None)] == [
        "cooperation with the BRS secretariat"]
    unnumbered = list(store.quads_for_pattern(None, None, MCL.UnnumberedDecision, None))
    assert len(unnumbered) >= 8  # MC-1/?, seven MC-6/?, BRS-14, GC SS.X
    cop18 = NamedNode(f"{BASE}/id/meeting/BC-COP-18")
    assert not list(store.quads_for_pattern(cop18, MCL.startDate, None, None))
    flagged = [q.object.value for q in store.quads_for_pattern(cop18, MCL.unconfirmed, None, None)]
    assert "start_date: 2027-04-19" in flagged
    assert [q.object.value for q in store.quads_for_pattern(cop18, MCL.unconfirmed, None, None)
            if q.object.value.startswith("place")] == ["place: Panama City, Panama"]


NOTES = ("NOT seen", "team brief", "seed", "written 'Shiba", "capture", "tentative", "slug")


def test_registry_labels_hold_no_notes_regression(registry) -> None:
    """'? (sound management … — NOT seen in corpus; listed in team brief)' was UNEA-2/7's published title,
    'Chiba, Japan (written 'Shiba (Japon)' …)' a meeting's place, 'symbol from the team's French seed only'
    MC-5/19's note."""
    published = [q.object.value for q in registry.quads if hasattr(q.object, "language")]
    for value in published:
        assert "?" not in value, value
        assert not any(note in value for note in NOTES), value
    store = new_store(registry.quads)
    unea27 = NamedNode(f"{BASE}/id/resolution/UNEA-2-7")
    assert [q.object.value for q in store.quads_for_pattern(unea27, MCL.unconfirmedTitle, None, None)] == [
        "sound management of chemicals and waste"]
    inc2 = NamedNode(f"{BASE}/id/meeting/MC-INC-2")
    assert [q.object.value for q in store.quads_for_pattern(inc2, MCL.place, None, None)] == ["Chiba, Japan"]
    assert not list(store.quads_for_pattern(None, SKOS.editorialNote, None, None))


def test_every_facts_row_has_a_source_and_a_status(settings) -> None:
    import csv
    for path in sorted(settings.registry_dir.glob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
        assert rows, path
        for row in rows:
            assert row["source"], (path.name, row)
            assert row["status"] == "confirmed" or row["status"].startswith("unconfirmed"), (path.name, row)


@pytest.mark.parametrize(("edit", "words"), [
    (lambda line: line.replace("\tconfirmed\t", "\tmaybe\t"), "status 'maybe': write 'confirmed', 'unconfirmed'"),
    (lambda line: line.replace("Chemicals and waste\t", "Chemicals and waste?\t"),
     "'?' in title 'Chemicals and waste?': mark the value in 'status' (unconfirmed: title) instead"),
    (lambda line: line.replace("\tconfirmed\t", "\tunconfirmed: colour\t"), "status names colour, which is not a column"),
    (lambda line: "\t".join(line.split("\t")[:5] + ["", ""]), "no source: say where the facts of this row come from"),
])
def test_bad_status_or_source_names_file_and_line(tmp_path: Path, settings, edit, words: str) -> None:
    for f in settings.registry_dir.glob("*.tsv"):
        (tmp_path / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    path = tmp_path / "other_instruments.tsv"
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[1].startswith("UNEA 1/5\tChemicals and waste\t")
    lines[1] = edit(lines[1])
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(SourceError) as raised:
        load_registry(tmp_path, BASE)
    assert "other_instruments.tsv:2: " in str(raised.value) and words in str(raised.value), str(raised.value)


def test_bad_facts_row_names_file_and_line(tmp_path: Path, settings) -> None:
    for f in settings.registry_dir.glob("*.tsv"):
        (tmp_path / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    with (tmp_path / "minamata_decisions.tsv").open("a", encoding="utf-8") as f:
        f.write("MC-X/1\tBroken\tCOP-1\t2017\tconfirmed\ta test\t\n")
    lines = (tmp_path / "minamata_decisions.tsv").read_text(encoding="utf-8").count("\n")
    with pytest.raises(SourceError, match=rf"minamata_decisions\.tsv:{lines}: symbol 'MC-X/1'"):
        load_registry(tmp_path, BASE)


def test_a_meeting_in_segments_spans_first_start_to_last_end(registry) -> None:
    store = new_store(registry.quads)
    cop4 = NamedNode(f"{BASE}/id/meeting/MC-COP-4")
    start = [q.object.value for q in store.quads_for_pattern(cop4, MCL.startDate, None, None)]
    end = [q.object.value for q in store.quads_for_pattern(cop4, MCL.endDate, None, None)]
    assert (start, end) == (["2021-11-01"], ["2022-03-25"])


def test_label_shape_catches_a_note_in_a_label_regression(project_copy: Path) -> None:
    """The registry loader refuses '?'; a note written in plain words still reaches the graph, and
    the shape in shapes/registry-labels.ttl stops it before publication."""
    from click.testing import CliRunner

    from mclinks.cli import main
    path = project_copy / "data" / "registry" / "other_instruments.tsv"
    facts = path.read_text(encoding="utf-8")
    path.write_text(facts.replace("UNEA 1/5\tChemicals and waste\t", "UNEA 1/5\tChemicals and waste (NOT seen in corpus)\t"),
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--root", str(project_copy)])
    assert result.exit_code == 4, result.output
    assert "[label-without-notes]" in result.stderr and "UNEA-1-5" in result.stderr, result.stderr
