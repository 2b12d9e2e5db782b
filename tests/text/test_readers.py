"""Issue 11, real files: a PDF with a text layer, a scanned PDF (OCR) and a Word .docx with
footnotes, each made here from a test text, give the citations the plain text gives."""
from __future__ import annotations

import hashlib
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from mclinks.cli import main
from mclinks.text.extract import extract_file
from mclinks.text.sources import load_source, sidecar_for
from tests.documents import make_docx, make_pdf, make_scan

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "data" / "sources" / "MC-1-21.fr.txt"
SOURCES = Path("data") / "sources"


def _citations(path: Path) -> Counter[tuple[str, str]]:
    return Counter((r.kind, r.id) for r in extract_file(path).references)


def _beside_sidecar(original: Path, made: Path) -> Path:
    shutil.copy(sidecar_for(original), sidecar_for(made))
    return made


def test_sidecar_of_a_pdf_or_docx() -> None:
    assert sidecar_for(Path("x/MC-1-21.fr.pdf")).name == "MC-1-21.fr.meta.json"
    assert sidecar_for(Path("x/MC-1-21.fr.docx")).name == "MC-1-21.fr.meta.json"


def test_pdf_text_layer_gives_the_plain_texts_citations(tmp_path: Path) -> None:
    pdf = _beside_sidecar(SEED, make_pdf(SEED.read_text(encoding="utf-8"), tmp_path / "MC-1-21.fr.pdf"))
    assert _citations(pdf) == _citations(SEED)
    info, text = load_source(pdf)
    assert info.symbol == "MC-1/21" and "\n\n" in text  # paragraph gaps survive layout extraction
    for ref in extract_file(pdf).references:
        assert " ".join(text[ref.start:ref.end].split()) == " ".join(ref.text.split())


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract missing: run tests/setup-system.sh as root")
def test_scanned_pdf_through_ocr_gives_the_plain_texts_citations(tmp_path: Path) -> None:
    """A scan has no text layer at all; Tesseract (fra) reads it. OCR may miss or add a little:
    within 10 % of the plain text's citations."""
    excerpt = SEED.read_text(encoding="utf-8")[:2400].rsplit("\n\n", 1)[0] + "\n"
    plain = tmp_path / "plain" / "MC-1-21.fr.txt"
    plain.parent.mkdir()
    plain.write_text(excerpt, encoding="utf-8")
    _beside_sidecar(SEED, plain)
    scan = tmp_path / "scan" / "MC-1-21.fr.pdf"
    scan.parent.mkdir()
    _beside_sidecar(SEED, make_scan(excerpt, scan))
    from pypdf import PdfReader
    assert not PdfReader(scan).pages[0].extract_text().strip()  # really a scan
    expected, got = _citations(plain), _citations(scan)
    assert sum(expected.values()) >= 5
    assert sum((expected - got).values()) <= 0.1 * sum(expected.values()), (expected - got)
    assert sum((got - expected).values()) <= 0.1 * sum(expected.values()), (got - expected)


_DOCX_TEXT = ("Décision MC-2/3 : Rejets de mercure\n\nLa Conférence des Parties,\n\n"
              "Rappelant la décision MC-1/2{fn:1},\n\n"
              "1. Prie le secrétariat de faire rapport à la Conférence des Parties à sa troisième réunion{fn:2} ;\n")
_FOOTNOTES = {1: "UNEP/MC/COP.1/29, annexe I.", 2: "Voir UNEP/MC/COP.2/3."}


def test_docx_footnotes_read_as_footnotes_regression(tmp_path: Path) -> None:
    """Footnotes are paragraphs of kind footnote holding the note's words, not bare markers."""
    docx = make_docx(_DOCX_TEXT, _FOOTNOTES, tmp_path / "MC-2-3.fr.docx")
    (tmp_path / "MC-2-3.fr.meta.json").write_text('{"symbol": "MC-2/3", "kind": "decision", "language": "fr"}')
    extraction = extract_file(docx)
    _, text = load_source(docx)
    assert "----footnote" not in text
    notes = [text[p.start:p.end] for p in extraction.paragraphs if p.kind == "footnote"]
    assert len(notes) == 2 and "UNEP/MC/COP.1/29, annexe I." in notes[0] and "UNEP/MC/COP.2/3" in notes[1], notes
    ids = {r.id for r in extraction.references}
    assert {"MC-1/2", "UNEP/MC/COP.1/29", "UNEP/MC/COP.2/3"} <= ids, ids
    plain = tmp_path / "plain.fr.txt"  # the same words as Word's own text export writes them
    plain.write_text(text, encoding="utf-8")
    (tmp_path / "plain.fr.meta.json").write_text('{"symbol": "MC-2/3", "kind": "decision", "language": "fr"}')
    assert _citations(plain) == _citations(docx)


def test_build_keeps_the_text_read_beside_the_originals_digest(project_copy: Path) -> None:
    pdf = make_pdf(SEED.read_text(encoding="utf-8"), project_copy / SOURCES / "MC-1-21.fr.pdf")
    (project_copy / SOURCES / "MC-1-21.fr.txt").unlink()
    result = CliRunner().invoke(main, ["build", "--root", str(project_copy)])
    assert result.exit_code == 0, result.output
    kept = json.loads((project_copy / "dist" / "current" / "sources.json").read_text(encoding="utf-8"))
    entry = next(e for e in kept if e["file"] == "data/sources/MC-1-21.fr.pdf")
    assert entry["sha256"] == hashlib.sha256(pdf.read_bytes()).hexdigest() and entry["format"] == "pdf"
    for ref in extract_file(pdf).references:  # offsets index the kept text
        assert entry["text"][ref.start:ref.end] == ref.text


@pytest.mark.parametrize(("name", "data", "words"), [
    ("MC-2-46.en.pdf", b"%PDF-1.4 not really", "cannot read this PDF"),
    ("MC-2-46.en.docx", b"PK\x03\x04 not a zip", "cannot read this Word file"),
])
def test_unreadable_pdf_or_docx_is_a_clear_error(project_copy: Path, name: str, data: bytes, words: str) -> None:
    (project_copy / SOURCES / name).write_bytes(data)
    result = CliRunner().invoke(main, ["build", "--root", str(project_copy)])
    assert result.exit_code == 3, result.output
    assert name in result.stderr and words in result.stderr and "Traceback" not in result.output
