"""The text of a source file, whatever its format: plain text, PDF, scanned PDF, Word.

What a reader returns is *the* text of the source: the extractor reads it, every
offset indexes it, and the release keeps it beside the original file's digest.
A PDF's text layer is read with pypdf in layout mode (paragraph gaps survive as
blank lines); a page without one is a scan and goes through Tesseract; a .docx is
read with docx2python, its footnotes kept as footnotes: the reference stays where
it is in the sentence and the note's text follows its paragraph, in the form the
segmenter reads as a footnote (``[3: UNEP/MC/COP.6/INF/29, annex I.]``).
"""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from mclinks.errors import SourceError

PLAIN = ".txt"
# ISO 639-1 → Tesseract's language data; unknown language: all three (Debian's packages, setup-system.sh)
TESSERACT_LANGUAGES = {"en": "eng", "fr": "fra", "es": "spa"}
_ALL_LANGUAGES = "+".join(TESSERACT_LANGUAGES.values())
_SPACES_RE = re.compile(r"[ \t\u00a0]{2,}")
_GAPS_RE = re.compile(r"\n{3,}")
_DOCX_FOOTNOTE_RE = re.compile(r"----footnote(\d+)----")
_DOCX_NOTE_RE = re.compile(r"footnote(\d+)\)\s*(.*)", re.S)


def _tidy(text: str) -> str:
    """Layout text as prose: no indentation or justification spaces, one blank line between paragraphs."""
    lines = [_SPACES_RE.sub(" ", line).strip() for line in text.replace("\r\n", "\n").split("\n")]
    return _GAPS_RE.sub("\n\n", "\n".join(lines)).strip("\n") + "\n"


def ocr_image(image_path: Path, language: str | None) -> str:
    """The words Tesseract reads in one page image."""
    if shutil.which("tesseract") is None:
        raise SourceError("is a scan (a page without a text layer) and Tesseract is not installed: "
                          "install tesseract-ocr with its eng, fra and spa data (tests/setup-system.sh does)",
                          file=str(image_path))
    langs = TESSERACT_LANGUAGES.get(language or "", _ALL_LANGUAGES)
    run = subprocess.run(["tesseract", str(image_path), "stdout", "-l", langs, "--psm", "4"],
                         capture_output=True, text=True, timeout=600)
    if run.returncode != 0:
        raise SourceError(f"Tesseract could not read a page: {run.stderr.strip()[:300]}", file=str(image_path))
    return run.stdout


def read_pdf(path: Path, language: str | None = None) -> str:
    """The text layer of each page; Tesseract for a page that has none (a scan)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError
    try:
        reader = PdfReader(path)
        pages: list[str] = []
        with tempfile.TemporaryDirectory(prefix="mclinks-ocr-") as tmp:
            for number, page in enumerate(reader.pages, start=1):
                layer = page.extract_text(extraction_mode="layout")
                if layer.strip():
                    pages.append(layer)
                    continue
                words = []
                for k, image in enumerate(page.images):
                    png = Path(tmp) / f"page{number}-{k}.png"
                    image.image.save(png)  # type: ignore[union-attr]
                    words.append(ocr_image(png, language))
                pages.append("\n\n".join(words))
    except (PyPdfError, OSError, ValueError) as e:
        raise SourceError(f"cannot read this PDF: {e}", file=str(path)) from None
    text = _tidy("\n\n".join(pages))
    if not text.strip():
        raise SourceError("has no text: no text layer and no page image Tesseract could read", file=str(path))
    return text


def _strings(tree: object) -> list[str]:
    """docx2python's nested tables → rows → cells → paragraphs, flattened in reading order."""
    if isinstance(tree, str):
        return [tree]
    return [s for branch in tree for s in _strings(branch)]  # type: ignore[attr-defined]


def read_docx(path: Path, language: str | None = None) -> str:
    """Paragraphs separated by blank lines; each footnote's text after the paragraph citing it."""
    from docx2python import docx2python
    try:
        with docx2python(path) as doc:
            body = [p for p in _strings(doc.body) if p.strip()]
            notes = {}
            for note in _strings(doc.footnotes):
                if m := _DOCX_NOTE_RE.fullmatch(note.strip()):
                    notes[m.group(1)] = " ".join(m.group(2).split())
    except Exception as e:  # docx2python raises zipfile/KeyError/lxml errors alike for a broken file
        raise SourceError(f"cannot read this Word file: {e}", file=str(path)) from None
    out = []
    for para in body:
        cited = _DOCX_FOOTNOTE_RE.findall(para)
        line = _DOCX_FOOTNOTE_RE.sub(lambda m: f"[footnoteRef:{m.group(1)}]", para)
        line += "".join(f" [{n}: {notes[n]}]" for n in cited if n in notes)
        out.append(" ".join(line.split()))
    return "\n\n".join(out) + "\n"


READERS: dict[str, Callable[[Path, str | None], str]] = {".pdf": read_pdf, ".docx": read_docx}
SUFFIXES = (PLAIN, *READERS)
