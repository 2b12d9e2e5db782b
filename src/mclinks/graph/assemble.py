"""Graph stage: an extraction becomes RDF in its own named graph (provenance).

Every citation keeps the paragraph and the character span that justify it,
so a triple can always be traced back to the words of the source. The graph is
written as N-Quads text (``graph/nquads.py`` says why); one function per part
of the description: the act or document, the text, a draft decision inside a
note, the paragraphs, the citations, the responses between acts, the mandates.
"""
from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from pyoxigraph import NamedNode

from mclinks.graph.nquads import (DCTERMS, MCL, PROV, RDF, RDFS, A, Family, GraphWriter, boolean, integer, iri, literal,
                                  term)
from mclinks.graph.resolve import resolve
from mclinks.identifiers import iri as minted
from mclinks.identifiers import parse
from mclinks.model import ACT_PARAGRAPH_KINDS, MANDATE_ACTIONS, Diagnostic, Extraction, Paragraph, Reference, SourceInfo
from mclinks.registry import Registry, declare_act
from mclinks.vocab import language

_LINK_KINDS = ("decision", "resolution", "article", "document", "meeting")
_KIND, _ACTION, _TOPIC, _CONDITION = (Family(MCL, f"{name}-") for name in ("kind", "action", "topic", "condition"))


@dataclass(frozen=True)
class SourceGraph:
    """The N-Quads of one source, its graph IRI and the problems met on the way."""

    graph: NamedNode
    data: bytes  # distinct lines
    quads: int  # how many
    diagnostics: list[Diagnostic]


def source_graph_iri(base: str, extraction: Extraction) -> NamedNode:
    return NamedNode(minted(base, "source-graph", extraction.source.identifier))


@dataclass
class _Source:
    """What the parts of one source's description share while it is written."""

    info: SourceInfo
    base: str
    reg: Registry  # scoped to the source: what it mints lands in ``minted``
    out: GraphWriter
    body: str
    rel_path: str  # the text's path in the project, as the release names it
    minted: list[str] = field(default_factory=list)  # N-Quads lines
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def node(self, kind: str, id_: str) -> str:
        return iri(minted(self.base, kind, id_))

    def label(self) -> str:
        return self.info.symbol or self.info.identifier


def _paragraph_ids(paragraphs: tuple[Paragraph, ...]) -> list[str]:
    """Stable local names: 'operative-4', 'operative-4-c', 'preamble-2', 'footnote-3'."""
    counts: dict[str, int] = {}
    names: list[str] = []
    for p in paragraphs:
        if p.kind == "subparagraph" and p.parent is not None and p.number:
            names.append(f"{names[p.parent]}-{p.number}")
            continue
        counts[p.kind] = counts.get(p.kind, 0) + 1
        local = p.number if p.number and p.kind in ("operative", "footnote") else str(counts[p.kind])
        name = f"{p.kind}-{local}"
        while name in names:
            name += "b"
        names.append(name)
    return names


def _containing(paragraphs: tuple[Paragraph, ...], starts: list[int], ref: Reference) -> int | None:
    i = bisect.bisect_right(starts, ref.start) - 1
    if i >= 0 and paragraphs[i].start <= ref.start < paragraphs[i].end:
        return i
    return None


def _is_web_address(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not any(c.isspace() for c in value)


def _work(src: _Source) -> str:
    """The act or document the source is the text of, with its metadata; its IRI value."""
    info, add, base = src.info, src.out.add, src.base
    if info.kind in ("decision", "resolution") and info.symbol:
        value = minted(base, info.kind, info.symbol)
        work = iri(value)
        if not src.reg.knows(info.kind, info.symbol):
            declare_act(src.reg, info.kind, info.symbol, info.meeting)
        add(work, A, MCL.Decision if info.kind == "decision" else MCL.Resolution)
        add(work, MCL.symbol, literal(info.symbol))
        if info.meeting:
            add(work, MCL.adoptedAt, src.node("meeting", info.meeting))
    elif info.kind in ("decision", "resolution"):  # an adopted act whose number is not known: not a draft
        value = minted(base, "unnumbered", info.identifier)
        work = iri(value)
        add(work, A, MCL.UnnumberedDecision)
        if info.body:
            add(work, PROV.wasAttributedTo, src.node("body", info.body))
        if info.meeting:
            add(work, MCL.adoptedAt, src.node("meeting", info.meeting))
        subject = next(iter(info.title.values()), None)
        of = f" of {info.meeting}" if info.meeting else ""
        add(work, RDFS.label, literal(f"Decision{of}, number unconfirmed" + (f": {subject}" if subject else ""), "en"))
    else:
        value = minted(base, "document", info.symbol or info.identifier)  # the IRI its citations name
        work = iri(value)
        add(work, A, MCL.Note if info.kind == "note" else MCL.Document)
        if info.body:
            add(work, PROV.wasAttributedTo, src.node("body", info.body))
        if info.meeting:
            add(work, DCTERMS.relation, src.node("meeting", info.meeting))
        label = next(iter(info.title.values()), None) or f"{info.kind.capitalize()} {info.identifier}"
        add(work, RDFS.label, literal(label, info.language if info.title else None))
    for tlang, title in info.title.items():
        add(work, DCTERMS.title, literal(title, tlang))
    if info.instrument:
        add(work, MCL.underInstrument, src.node("instrument", info.instrument))
    if info.date:
        add(work, DCTERMS.date, literal(info.date))
    return value


def _text(src: _Source, work: str) -> str:
    """The expression (the text in one language) and where it was read from; its IRI value."""
    info, add = src.info, src.out.add
    value = f"{work}/{info.language}"
    expr = iri(value)
    add(iri(work), MCL.text, expr)
    add(expr, A, MCL.Text)
    add(expr, DCTERMS.language, term(language(info.language)))
    add(expr, RDFS.label, literal(f"{src.label()} ({info.language})"))
    add(expr, DCTERMS.source, literal(src.rel_path))
    if info.excerpt:
        add(expr, MCL.excerpt, boolean(True))
    if info.source_url:
        _origin(add, value, info.source_url)
    add(expr, MCL.characterCount, integer(len(src.body)))
    return value


def _origin(add: Callable[[str, str, str], None], expr_value: str, source: str) -> None:
    """prov:wasDerivedFrom the original: its web address, or, when the metadata only
    describes it in words, a resource of ours labelled with that description."""
    expr = iri(expr_value)
    if _is_web_address(source):
        add(expr, PROV.wasDerivedFrom, term(NamedNode(source)))  # NamedNode: checked here, where the file is known
        return
    origin = iri(f"{expr_value}/origin")
    add(expr, PROV.wasDerivedFrom, origin)
    add(origin, A, PROV.Entity)
    add(origin, RDFS.label, literal(source))


def _act(src: _Source, work: str, paragraphs: tuple[Paragraph, ...]) -> str:
    """What the operative part belongs to: the work itself, or, for a note or document that
    holds a draft decision, that draft; its IRI value."""
    info, add, base = src.info, src.out.add, src.base
    if not any(p.kind in ("preamble", "operative") for p in paragraphs) or (parse(work, base) or ("",))[0] != "document":
        return work
    value = minted(base, "draft", info.identifier)
    act = iri(value)
    add(act, A, MCL.DraftDecision)
    add(act, DCTERMS.isPartOf, iri(work))
    where = f" for {info.meeting}" if info.meeting else ""
    where_fr = f" pour {info.meeting}" if info.meeting else ""
    subject = info.title.get("en") or ""
    add(act, RDFS.label, literal(f"Draft decision{where}" + (f": {subject}" if subject else ""), "en"))
    add(act, RDFS.label, literal(f"Projet de décision{where_fr}" + (f" : {info.title['fr']}" if info.title.get("fr") else ""), "fr"))
    if info.meeting:
        add(act, MCL.proposedFor, src.node("meeting", info.meeting))
    if info.instrument:
        add(act, MCL.underInstrument, src.node("instrument", info.instrument))
    return value


def _paragraphs(src: _Source, expr: str, act: str, paragraphs: tuple[Paragraph, ...], names: list[str],
                terms: list[str]) -> None:
    """Each paragraph: its kind, span, words, order, number, actions and topics."""
    add, lang, label, body = src.out.add, src.info.language, src.label(), src.body
    text_node, act_node = iri(expr), iri(act)
    for i, (p, node) in enumerate(zip(paragraphs, terms)):
        add(node, A, MCL.Paragraph)
        add(text_node, MCL.paragraph, node)
        add(node, MCL.inText, text_node)
        add(node, MCL.paragraphKind, _KIND[p.kind])
        add(node, MCL.startOffset, integer(p.start))
        add(node, MCL.endOffset, integer(p.end))
        add(node, RDF.value, literal(body[p.start:p.end], lang))
        add(node, RDFS.label, literal(f"{label} {names[i]}"))
        add(node, MCL.order, integer(i))
        if p.number:
            add(node, MCL.number, literal(p.number))
        if p.kind in ACT_PARAGRAPH_KINDS:
            add(node, MCL.ofAct, act_node)
        if p.parent is not None:
            add(node, MCL.parentParagraph, terms[p.parent])
        for action in p.actions:
            add(node, MCL.action, _ACTION[action])
        for topic in p.topics:
            add(node, MCL.topic, _TOPIC[topic])


def _citations(src: _Source, extraction: Extraction, work: str, expr: str, act: str,
               nodes: list[str], terms: list[str]) -> dict[int, list[Reference]]:
    """A citation per reference, in the paragraph that holds it, with its target and the
    act that cites; returns the references of each paragraph. (``terms`` are ``nodes`` as
    N-Quads terms, and the three terms below are made once: a source has many references.)"""
    add, info, paragraphs = src.out.add, src.info, extraction.paragraphs
    work_term, expr_term, act_term = iri(work), iri(expr), iri(act)
    starts = [p.start for p in paragraphs]
    by_paragraph: dict[int, list[Reference]] = {}
    for k, ref in enumerate(extraction.references):
        target_node, problem = resolve(ref, src.reg, info.path)
        if problem:
            src.diagnostics.append(problem)
        target = iri(target_node.value)
        i = _containing(paragraphs, starts, ref)
        holder_value, holder = (nodes[i], terms[i]) if i is not None else (expr, expr_term)
        cite = iri(f"{holder_value}/ref-{k}")
        add(holder, MCL.citation, cite)
        add(cite, A, MCL.Citation)
        add(cite, MCL.target, target)
        add(cite, MCL.referenceKind, literal(ref.kind))
        add(cite, MCL.startOffset, integer(ref.start))
        add(cite, MCL.endOffset, integer(ref.end))
        add(cite, MCL.surfaceText, literal(ref.text))
        add(cite, RDFS.label, literal(f"{ref.kind} {ref.id}: «{' '.join(ref.text.split())}»"))
        if ref.part:
            add(cite, MCL.part, literal(ref.part))
        para = paragraphs[i] if i is not None else None
        actions = para.actions if para and para.actions else ()
        if para and para.parent is not None and not actions:
            actions = paragraphs[para.parent].actions
        for action in actions:
            add(cite, MCL.citationType, _ACTION[action])
        citing = act_term if para and para.kind in ACT_PARAGRAPH_KINDS else work_term
        add(cite, MCL.citingAct, citing)
        if ref.kind in _LINK_KINDS and not (ref.kind == "decision" and ref.id == info.symbol):
            add(holder, MCL.cites, target)
            add(citing, MCL.cites, target)
            if "recalls" in actions:
                add(citing, MCL.recalls, target)
        if i is not None:
            by_paragraph.setdefault(i, []).append(ref)
    return by_paragraph


def _responses(src: _Source, extraction: Extraction, nodes: list[str]) -> None:
    """Acts that a paragraph says answer others ("in response to …", found by the text stage)."""
    add, refs = src.out.add, extraction.references
    for i, p in enumerate(extraction.paragraphs):
        for answering, answered in p.responses:
            a = src.node(refs[answering].kind, refs[answering].id)
            b = src.node(refs[answered].kind, refs[answered].id)
            add(a, MCL.respondsTo, b)
            add(a, PROV.wasInfluencedBy, b)
            add(iri(nodes[i]), MCL.states, a)


def _mandates(src: _Source, act: str, paragraphs: tuple[Paragraph, ...], names: list[str], nodes: list[str],
              by_paragraph: dict[int, list[Reference]]) -> None:
    """An operative paragraph that addresses bodies gives them a mandate: its actions, the
    conditions, deadline and period of the paragraph and its sub-paragraphs."""
    add = src.out.add
    for i, p in enumerate(paragraphs):
        if p.kind not in ("operative", "subparagraph") or not p.addressees:
            continue
        mandate = iri(f"{nodes[i]}/mandate")
        add(iri(nodes[i]), MCL.mandate, mandate)
        add(mandate, A, MCL.Mandate)
        add(mandate, MCL.givenBy, iri(act))
        add(mandate, RDFS.label, literal(f"Mandate of {src.label()} {names[i]}"))
        for action in p.actions:
            if action in MANDATE_ACTIONS:
                add(mandate, MCL.action, _ACTION[action])
        for body in p.addressees:
            add(mandate, MCL.addressee, src.node("body", body))
        family = [j for j, q in enumerate(paragraphs) if j == i or q.parent == i]
        for j in family:
            q = paragraphs[j]
            for cond in q.conditions:
                add(mandate, MCL.condition, _CONDITION[cond])
            if q.deadline:
                add(mandate, MCL.deadline, src.node("meeting", q.deadline))
            for ref in by_paragraph.get(j, []):
                if ref.kind == "period":
                    add(mandate, MCL.period, src.node("period", ref.id))


def build_source_graph(extraction: Extraction, registry: Registry, text_body: str, rel_path: str) -> SourceGraph:
    """The named graph of one source as N-Quads; resources it mints land in the same graph
    (each source that needs one describes it), never in the shared registry."""
    g = source_graph_iri(registry.base, extraction)
    minted_lines: list[str] = []
    src = _Source(extraction.source, registry.base, registry.scoped(g, minted_lines), GraphWriter(g.value), text_body,
                  rel_path, minted_lines)
    paragraphs = extraction.paragraphs
    work = _work(src)
    expr = _text(src, work)
    act = _act(src, work, paragraphs)
    names = _paragraph_ids(paragraphs)
    nodes = [f"{expr}/{n}" for n in names]
    terms = [iri(value) for value in nodes]
    _paragraphs(src, expr, act, paragraphs, names, terms)
    by_paragraph = _citations(src, extraction, work, expr, act, nodes, terms)
    _responses(src, extraction, nodes)
    _mandates(src, act, paragraphs, names, nodes, by_paragraph)
    src.out.extend(minted_lines)
    return SourceGraph(g, *src.out.distinct(), src.diagnostics)


__all__ = ["SourceGraph", "build_source_graph", "source_graph_iri"]
