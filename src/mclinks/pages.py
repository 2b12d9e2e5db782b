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

from jinja2 import Environment, PackageLoader, select_autoescape
from pyoxigraph import Literal, NamedNode, RdfFormat, Store, Variable

from .endpoint import EmbeddedEndpoint
from .vocab import PREFIXES

_ENV = Environment(loader=PackageLoader("mclinks", "templates"), autoescape=select_autoescape(["html"]))
MCL = PREFIXES["mcl"]
RDF_TYPE = PREFIXES["rdf"] + "type"
RDFS_LABEL = PREFIXES["rdfs"] + "label"
_SELECT = re.compile(r"SELECT(?:\s+DISTINCT)?", re.I)
_ACT_TYPES = {MCL + t for t in ("Decision", "Resolution", "DraftDecision", "Note", "Document", "UnnumberedDecision")}


@dataclass(frozen=True)
class Linker:
    """Where an IRI of ours links to: a server path or a static file."""

    base: str
    static: bool = False
    prefix: str = ""

    def href(self, iri: str) -> str:
        if iri.startswith(self.base + "/id/"):
            path = iri[len(self.base) + len("/id/"):]
            return f"{self.prefix}/doc/{path}.html" if self.static else f"{self.prefix}/id/{path}"
        return iri

    def ours(self, iri: str) -> bool:
        return iri.startswith(self.base + "/")


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


class PageMaker:
    """Reads a store and renders resource, index, ontology and query pages."""

    def __init__(self, store: Store, base: str, linker: Linker, queries: dict | None = None) -> None:
        self.store = store
        self.base = base
        self.linker = linker
        self.queries = queries or {}
        self._labels: dict[str, str] = {}

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
                                   ORDER BY DESC(LANG(?l) = "en") ?l LIMIT 1""", this=iri)
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
        for row in self._select("SELECT DISTINCT ?p ?o WHERE { ?this ?p ?o } ORDER BY ?p ?o", this=iri):
            p, o = row["p"].value, row["o"]  # type: ignore[union-attr]
            if p == RDF_TYPE:
                types.append(self._value(o))
            elif p not in (MCL + "paragraph", MCL + "citation", RDFS_LABEL, PREFIXES["rdf"] + "value"):
                props.setdefault(curie(p), []).append(self._value(o))
        incoming = [(curie(r["p"].value), self._value(r["s"])) for r in self._select(  # type: ignore[union-attr]
            f"""SELECT DISTINCT ?s ?p WHERE {{ ?s ?p ?this .
                FILTER (?p NOT IN (<{MCL}inText>, <{MCL}target>, <{MCL}paragraph>, <{MCL}ofAct>, <{RDF_TYPE}>)) }}
                ORDER BY ?p ?s LIMIT 300""", this=iri)]
        page = PageData(iri, self.label(iri), types, sorted(props.items()), incoming, lineage_svg=lineage_svg)
        page.paragraphs = self._paragraphs(iri)
        text_rows = self._select(f"SELECT ?v WHERE {{ ?this <{PREFIXES['rdf']}value> ?v }} LIMIT 1", this=iri)
        if text_rows:
            page.text = text_rows[0]["v"].value  # type: ignore[union-attr]
            page.citations = self._citations(iri)
        page.incoming += [("cited in", Value(f"«{c['words']}» ({c['paragraph_label']})", c["paragraph_href"]))  # type: ignore[misc]
                          for c in self._cited_in(iri)]
        return page

    def _paragraphs(self, iri: str) -> list[dict[str, object]]:
        rows = self._select(f"""
            SELECT DISTINCT ?p ?order ?kind ?number ?value WHERE {{
              ?this <{MCL}text> ?t . ?p <{MCL}inText> ?t ; <{MCL}order> ?order ;
                 <{MCL}paragraphKind>/<{PREFIXES['skos']}notation> ?kind ; <{PREFIXES['rdf']}value> ?value .
              OPTIONAL {{ ?p <{MCL}number> ?number }}
            }} ORDER BY ?t ?order""", this=iri)
        out = []
        for r in rows:
            piri = r["p"].value  # type: ignore[union-attr]
            out.append({"href": self.linker.href(piri), "kind": r["kind"].value,  # type: ignore[union-attr]
                        "number": r["number"].value if r["number"] else "",  # type: ignore[union-attr]
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

    def _cited_in(self, iri: str) -> list[dict[str, object]]:
        rows = self._select(f"""
            SELECT DISTINCT ?p ?words WHERE {{ ?c <{MCL}target> ?this ; <{MCL}surfaceText> ?words . ?p <{MCL}citation> ?c }}
            ORDER BY ?p LIMIT 300""", this=iri)
        return [{"paragraph_href": self.linker.href(r["p"].value), "paragraph_label": self.label(r["p"].value),  # type: ignore[union-attr]
                 "words": " ".join(r["words"].value.split())} for r in rows]  # type: ignore[union-attr]

    def _marked_text(self, paragraph: str, text: str) -> str:
        """The paragraph's text with each citation made a link to its target."""
        starts = self._select(f"""SELECT ?pstart WHERE {{ ?this <{MCL}startOffset> ?pstart }}""", this=paragraph)
        if not starts:
            return html.escape(text)
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
            out.append(html.escape(text[pos:s]))
            out.append(f'<a class="cite cite-{r["kind"].value}" href="{html.escape(self.linker.href(r["target"].value))}">'  # type: ignore[union-attr]
                       f"{html.escape(text[s:e])}</a>")
            pos = e
        out.append(html.escape(text[pos:]))
        return "".join(out)

    def render_resource(self, iri: str, data_links: dict[str, str], lineage_svg: str | None = None) -> str:
        page = self.data(iri, lineage_svg)
        return _ENV.get_template("resource.html").render(page=page, data_links=data_links, home=self.linker.prefix or "/",
                                                         static=self.linker.static)

    def is_act(self, iri: str) -> bool:
        rows = self._select(f"SELECT ?t WHERE {{ ?this <{RDF_TYPE}> ?t }}", this=iri)
        return any(r["t"].value in _ACT_TYPES for r in rows)  # type: ignore[union-attr]

    def render_index(self, stats: dict[str, int]) -> str:
        groups = []
        for title, cls in (("Decisions", "Decision"), ("Draft decisions", "DraftDecision"), ("Resolutions", "Resolution"),
                           ("Notes and documents", "Note"), ("Meetings", "Meeting"), ("Bodies", "Body"),
                           ("Secretariats", "Secretariat"), ("Governing bodies", "GoverningBody"), ("Offices", "Office"),
                           ("Instruments", "Convention"), ("Articles", "Article"), ("Annexes", "Annex")):
            rows = self._select(f"""SELECT DISTINCT ?s ?sym WHERE {{ ?s a ?class . OPTIONAL {{ ?s <{MCL}symbol> ?sym }} }}
                                   ORDER BY ?sym ?s""", **{"class": MCL + cls})
            if rows:
                groups.append((title, [Value(r["sym"].value if r["sym"] else self.label(r["s"].value),  # type: ignore[union-attr]
                                             self.linker.href(r["s"].value)) for r in rows]))  # type: ignore[union-attr]
        return _ENV.get_template("index.html").render(groups=groups, stats=stats, home=self.linker.prefix or "/",
                                                      static=self.linker.static)

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
        return _ENV.get_template("ontology.html").render(terms=terms, home=self.linker.prefix or "/", static=self.linker.static)


def lineage_svg_for(store: Store, iri: str, base: str, edges_query: object) -> str | None:
    """The lineage picture of an act (two hops each way), as inline SVG."""
    from .lineage import as_svg, trace
    lineage = trace(EmbeddedEndpoint(store), edges_query, iri, base, depth=2)  # type: ignore[arg-type]
    return as_svg(lineage) if lineage.edges else None
