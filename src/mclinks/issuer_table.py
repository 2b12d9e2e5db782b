"""The table of issuing bodies (``data/issuers.json``): who issues acts and holds
meetings, how each series is written and what id it normalises to.

It sits below every stage because more than recognisers need it: ``identifiers``
derives the grammar of act and meeting ids from the same rows.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from mclinks.config import Settings
from mclinks.errors import SourceError
from mclinks.numerals import number_value


@dataclass(frozen=True, slots=True)
class SymbolTemplate:
    """How one series of acts (or meetings) is written, and its normalised id."""

    issuer: str
    kind: str  # decision | resolution | meeting
    template: str
    id: str
    bare: bool = False
    last_session: int | None = None
    examples: tuple[tuple[str, str], ...] = ()
    meeting: str | None = None  # the adopting meeting's id template, when not the issuer's first series

    def normalise(self, groups: dict[str, str | None]) -> tuple[str, int] | None:
        """The id for matched fields, and the session number; None for a malformed numeral."""
        raw = groups.get("n") or groups.get("R")
        session = number_value(raw.upper()) if raw else None
        if session is None or session == 0:
            return None
        if self.last_session is not None and session > self.last_session:
            return None
        item = groups.get("d")
        return self.id.format(n=session, d=int(item) if item else ""), session


@dataclass(frozen=True, slots=True)
class MeetingSeries:
    issuer: str
    series: str
    id: str
    words: tuple[str, ...]
    symbols: tuple[SymbolTemplate, ...]
    body: str | None = None  # the registry body that meets, when not the issuer's ('minamata-inc')

    def meeting_id(self, number: int | None) -> str:
        return self.id.format(n=number) if "{n}" in self.id else self.id


@dataclass(frozen=True, slots=True)
class Issuer:
    prefix: str
    body: str
    instrument: str | None
    names: dict[str, tuple[str, ...]]
    symbols: tuple[SymbolTemplate, ...]
    meetings: tuple[MeetingSeries, ...]
    documents: tuple[tuple[str, tuple[str, ...]], ...]
    registry_body: str | None
    last_session: int | None
    first_year: int | None


def _symbol(prefix: str, row: dict, kind: str | None = None, id_: str | None = None) -> SymbolTemplate:  # type: ignore[type-arg]
    return SymbolTemplate(prefix, kind or row["kind"], row["template"], id_ or row["id"], bool(row.get("bare")),
                          row.get("last_session"), tuple((a, b) for a, b in row.get("examples", [])), row.get("meeting"))


def _issuer(row: dict) -> Issuer:  # type: ignore[type-arg]
    prefix = row["prefix"]
    meetings = tuple(
        MeetingSeries(prefix, m["series"], m["id"], tuple(m["words"]),
                      tuple(_symbol(prefix, s, "meeting", m["id"]) for s in m.get("symbols", [])), m.get("body"))
        for m in row.get("meetings", [])
    )
    return Issuer(
        prefix=prefix, body=row["body"], instrument=row.get("instrument"),
        names={lang: tuple(v) for lang, v in row["names"].items()},
        symbols=tuple(_symbol(prefix, s) for s in row.get("symbols", [])),
        meetings=meetings,
        documents=tuple((d["template"], tuple(d["examples"])) for d in row.get("documents", [])),
        registry_body=row.get("registry_body"), last_session=row.get("last_session"),
        first_year=row.get("first_year"),
    )


def load(path: Path) -> tuple[Issuer, ...]:
    """The table at ``path``; a clear error naming the file when it cannot be read."""
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))["issuers"]
        return tuple(_issuer(r) for r in rows)
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise SourceError(f"cannot read the issuers table: {e}", file=str(path)) from e


@lru_cache(maxsize=1)
def issuers() -> tuple[Issuer, ...]:
    return load(Settings().issuers_file)


@lru_cache(maxsize=1)
def by_prefix() -> dict[str, Issuer]:
    return {i.prefix: i for i in issuers()}


@lru_cache(maxsize=1)
def instrument_of_prefix() -> dict[str, str]:
    """The instrument a convention COP's acts and meetings fall under: 'BC' → 'basel'."""
    return {i.prefix: i.instrument for i in issuers() if i.instrument and i.body.endswith("-cop")}


@lru_cache(maxsize=1)
def body_of_series() -> dict[str, str]:
    """The body that holds each numbered meeting series, by the id's prefix: 'MC-INC' → 'minamata-inc'."""
    return {s.id.removesuffix("-{n}"): s.body or i.body for i in issuers() for s in i.meetings if s.id.endswith("-{n}")}
