"""Linked-data pages: what the graph says about one resource, for people.

Used by the server (links to ``/id/…``, which 303 to documents) and by the
static site (links straight to ``doc/….html``); ``Linker`` (``linker.py``)
makes the difference. The queries of a resource's page are in
``page_queries.py``, labels come from ``labels.py``, and texts are made into
HTML by ``page_text.py``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from pyoxigraph import Literal, NamedNode, Store

from mclinks.formats import TURTLE
from mclinks.store.endpoint import EmbeddedEndpoint
from mclinks.ui import translator
from mclinks.vocab import ACT_CLASSES, PREFIXES
from mclinks.web import page_queries as Q
from mclinks.web.labels import Labels
from mclinks.web.linker import MCL, Linker
from mclinks.web.page_queries import ask, select
from mclinks.web.page_text import display, display_html, footnote_anchor, marked_html

TEMPLATES = Environment(loader=PackageLoader("mclinks", "templates"), autoescape=select_autoescape(["html", "svg"]))
TEMPLATES.globals.update(t=translator("en"), ui_lang="en")
RDF_TYPE = PREFIXES["rdf"] + "type"
RDFS_LABEL = PREFIXES["rdfs"] + "label"
DCTERMS = PREFIXES["dcterms"]
_SELECT = re.compile(r"SELECT(?:\s+DISTINCT)?", re.I)

# Shown in a page's own sections, or structure no reader needs as a property row.
_SHOWN_ELSEWHERE = {MCL + "paragraph", MCL + "citation", RDFS_LABEL, PREFIXES["rdf"] + "value", MCL + "text",
                    MCL + "citingAct", MCL + "respondsTo", MCL + "startOffset", MCL + "endOffset", MCL + "order"}


def _iri(term: object) -> str:
    """The IRI of a term a query bound (an unbound one is a programming error)."""
    if not isinstance(term, NamedNode):
        raise TypeError(f"expected an IRI, got {term!r}")
    return term.value


def _str(term: object) -> str:
    """The lexical value of a bound term."""
    if not isinstance(term, (NamedNode, Literal)):
        raise TypeError(f"expected a bound term, got {term!r}")
    return term.value


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


def compile_templates() -> None:
    """Compile every template now. Done in the holder before it forks, so a worker, fresh after
    each replacement, inherits them instead of compiling them on its first page."""
    for name in TEMPLATES.list_templates():
        TEMPLATES.get_template(name)


class PageMaker:
    """Reads a store and renders resource, index, ontology and query pages."""

    def __init__(self, store: Store, base: str, linker: Linker, queries: dict | None = None, lang: str = "en") -> None:
        self.store = store
        self.base = base
        self.linker = linker
        self.queries = queries or {}
        self.lang = lang  # the interface's language: labels in it are preferred
        self._labels = Labels(store, lang)
        self._hidden: set[str] | None = None

    def warm(self) -> None:
        """Find now the predicates pages show in sections of their own, which every resource
        page needs (see ``compile_templates`` for why now)."""
        self._hidden_predicates()

    def _render(self, template: str, **values: object) -> str:
        return TEMPLATES.get_template(template).render(home=self.linker.home, static=self.linker.static,
                                                  t=translator(self.lang), ui_lang=self.lang, **values)

    def _select(self, query: str, **terms: object) -> list[dict[str, object]]:
        """Rows of an index query with each keyword bound as an RDF term (never pasted into the text).

        The engine substitutes only projected variables, so the bound ones are projected too.
        """
        if terms:
            query = _SELECT.sub(lambda m: m.group() + "".join(f" ?{k}" for k in terms), query, count=1)
        return list(select(self.store, query, **terms))  # type: ignore[arg-type]

    def label(self, iri: str) -> str:
        return self._labels.label(iri)

    def _value(self, term: object) -> Value:
        if isinstance(term, NamedNode):
            href = self.linker.href(term.value)
            text = self.label(term.value) if self.linker.ours(term.value) or term.value.startswith(MCL) else curie(term.value)
            return Value(text, href)
        if isinstance(term, Literal):
            return Value(term.value, None, term.language)
        return Value(str(term))

    def exists(self, iri: str) -> bool:
        return ask(self.store, Q.EXISTS, this=iri)

    def describe(self, iri: str) -> list:
        """The distinct triples about ``iri`` (its data representation)."""
        return sorted({q.triple for q in self.store.quads_for_pattern(NamedNode(iri), None, None, None)}, key=str)

    def data(self, iri: str, lineage_svg: str | None = None) -> PageData:
        """Everything a resource's page shows: a bounded query per section, each from ``iri``."""
        props: dict[str, list[Value]] = {}
        types: list[Value] = []
        hidden = self._hidden_predicates()
        for row in select(self.store, Q.PROPERTIES, this=iri):
            p, o = _iri(row["p"]), row["o"]
            if p == RDF_TYPE:
                types.append(self._value(o))
            elif p not in hidden:
                props.setdefault(self._predicate_label(p), []).append(self._value(o))
        incoming = [(self._predicate_label(_iri(r["p"])), self._value(r["s"])) for r in select(self.store, Q.INCOMING, this=iri)]
        page = PageData(iri, self.label(iri), types, sorted(props.items()), incoming, lineage_svg=lineage_svg)
        page.paragraphs = self._paragraphs(iri)
        text = next(select(self.store, Q.TEXT, this=iri), None)
        if text:
            page.text = display(_str(text["v"]))
            page.lang = _lang(text["lang"])
            page.citations = self._citations(iri)
        page.sources = self._sources(iri)
        page.cited_by = self._cited_by(iri)
        page.cites = self._cites(iri)
        page.answered_by = [self._value(r["s"]) for r in select(self.store, Q.ANSWERED_BY, this=iri)]
        return page

    def _sources(self, iri: str) -> list[dict[str, object]]:
        """The files the act's texts were read from, whether each is an excerpt, and where the
        original can be downloaded."""
        out = []
        for r in select(self.store, Q.SOURCES, this=iri):
            name = _str(r["file"]).rsplit("/", 1)[-1]
            out.append({"name": name, "lang": _lang(r["lang"]), "href": self.linker.original(name),
                        "excerpt": r["excerpt"] is not None and _str(r["excerpt"]) == "true"})
        return out

    def _hidden_predicates(self) -> set[str]:
        """Predicates a page shows in its own sections (text, cites, cited by), not as properties."""
        if self._hidden is None:
            self._hidden = _SHOWN_ELSEWHERE | {_iri(r["p"]) for r in select(self.store, Q.CITE_PROPERTIES)}
        return self._hidden

    def _predicate_label(self, iri: str) -> str:
        label = self.label(iri)
        return curie(iri) if label == iri.rsplit("#", 1)[-1] or label == iri else label

    def _paragraphs(self, iri: str) -> list[dict[str, object]]:
        """The act's paragraphs in order, each with its citations made links (two queries in all)."""
        marks: dict[str, list[tuple[int, int, str, str]]] = {}
        for r in select(self.store, Q.PARAGRAPH_MARKS, this=iri):
            marks.setdefault(_iri(r["p"]), []).append((int(_str(r["start"])), int(_str(r["end"])), _iri(r["target"]),
                                                       _str(r["kind"])))
        out = []
        for r in select(self.store, Q.PARAGRAPHS, this=iri):
            piri, value = _iri(r["p"]), _str(r["value"])
            body = (marked_html(value, int(_str(r["pstart"])), marks.get(piri, ()), self.linker.href)
                    if r["pstart"] is not None else display_html(value))
            out.append({"href": self.linker.href(piri), "kind": _str(r["kind"]),
                        "number": _str(r["number"]) if r["number"] is not None else "",
                        "lang": _lang(r["lang"]), "anchor": footnote_anchor(value) or piri.rsplit("/", 1)[-1],
                        "html": body})
        return out

    def _citations(self, paragraph: str) -> list[dict[str, object]]:
        return [{"href": self.linker.href(_iri(r["target"])), "label": self.label(_iri(r["target"])),
                 "kind": _str(r["kind"]), "words": " ".join(_str(r["words"]).split()),
                 "part": _str(r["part"]) if r["part"] is not None else ""}
                for r in select(self.store, Q.CITATIONS, this=paragraph)]

    def _cited_by(self, iri: str) -> list[dict[str, object]]:
        """Who cites this, grouped by citing act: each paragraph with its action and words."""
        groups: dict[str, dict[str, object]] = {}
        for r in select(self.store, Q.CITED_BY, this=iri):
            act, paragraph = _iri(r["act"]), _iri(r["p"])
            group = groups.setdefault(act, {"label": self.label(act), "href": self.linker.href(act), "rows": []})
            rows: list[dict[str, object]] = group["rows"]  # type: ignore[assignment]
            rows.append({"paragraph": self.label(paragraph), "href": self.linker.href(paragraph),
                         "action": _action(r["type"]), "words": " ".join(_str(r["words"]).split())})
        return sorted(groups.values(), key=lambda g: natural_key(str(g["label"])))

    def _cites(self, iri: str) -> list[tuple[str, list[dict[str, object]]]]:
        """What this act cites, grouped by the citing paragraph's action."""
        groups: dict[str, list[dict[str, object]]] = {}
        for r in select(self.store, Q.CITES, this=iri):
            target = _iri(r["target"])
            groups.setdefault(_action(r["type"]), []).append(
                {"label": self.label(target), "href": self.linker.href(target), "kind": _str(r["kind"]),
                 "words": " ".join(_str(r["words"]).split()), "paragraph": self.linker.href(_iri(r["p"]))})
        return sorted(groups.items())

    def render_resource(self, iri: str, data_links: dict[str, str], lineage_svg: str | None = None) -> str:
        page = self.data(iri, lineage_svg)
        return self._render("resource.html", page=page, data_links=data_links)

    def is_act(self, iri: str) -> bool:
        return any(r["t"] in ACT_CLASSES for r in select(self.store, Q.TYPES, this=iri))

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
        ont.load(path=str(ontology_file), format=TURTLE.ox)
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
