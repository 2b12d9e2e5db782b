"""Real documents made from test texts (nothing downloaded): a PDF with a text layer (fpdf2),
a scanned PDF (the text drawn into an image with Pillow, saved as an image-only PDF) and a
Word .docx with real footnotes (its OOXML parts written out, as Word lays them)."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
FOOTNOTE_MARK = re.compile(r"\{fn:(\d+)\}")


def paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]


def make_pdf(text: str, path: Path) -> Path:
    from fpdf import FPDF
    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("dejavu", fname=FONT)
    pdf.set_font("dejavu", size=10)
    for para in paragraphs(text):
        pdf.multi_cell(0, 5, para)
        pdf.ln(4)
    pdf.output(str(path))
    return path


def make_scan(text: str, path: Path, dpi: int = 200) -> Path:
    """Each page an image of the text, as a scanner gives it: no text layer at all."""
    from PIL import Image, ImageDraw, ImageFont
    font = ImageFont.truetype(FONT, size=int(11 * dpi / 72))
    width, height, margin = int(8.27 * dpi), int(11.69 * dpi), int(0.8 * dpi)
    pages = []
    line_height = int(font.size * 1.35)

    def new_page():
        img = Image.new("L", (width, height), 255)
        return img, ImageDraw.Draw(img), margin

    img, draw, y = new_page()
    for para in paragraphs(text):
        words, line = para.split(), ""
        for word in words + [None]:
            trial = f"{line} {word}".strip() if word else line
            if word is not None and draw.textlength(trial, font=font) <= width - 2 * margin:
                line = trial
                continue
            if y + line_height > height - margin:
                pages.append(img)
                img, draw, y = new_page()
            draw.text((margin, y), line, font=font, fill=0)
            y += line_height
            line = word or ""
        y += line_height // 2
    pages.append(img)
    pages[0].save(path, "PDF", resolution=dpi, save_all=True, append_images=pages[1:])
    return path


_W = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')


def _runs(para: str) -> str:
    out, pos = [], 0
    for m in FOOTNOTE_MARK.finditer(para):
        out.append(f'<w:r><w:t xml:space="preserve">{escape(para[pos:m.start()])}</w:t></w:r>')
        out.append(f'<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteReference w:id="{m.group(1)}"/></w:r>')
        pos = m.end()
    out.append(f'<w:r><w:t xml:space="preserve">{escape(para[pos:])}</w:t></w:r>')
    return "".join(out)


def make_docx(text: str, footnotes: dict[int, str], path: Path) -> Path:
    """``text`` marks footnote references as ``{fn:N}``; ``footnotes`` holds their texts."""
    body = "".join(f"<w:p>{_runs(p)}</w:p>" for p in paragraphs(text))
    notes = "".join(f'<w:footnote w:id="{n}"><w:p><w:r><w:t xml:space="preserve">{escape(t)}</w:t></w:r></w:p></w:footnote>'
                    for n, t in footnotes.items())
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        '<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>'
        "</Types>",
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
        "</Relationships>",
        "word/_rels/document.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>'
        "</Relationships>",
        "word/document.xml": f'<?xml version="1.0" encoding="UTF-8"?><w:document {_W}><w:body>{body}</w:body></w:document>',
        "word/footnotes.xml": f'<?xml version="1.0" encoding="UTF-8"?><w:footnotes {_W}>'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
        f"{notes}</w:footnotes>",
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path
