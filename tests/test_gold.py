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
