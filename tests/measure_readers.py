"""Measure PDF readers on PDFs made from the dev texts: speed, fidelity, citations kept.

    .venv/bin/pip install pdfplumber   # only to compare; mclinks uses pypdf
    .venv/bin/python -m tests.measure_readers [../shared/corpus/dev/texts]

Figures are quoted in the README ("Why these libraries")."""
from __future__ import annotations

import difflib
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from mclinks.text.extract import extract_file
from mclinks.text.sources import sidecar_for
from tests.documents import make_pdf


def _same(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, " ".join(a.split()), " ".join(b.split()), autojunk=False).ratio()


def main(texts_dir: Path) -> None:
    import pypdf
    readers = {"pypdf layout": lambda p: "\n".join(pg.extract_text(extraction_mode="layout") for pg in pypdf.PdfReader(p).pages),
               "pypdf plain": lambda p: "\n".join(pg.extract_text() for pg in pypdf.PdfReader(p).pages)}
    try:
        import pdfplumber
        readers["pdfplumber"] = lambda p: "\n".join(pg.extract_text() or "" for pg in pdfplumber.open(p).pages)
    except ImportError:
        print("pdfplumber not installed: not compared")
    with tempfile.TemporaryDirectory() as tmp:
        pairs = []
        for src in sorted(texts_dir.glob("*.txt")):
            pdf = make_pdf(src.read_text(encoding="utf-8"), Path(tmp) / (src.name[:-4] + ".pdf"))
            if sidecar_for(src).exists():
                shutil.copy(sidecar_for(src), sidecar_for(pdf))
            pairs.append((src, pdf))
        pages = sum(len(pypdf.PdfReader(p).pages) for _, p in pairs)
        for name, read in readers.items():
            started = time.perf_counter()
            outs = [read(p) for _, p in pairs]
            seconds = time.perf_counter() - started
            scores = [_same(s.read_text(encoding="utf-8"), o) for (s, _), o in zip(pairs, outs)]
            print(f"{name}: {seconds:.2f} s for {len(pairs)} PDFs ({pages} pages); "
                  f"similarity mean {sum(scores) / len(scores):.4f}, worst {min(scores):.4f}")
        kept = total = 0
        for src, pdf in pairs:
            plain = Counter((r.kind, r.id) for r in extract_file(src, strict=False).references)
            got = Counter((r.kind, r.id) for r in extract_file(pdf, strict=False).references)
            total += sum(plain.values())
            kept += sum((plain & got).values())
        print(f"citations from the PDFs (mclinks' reader): {kept} of the plain texts' {total}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "dev" / "texts")
