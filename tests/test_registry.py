"""The curated registry: everything the facts confirm, and '?' kept as unconfirmed."""
from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import NamedNode

from mclinks.errors import SourceError
from mclinks.registry import load_registry
from mclinks.store import new_store
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
    assert list(store.quads_for_pattern(mc3_11, SKOS.editorialNote, None, None))
    unnumbered = list(store.quads_for_pattern(None, None, MCL.UnnumberedDecision, None))
    assert len(unnumbered) >= 8  # MC-1/?, seven MC-6/?, BRS-14, GC SS.X
    cop18 = NamedNode(f"{BASE}/id/meeting/BC-COP-18")
    assert not list(store.quads_for_pattern(cop18, MCL.startDate, None, None))
    flagged = [q.object.value for q in store.quads_for_pattern(cop18, MCL.unconfirmed, None, None)]
    assert "start_date: 2027-04-19?" in flagged


def test_bad_facts_row_names_file_and_line(tmp_path: Path, settings) -> None:
    for f in settings.registry_dir.glob("*.tsv"):
        (tmp_path / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    with (tmp_path / "minamata_decisions.tsv").open("a", encoding="utf-8") as f:
        f.write("MC-X/1\tBroken\tCOP-1\t2017\n")
    lines = (tmp_path / "minamata_decisions.tsv").read_text(encoding="utf-8").count("\n")
    with pytest.raises(SourceError, match=rf"minamata_decisions\.tsv:{lines}: symbol 'MC-X/1'"):
        load_registry(tmp_path, BASE)


def test_a_meeting_in_segments_spans_first_start_to_last_end(registry) -> None:
    store = new_store(registry.quads)
    cop4 = NamedNode(f"{BASE}/id/meeting/MC-COP-4")
    start = [q.object.value for q in store.quads_for_pattern(cop4, MCL.startDate, None, None)]
    end = [q.object.value for q in store.quads_for_pattern(cop4, MCL.endDate, None, None)]
    assert (start, end) == (["2021-11-01"], ["2022-03-25"])
