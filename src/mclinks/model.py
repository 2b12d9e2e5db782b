"""Frozen records passed between pipeline stages, each with its JSON form.

Offsets are Python string indices into the source text as read in UTF-8
with universal newlines; ``start`` inclusive, ``end`` exclusive.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mclinks.identifiers import slug_for_source

PARAGRAPH_KINDS = ("title", "preamble", "operative", "subparagraph", "body", "heading", "footnote")
ACTIONS = (
    "recalls", "aware", "notes", "takes-note", "welcomes", "reaffirms", "requests", "invites",
    "decides", "adopts", "encourages", "urges", "emphasizes", "acknowledges", "other",
)
MANDATE_ACTIONS = frozenset({"requests", "invites", "urges", "encourages"})  # what gives an addressee a mandate
ACT_PARAGRAPH_KINDS = ("preamble", "operative", "subparagraph")  # paragraphs that are the act speaking


@dataclass(frozen=True, slots=True)
class Reference:
    """A citation or mention found in the text, normalised to a registry id."""

    kind: str
    id: str
    start: int
    end: int
    text: str
    part: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "id": self.id}
        if self.part:
            out["part"] = self.part
        out.update(start=self.start, end=self.end, text=self.text)
        return out


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One segment of a source: title, preamble, operative paragraph, footnote…"""

    start: int
    end: int
    kind: str
    number: str | None = None
    actions: tuple[str, ...] = ()
    addressees: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    deadline: str | None = None
    parent: int | None = None  # index of the enclosing operative paragraph, for sub-paragraphs
    topics: tuple[str, ...] = ()  # the registry's topics this paragraph is about
    # (answering, answered) indices into the extraction's references: "in response to …"
    responses: tuple[tuple[int, int], ...] = ()

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"start": self.start, "end": self.end, "kind": self.kind}
        if self.number is not None:
            out["number"] = self.number
        if self.kind in ACT_PARAGRAPH_KINDS:
            out["actions"] = list(self.actions)
            out["addressees"] = list(self.addressees)
            out["conditions"] = list(self.conditions)
            out["deadline"] = self.deadline
        if self.parent is not None:
            out["parent"] = self.parent
        if self.topics:
            out["topics"] = list(self.topics)
        if self.responses:
            out["responses"] = [list(pair) for pair in self.responses]
        return out


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """What the metadata says about a source, filled in from the text where it is silent."""

    path: str
    symbol: str | None
    kind: str
    language: str
    instrument: str | None
    body: str | None
    meeting: str | None
    date: str | None = None
    title: dict[str, str] = field(default_factory=dict)
    source_url: str | None = None
    excerpt: bool = False  # the text is part of a longer original (said on its pages)

    @property
    def identifier(self) -> str:
        """Stable id: the symbol when known, else one derived from the file name."""
        return slug_for_source(self)

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path, "symbol": self.symbol, "kind": self.kind,
            "language": self.language, "instrument": self.instrument, "body": self.body,
            "meeting": self.meeting, "date": self.date, "title": dict(self.title),
            "source": self.source_url, "excerpt": self.excerpt,
        }


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything extracted from one source, in the BRIEF's JSON contract."""

    source: SourceInfo
    paragraphs: tuple[Paragraph, ...]
    references: tuple[Reference, ...]
    # Citations whose every candidate id failed the validity checks (a session that cannot
    # exist by the source's date): reported, never published. ``id`` is the first candidate.
    unresolved: tuple[Reference, ...] = ()

    def to_json(self) -> dict[str, Any]:
        out = {
            "text": self.source.path,
            "symbol": self.source.symbol,
            "language": self.source.language,
            "paragraphs": [p.to_json() for p in self.paragraphs],
            "references": [r.to_json() for r in self.references],
        }
        if self.unresolved:
            out["unresolved"] = [r.to_json() for r in self.unresolved]
        return out


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A data problem with its location: reported, never raised. One type for every stage's
    problems: a reference that resolves to nothing, metadata to fix, a SHACL result."""

    severity: str  # "error" | "violation" (a SHACL shape's) | "warning" | "info"
    message: str
    file: str | None = None  # the source the words are in, relative to the project
    start: int | None = None  # offsets of those words in the file's text
    end: int | None = None
    focus: str | None = None  # the resource the problem is about (an IRI of ours)
    rule: str | None = None  # which check found it: a shape's rule, "resolve", …
    value: str | None = None  # the offending value (SHACL's sh:value)
    shape: str | None = None  # the SHACL shape, when a shape found it

    def to_json(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in _DIAGNOSTIC_FIELDS}

    def as_line(self) -> str:
        """How it prints: 'violation: data/sources/x.txt:10-20: message [rule]'.

        >>> Diagnostic("warning", "no symbol", file="a.txt", rule="decision-without-symbol").as_line()
        'warning: a.txt: no symbol [decision-without-symbol]'
        """
        where = ""
        if self.file:
            where = f"{self.file}:{self.start}-{self.end}: " if self.start is not None else f"{self.file}: "
        return f"{self.severity}: {where}{self.message}" + (f" [{self.rule}]" if self.rule else "")

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Diagnostic:
        """The inverse of ``to_json`` (keys it does not know are an error)."""
        return cls(**data)


_DIAGNOSTIC_FIELDS = ("severity", "message", "file", "start", "end", "focus", "rule", "value", "shape")
