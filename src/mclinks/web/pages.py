"""Linked-data pages: what the graph says about one resource, for people.

Used by the server (links to ``/id/…``, which 303 to documents) and by the
static site (links straight to ``doc/….html``); ``Linker`` makes the
difference.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, select_autoescape
from pyoxigraph import Literal, NamedNode, RdfFormat, Store, Variable

from mclinks.store.endpoint import EmbeddedEndpoint
from mclinks.text.clean import artefact_spans
from mclinks.ui import translator
from mclinks.vocab import ACT_CLASSES, PREFIXES

TEMPLATES = Environment(loader=PackageLoader("mclinks", "templates"), autoescape=select_autoescape(["html", "svg"]))
TEMPLATES.globals.update(t=translator("en"), ui_lang="en")
MCL = PREFIXES["mcl"]
ONTOLOGY_IRI = MCL.rstrip("#")
RDF_TYPE = PREFIXES["rdf"] + "type"
RDFS_LABEL = PREFIXES["rdfs"] + "label"
_SELECT = re.compile(r"SELECT(?:\s+DISTINCT)?", re.I)


@dataclass(frozen=True)
class Linker:
    """Where an IRI of ours links to: a server path or a static file."""

    base: str
    static: bool = False
    prefix: str = ""

    def href(self, iri: str) -> str:
        if iri.startswith(ONTOLOGY_IRI):  # terms of our ontology: its documentation page
            page = "ontology.html" if self.static else "ontology"
            return f"{self.home}{page}" + (f"#{iri[len(ONTOLOGY_IRI) + 1:]}" if iri.startswith(MCL) else "")
        if iri.startswith(self.base + "/id/"):
            path = iri[len(self.base) + len("/id/"):]
            if self.static:
                return f"{self.prefix}/doc/{path}.html" if self.prefix else f"doc/{path}.html"
            return f"/id/{path}"
        return iri

    @property
    def home(self) -> str:
        """The site's root as this page reaches it ("/" on a server, "../../" deep in a static site)."""
        if not self.static:
            return "/"
        return f"{self.prefix}/" if self.prefix else ""

    def original(self, name: str) -> str:
        """Where the original file ``name`` of a source is downloaded."""
        return f"{self.home}original/{quote(name)}"

    def for_depth(self, depth: int) -> "Linker":
        """The linker of a static page ``depth`` folders below the site's root (relative links)."""
        return Linker(self.base, self.static, "/".join([".."] * depth)) if self.static else self

    def ours(self, iri: str) -> bool:
        return iri.startswith(self.base + "/")


DCTERMS = PREFIXES["dcterms"]
# Shown in a page's own sections, or structure no reader needs as a property row.
_SHOWN_ELSEWHERE = {MCL + "paragraph", MCL + "citation", RDFS_LABEL, PREFIXES["rdf"] + "value", MCL + "text",
                    MCL + "citingAct", MCL + "respondsTo", MCL + "startOffset", MCL + "endOffset", MCL + "order"}
_NOT_INCOMING = {MCL + "inText", MCL + "target", MCL + "paragraph", MCL + "ofAct", RDF_TYPE, MCL + "citingAct",
                 MCL + "respondsTo", MCL + "states", MCL + "citation"} 


def natural_key(text: str) -> tuple[object, ...]:
    """Sort key that puts MC-1/2 before MC-1/10.

    >>> sorted(["MC-1/10", "MC-1/2", "BC-9/1"], key=natural_key)
    ['BC-9/1', 'MC-1/2', 'MC-1/10']
    """
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", text) if part)


def _action(term: object) -> str:
    value = getattr(term, "value", None)
    return value.rsplit("#action-", 1)[-1] if value else "cites"


def _lang(term: object) -> str | None:
    """A language code from a literal ("fr") or a language IRI (…/fr, …/FRA)."""
    value = getattr(term, "value", None)
    if not value:
        return None
    code = value.rstrip("/").rsplit("/", 1)[-1].lower()
    return {"fra": "fr", "eng": "en", "spa": "es", "ara": "ar", "zho": "zh", "rus": "ru"}.get(code, code)


def _display(text: str) -> str:
    """Text for readers: Word export markers ([footnoteRef:3], [bookmark: …]) taken out."""
    out, pos = [], 0
    for start, end in artefact_spans(text):
        out.append(text[pos:start])
        pos = end
    out.append(text[pos:])
    return "".join(out)


_FOOTNOTE_REF = re.compile(r"\[(?:footnote|endnote)Ref:\s*(\d+)\]")
_FOOTNOTE_BODY = re.compile(r"\s*\[(\d+):")


def _display_html(text: str) -> str:
    """Escaped text for a page: footnote markers become links to their footnotes, other
    Word markers are dropped."""
    out, pos = [], 0
    for start, end in artefact_spans(text):
        out.append(html.escape(text[pos:start]))
        if m := _FOOTNOTE_REF.fullmatch(text, start, end):
            out.append(f'<sup class="fn"><a href="#fn-{m.group(1)}">{m.group(1)}</a></sup>')
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)


def footnote_anchor(text: str) -> str | None:
    """``fn-3`` for a footnote paragraph written "[3: …]" by a Word export."""
    m = _FOOTNOTE_BODY.match(text)
    return f"fn-{m.group(1)}" if m else None


def _term(value: object) -> object:
    """A Python value as the RDF term it stands for: strings are IRIs (NamedNode checks them)."""
    return NamedNode(value) if isinstance(value, str) else value


def curie(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


@dataclass
class Value:
    text: str
    href: str | None = None
    lang: str | None = None


@dataclass
class PageData:
    iri: str
    label: str
    types: list[Value]
    properties: list[tuple[str, list[Value]]]
    incoming: list[tuple[str, Value]] = field(default_factory=list)
    paragraphs: list[dict[str, object]] = field(default_factory=list)
    text: str | None = None
    citations: list[dict[str, object]] = field(default_factory=list)
    lineage_svg: str | None = None
    cited_by: list[dict[str, object]] = field(default_factory=list)  # grouped by citing act
    cites: list[tuple[str, list[dict[str, object]]]] = field(default_factory=list)  # grouped by action
    answered_by: list[Value] = field(default_factory=list)
    lang: str | None = None
    sources: list[dict[str, object]] = field(default_factory=list)  # the files its texts were read from

    @property
    def languages(self) -> list[str]:
        return sorted({str(p["lang"]) for p in self.paragraphs if p.get("lang")})

    def parallel(self) -> list[dict[str, dict[str, object]]]:
        """Paragraphs side by side when the act has texts in several languages: the n-th
        paragraph of each kind in one row, so a translation's preamble meets the original's."""
        columns: dict[str, dict[str, list[dict[str, object]]]] = {}
        for p in self.paragraphs:
            columns.setdefault(str(p.get("lang")), {}).setdefault(str(p["kind"]), []).append(p)
        rows: list[dict[str, dict[str, object]]] = []
        for kind in dict.fromkeys(str(p["kind"]) for p in self.paragraphs):
            depth = max(len(col.get(kind, [])) for col in columns.values())
            for i in range(depth):
                rows.append({lang: col[kind][i] for lang, col in columns.items() if i < len(col.get(kind, []))})
        return rows


class PageMaker:
    """Reads a store and renders resource, index, ontology and query pages."""

    def __init__(self, store: Store, base: str, linker: Linker, queries: dict | None = None, lang: str = "en") -> None:
        self.store = store
        self.base = base
        self.linker = linker
        self.queries = queries or {}
        self.lang = lang  # the interface's language: labels in it are preferred
        self._labels: dict[str, str] = {}

    def _render(self, template: str, **values: object) -> str:
        return TEMPLATES.get_template(template).render(home=self.linker.home, static=self.linker.static,
                                                  t=translator(self.lang), ui_lang=self.lang, **values)

    def _select(self, query: str, **terms: object) -> list[dict[str, object]]:
        """Rows of ``query`` with each keyword bound as an RDF term (never pasted into the text).

        The engine substitutes only projected variables, so the bound ones are projected too.
        """
        if terms:
            query = _SELECT.sub(lambda m: m.group() + "".join(f" ?{k}" for k in terms), query, count=1)
        result = self.store.query(query, use_default_graph_as_union=True,
                                  substitutions={Variable(k): _term(v) for k, v in terms.items()})  # type: ignore[arg-type]
        names = [v.value for v in result.variables]  # type: ignore[union-attr]
        return [{n: row[n] for n in names} for row in result]  # type: ignore[union-attr]

    def label(self, iri: str) -> str:
        if iri not in self._labels:
            rows = self._select(f"""SELECT ?l WHERE {{ ?this <{RDFS_LABEL}>|<{PREFIXES['skos']}prefLabel> ?l }}
                                   ORDER BY DESC(LANG(?l) = ?lang) DESC(LANG(?l) = "en") ?l LIMIT 1""", this=iri,
                                lang=Literal(self.lang))
            self._labels[iri] = rows[0]["l"].value if rows else iri.rsplit("/id/", 1)[-1].rsplit("#", 1)[-1]  # type: ignore[union-attr]
        return self._labels[iri]

    def _value(self, term: object) -> Value:
        if isinstance(term, NamedNode):
            href = self.linker.href(term.value)
            text = self.label(term.value) if self.linker.ours(term.value) or term.value.startswith(MCL) else curie(term.value)
            return Value(text, href)
        if isinstance(term, Literal):
            return Value(term.value, None, term.language)
        return Value(str(term))

    def exists(self, iri: str) -> bool:
        return bool(self.store.query("ASK { ?this ?p ?o }", use_default_graph_as_union=True,
                                     substitutions={Variable("this"): NamedNode(iri)}))

    def describe(self, iri: str) -> list:
        """The distinct triples about ``iri`` (its data representation)."""
        return sorted({q.triple for q in self.store.quads_for_pattern(NamedNode(iri), None, None, None)}, key=str)

    def data(self, iri: str, lineage_svg: str | None = None) -> PageData:
        props: dict[str, list[Value]] = {}
        types: list[Value] = []
        hidden = self._hidden_predicates()
        for row in self._select("SELECT DISTINCT ?p ?o WHERE { ?this ?p ?o } ORDER BY ?p ?o", this=iri):
            p, o = row["p"].value, row["o"]  # type: ignore[union-attr]
            if p == RDF_TYPE:
                types.append(self._value(o))
            elif p not in hidden:
                props.setdefault(self._predicate_label(p), []).append(self._value(o))
        incoming = [(self._predicate_label(r["p"].value), self._value(r["s"])) for r in self._select(  # type: ignore[union-attr]
            f"""SELECT DISTINCT ?s ?p WHERE {{ ?s ?p ?this .
                FILTER (?p NOT IN ({", ".join(f"<{p}>" for p in sorted(_NOT_INCOMING))})) }}
                ORDER BY ?p ?s LIMIT 300""", this=iri)]
        page = PageData(iri, self.label(iri), types, sorted(props.items()), incoming, lineage_svg=lineage_svg)
        page.paragraphs = self._paragraphs(iri)
        text_rows = self._select(f"""SELECT ?v ?lang WHERE {{ ?this <{PREFIXES['rdf']}value> ?v .
            OPTIONAL {{ ?this <{MCL}inText>/<{DCTERMS}language> ?lang }} }} LIMIT 1""", this=iri)
        if text_rows:
            page.text = _display(text_rows[0]["v"].value)  # type: ignore[union-attr]
            page.lang = _lang(text_rows[0]["lang"])
            page.citations = self._citations(iri)
        page.sources = self._sources(iri)
        page.cited_by = self._cited_by(iri)
        page.cites = self._cites(iri)
        page.answered_by = [self._value(r["s"]) for r in self._select(
            f"SELECT DISTINCT ?s WHERE {{ ?s <{MCL}respondsTo> ?this }} ORDER BY ?s", this=iri)]
        return page

    def _sources(self, iri: str) -> list[dict[str, object]]:
        """The files the act's texts were read from, whether each is an excerpt, and where the
        original can be downloaded."""
        rows = self._select(f"""
            SELECT DISTINCT ?file ?lang ?excerpt WHERE {{
              {{ ?this <{MCL}text> ?t }} UNION {{ ?p <{MCL}ofAct> ?this ; <{MCL}inText> ?t }}
              ?t <{DCTERMS}source> ?file .
              OPTIONAL {{ ?t <{DCTERMS}language> ?lang }} OPTIONAL {{ ?t <{MCL}excerpt> ?excerpt }}
            }} ORDER BY ?file""", this=iri)
        return [{"name": r["file"].value.rsplit("/", 1)[-1], "lang": _lang(r["lang"]),  # type: ignore[union-attr]
                 "href": self.linker.original(r["file"].value.rsplit("/", 1)[-1]),  # type: ignore[union-attr]
                 "excerpt": bool(r["excerpt"]) and r["excerpt"].value == "true"} for r in rows]  # type: ignore[union-attr]

    def _hidden_predicates(self) -> set[str]:
        """Predicates a page shows in its own sections (text, cites, cited by), not as properties."""
        if not hasattr(self, "_hidden"):
            rows = self._select(f"""SELECT DISTINCT ?p WHERE {{ ?p <{PREFIXES['rdfs']}subPropertyOf>+ ?cites }}""",
                                cites=MCL + "cites")
            self._hidden = _SHOWN_ELSEWHERE | {r["p"].value for r in rows}  # type: ignore[union-attr]
        return self._hidden

    def _predicate_label(self, iri: str) -> str:
        label = self.label(iri)
        return curie(iri) if label == iri.rsplit("#", 1)[-1] or label == iri else label

    def _paragraphs(self, iri: str) -> list[dict[str, object]]:
        """The act's paragraphs in order: from its texts, or (a draft inside a note) those that are its own."""
        rows = self._select(f"""
            SELECT DISTINCT ?p ?t ?order ?kind ?number ?value ?lang WHERE {{
              {{ ?this <{MCL}text> ?t . ?p <{MCL}inText> ?t }} UNION {{ ?p <{MCL}ofAct> ?this ; <{MCL}inText> ?t }}
              ?p <{MCL}order> ?order ; <{MCL}paragraphKind>/<{PREFIXES['skos']}notation> ?kind ;
                 <{PREFIXES['rdf']}value> ?value .
              OPTIONAL {{ ?p <{MCL}number> ?number }}
              OPTIONAL {{ ?t <{DCTERMS}language> ?lang }}
            }} ORDER BY ?t ?order""", this=iri)
        out = []
        for r in rows:
            piri = r["p"].value  # type: ignore[union-attr]
            out.append({"href": self.linker.href(piri), "kind": r["kind"].value,  # type: ignore[union-attr]
                        "number": r["number"].value if r["number"] else "",  # type: ignore[union-attr]
                        "lang": _lang(r["lang"]), "anchor": footnote_anchor(r["value"].value) or piri.rsplit("/", 1)[-1],  # type: ignore[union-attr]
                        "html": self._marked_text(piri, r["value"].value)})  # type: ignore[union-attr]
        return out

    def _citations(self, paragraph: str) -> list[dict[str, object]]:
        rows = self._select(f"""
            SELECT DISTINCT ?target ?kind ?words ?start ?part WHERE {{
              ?this <{MCL}citation> ?c . ?c <{MCL}target> ?target ; <{MCL}referenceKind> ?kind ;
                 <{MCL}surfaceText> ?words ; <{MCL}startOffset> ?start .
              OPTIONAL {{ ?c <{MCL}part> ?part }}
            }} ORDER BY ?start""", this=paragraph)
        return [{"href": self.linker.href(r["target"].value), "label": self.label(r["target"].value),  # type: ignore[union-attr]
                 "kind": r["kind"].value, "words": " ".join(r["words"].value.split()),  # type: ignore[union-attr]
                 "part": r["part"].value if r["part"] else ""} for r in rows]  # type: ignore[union-attr]

    def _cited_by(self, iri: str) -> list[dict[str, object]]:
        """Who cites this, grouped by citing act: each paragraph with its action and words."""
        rows = self._select(f"""
            SELECT DISTINCT ?act ?p ?words ?type ?start WHERE {{
              ?c <{MCL}target> ?this ; <{MCL}citingAct> ?act ; <{MCL}surfaceText> ?words ; <{MCL}startOffset> ?start .
              ?p <{MCL}citation> ?c .
              OPTIONAL {{ ?c <{MCL}citationType> ?type }}
            }} ORDER BY ?act ?start LIMIT 500""", this=iri)
        groups: dict[str, dict[str, object]] = {}
        for r in rows:
            act = r["act"].value  # type: ignore[union-attr]
            group = groups.setdefault(act, {"label": self.label(act), "href": self.linker.href(act), "rows": []})
            group["rows"].append({"paragraph": self.label(r["p"].value), "href": self.linker.href(r["p"].value),  # type: ignore[union-attr,attr-defined]
                                  "action": _action(r["type"]), "words": " ".join(r["words"].value.split())})  # type: ignore[union-attr]
        return sorted(groups.values(), key=lambda g: natural_key(str(g["label"])))

    def _cites(self, iri: str) -> list[tuple[str, list[dict[str, object]]]]:
        """What this act cites, grouped by the citing paragraph's action."""
        rows = self._select(f"""
            SELECT DISTINCT ?target ?kind ?p ?words ?type ?start WHERE {{
              ?c <{MCL}citingAct> ?this ; <{MCL}target> ?target ; <{MCL}referenceKind> ?kind ;
                 <{MCL}surfaceText> ?words ; <{MCL}startOffset> ?start .
              ?p <{MCL}citation> ?c .
              OPTIONAL {{ ?c <{MCL}citationType> ?type }}
              FILTER (?kind NOT IN ("instrument", "body"))
            }} ORDER BY ?start LIMIT 1000""", this=iri)
        groups: dict[str, list[dict[str, object]]] = {}
        for r in rows:
            target = r["target"].value  # type: ignore[union-attr]
            groups.setdefault(_action(r["type"]), []).append(
                {"label": self.label(target), "href": self.linker.href(target), "kind": r["kind"].value,  # type: ignore[union-attr]
                 "words": " ".join(r["words"].value.split()), "paragraph": self.linker.href(r["p"].value)})  # type: ignore[union-attr]
        return sorted(groups.items())

    def _marked_text(self, paragraph: str, text: str) -> str:
        """The paragraph's text with each citation made a link to its target."""
        starts = self._select(f"""SELECT ?pstart WHERE {{ ?this <{MCL}startOffset> ?pstart }}""", this=paragraph)
        if not starts:
            return _display_html(text)
        offset = int(starts[0]["pstart"].value)  # type: ignore[union-attr]
        rows = self._select(f"""
            SELECT DISTINCT ?start ?end ?target ?kind WHERE {{ ?this <{MCL}citation> ?c .
              ?c <{MCL}startOffset> ?start ; <{MCL}endOffset> ?end ; <{MCL}target> ?target ; <{MCL}referenceKind> ?kind .
              FILTER (?kind NOT IN ("instrument", "body")) }} ORDER BY ?start""", this=paragraph)
        out, pos = [], 0
        for r in rows:
            s, e = int(r["start"].value) - offset, int(r["end"].value) - offset  # type: ignore[union-attr]
            if s < pos or e > len(text):
                continue
            out.append(_display_html(text[pos:s]))
            out.append(f'<a class="cite cite-{r["kind"].value}" href="{html.escape(self.linker.href(r["target"].value))}">'  # type: ignore[union-attr]
                       f"{_display_html(text[s:e])}</a>")
            pos = e
        out.append(_display_html(text[pos:]))
        return "".join(out)

    def render_resource(self, iri: str, data_links: dict[str, str], lineage_svg: str | None = None) -> str:
        page = self.data(iri, lineage_svg)
        return self._render("resource.html", page=page, data_links=data_links)

    def is_act(self, iri: str) -> bool:
        rows = self._select(f"SELECT ?t WHERE {{ ?this <{RDF_TYPE}> ?t }}", this=iri)
        return any(r["t"] in ACT_CLASSES for r in rows)  # type: ignore[union-attr]

    def render_index(self, stats: dict[str, int]) -> str:
        """The front page: acts browsable by instrument, meeting, year and topic, with and without text."""
        acts = self._acts()
        by_instrument: dict[str, list[dict[str, object]]] = {}
        by_year: dict[str, list[dict[str, object]]] = {}
        by_body: dict[str, list[dict[str, object]]] = {}
        for a in acts:
            by_body.setdefault(str(a["body"]), []).append(a)
            by_instrument.setdefault(str(a["instrument"]), []).append(a)
            by_year.setdefault(str(a["year"] or "year unknown"), []).append(a)
        groups = []
        for title, cls in (("Notes and documents", "Note"), ("Bodies", "Body"), ("Secretariats", "Secretariat"),
                           ("Governing bodies", "GoverningBody"), ("Offices", "Office"), ("Instruments", "Convention"),
                           ("Articles", "Article"), ("Annexes", "Annex")):
            rows = self._select(f"""SELECT DISTINCT ?s ?sym WHERE {{ ?s a ?class . OPTIONAL {{ ?s <{MCL}symbol> ?sym }} }}""",
                                **{"class": MCL + cls})
            if rows:
                items = [Value(r["sym"].value if r["sym"] else self.label(r["s"].value),  # type: ignore[union-attr]
                               self.linker.href(r["s"].value)) for r in rows]  # type: ignore[union-attr]
                groups.append((title, sorted(items, key=lambda v: natural_key(v.text))))
        return self._render(
            "index.html", groups=groups, stats=stats,
            with_text=sum(1 for a in acts if a["has_text"]), acts_total=len(acts),
            by_instrument=sorted(by_instrument.items()), by_body=sorted(by_body.items()), by_year=sorted(by_year.items(), reverse=True),
            meetings=self._meetings(), topics=self._topics(), coverage=self._coverage(acts))

    def _acts(self) -> list[dict[str, object]]:
        rows = self._select(f"""
            SELECT ?act ?sym ?title ?guess ?label ?inst ?date ?body ?issued ?text WHERE {{
              ?act a ?class . FILTER (?class IN (<{MCL}Decision>, <{MCL}Resolution>, <{MCL}DraftDecision>, <{MCL}UnnumberedDecision>))
              OPTIONAL {{ ?act <{MCL}symbol> ?sym }}
              OPTIONAL {{ ?act <{DCTERMS}title> ?title FILTER (LANG(?title) IN ("en", "")) }}
              OPTIONAL {{ ?act <{MCL}unconfirmedTitle> ?guess FILTER (LANG(?guess) IN ("en", "")) }}
              OPTIONAL {{ ?act <{RDFS_LABEL}> ?label FILTER (LANG(?label) = "en") }}
              OPTIONAL {{ ?act <{MCL}underInstrument> ?inst }}
              OPTIONAL {{ ?act <{MCL}adoptedAt>|<{MCL}proposedFor> ?m .
                         OPTIONAL {{ ?m <{MCL}startDate> ?date }} OPTIONAL {{ ?m <{MCL}meetingOf> ?body }} }}
              OPTIONAL {{ ?act <{DCTERMS}issued> ?issued }}
              OPTIONAL {{ {{ ?act <{MCL}text> ?text }} UNION {{ ?text <{MCL}ofAct> ?act }} }}
            }}""")
        acts: dict[str, dict[str, object]] = {}
        for r in rows:
            iri = r["act"].value  # type: ignore[union-attr]
            a = acts.setdefault(iri, {"iri": iri, "href": self.linker.href(iri), "symbol": "", "label": "", "instrument": "other",
                                      "date": "", "year": "", "has_text": False, "unconfirmed": "",
                                      "body": "body unknown"})
            if r["sym"]:
                a["symbol"] = r["sym"].value  # type: ignore[union-attr]
            if r["guess"] and not r["title"]:
                a["unconfirmed"] = r["guess"].value  # type: ignore[union-attr]
            if r["title"] or (r["label"] and not a["label"]):
                a["label"] = (r["title"] or r["label"]).value  # type: ignore[union-attr]
            if r["inst"]:
                a["instrument"] = self.label(r["inst"].value)  # type: ignore[union-attr]
            if r["date"]:
                a["date"] = r["date"].value  # type: ignore[union-attr]
            if r["body"]:
                a["body"] = self.label(r["body"].value)  # type: ignore[union-attr]
            year = (r["date"].value if r["date"] else r["issued"].value if r["issued"] else "")[:4]  # type: ignore[union-attr]
            a["year"] = a["year"] or year
            a["has_text"] = a["has_text"] or bool(r["text"])
        for a in acts.values():
            a["symbol"] = a["symbol"] or a["label"]
            a["label"] = "" if a["label"] in (a["symbol"], f"Decision {a['symbol']}", f"Resolution {a['symbol']}") else a["label"]
        return sorted(acts.values(), key=lambda a: natural_key(str(a["symbol"])))

    def _coverage(self, acts: list[dict[str, object]]) -> list[dict[str, object]]:
        """Acts cited but without text here, most-cited first: what to add next."""
        rows = self._select(f"""SELECT ?act (COUNT(DISTINCT ?c) AS ?n) WHERE {{
            ?c <{MCL}target> ?act ; <{MCL}citingAct> ?citing }} GROUP BY ?act""")
        counts = {r["act"].value: int(r["n"].value) for r in rows}  # type: ignore[union-attr]
        wanted = [dict(a, citations=counts.get(str(a["iri"]), 0)) for a in acts if not a["has_text"]]
        return sorted((a for a in wanted if a["citations"]), key=lambda a: (-int(a["citations"]), natural_key(str(a["symbol"]))))

    def _meetings(self) -> list[dict[str, object]]:
        rows = self._select(f"""
            SELECT ?m ?sym ?start ?end ?place (COUNT(DISTINCT ?act) AS ?acts) WHERE {{
              ?m a <{MCL}Meeting> ; <{MCL}symbol> ?sym .
              OPTIONAL {{ ?m <{MCL}startDate> ?start }} OPTIONAL {{ ?m <{MCL}endDate> ?end }}
              OPTIONAL {{ ?m <{MCL}place> ?place }}
              OPTIONAL {{ ?act <{MCL}adoptedAt>|<{MCL}proposedFor> ?m }}
            }} GROUP BY ?m ?sym ?start ?end ?place ORDER BY DESC(?start) ?sym""")
        return [{"href": self.linker.href(r["m"].value), "symbol": r["sym"].value, "label": self.label(r["m"].value),  # type: ignore[union-attr]
                 "start": r["start"].value if r["start"] else "", "end": r["end"].value if r["end"] else "",  # type: ignore[union-attr]
                 "place": r["place"].value if r["place"] else "", "acts": int(r["acts"].value)} for r in rows]  # type: ignore[union-attr]

    def _topics(self) -> list[tuple[str, list[Value]]]:
        rows = self._select(f"""
            SELECT DISTINCT ?topic ?act WHERE {{
              ?p <{MCL}topic> ?topic .
              {{ ?p <{MCL}ofAct> ?act }} UNION {{ ?p <{MCL}inText> ?t . ?act <{MCL}text> ?t }}
            }}""")
        topics: dict[str, list[Value]] = {}
        for r in rows:
            topics.setdefault(self.label(r["topic"].value), []).append(self._value(r["act"]))  # type: ignore[union-attr]
        return sorted((t, sorted(v, key=lambda x: natural_key(x.text))) for t, v in topics.items())

    def render_ontology(self, ontology_file: Path) -> str:
        ont = Store()
        ont.load(path=str(ontology_file), format=RdfFormat.TURTLE)
        rows = ont.query(f"""
            SELECT ?term ?kind ?en ?fr ?defEn ?defFr (GROUP_CONCAT(DISTINCT STR(?sup); separator=" ") AS ?supers) WHERE {{
              ?term a ?kind . FILTER (?kind IN (<{PREFIXES['owl']}Class>, <{PREFIXES['owl']}ObjectProperty>, <{PREFIXES['owl']}DatatypeProperty>))
              OPTIONAL {{ ?term <{RDFS_LABEL}> ?en FILTER (LANG(?en) = "en") }}
              OPTIONAL {{ ?term <{RDFS_LABEL}> ?fr FILTER (LANG(?fr) = "fr") }}
              OPTIONAL {{ ?term <{PREFIXES['skos']}definition> ?defEn FILTER (LANG(?defEn) = "en") }}
              OPTIONAL {{ ?term <{PREFIXES['skos']}definition> ?defFr FILTER (LANG(?defFr) = "fr") }}
              OPTIONAL {{ ?term <{PREFIXES['rdfs']}subClassOf>|<{PREFIXES['rdfs']}subPropertyOf> ?sup }}
            }} GROUP BY ?term ?kind ?en ?fr ?defEn ?defFr ORDER BY ?kind ?term""")
        terms = [{"name": curie(r["term"].value), "anchor": r["term"].value.rsplit("#", 1)[-1],
                  "kind": curie(r["kind"].value), "en": r["en"].value if r["en"] else "", "fr": r["fr"].value if r["fr"] else "",
                  "def_en": r["defEn"].value if r["defEn"] else "", "def_fr": r["defFr"].value if r["defFr"] else "",
                  "supers": [curie(s) for s in (r["supers"].value.split() if r["supers"] else [])]} for r in rows]  # type: ignore[union-attr]
        return self._render("ontology.html", terms=terms)


PAGE_FAMILY_ACTS = 6  # acts a page expands each way, nearest first: a family the picture can still show


def lineage_svg_for(store: Store, iri: str, base: str, linker: Linker | None = None, lang: str = "en") -> str | None:
    """The lineage section of an act's page (picture, timeline, every link with its words),
    with links that stay on the site serving the page."""
    from mclinks.query.lineage import as_svg, edge_rows, timeline_rows, trace
    lineage = trace(EmbeddedEndpoint(store), iri, max_acts=PAGE_FAMILY_ACTS)
    if not lineage.edges:
        return None
    href = (linker or Linker(base)).href
    return TEMPLATES.get_template("lineage-body.html").render(
        t=translator(lang), lineage=lineage, svg=as_svg(lineage, href), edges=edge_rows(lineage, href), timeline=timeline_rows(lineage, href))
