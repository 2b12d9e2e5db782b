"""The curated registry: instruments, articles, bodies, meetings and known acts,
built from the tab-separated facts in ``data/registry``.

Every row says where its facts come from (``source``) and whether they are
confirmed (``status``: ``confirmed``, ``unconfirmed`` for the whole row, or
``unconfirmed: title, year`` for some fields). An unconfirmed value is loaded
as such (``mcl:unconfirmed`` or ``mcl:unconfirmedTitle``), never completed by
guess: a decision whose number is unknown (symbol ``MC-6``, status
``unconfirmed: number``) becomes an ``mcl:UnnumberedDecision`` without a
symbol. The ``note`` column is for the people who keep the facts and is not
published; values hold no ``?`` and no notes (``shapes/registry-labels.ttl``).
"""
from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad

from mclinks.errors import SourceError
from mclinks.identifiers import iri
from mclinks.issuer_table import body_of_series, instrument_of_prefix
from mclinks.numerals import roman_value
from mclinks.vocab import DCTERMS, MCL, RDFS, SKOS, A, date, integer, text

ACTIONS_FR = {
    "recalls": "rappelle", "aware": "conscient(e)", "notes": "note", "takes-note": "prend note",
    "welcomes": "se félicite", "reaffirms": "réaffirme", "requests": "prie", "invites": "invite",
    "decides": "décide", "adopts": "adopte", "encourages": "encourage", "urges": "exhorte",
    "emphasizes": "souligne", "acknowledges": "reconnaît", "other": "autre",
}
KINDS_FR = {"title": "titre", "preamble": "préambule", "operative": "dispositif", "subparagraph": "alinéa",
            "body": "corps", "heading": "intertitre", "footnote": "note de bas de page"}
CONDITIONS = {
    "subject-to-resources": ("subject to the availability of resources", "sous réserve de la disponibilité de ressources"),
    "within-available-resources": ("within available resources", "dans la limite des ressources disponibles"),
    "as-appropriate": ("as appropriate", "selon qu'il conviendra"),
}


Triple = tuple[NamedNode, NamedNode, "NamedNode | Literal"]


@dataclass(frozen=True)
class Description:
    """The triples that declare one resource, as terms (for the registry's quads) and as
    ``s p o`` in N-Triples form (for a source's N-Quads text, where the graph is added)."""

    triples: tuple[Triple, ...]
    text: tuple[str, ...]

    @classmethod
    def of(cls, triples: list[Triple]) -> Description:
        return cls(tuple(triples), tuple(f"{s} {p} {o}" for s, p, o in triples))


@lru_cache(maxsize=1 << 16)
def _node(base: str, kind: str, id_: str) -> NamedNode:
    """The term of an id, made once: every source resolves the same ids again (a pyoxigraph
    term is immutable and the IRI depends on the three strings alone, so it cannot go stale)."""
    return NamedNode(iri(base, kind, id_))


@dataclass
class Registry:
    """Ids known to the registry, by kind, and the quads that describe them."""

    base: str
    graph: NamedNode
    quads: list[Quad] = field(default_factory=list)
    known: dict[str, set[str]] = field(default_factory=dict)
    parent: Registry | None = None

    def scoped(self, graph: NamedNode, lines: list[str]) -> Registry:
        """A layer over this registry for one source: what it mints is written to ``lines`` as
        N-Quads in ``graph`` and known to this layer only, so no source sees another's resources
        and a source's graph does not depend on the order sources are built in."""
        return _SourceLayer(self.base, graph, [], {}, self, lines)

    def node(self, kind: str, id_: str) -> NamedNode:
        return _node(self.base, kind, id_)

    def add(self, s: NamedNode, p: NamedNode, o: object) -> None:
        self.quads.append(Quad(s, p, o, self.graph))  # type: ignore[arg-type]

    def describe(self, description: Description) -> None:
        """Add the triples of a declaration."""
        for s, p, o in description.triples:
            self.add(s, p, o)

    def knows(self, kind: str, id_: str) -> bool:
        return id_ in self.known.get(kind, ()) or (self.parent is not None and self.parent.knows(kind, id_))

    def declare(self, kind: str, id_: str) -> NamedNode:
        self.known.setdefault(kind, set()).add(id_)
        return self.node(kind, id_)


@dataclass
class _SourceLayer(Registry):
    """``Registry.scoped``: a source's mints go straight into its N-Quads text, as the graph
    stage writes it (a pyoxigraph ``Quad`` per minted triple, serialised at the end, cost
    four times the line). A term's ``str`` is its N-Triples form, the serialiser's own."""

    lines: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._tail = f" {self.graph} .\n"

    def add(self, s: NamedNode, p: NamedNode, o: object) -> None:
        self.lines.append(f"{s} {p} {o}{self._tail}")

    def describe(self, description: Description) -> None:
        """The declaration's lines from its text, made once for every source that mints it."""
        self.lines.append(self._tail.join(description.text) + self._tail)


ROW_FACTS = ("status", "source", "note")  # the columns every facts file ends with
_REGEX_COLUMNS = ("pattern",)  # topics.tsv: a '?' there is regular-expression syntax, not a doubt
_STATUS_RE = re.compile(r"confirmed|unconfirmed(?::\s*([a-z_]+(?:\s*,\s*[a-z_]+)*))?")


def _status(path: Path, line: int, row: dict[str, str]) -> frozenset[str]:
    """The fields a row does not confirm ('*': all of them); a clear error for a status or a
    source that is missing or malformed, or a '?' left in a value."""
    m = _STATUS_RE.fullmatch(row["status"])
    if m is None:
        raise SourceError(f"status {row['status']!r}: write 'confirmed', 'unconfirmed', or 'unconfirmed: FIELD, …' "
                          f"naming columns of this file", file=str(path), line=line)
    if not row["source"]:
        raise SourceError("no source: say where the facts of this row come from", file=str(path), line=line)
    for key, value in row.items():
        if key not in ROW_FACTS + _REGEX_COLUMNS and "?" in value:
            raise SourceError(f"'?' in {key} {value!r}: mark the value in 'status' (unconfirmed: {key}) instead",
                              file=str(path), line=line)
    if row["status"] == "confirmed":
        return frozenset()
    fields = frozenset(f.strip() for f in (m.group(1) or "*").split(","))
    unknown = fields - set(row) - {"*", "number"}
    if unknown:
        raise SourceError(f"status names {', '.join(sorted(unknown))}, which {'is' if len(unknown) == 1 else 'are'} "
                          f"not a column of this file", file=str(path), line=line)
    return fields


def _rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, row) with the row's unconfirmed fields under the key ``unconfirmed`` (as a string set)."""
    try:
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
            missing = [c for c in ROW_FACTS if c not in (reader.fieldnames or ())]
            if missing:
                raise SourceError(f"no {', '.join(missing)} column: every facts file ends with status, source and note",
                                  file=str(path), line=1)
            for i, row in enumerate(reader, start=2):
                if None in row or any(v is None for v in row.values()):
                    raise SourceError("wrong number of columns", file=str(path), line=i)
                clean = {k: (v or "").strip() for k, v in row.items()}
                yield i, {**clean, "unconfirmed": _status(path, i, clean)}  # type: ignore[dict-item]
    except (OSError, UnicodeDecodeError) as e:
        raise SourceError(f"cannot read registry facts: {e}", file=str(path)) from None


def _unconfirmed(row: dict[str, str], key: str) -> bool:
    fields = row["unconfirmed"]
    return key in fields or "*" in fields


def _title(reg: Registry, node: NamedNode, title: str, unconfirmed: bool, lang: str = "en") -> None:
    """A confirmed title, or an unconfirmed one (a subject, when no title is known)."""
    if title:
        reg.add(node, MCL.unconfirmedTitle if unconfirmed else DCTERMS.title, text(title, lang))


FACT_LANGUAGES = ("en", "fr")  # the facts files give names in these languages: COLUMN_en, COLUMN_fr


def _per_language(reg: Registry, node: NamedNode, predicate: NamedNode, row: dict[str, str], column: str) -> None:
    for lang in FACT_LANGUAGES:
        reg.add(node, predicate, text(row[f"{column}_{lang}"], lang))


def _instruments(reg: Registry, path: Path) -> None:
    for _, row in _rows(path):
        node = reg.declare("instrument", row["id"])
        reg.add(node, A, MCL[row["class"]])
        _per_language(reg, node, DCTERMS.title, row, "title")
        _per_language(reg, node, RDFS.label, row, "short")
        reg.add(node, MCL.symbol, text(row["id"]))
        if row["adopted"]:
            reg.add(node, DCTERMS.issued, date(row["adopted"]))


def _articles(reg: Registry, path: Path) -> None:
    minamata = reg.node("instrument", "minamata")
    for line, row in _rows(path):
        number, title = row["number"], row["title_en"]
        if m := re.fullmatch(r"Annex ([A-E])", number):
            node = reg.declare("article", f"minamata/annex{m.group(1)}")
            reg.add(node, A, MCL.Annex)
            reg.add(node, MCL.number, text(m.group(1)))
            reg.add(node, RDFS.label, text(f"Annex {m.group(1)} to the Minamata Convention", "en"))
            reg.add(node, RDFS.label, text(f"Annexe {m.group(1)} de la Convention de Minamata", "fr"))
        elif number.isdigit():
            node = reg.declare("article", f"minamata/art{int(number)}")
            reg.add(node, A, MCL.Article)
            reg.add(node, MCL.number, text(number))
            reg.add(node, RDFS.label, text(f"Article {int(number)} of the Minamata Convention", "en"))
            reg.add(node, RDFS.label, text(f"Article {int(number)} de la Convention de Minamata", "fr"))
        else:
            raise SourceError(f"article number {number!r} is neither 1-35 nor 'Annex A'-'Annex E'", file=str(path), line=line)
        reg.add(node, MCL.partOf, minamata)
        _title(reg, node, title, _unconfirmed(row, "title_en"))


def _bodies(reg: Registry, path: Path) -> None:
    for _, row in _rows(path):
        node = reg.declare("body", row["id"])
        reg.add(node, A, MCL[row["class"]])
        _per_language(reg, node, RDFS.label, row, "label")
        if row["instrument"]:
            reg.add(node, MCL.underInstrument, reg.node("instrument", row["instrument"]))
        if row["part_of"]:
            reg.add(node, MCL.partOf, reg.node("body", row["part_of"]))


def meeting_label(meeting_id: str) -> tuple[str, str]:
    """English and French labels of a meeting id: 'MC-COP-2' → 'Second meeting of …'."""
    m = re.fullmatch(r"(.+?)-(\d+)", meeting_id)
    if not m:
        return meeting_id, meeting_id
    prefix, n = m.group(1), int(m.group(2))
    names = {
        "MC-COP": ("Conference of the Parties to the Minamata Convention", "Conférence des Parties à la Convention de Minamata", "meeting", "réunion"),
        "BC-COP": ("Conference of the Parties to the Basel Convention", "Conférence des Parties à la Convention de Bâle", "meeting", "réunion"),
        "RC-COP": ("Conference of the Parties to the Rotterdam Convention", "Conférence des Parties à la Convention de Rotterdam", "meeting", "réunion"),
        "SC-COP": ("Conference of the Parties to the Stockholm Convention", "Conférence des Parties à la Convention de Stockholm", "meeting", "réunion"),
        "UNEA": ("United Nations Environment Assembly", "Assemblée des Nations Unies pour l'environnement", "session", "session"),
        "GC": ("UNEP Governing Council", "Conseil d'administration du PNUE", "session", "session"),
        "GC-SS": ("UNEP Governing Council (special session)", "Conseil d'administration du PNUE (session extraordinaire)", "special session", "session extraordinaire"),
        "MC-INC": ("Intergovernmental negotiating committee on mercury", "Comité intergouvernemental de négociation sur le mercure", "session", "session"),
        "BRS-EXCOP": ("Extraordinary meetings of the BRS Conferences of the Parties", "Réunions extraordinaires des Conférences des Parties BRS", "meeting", "réunion"),
    }
    en_body, fr_body, en_kind, fr_kind = names.get(prefix, (prefix, prefix, "meeting", "réunion"))
    return f"{en_body}, {en_kind} {n} ({meeting_id})", f"{fr_body}, {fr_kind} {n} ({meeting_id})"


def declare_meeting(reg: Registry, meeting_id: str, *, extracted: bool = False) -> NamedNode:
    """Type, number, body and labels of a meeting id (used for extracted meetings too)."""
    node = reg.declare("meeting", meeting_id)
    reg.describe(_meeting(reg.base, meeting_id))
    return node


@lru_cache(maxsize=1 << 14)
def _meeting(base: str, meeting_id: str) -> Description:
    """``declare_meeting``'s triples, made once: each source that cites a meeting the registry
    lacks mints it again. They depend on the arguments and on the issuers table alone, which
    is read once per process, so an entry cannot go stale."""
    node = _node(base, "meeting", meeting_id)
    m = re.fullmatch(r"(.+?)-(\d+)", meeting_id)
    triples: list[Triple] = [(node, A, MCL.Meeting), (node, MCL.symbol, text(meeting_id))]
    if m:
        prefix = m.group(1)
        triples.append((node, MCL.meetingNumber, integer(int(m.group(2)))))
        body = body_of_series().get(prefix)
        if body:
            triples.append((node, MCL.meetingOf, _node(base, "body", body)))
        inst = instrument_of_prefix().get(prefix.split("-")[0])
        if inst:
            triples.append((node, MCL.underInstrument, _node(base, "instrument", inst)))
    en, fr = meeting_label(meeting_id)
    triples += [(node, RDFS.label, text(en, "en")), (node, RDFS.label, text(fr, "fr"))]
    return Description.of(triples)


def _meeting_ids(body: str, meeting: str, number: str) -> list[str]:
    """Registry meeting ids a facts row stands for (a row may stand for three BRS COPs)."""
    if m := re.match(r"\d{4} COPs \(BC COP-(\d+), RC COP-(\d+), SC COP-(\d+)\)", meeting):
        return [f"BC-COP-{m.group(1)}", f"RC-COP-{m.group(2)}", f"SC-COP-{m.group(3)}"]
    if m := re.match(r"(BC|RC|SC) COP-(\d+)", meeting):
        return [f"{m.group(1)}-COP-{int(m.group(2))}"]
    if body == "Minamata COP" and (m := re.match(r"COP-(\d+)", meeting)):
        return [f"MC-COP-{int(m.group(1))}"]
    if m := re.match(r"INC(\d+)", meeting):
        return [f"MC-INC-{int(m.group(1))}"]
    if m := re.match(r"ExCOPs-(\d+)", meeting):
        return [f"BRS-EXCOP-{int(m.group(1))}"]
    if m := re.match(r"GC-SS-(\d+)", meeting):
        return [f"GC-SS-{int(m.group(1))}"]
    if m := re.match(r"(UNEA|GC)-(\d+)", meeting):
        return [f"{m.group(1)}-{int(m.group(2))}"]
    if meeting == "Diplomatic Conference":
        return ["MC-DIPCON"]
    if meeting == "Preparatory meeting":
        return ["MC-DIPCON-PREP"]
    if "UNEP@50" in meeting:
        return ["UNEA-SS-UNEP50"]
    return []


def _meetings(reg: Registry, path: Path) -> None:
    # A meeting held in segments (COP-4.1 online, COP-4.2 in Bali) spans its first start to its last end.
    first_day: dict[str, str] = {}
    last_day: dict[str, str] = {}
    for line, row in _rows(path):
        ids = _meeting_ids(row["body"], row["meeting"], row["number"])
        if not ids:
            raise SourceError(f"cannot tell which meeting {row['meeting']!r} is", file=str(path), line=line)
        for mid in ids:
            node = declare_meeting(reg, mid) if not reg.knows("meeting", mid) else reg.node("meeting", mid)
            if "(" in row["meeting"] and "segment" in row["meeting"] or "." in row["meeting"]:
                reg.add(node, SKOS.note, text(f"segment: {row['meeting']}, {row['start_date']} to {row['end_date']}, {row['place']}", "en"))
            for key, days, pick in (("start_date", first_day, min), ("end_date", last_day, max)):
                value = row[key]
                if value and _unconfirmed(row, key):
                    reg.add(node, MCL.unconfirmed, text(f"{key}: {value}"))
                elif value:
                    days[mid] = pick(days.get(mid, value), value)
            if row["place"] and _unconfirmed(row, "place"):
                reg.add(node, MCL.unconfirmed, text(f"place: {row['place']}"))
            elif row["place"]:
                reg.add(node, MCL.place, text(row["place"]))
    for days, prop in ((first_day, MCL.startDate), (last_day, MCL.endDate)):
        for mid, day in days.items():
            reg.add(reg.node("meeting", mid), prop, date(day))


def declare_act(reg: Registry, kind: str, symbol: str, meeting: str | None) -> NamedNode:
    """Type, symbol, instrument and adopting meeting of a decision or resolution."""
    node = reg.declare(kind, symbol)
    reg.describe(_act(reg.base, kind, symbol, meeting))
    return node


@lru_cache(maxsize=1 << 14)
def _act(base: str, kind: str, symbol: str, meeting: str | None) -> Description:
    """``declare_act``'s triples, made once (as ``_meeting``'s, and as safe to keep)."""
    node = _node(base, kind, symbol)
    triples: list[Triple] = [
        (node, A, MCL.Decision if kind == "decision" else MCL.Resolution),
        (node, MCL.symbol, text(symbol)),
        (node, RDFS.label, text(f"{'Decision' if kind == 'decision' else 'Resolution'} {symbol}", "en")),
        (node, RDFS.label, text(f"{'Décision' if kind == 'decision' else 'Résolution'} {symbol}", "fr")),
    ]
    inst = instrument_of_prefix().get(symbol.split("-")[0])
    if inst:
        triples.append((node, MCL.underInstrument, _node(base, "instrument", inst)))
    if meeting:
        triples.append((node, MCL.adoptedAt, _node(base, "meeting", meeting)))
    return Description.of(triples)


def declare_document(reg: Registry, symbol: str) -> NamedNode:
    """Type, symbol and label of a meeting document."""
    node = reg.declare("document", symbol)
    reg.describe(_document(reg.base, symbol))
    return node


@lru_cache(maxsize=1 << 14)
def _document(base: str, symbol: str) -> Description:
    """``declare_document``'s triples, made once (as ``_meeting``'s, and as safe to keep)."""
    node = _node(base, "document", symbol)
    return Description.of([(node, A, MCL.Document), (node, MCL.symbol, text(symbol)),
                           (node, RDFS.label, text(f"Document {symbol}", "en"))])


def _unnumbered(reg: Registry, meeting: str, subject: str, year: str, row: dict[str, str], title_key: str) -> None:
    key = re.sub(r"\W+", "-", subject.lower()).strip("-")[:48]
    node = NamedNode(iri(reg.base, "unnumbered", f"{meeting}/{key}"))
    reg.add(node, A, MCL.UnnumberedDecision)
    reg.add(node, MCL.adoptedAt, reg.node("meeting", meeting))
    reg.add(node, RDFS.label, text(f"Decision of {meeting}, number unconfirmed", "en"))
    reg.add(node, RDFS.label, text(f"Décision de {meeting}, numéro non confirmé", "fr"))
    _title(reg, node, subject, _unconfirmed(row, title_key))
    if year and _unconfirmed(row, "year"):
        reg.add(node, MCL.unconfirmed, text(f"year: {year}"))
    elif year:
        reg.add(node, DCTERMS.issued, text(year))


def _minamata_decisions(reg: Registry, path: Path) -> None:
    for line, row in _rows(path):
        meeting = f"MC-{row['meeting']}" if row["meeting"].startswith("COP-") else None
        if meeting is None:
            raise SourceError(f"meeting {row['meeting']!r} is not 'COP-n'", file=str(path), line=line)
        if m := re.fullmatch(r"MC-(\d+)/(\d+)", row["symbol"]):
            node = declare_act(reg, "decision", f"MC-{int(m.group(1))}/{int(m.group(2))}", meeting)
            _title(reg, node, row["title_en"], _unconfirmed(row, "title_en"))
            if row["year"] and _unconfirmed(row, "year"):
                reg.add(node, MCL.unconfirmed, text(f"year: {row['year']}"))
            elif row["year"]:
                reg.add(node, DCTERMS.issued, text(row["year"]))
        elif re.fullmatch(r"MC-\d+", row["symbol"]) and _unconfirmed(row, "number"):
            _unnumbered(reg, meeting, row["title_en"], row["year"], row, "title_en")
        else:
            raise SourceError(f"symbol {row['symbol']!r} does not parse as MC-n/m", file=str(path), line=line)


def _other_symbol(raw: str, body: str) -> tuple[str, str, str | None] | None:
    """(kind, id, meeting) for a symbol as the facts write it; None for an unnumbered one."""
    s = raw.strip()
    if m := re.fullmatch(r"UNEA (\d+)/(\d+)", s):
        return "resolution", f"UNEA-{m.group(1)}/{m.group(2)}", f"UNEA-{m.group(1)}"
    if m := re.fullmatch(r"GC (\d+)/(\d+)", s):
        return "decision", f"GC-{m.group(1)}/{m.group(2)}", f"GC-{m.group(1)}"
    if m := re.fullmatch(r"GC SS\.([IVXL]+)/(\d+)", s):
        n = roman_value(m.group(1))
        return "decision", f"GC-SS.{n}/{m.group(2)}", f"GC-SS-{n}"
    if m := re.fullmatch(r"(BC|RC|SC)-(\d+)/(\d+)", s):
        return "decision", s, f"{m.group(1)}-COP-{m.group(2)}"
    if m := re.fullmatch(r"([IVXL]+)/(\d+)", s):
        prefix = {"Basel": "BC", "Rotterdam": "RC", "Stockholm": "SC"}.get(body.split()[0].split("/")[0], "BC")
        n = roman_value(m.group(1))
        return "decision", f"{prefix}-{n}/{m.group(2)}", f"{prefix}-COP-{n}"
    if m := re.fullmatch(r"ICCM(\d+) ([IVXL]+)/(\d+)", s):
        return "resolution", f"ICCM-{m.group(1)}/{m.group(3)}", None
    if m := re.fullmatch(r"(?:GA |A/RES/)(\d+)/(\d+)", s):
        return "resolution", f"A/RES/{m.group(1)}/{m.group(2)}", None
    if "/" in s and re.match(r"UNEP", s):
        return "document", s, None
    return None


def _other_instruments(reg: Registry, path: Path) -> None:
    for line, row in _rows(path):
        symbols = [s.strip() for s in row["symbol"].split(" / ")]
        bodies = [b.strip() for b in row["body"].split("/")]
        years = row["year"].split("/")
        for i, raw in enumerate(symbols):
            body = bodies[i] if len(bodies) == len(symbols) else bodies[0]
            year = years[i] if len(years) == len(symbols) else row["year"]
            if "/" not in raw and _unconfirmed(row, "number"):
                if m := re.fullmatch(r"(BC|RC|SC)-(\d+)", raw):
                    meeting = f"{m.group(1)}-COP-{m.group(2)}"
                elif m := re.fullmatch(r"GC SS\.([IVXL]+)", raw):
                    meeting = f"GC-SS-{roman_value(m.group(1))}"
                else:
                    raise SourceError(f"cannot tell the meeting of {raw!r}", file=str(path), line=line)
                if not reg.knows("meeting", meeting):
                    declare_meeting(reg, meeting)
                _unnumbered(reg, meeting, row["title"], year, row, "title")
                continue
            parsed = _other_symbol(raw, body)
            if parsed is None:
                raise SourceError(f"symbol {raw!r} does not parse", file=str(path), line=line)
            kind, id_, meeting = parsed
            if meeting and not reg.knows("meeting", meeting):
                declare_meeting(reg, meeting)
            if kind == "document":
                node = declare_document(reg, id_)
            else:
                node = declare_act(reg, kind, id_, meeting)
            if _unconfirmed(row, "symbol"):
                reg.add(node, MCL.unconfirmed, text(f"symbol: {raw}"))
            _title(reg, node, row["title"], _unconfirmed(row, "title"))
            if year and _unconfirmed(row, "year"):
                reg.add(node, MCL.unconfirmed, text(f"year: {year}"))
            elif year:
                reg.add(node, DCTERMS.issued, text(year))


def _concepts(reg: Registry, path: Path) -> None:
    """The closed lists as SKOS: paragraph kinds, actions, conditions, topics."""
    from mclinks.model import ACTIONS, PARAGRAPH_KINDS
    for scheme, prefix, items in (
        (MCL.ParagraphKinds, "kind", {k: (k, KINDS_FR[k]) for k in PARAGRAPH_KINDS}),
        (MCL.Actions, "action", {k: (k.replace("-", " "), ACTIONS_FR[k]) for k in ACTIONS}),
        (MCL.Conditions, "condition", CONDITIONS),
    ):
        for key, (en, fr) in items.items():
            node = MCL[f"{prefix}-{key}"]
            reg.add(node, A, SKOS.Concept)
            reg.add(node, SKOS.inScheme, scheme)
            reg.add(node, SKOS.notation, text(key))
            reg.add(node, SKOS.prefLabel, text(en, "en"))
            reg.add(node, SKOS.prefLabel, text(fr, "fr"))
    for _, row in _rows(path):
        node = MCL[f"topic-{row['id']}"]
        reg.add(node, A, MCL.Topic)
        reg.add(node, SKOS.inScheme, MCL.Topics)
        reg.add(node, SKOS.notation, text(row["id"]))
        reg.add(node, SKOS.prefLabel, text(row["label_en"], "en"))
        reg.add(node, SKOS.prefLabel, text(row["label_fr"], "fr"))


def topic_patterns(registry_dir: Path) -> list[tuple[str, str]]:
    """(topic id, folded-text pattern) from ``topics.tsv``."""
    return [(row["id"], row["pattern"]) for _, row in _rows(registry_dir / "topics.tsv")]


def load_registry(registry_dir: Path, base: str) -> Registry:
    """The registry graph from the facts files; raises ``SourceError`` naming file and line."""
    reg = Registry(base=base, graph=NamedNode(iri(base, "graph", "registry")))
    _instruments(reg, registry_dir / "instruments.tsv")
    _bodies(reg, registry_dir / "bodies.tsv")
    _articles(reg, registry_dir / "minamata_articles.tsv")
    _meetings(reg, registry_dir / "meetings.tsv")
    _minamata_decisions(reg, registry_dir / "minamata_decisions.tsv")
    _other_instruments(reg, registry_dir / "other_instruments.tsv")
    _concepts(reg, registry_dir / "topics.tsv")
    return reg
