"""Validate stage: SHACL shapes over the graph, reported in plain words.

All shapes in ``shapes/`` are SHACL-SPARQL constraints. Two engines run them:
``oxigraph`` (default) evaluates each constraint once for all focus nodes
over the embedded store; ``pyshacl`` is the reference SHACL engine, run per
focus node over an rdflib copy. The test suite checks that both agree.
"""
from __future__ import annotations

import json
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

import rdflib
from pyoxigraph import Literal as OxLiteral
from pyoxigraph import NamedNode, Store
from rdflib.namespace import RDF, SH

from mclinks.config import Settings
from mclinks.formats import TURTLE
from mclinks.identifiers import id_space, iri
from mclinks.model import Diagnostic
from mclinks.store.local import side_by_side, to_rdflib, union_store, union_triples

MCS = rdflib.Namespace("https://w3id.org/mclinks/shapes#")
DEFAULT_BASE = "https://w3id.org/mclinks"
_SEVERITY = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}


@dataclass(frozen=True)
class Constraint:
    shape: str
    rule: str
    severity: str
    message: str
    select: str
    prefixes: str
    target_classes: tuple[str, ...]
    target_nodes: tuple[str, ...]


@dataclass
class Report:
    results: list[Diagnostic] = field(default_factory=list)
    engine: str = "oxigraph"
    seconds: float = 0.0

    @property
    def violation_count(self) -> int:
        return sum(1 for r in self.results if r.severity == "violation")

    @property
    def conforms(self) -> bool:
        return self.violation_count == 0

    def counts(self) -> Counter[tuple[str, str]]:
        return Counter((r.severity, r.rule) for r in self.results)

    def as_text(self) -> str:
        lines = []
        for r in sorted(self.results, key=lambda r: (r.severity != "violation", r.rule, r.focus, r.value or "")):
            lines.append(r.as_line())
        summary = ", ".join(f"{n} {sev} {rule}" for (sev, rule), n in sorted(self.counts().items()))
        verdict = "conforms" if self.conforms else "does not conform"
        lines.append(f"{verdict}: {self.violation_count} violation(s), "
                     f"{len(self.results) - self.violation_count} warning(s) ({self.engine}, {self.seconds:.2f} s)"
                     + (f"; {summary}" if summary else ""))
        return "\n".join(lines)

    def as_json(self) -> str:
        return json.dumps({"conforms": self.conforms, "engine": self.engine, "seconds": round(self.seconds, 3),
                           "results": [r.to_json() for r in self.results]}, ensure_ascii=False, indent=1)

    def as_turtle(self) -> str:
        g = rdflib.Graph()
        g.bind("sh", SH)
        report = rdflib.BNode()
        g.add((report, RDF.type, SH.ValidationReport))
        g.add((report, SH.conforms, rdflib.Literal(self.conforms)))
        sev = {v: k for k, v in _SEVERITY.items()}
        for r in self.results:
            node = rdflib.BNode()
            g.add((report, SH.result, node))
            g.add((node, RDF.type, SH.ValidationResult))
            g.add((node, SH.focusNode, rdflib.URIRef(r.focus)))
            g.add((node, SH.resultSeverity, sev[r.severity]))
            g.add((node, SH.resultMessage, rdflib.Literal(r.message)))
            g.add((node, SH.sourceShape, rdflib.URIRef(r.shape)))
            g.add((node, SH.sourceConstraintComponent, SH.SPARQLConstraintComponent))
            if r.value:
                g.add((node, SH.value, rdflib.URIRef(r.value) if r.value.startswith("http") else rdflib.Literal(r.value)))
        return g.serialize(format=TURTLE.rdflib)


def load_shapes(shapes_dir: Path, base: str = DEFAULT_BASE) -> rdflib.Graph:
    """Every ``*.ttl`` in ``shapes_dir``, with the data base IRI put in place of the default."""
    g = rdflib.Graph()
    for path in sorted(shapes_dir.glob("*.ttl")):
        data = path.read_text(encoding="utf-8")
        if base != DEFAULT_BASE:
            data = data.replace(id_space(DEFAULT_BASE), id_space(base)).replace(f"<{iri(DEFAULT_BASE, 'dataset')}>", f"<{iri(base, 'dataset')}>")
        g.parse(data=data, format=TURTLE.rdflib, publicID=path.as_uri())
    return g


def _prefixes(shapes: rdflib.Graph, node: rdflib.term.Node) -> str:
    lines = []
    for ontology in shapes.objects(node, SH.prefixes):
        for decl in shapes.objects(ontology, SH.declare):
            lines.append(f"PREFIX {shapes.value(decl, SH.prefix)}: <{shapes.value(decl, SH.namespace)}>")
    return "\n".join(lines)


def constraints(shapes: rdflib.Graph) -> list[Constraint]:
    """The SPARQL constraints of every node shape, with their targets."""
    out = []
    for shape in sorted(shapes.subjects(RDF.type, SH.NodeShape), key=str):
        classes = tuple(sorted(str(c) for c in shapes.objects(shape, SH.targetClass)))
        nodes = tuple(sorted(str(n) for n in shapes.objects(shape, SH.targetNode)))
        shape_severity = shapes.value(shape, SH.severity, default=SH.Violation)
        for c in shapes.objects(shape, SH.sparql):
            out.append(Constraint(
                shape=str(shape), rule=str(shapes.value(c, MCS.rule) or shape),
                severity=_SEVERITY[shapes.value(c, SH.severity, default=shape_severity)],
                message=str(shapes.value(c, SH.message) or ""), select=str(shapes.value(c, SH.select)),
                prefixes=_prefixes(shapes, c), target_classes=classes, target_nodes=nodes,
            ))
    return out


def _term(value: object) -> str:
    if isinstance(value, NamedNode):
        return value.value
    if isinstance(value, OxLiteral):
        return value.value
    return str(value)


def _message(template: str, bindings: dict[str, str], base: str) -> str:
    """The shape's message with its variables filled in, our IRIs shortened to their path."""
    def sub(m: re.Match[str]) -> str:
        value = bindings.get(m.group(1), m.group(0))
        return value.replace(id_space(base), "")
    return re.sub(r"\{[$?](\w+)\}", sub, template)


def constraint_query(c: Constraint) -> str:
    """The constraint for all focus nodes at once: its SELECT joined with the target."""
    inner = c.select.replace("$this", "?this")
    targets = []
    if c.target_classes:
        targets.append(" UNION ".join(f"{{ ?this a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* <{cls}> }}"
                                      for cls in c.target_classes))
    if c.target_nodes:
        targets.append("{ VALUES ?this { " + " ".join(f"<{n}>" for n in c.target_nodes) + " } }")
    target = " UNION ".join(targets)
    head = inner.strip()
    return f"{c.prefixes}\nSELECT * WHERE {{ {{ SELECT DISTINCT ?this WHERE {{ {target} }} }} {{ {head} }} }}"


_PREFIXES = """
PREFIX mcl: <https://w3id.org/mclinks/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
# Where a resource's problem comes from, best first. A paragraph or citation has its own
# span; any other resource is blamed on the source whose graph states the offending
# triple (or describes the resource), never on a source that merely cites it: that
# last resort used to name the wrong file for a decision filed under the wrong instrument.
_LOCATE = (  # (what the graph says about ?node, whether it needs ?value); the best row has the least (file, start)
    ("""?node mcl:startOffset ?start ; mcl:endOffset ?end .
        { ?node mcl:inText/dcterms:source ?file } UNION { ?holder mcl:citation ?node . ?holder mcl:inText?/dcterms:source ?file }""",
     False),
    ("""?node mcl:givenBy ?act . ?p mcl:mandate ?node ; mcl:startOffset ?start ; mcl:endOffset ?end ;
        mcl:inText/dcterms:source ?file""", False),
    ("""GRAPH ?g { ?node ?p ?value . ?text a mcl:Text ; dcterms:source ?file }""", True),
    ("""GRAPH ?g { ?node ?p ?o . ?text a mcl:Text ; dcterms:source ?file }""", False),
    ("""?c mcl:target ?node ; mcl:startOffset ?start ; mcl:endOffset ?end . ?holder mcl:citation ?c .
        ?holder mcl:inText?/dcterms:source ?file""", False),
)
_LOCATE_BATCH = 256  # resources per query: one query per pattern and batch, not one per resource and pattern
Location = tuple[str | None, int | None, int | None]
_NOWHERE: Location = (None, None, None)


def _is_iri(value: str | None) -> bool:
    return bool(value) and value.startswith(("http://", "https://"))  # type: ignore[union-attr]


About = Callable[[Iterable[str]], Store]  # nodes → a store of what each graph states of them (PackedDataset.about)


def locate_all(store: Store, wanted: list[tuple[str, str | None]],
               graphs: Callable[[], Store] | None = None) -> dict[tuple[str, str | None], Location]:
    """Source file and span that justify each (resource, offending value), when the graph knows
    them: the first pattern of ``_LOCATE`` that finds the resource, its least (file, start).
    Resources are looked up by batches in a ``VALUES`` block, so the cost is a few queries
    whatever the number of results (it was one query per result and pattern: 8 s of a 15 s
    validation at 1M). The patterns that name a graph ask ``graphs`` for a store of them, when
    ``store`` has no named graphs (the build's union)."""
    found: dict[tuple[str, str | None], Location] = {}
    pending = list(dict.fromkeys(key for key in wanted if _is_iri(key[0])))
    for body, with_value in _LOCATE:
        todo = [k for k in pending if k not in found and (not with_value or (_is_iri(k[1]) and k[1] != k[0]))]
        source = graphs() if "GRAPH" in body and graphs is not None and todo else store
        for i in range(0, len(todo), _LOCATE_BATCH):
            batch = todo[i:i + _LOCATE_BATCH]
            if with_value:
                rows = " ".join(f"({NamedNode(n)} {NamedNode(v)})" for n, v in batch)  # type: ignore[arg-type]
                values = f"VALUES (?node ?value) {{ {rows} }}"
            else:
                values = f"VALUES ?node {{ {' '.join(str(NamedNode(n)) for n, _ in batch)} }}"
            best: dict[tuple[str, str | None], tuple[str, int, int | None]] = {}
            asked: dict[tuple[str, str | None], list[tuple[str, str | None]]] = {}
            for n, v in batch:
                asked.setdefault((n, v if with_value else None), []).append((n, v))
            for row in source.query(f"{_PREFIXES}SELECT * WHERE {{ {values} {body} }}", use_default_graph_as_union=True):
                node = row["node"].value
                value = row["value"].value if with_value else None
                start = int(row["start"].value) if "?start" in body else None
                end = int(row["end"].value) if "?end" in body else None
                candidate = (row["file"].value, -1 if start is None else start, end)
                for key in asked.get((node, value), ()):
                    if key not in best or candidate[:2] < best[key][:2]:
                        best[key] = candidate
            for key, (file, start, end) in best.items():
                found[key] = (file, None if start < 0 else start, end)
    return found


def solutions(data: Store, c: Constraint) -> Iterator[dict[str, str]]:
    """The constraint's solutions for all focus nodes at once over ``data`` (a store whose
    default graph holds the triples, as ``union_store`` makes it), as variable → value."""
    found = data.query(constraint_query(c))
    variables = found.variables  # type: ignore[union-attr]
    for row in found:  # type: ignore[union-attr]
        yield {v.value: _term(row[v]) for v in variables if row[v] is not None}


def validate_with_oxigraph(store: Store, shapes: rdflib.Graph, base: str = DEFAULT_BASE,
                           union: Store | None = None, about: About | None = None) -> Report:
    """Each constraint as one query over the union of the store's graphs, deduplicated
    (``union``, made from ``store`` unless given; locations are looked up in ``store``, and
    in ``about`` for the patterns that need the graph stating a triple).

    Oxigraph's union default graph repeats a triple once per graph that states it, and a
    resource minted by many sources is described in each of their graphs: a constraint
    joining such triples got a row per combination of copies, so its cost grew with the
    square of the sources citing it (``no-citing-the-future``: 16 s at 100k triples, 0.2 s
    on the deduplicated union). pySHACL, the reference, sees the deduplicated union too."""
    started = time.perf_counter()
    data = union if union is not None else union_store(store)
    results: list[Diagnostic] = []
    checked = constraints(shapes)
    for c, found in zip(checked, side_by_side(lambda c: list(solutions(data, c)), checked)):
        seen = set()
        for bindings in found:
            focus = bindings.get("this", "")
            value = bindings.get("value", focus)  # SHACL: an unbound ?value is the focus node
            if (focus, value) in seen:
                continue
            seen.add((focus, value))
            results.append(Diagnostic(c.severity, _message(c.message, bindings, base), focus=focus, rule=c.rule,
                                      value=value, shape=c.shape))
    return Report(_with_locations(store, results, about), "oxigraph", time.perf_counter() - started)


def _texts(store: Store) -> set[str]:
    """Every text the store knows of (a source's text, with its file)."""
    rows = store.query(f"{_PREFIXES}SELECT DISTINCT ?text WHERE {{ ?text a mcl:Text }}", use_default_graph_as_union=True)
    return {row["text"].value for row in rows}  # type: ignore[index]


def _with_locations(store: Store, results: list[Diagnostic], about: About | None = None) -> list[Diagnostic]:
    """Each result with where its focus is stated, else where its offending value is. The
    graphs' statements are asked ``about`` once, on first need, for every focus and value,
    and for the texts that say which file each graph comes from."""
    graphs = None
    if about is not None:
        nodes = {n for r in results for n in (r.focus, r.value) if _is_iri(n)}
        graphs = cache(lambda: about(sorted(nodes | _texts(store))))
    first = locate_all(store, [(r.focus, r.value) for r in results], graphs)
    second = locate_all(store, [(r.value, None) for r in results
                                if r.value and first.get((r.focus, r.value), _NOWHERE)[0] is None], graphs)
    located = []
    for r in results:
        file, start, end = first.get((r.focus, r.value), _NOWHERE)
        if file is None and r.value:
            file, start, end = second.get((r.value, None), _NOWHERE)
        located.append(replace(r, file=file, start=start, end=end))
    return located


def validate_with_pyshacl(store: Store, shapes: rdflib.Graph, base: str = DEFAULT_BASE) -> Report:
    """The reference engine: pyshacl over an rdflib copy of the union graph."""
    import pyshacl

    started = time.perf_counter()
    data = to_rdflib(union_triples(store))
    _conforms, graph, text = pyshacl.validate(data, shacl_graph=shapes, allow_warnings=True, advanced=False,
                                               inference="none")
    if not isinstance(graph, rdflib.Graph):
        raise RuntimeError(f"pyshacl could not run the shapes: {text}")
    by_constraint = {}
    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        for c in shapes.objects(shape, SH.sparql):
            by_constraint[c] = str(shapes.value(c, MCS.rule) or shape)
    results = []
    seen = set()
    for node in graph.subjects(RDF.type, SH.ValidationResult):
        focus = str(graph.value(node, SH.focusNode))
        value_node = graph.value(node, SH.value)
        value = str(value_node) if value_node is not None else None
        constraint = graph.value(node, SH.sourceConstraint)
        rule = by_constraint.get(constraint, str(graph.value(node, SH.sourceShape)))
        if (rule, focus, value) in seen:
            continue
        seen.add((rule, focus, value))
        results.append(Diagnostic(_SEVERITY[graph.value(node, SH.resultSeverity)],
                                  str(graph.value(node, SH.resultMessage) or "").replace(id_space(base), ""),
                                  focus=focus, rule=rule, value=value, shape=str(graph.value(node, SH.sourceShape))))
    return Report(_with_locations(store, results), "pyshacl", time.perf_counter() - started)


def validate_store(store: Store, settings: Settings, engine: str = "oxigraph", union: Store | None = None,
                   about: About | None = None) -> Report:
    """Validate a store against ``settings.shapes_dir`` (``union``: its ``union_store``, when
    the caller has it already; ``about``: where the named graphs are, when ``store`` is the
    union itself, as the build has it)."""
    shapes = load_shapes(settings.shapes_dir, settings.base)
    if engine == "pyshacl":
        return validate_with_pyshacl(store, shapes, settings.base)
    return validate_with_oxigraph(store, shapes, settings.base, union, about)
