"""Extraction cost is linear in the text (issue 9): counted work, never wall-clock time."""
from __future__ import annotations

from mclinks.model import Paragraph, Reference
from mclinks.text.clauses import ByStart, analyse
from mclinks.text.clean import fold


class _CountingList(list):  # type: ignore[type-arg]
    """A list that counts every element it hands out, by index or by iteration."""

    reads = 0

    def __getitem__(self, index):  # type: ignore[no-untyped-def]
        item = super().__getitem__(index)
        type(self).reads += len(item) if isinstance(index, slice) else 1
        return item

    def __iter__(self):  # type: ignore[no-untyped-def]
        type(self).reads += len(self)
        return super().__iter__()


def _reads_for(n: int) -> int:
    """Elements read when analysing ``n`` operative paragraphs, each with a meeting and a body."""
    line = "1. Requests the secretariat to report at its third meeting;\n"
    text = line * n
    folded = fold(text)
    paragraphs, refs, bodies = [], [], []
    for k in range(n):
        base = k * len(line)
        paragraphs.append(Paragraph(base, base + len(line) - 1, "operative", number="1"))
        s = base + line.index("secretariat")
        bodies.append(Reference("body", "minamata-secretariat", s, s + 11, "secretariat"))
        s = base + line.index("its third")
        refs.append(Reference("meeting", "MC-COP-3", s, s + 19, "its third meeting"))
    _CountingList.reads = 0
    counted_refs, counted_bodies = ByStart(_CountingList(refs)), ByStart(_CountingList(bodies))
    for p in paragraphs:
        result = analyse(p, folded, counted_refs, counted_bodies, "MC-COP-2")
        assert result.deadline == "MC-COP-3" and result.addressees == ("minamata-secretariat",)
    return _CountingList.reads


def test_clauses_analyse_scans_every_reference_for_every_paragraph_regression() -> None:
    """Doubling the text at most a little more than doubles the references read (was x4)."""
    small, large = _reads_for(400), _reads_for(800)
    assert large <= 2.3 * small, (small, large)


def test_overlapping_references_keep_the_higher_priority_then_the_longer() -> None:
    from mclinks.text.extract import _without_overlaps
    doc = Reference("document", "UNEP/MC/COP.1/7", 10, 25, "")
    inside = Reference("decision", "MC-1/7", 12, 20, "")
    longer = Reference("meeting", "MC-COP-1", 30, 50, "")
    shorter = Reference("meeting", "MC-COP-2", 40, 45, "")
    apart = Reference("period", "2018-2019", 60, 69, "")
    kept = _without_overlaps([apart, shorter, inside, longer, doc], ("document", "decision", "meeting", "period"))
    assert kept == [doc, longer, apart]
