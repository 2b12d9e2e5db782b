"""Our own noisy texts (en and fr), each with its expected output written by hand."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from mclinks.text.extract import extract_file

TEXTS = Path(__file__).resolve().parents[1] / "texts"
CITATION_KINDS = {"decision", "resolution", "article", "document", "meeting", "period"}
SCORED = {"preamble", "operative", "subparagraph", "body", "footnote"}


@pytest.mark.parametrize("name", sorted(p.name[: -len(".txt")] for p in TEXTS.glob("*.txt")))
def test_text_matches_expected(name: str) -> None:
    expected = json.loads((TEXTS / f"{name}.expected.json").read_text(encoding="utf-8"))
    result = extract_file(TEXTS / f"{name}.txt")
    content = (TEXTS / f"{name}.txt").read_text(encoding="utf-8")
    got_refs = [[r.kind, r.id, r.text] + ([r.part] if r.part else []) for r in result.references if r.kind in CITATION_KINDS]
    assert got_refs == expected["references"]
    for r in result.references:
        assert content[r.start:r.end] == r.text
    got_paras = []
    for p in result.paragraphs:
        if p.kind not in SCORED:
            continue
        row: dict[str, object] = {"kind": p.kind}
        if p.number is not None:
            row["number"] = p.number
        for field in ("actions", "addressees", "conditions"):
            if getattr(p, field):
                row[field] = list(getattr(p, field))
        if p.deadline:
            row["deadline"] = p.deadline
        got_paras.append(row)
    assert got_paras == expected["paragraphs"]


def test_noise_lines_are_not_paragraphs_nor_cited() -> None:
    result = extract_file(TEXTS / "en-web-decision.txt")
    content = (TEXTS / "en-web-decision.txt").read_text(encoding="utf-8")
    spans = [content[p.start:p.end] for p in result.paragraphs]
    assert not any(s.startswith(("Skip to", "Home >", "Share", "Print")) for s in spans)
    assert all(r.start >= content.index("Decision MC-2/7") for r in result.references)
