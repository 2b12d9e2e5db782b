"""Resolve reference ids to IRIs of the registry, minting typed resources for
well-formed ids the registry does not hold yet (a decision the facts never
listed, the meeting after the adopting one). An id that cannot stand for a
real resource (article 40 of the Minamata Convention) stays unminted: the
reference then dangles, and SHACL reports it.
"""
from __future__ import annotations

from pyoxigraph import NamedNode

from mclinks.identifiers import ARTICLE_RE, adopting_meeting, is_well_formed
from mclinks.model import Diagnostic, Reference
from mclinks.registry import Registry, declare_act, declare_document, declare_meeting
from mclinks.vocab import MCL, RDFS, A, date, text

_MINAMATA_ANNEXES = set("ABCDE")


def _mint_article(reg: Registry, id_: str) -> bool:
    m = ARTICLE_RE.fullmatch(id_)
    if not m:
        return False
    inst = m.group("inst")
    if not reg.knows("instrument", inst):
        return False
    if m.group("annex"):
        if inst == "minamata" and m.group("annex") not in _MINAMATA_ANNEXES:
            return False
        if not reg.knows("article", id_):
            node = reg.declare("article", id_)
            reg.add(node, A, MCL.Annex)
            reg.add(node, MCL.partOf, reg.node("instrument", inst))
            reg.add(node, RDFS.label, text(f"Annex {m.group('annex')} ({inst})", "en"))
        return True
    article = f"{inst}/art{int(m.group('art'))}"
    if not reg.knows("article", article):
        if inst == "minamata":
            return False  # the registry holds all 35 articles: this one does not exist
        node = reg.declare("article", article)
        reg.add(node, A, MCL.Article)
        reg.add(node, MCL.number, text(str(int(m.group("art")))))
        reg.add(node, MCL.partOf, reg.node("instrument", inst))
        reg.add(node, RDFS.label, text(f"Article {int(m.group('art'))} ({inst})", "en"))
    if m.group("para") and not reg.knows("article", id_):
        node = reg.declare("article", id_)
        para = int(m.group("para"))
        reg.add(node, A, MCL.ArticleParagraph)
        reg.add(node, MCL.number, text(str(para)))
        reg.add(node, MCL.partOf, reg.node("article", article))
        reg.add(node, RDFS.label, text(f"Article {int(m.group('art'))}, paragraph {para} ({inst})", "en"))
        reg.add(node, RDFS.label, text(f"Article {int(m.group('art'))}, paragraphe {para} ({inst})", "fr"))
    return True


def _mint(reg: Registry, ref: Reference) -> bool:
    """Make sure a resource for ``ref`` exists; False when it cannot."""
    kind, id_ = ref.kind, ref.id
    if reg.knows(kind, id_):
        return True
    if kind == "article":
        return _mint_article(reg, id_)
    if not is_well_formed(kind, id_) or kind in ("instrument", "body"):
        return False
    if kind == "decision":
        meeting = adopting_meeting(kind, id_)
        if meeting and not reg.knows("meeting", meeting):
            declare_meeting(reg, meeting)
        declare_act(reg, "decision", id_, meeting)
    elif kind == "resolution":
        meeting = adopting_meeting(kind, id_)
        if meeting and not reg.knows("meeting", meeting):
            declare_meeting(reg, meeting)
        declare_act(reg, "resolution", id_, meeting)
    elif kind == "meeting":
        declare_meeting(reg, id_)
    elif kind == "document":
        declare_document(reg, id_)
    elif kind == "period":
        y1, y2 = id_.split("-")
        node = reg.declare("period", id_)
        reg.add(node, A, MCL.Period)
        reg.add(node, RDFS.label, text(f"Biennium {id_}", "en"))
        reg.add(node, RDFS.label, text(f"Période biennale {id_}", "fr"))
        reg.add(node, MCL.startDate, date(f"{y1}-01-01"))
        reg.add(node, MCL.endDate, date(f"{y2}-12-31"))
    else:
        return False
    return True


def resolve(ref: Reference, reg: Registry, file: str) -> tuple[NamedNode, Diagnostic | None]:
    """The IRI ``ref`` points to, and a diagnostic when nothing real stands behind it."""
    node = reg.node(ref.kind, ref.id)
    if _mint(reg, ref):
        return node, None
    return node, Diagnostic("warning", f"{ref.kind} {ref.id!r} ({ref.text!r}) resolves to nothing in the registry",
                            file=file, start=ref.start, end=ref.end, focus=node.value, rule="resolve")
