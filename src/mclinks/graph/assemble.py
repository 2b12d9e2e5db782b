"""Graph stage: an extraction becomes RDF in its own named graph (provenance).

Every citation keeps the paragraph and the character span that justify it,
so a triple can always be traced back to the words of the source.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from pyoxigraph import NamedNode, Quad

from mclinks.graph.resolve import resolve
from mclinks.identifiers import iri
from mclinks.model import Diagnostic, Extraction, Paragraph, Reference
from mclinks.registry import Registry
from mclinks.text.clean import fold
from mclinks.vocab import DCTERMS, MCL, PROV, RDF, RDFS, A, boolean, integer, language, text

_ACT_KINDS = ("preamble", "operative", "subparagraph")
_MANDATE_ACTIONS = ("requests", "invites", "urges", "encourages")
_LINK_KINDS = ("decision", "resolution", "article", "document", "meeting")
_RESPONSE_RE = re.compile(r"\b(?:en\s+reponse\s+(?:a|aux?)|in\s+response\s+to|comme\s+suite\s+aux?|pursuant\s+to)\b", re.I)


@dataclass(frozen=True)
class SourceGraph:
    """The quads of one source, its graph IRI and the problems met on the way."""

    graph: NamedNode
    quads: list[Quad]
    diagnostics: list[Diagnostic]


def source_graph_iri(base: str, extraction: Extraction) -> NamedNode:
    return NamedNode(iri(base, "source-graph", extraction.source.identifier))


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


def _responses(folded: str, p: Paragraph, refs: list[Reference]) -> list[tuple[Reference, Reference]]:
    """(answering, answered) pairs: "En reponse aux decisions X…, … dans leurs decisions Y…"."""
    m = _RESPONSE_RE.search(folded, p.start, p.end)
    if not m:
        return []
    decisions = [r for r in refs if r.kind in ("decision", "resolution") and r.start >= m.end()]
    if not decisions:
        return []
    answered_prefix = decisions[0].id.split("-")[0]
    answered = [r for r in decisions if r.id.split("-")[0] == answered_prefix]
    answering = [r for r in decisions if r.id.split("-")[0] != answered_prefix]
    return [(a, b) for a in answering for b in answered]


def _is_web_address(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not any(c.isspace() for c in value)


def _add_origin(expr: NamedNode, source: str, add: Callable[[NamedNode, NamedNode, object], None]) -> None:
    """prov:wasDerivedFrom the original: its web address, or, when the metadata only
    describes it in words, a resource of ours labelled with that description."""
    if _is_web_address(source):
        add(expr, PROV.wasDerivedFrom, NamedNode(source))
        return
    origin = NamedNode(f"{expr.value}/origin")
    add(expr, PROV.wasDerivedFrom, origin)
    add(origin, A, PROV.Entity)
    add(origin, RDFS.label, text(source))


def build_source_graph(extraction: Extraction, registry: Registry, text_body: str,
                       topics: list[tuple[str, re.Pattern[str]]], rel_path: str) -> SourceGraph:
    """Quads for one source; resources it mints land in the same named graph (each
    source that needs one describes it), never in the shared registry."""
    info = extraction.source
    base = registry.base
    g = source_graph_iri(base, extraction)
    quads: list[Quad] = []
    reg = registry.scoped(g, quads)
    diagnostics: list[Diagnostic] = []

    def add(s: NamedNode, p: NamedNode, o: object) -> None:
        quads.append(Quad(s, p, o, g))  # type: ignore[arg-type]

    lang = info.language
    if info.kind in ("decision", "resolution") and info.symbol:
        work = NamedNode(iri(base, info.kind, info.symbol))
        if not reg.knows(info.kind, info.symbol):
            from mclinks.registry import declare_act
            declare_act(reg, info.kind, info.symbol, info.meeting)
        add(work, A, MCL.Decision if info.kind == "decision" else MCL.Resolution)
        add(work, MCL.symbol, text(info.symbol))
        if info.meeting:
            add(work, MCL.adoptedAt, registry.node("meeting", info.meeting))
    elif info.kind in ("decision", "resolution"):  # an adopted act whose number is not known: not a draft
        work = NamedNode(iri(base, "unnumbered", info.identifier))
        add(work, A, MCL.UnnumberedDecision)
        if info.body:
            add(work, PROV.wasAttributedTo, registry.node("body", info.body))
        if info.meeting:
            add(work, MCL.adoptedAt, registry.node("meeting", info.meeting))
        subject = next(iter(info.title.values()), None)
        of = f" of {info.meeting}" if info.meeting else ""
        add(work, RDFS.label, text(f"Decision{of}, number unconfirmed" + (f": {subject}" if subject else ""), "en"))
    else:
        work = NamedNode(iri(base, "document", info.symbol or info.identifier))  # the IRI its citations name
        add(work, A, MCL.Note if info.kind == "note" else MCL.Document)
        if info.body:
            add(work, PROV.wasAttributedTo, registry.node("body", info.body))
        if info.meeting:
            add(work, DCTERMS.relation, registry.node("meeting", info.meeting))
        label = next(iter(info.title.values()), None) or f"{info.kind.capitalize()} {info.identifier}"
        add(work, RDFS.label, text(label, lang if info.title else None))
    for tlang, title in info.title.items():
        add(work, DCTERMS.title, text(title, tlang))
    if info.instrument:
        add(work, MCL.underInstrument, registry.node("instrument", info.instrument))
    if info.date:
        add(work, DCTERMS.date, text(info.date))

    expr = NamedNode(f"{work.value}/{lang}")
    add(work, MCL.text, expr)
    add(expr, A, MCL.Text)
    add(expr, DCTERMS.language, language(lang))
    add(expr, RDFS.label, text(f"{info.symbol or info.identifier} ({lang})"))
    add(expr, DCTERMS.source, text(rel_path))
    if info.excerpt:
        add(expr, MCL.excerpt, boolean(True))
    if info.source_url:
        _add_origin(expr, info.source_url, add)
    add(expr, MCL.characterCount, integer(len(text_body)))

    paragraphs = extraction.paragraphs
    has_act_section = any(p.kind in ("preamble", "operative") for p in paragraphs)
    act = work
    if has_act_section and info.kind not in ("decision", "resolution"):
        act = NamedNode(iri(base, "draft", info.identifier))
        add(act, A, MCL.DraftDecision)
        add(act, DCTERMS.isPartOf, work)
        where = f" for {info.meeting}" if info.meeting else ""
        where_fr = f" pour {info.meeting}" if info.meeting else ""
        subject = info.title.get("en") or ""
        add(act, RDFS.label, text(f"Draft decision{where}" + (f": {subject}" if subject else ""), "en"))
        add(act, RDFS.label, text(f"Projet de décision{where_fr}" + (f" : {info.title['fr']}" if info.title.get("fr") else ""), "fr"))
        if info.meeting:
            add(act, MCL.proposedFor, registry.node("meeting", info.meeting))
        if info.instrument:
            add(act, MCL.underInstrument, registry.node("instrument", info.instrument))

    names = _paragraph_ids(paragraphs)
    nodes = [NamedNode(f"{expr.value}/{n}") for n in names]
    folded = fold(text_body)
    for i, (p, node) in enumerate(zip(paragraphs, nodes)):
        add(node, A, MCL.Paragraph)
        add(expr, MCL.paragraph, node)
        add(node, MCL.inText, expr)
        add(node, MCL.paragraphKind, MCL[f"kind-{p.kind}"])
        add(node, MCL.startOffset, integer(p.start))
        add(node, MCL.endOffset, integer(p.end))
        add(node, RDF.value, text(text_body[p.start:p.end], lang))
        add(node, RDFS.label, text(f"{info.symbol or info.identifier} {names[i]}"))
        add(node, MCL.order, integer(i))
        if p.number:
            add(node, MCL.number, text(p.number))
        if p.kind in _ACT_KINDS:
            add(node, MCL.ofAct, act)
        if p.parent is not None:
            add(node, MCL.parentParagraph, nodes[p.parent])
        for action in p.actions:
            add(node, MCL.action, MCL[f"action-{action}"])
        for topic, pattern in topics:
            if pattern.search(folded, p.start, p.end):
                add(node, MCL.topic, MCL[f"topic-{topic}"])

    starts = [p.start for p in paragraphs]
    by_paragraph: dict[int, list[Reference]] = {}
    for k, ref in enumerate(extraction.references):
        target, problem = resolve(ref, reg, info.path)
        if problem:
            diagnostics.append(problem)
        i = _containing(paragraphs, starts, ref)
        holder = nodes[i] if i is not None else expr
        cite = NamedNode(f"{holder.value}/ref-{k}")
        add(holder, MCL.citation, cite)
        add(cite, A, MCL.Citation)
        add(cite, MCL.target, target)
        add(cite, MCL.referenceKind, text(ref.kind))
        add(cite, MCL.startOffset, integer(ref.start))
        add(cite, MCL.endOffset, integer(ref.end))
        add(cite, MCL.surfaceText, text(ref.text))
        add(cite, RDFS.label, text(f"{ref.kind} {ref.id}: «{' '.join(ref.text.split())}»"))
        if ref.part:
            add(cite, MCL.part, text(ref.part))
        para = paragraphs[i] if i is not None else None
        actions = para.actions if para and para.actions else ()
        if para and para.parent is not None and not actions:
            actions = paragraphs[para.parent].actions
        for action in actions:
            add(cite, MCL.citationType, MCL[f"action-{action}"])
        citing = act if para and para.kind in _ACT_KINDS else work
        add(cite, MCL.citingAct, citing)
        if ref.kind in _LINK_KINDS and not (ref.kind == "decision" and ref.id == info.symbol):
            add(holder, MCL.cites, target)
            add(citing, MCL.cites, target)
            if "recalls" in actions:
                add(citing, MCL.recalls, target)
        if i is not None:
            by_paragraph.setdefault(i, []).append(ref)

    for i, refs in by_paragraph.items():
        for answering, answered in _responses(folded, paragraphs[i], refs):
            a, b = reg.node(answering.kind, answering.id), reg.node(answered.kind, answered.id)
            add(a, MCL.respondsTo, b)
            add(a, PROV.wasInfluencedBy, b)
            add(nodes[i], MCL.states, a)

    for i, p in enumerate(paragraphs):
        if p.kind not in ("operative", "subparagraph") or not p.addressees:
            continue
        mandate = NamedNode(f"{nodes[i].value}/mandate")
        add(nodes[i], MCL.mandate, mandate)
        add(mandate, A, MCL.Mandate)
        add(mandate, MCL.givenBy, act)
        add(mandate, RDFS.label, text(f"Mandate of {info.symbol or info.identifier} {names[i]}"))
        for action in p.actions:
            if action in _MANDATE_ACTIONS:
                add(mandate, MCL.action, MCL[f"action-{action}"])
        for body in p.addressees:
            add(mandate, MCL.addressee, registry.node("body", body))
        family = [j for j, q in enumerate(paragraphs) if j == i or q.parent == i]
        for j in family:
            q = paragraphs[j]
            for cond in q.conditions:
                add(mandate, MCL.condition, MCL[f"condition-{cond}"])
            if q.deadline:
                add(mandate, MCL.deadline, registry.node("meeting", q.deadline))
            for ref in by_paragraph.get(j, []):
                if ref.kind == "period":
                    add(mandate, MCL.period, registry.node("period", ref.id))
    return SourceGraph(g, quads, diagnostics)


def compile_topics(patterns: list[tuple[str, str]]) -> list[tuple[str, re.Pattern[str]]]:
    return [(t, re.compile(p, re.I)) for t, p in patterns]


__all__ = ["SourceGraph", "build_source_graph", "compile_topics", "source_graph_iri"]
