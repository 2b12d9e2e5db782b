"""The build report: what each source gave, what did not resolve, and what to change.

Written into every release as ``report.json`` and ``report.html``, and printed by
``mclinks build``; a build that was refused writes it beside the releases
(``dist/rejected-report.*``) so the person who added a file reads what to fix in
words: the file and line, the field, and the change, not a SHACL rule name.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from mclinks.model import Diagnostic, Extraction
from mclinks.text.sources import sidecar_for

REPORT_FILES = ("report.json", "report.html")
TEXTS_FILE = "sources.json"
REJECTED_PREFIX = "rejected-"
_CITABLE = ("decision", "resolution")
# rule → (metadata field it usually comes from, what to change, in words)
_ADVICE = {
    "decision-symbol": ("symbol", "write the symbol as its body does, e.g. 'MC-1/21', 'BC-9/15', 'GC-SS.12/5'"),
    "resolution-symbol": ("symbol", "write the symbol as its body does, e.g. 'UNEA-1/5', 'A/RES/70/1'"),
    "decision-instrument": ("instrument", "the symbol's prefix and 'instrument' disagree: fix one of them"),
    "decision-meeting-number": ("meeting", "the symbol's session number and 'meeting' disagree: fix one of them"),
    "decision-one-meeting": ("meeting", "give the decision exactly one 'meeting'"),
    "decision-title": ("title", "add a 'title' (the decision's own heading) to the metadata"),
    "no-citing-the-future": (None, "the text cites an act adopted later: check the words at that line, "
                                   "or the source's 'meeting' and 'date'"),
    "deadline-after-adoption": (None, "the deadline meeting is not after the adopting one: check the words at that "
                                      "line, or the source's 'meeting'"),
    "no-dangling-reference": (None, "the reference at that line points to nothing in data/registry: correct the "
                                    "words, or add what they name to the registry"),
    "iri-typed": (None, "the reference at that line points to nothing in data/registry: correct the words, or add "
                        "what they name to the registry"),
    "label-without-notes": (None, "take the '?' or the note out of the label: the doubt goes in the registry row's "
                                  "status, the note in its note column"),
}


@dataclass
class SourceReport:
    file: str
    sidecar: str | None
    symbol: str | None
    language: str
    paragraphs: int
    references: int
    unresolved: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class Violation:
    file: str | None
    line: int | None
    field: str | None
    message: str
    change: str
    rule: str
    severity: str


@dataclass
class BuildReport:
    published: bool
    reason: str
    sources: list[SourceReport]
    violations: list[Violation]
    coverage: list[dict[str, Any]]

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1)

    def to_html(self) -> str:
        from jinja2 import Environment, PackageLoader, select_autoescape
        env = Environment(loader=PackageLoader("mclinks", "templates"), autoescape=select_autoescape(["html"]))
        return env.get_template("report.html").render(report=self)

    def files(self) -> dict[str, bytes]:
        return {"report.json": self.to_json().encode("utf-8"), "report.html": self.to_html().encode("utf-8")}

    def as_text(self) -> str:
        """What ``mclinks build`` prints: a line per source, then what to change."""
        lines = []
        for s in self.sources:
            lines.append(f"{s.file}: {s.paragraphs} paragraphs, {s.references} references"
                         + (f", {len(s.unresolved)} unresolved" if s.unresolved else "")
                         + (f", {len(s.warnings)} warning(s)" if s.warnings else ""))
            lines.extend(f"  unresolved: «{u['text']}» at {u['start']}-{u['end']} ({u['reason']})" for u in s.unresolved)
            lines.extend(f"  warning: {w}" for w in s.warnings)
        for v in self.violations:
            where = f"{v.file}:{v.line}: " if v.file and v.line else (f"{v.file}: " if v.file else "")
            lines.append(f"to change: {where}{v.message}; {v.change}" + (f" (field '{v.field}')" if v.field else ""))
        if self.coverage:
            top = ", ".join(f"{c['id']} ({c['citations']})" for c in self.coverage[:10])
            lines.append(f"cited but without text in data/ ({len(self.coverage)}), most-cited first: {top}")
        return "\n".join(lines)


def _line(offset: int | None, text: str | None) -> int | None:
    if offset is None or text is None:
        return None
    return text.count("\n", 0, offset) + 1


def _field_line(sidecar: Path, key: str) -> int | None:
    """The line of ``"key":`` in a sidecar, so that the person goes straight to it."""
    try:
        for n, line in enumerate(sidecar.read_text(encoding="utf-8").splitlines(), start=1):
            if f'"{key}"' in line:
                return n
    except OSError:
        return None
    return None


def _violation(result: Diagnostic, root: Path, texts: dict[str, str]) -> Violation:
    key, change = _ADVICE.get(result.rule, (None, "see the rule's description in shapes/"))
    file, line = result.file, None
    if file and key:  # a metadata field: blame the sidecar and the line of that field
        sidecar = sidecar_for(root / file)
        if sidecar.exists():
            file = str(sidecar.relative_to(root))
            line = _field_line(sidecar, key)
    elif file:
        line = _line(result.start, texts.get(file))
    return Violation(file, line, key, result.message, change, result.rule, result.severity)


def coverage(extractions: Iterable[Extraction]) -> list[dict[str, Any]]:
    """Acts that texts cite but that have no text in data/, most-cited first: what to add next."""
    extractions = list(extractions)
    have = {e.source.symbol for e in extractions if e.source.symbol}
    counts: Counter[tuple[str, str]] = Counter()
    citing: dict[tuple[str, str], set[str]] = {}
    for e in extractions:
        for r in e.references:
            if r.kind in _CITABLE and r.id not in have and r.id != e.source.symbol:
                counts[(r.kind, r.id)] += 1
                citing.setdefault((r.kind, r.id), set()).add(Path(e.source.path).name)
    return [{"kind": kind, "id": id_, "citations": n, "cited_by": sorted(citing[(kind, id_)])}
            for (kind, id_), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][1]))]


def build_report(extractions: list[Extraction], diagnostics: list[Diagnostic], results: Iterable[Diagnostic],
                 root: Path, texts: dict[str, str], published: bool, reason: str = "") -> BuildReport:
    """The report of one build, from its extractions, its diagnostics and the validation results."""
    by_file: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:
        by_file.setdefault(d.file or "", []).append(d)
    sources = []
    for e in extractions:
        path = Path(e.source.path)
        try:
            rel = str(path.resolve().relative_to(root.resolve()))
        except ValueError:
            rel = str(path)
        mine = [d for key in dict.fromkeys((rel, e.source.path)) for d in by_file.get(key, [])]
        unresolved = [{"text": r.text, "start": r.start, "end": r.end, "kind": r.kind, "id": r.id,
                       "reason": "no act or meeting it can be"} for r in getattr(e, "unresolved", ())]
        body = texts.get(rel, "")
        unresolved += [{"text": body[d.start:d.end] if d.start is not None else d.message, "start": d.start,
                        "end": d.end, "kind": None, "id": d.focus, "reason": "resolves to nothing in the registry"}
                       for d in mine if d.rule == "resolve"]
        warnings = [d.message for d in mine if d.rule != "resolve"]
        sidecar = sidecar_for(path)
        sources.append(SourceReport(rel, sidecar.name if sidecar.exists() else None, e.source.symbol,
                                    e.source.language, len(e.paragraphs), len(e.references), unresolved, warnings))
    violations = [_violation(r, root, texts) for r in results if r.severity == "violation"]
    return BuildReport(published, reason, sources, violations, coverage(extractions))


def write_rejected(report: BuildReport, dist_dir: Path) -> Path:
    """A refused build's report beside the releases (the current release stays as it was)."""
    dist_dir.mkdir(parents=True, exist_ok=True)
    for name, data in report.files().items():
        (dist_dir / f"{REJECTED_PREFIX}{name}").write_bytes(data)
    return dist_dir / f"{REJECTED_PREFIX}report.html"


def clear_rejected(dist_dir: Path) -> None:
    for name in REPORT_FILES:
        (dist_dir / f"{REJECTED_PREFIX}{name}").unlink(missing_ok=True)


ORIGINALS_DIR = "originals"


def originals(texts: dict[str, str], root: Path) -> dict[str, bytes]:
    """The original files (PDF, Word, text) as received, for ``originals/`` in the release, so an
    act's page can offer the document its text was read from."""
    out = {}
    for rel in sorted(texts):
        try:
            out[f"{ORIGINALS_DIR}/{Path(rel).name}"] = (root / rel).read_bytes()
        except OSError:
            continue
    return out


def source_texts(texts: dict[str, str], root: Path) -> bytes:
    """``sources.json`` of a release: for each source the original file's SHA-256 and the text the
    extractor read (what every offset in the graph indexes), so that any provenance link can be
    checked against the words, and the original against its digest."""
    import hashlib
    out = []
    for rel, text in sorted(texts.items()):
        try:
            digest = hashlib.sha256((root / rel).read_bytes()).hexdigest()
        except OSError:
            digest = None
        out.append({"file": rel, "format": Path(rel).suffix.lstrip("."), "sha256": digest, "text": text})
    return json.dumps(out, ensure_ascii=False, indent=1).encode("utf-8")
