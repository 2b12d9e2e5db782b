"""Extraction quality on the shared gold corpus, measured by its own scorer."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_gold_scores_meet_the_bar(shared_corpus: Path) -> None:
    mclinks = Path(sys.executable).with_name("mclinks")
    out = subprocess.run(
        [sys.executable, str(shared_corpus / "score.py"), "--gold", str(shared_corpus / "gold"),
         "--cmd", f"{mclinks} extract --json {{text}}", "--json"],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )
    figures = json.loads(next(line for line in out.stdout.splitlines() if line.startswith("{")))
    assert figures["failed"] == 0
    assert figures["references"]["citations"]["f1"] >= 0.95
    assert figures["paragraphs"]["segmentation"]["f1"] >= 0.95


def test_ocr_text_without_blank_lines_segments_the_same(shared_corpus: Path, tmp_path: Path) -> None:
    """The same OCR decision with its blank lines removed: paragraphs are found by
    their opening words and line endings alone, and the title is still the title."""
    import re

    from mclinks.extract import extract_file

    original = shared_corpus / "texts" / "MC-1-21.fr.txt"
    squeezed = tmp_path / "MC-1-21.fr.txt"
    squeezed.write_text(re.sub(r"\n\s*\n", "\n", original.read_text(encoding="utf-8")), encoding="utf-8")
    (tmp_path / "MC-1-21.fr.meta.json").write_text((shared_corpus / "texts" / "MC-1-21.fr.meta.json").read_text())
    kinds = lambda e: [(p.kind, p.actions) for p in e.paragraphs]  # noqa: E731
    assert kinds(extract_file(squeezed)) == kinds(extract_file(original))
