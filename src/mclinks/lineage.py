"""Decision lineage: who cites, recalls or answers whom, hop by hop, each edge
with its type and the paragraph and words that make it. Runs on any endpoint
(one query per act visited), and draws the result as a tree, JSON, DOT,
SVG or HTML.
"""
from __future__ import annotations

import html
import json
from collections import deque
from dataclasses import dataclass, field

from .endpoint import Endpoint
from .errors import MclinksError
from .queries import CannedQuery

_ACT_KINDS = {"decision", "resolution"}


@dataclass(frozen=True)
class Edge:
    source: str  # the citing act
    target: str  # the cited resource
    type: str
    kind: str
    paragraph: str | None
    words: str | None
    start: int | None
    end: int | None
    file: str | None

    def to_json(self) -> dict[str, object]:
        return {k: getattr(self, k) for k in ("source", "target", "type", "kind", "paragraph", "words", "start", "end", "file")}


@dataclass
class Lineage:
    root: str
    labels: dict[str, str] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)

    def label(self, iri: str) -> str:
        return self.labels.get(iri) or iri.rsplit("/id/", 1)[-1]

    def to_json(self) -> dict[str, object]:
        return {"root": self.root, "nodes": [{"iri": n, "label": self.label(n)} for n in self.nodes()],
                "edges": [e.to_json() for e in self.edges]}

    def nodes(self) -> list[str]:
        seen = {self.root: None}
        for e in self.edges:
            seen.setdefault(e.source, None)
            seen.setdefault(e.target, None)
        return list(seen)


RESOLVE_ACT = """
PREFIX mcl: <https://w3id.org/mclinks/ontology#>
SELECT DISTINCT ?act WHERE {
  { ?act mcl:symbol "%(s)s" . ?act a ?t . FILTER (?t IN (mcl:Decision, mcl:Resolution)) }
  UNION { ?act a mcl:DraftDecision ; mcl:proposedFor/mcl:symbol "%(m)s" }
  UNION { ?act a mcl:DraftDecision . FILTER (STRENDS(STR(?act), "/%(s)s")) }
  UNION { ?act a ?t . FILTER (STR(?act) = "%(s)s") }
} ORDER BY ?act
"""


def resolve_act(endpoint: Endpoint, name: str) -> str:
    """An IRI for SYMBOL ('MC-1/21'), 'draft:MC-COP-6' (the draft for a meeting), a source id or an IRI."""
    safe = name.replace("\\", "").replace('"', "")
    # Not a draft: the meeting branch looks for the symbol "", which nothing has
    # (a NUL there, as before, made Virtuoso refuse the whole query: SQ074).
    meeting = safe.split(":", 1)[1] if safe.startswith("draft:") else ""
    _, rows = endpoint.select(RESOLVE_ACT % {"s": safe, "m": meeting})
    if not rows:
        raise MclinksError(f"no decision, resolution or draft decision is known as {name!r}")
    return str(rows[0]["act"])


def trace(endpoint: Endpoint, edges_query: CannedQuery, root: str, base: str,
          up: bool = True, down: bool = True, depth: int = 3) -> Lineage:
    """Breadth-first over ``lineage-edges`` from ``root``, up to ``depth`` hops each way."""
    lineage = Lineage(root)
    seen_edges: set[tuple[str, str, str, int | None]] = set()
    for direction, wanted in (("up", up), ("down", down)):
        if not wanted:
            continue
        queue: deque[tuple[str, int]] = deque([(root, 0)])
        visited = {root}
        while queue:
            act, level = queue.popleft()
            if level >= depth:
                continue
            _, rows = endpoint.select(edges_query.bind({"act": act}, base))
            for row in rows:
                if row["direction"] != direction:
                    continue
                start = int(row["start"]) if row.get("start") else None
                edge = Edge(str(row["from"]), str(row["to"]), str(row["linkType"]), str(row["toKind"]),
                            row.get("paragraph"), row.get("words"), start,
                            int(row["end"]) if row.get("end") else None, row.get("file"))
                key = (edge.source, edge.target, edge.type, edge.start)
                if key in seen_edges:
                    continue
                seen_edges.add(key)
                lineage.edges.append(edge)
                for iri, lab in ((edge.source, row.get("fromLabel")), (edge.target, row.get("toLabel"))):
                    if lab and iri not in lineage.labels:
                        lineage.labels[iri] = str(lab)
                nxt = edge.target if direction == "up" else edge.source
                if nxt not in visited and (direction == "down" or edge.kind in _ACT_KINDS):
                    visited.add(nxt)
                    queue.append((nxt, level + 1))
    return lineage


def as_tree(lineage: Lineage) -> str:
    """Indented text: what the root cites (↑), and what cites it (↓); each act expanded once."""
    lines = [lineage.label(lineage.root)]

    def walk(node: str, indent: int, up: bool, expanded: set[str]) -> None:
        for e in lineage.edges:
            here, there = (e.source, e.target) if up else (e.target, e.source)
            if here != node:
                continue
            words = " ".join((e.words or "").split())
            where = f"  [{e.file}:{e.start}-{e.end}] «{words}»" if e.file else ""
            again = " (see above)" if there in expanded else ""
            lines.append(f"{'    ' * indent}{e.type} → {lineage.label(there)}{again}{where}")
            if not again:
                expanded.add(there)
                walk(there, indent + 1, up, expanded)

    for up, heading in ((True, "↑ cites"), (False, "↓ cited by")):
        lines.append(f"  {heading}")
        walk(lineage.root, 1, up, {lineage.root})
    return "\n".join(lines)


def as_dot(lineage: Lineage) -> str:
    out = ["digraph lineage {", "  rankdir=BT;", '  node [shape=box, fontname="sans-serif"];']
    for n in lineage.nodes():
        style = ", style=bold" if n == lineage.root else ""
        out.append(f'  "{n}" [label="{lineage.label(n)}"{style}];')
    for e in lineage.edges:
        out.append(f'  "{e.source}" -> "{e.target}" [label="{e.type}"];')
    out.append("}")
    return "\n".join(out)


def as_svg(lineage: Lineage) -> str:
    """A layered picture: the root in the middle row, what it cites above, what cites it below."""
    level: dict[str, int] = {lineage.root: 0}
    changed = True
    while changed:
        changed = False
        for e in lineage.edges:
            if e.source in level and e.target not in level:
                level[e.target] = level[e.source] - 1
                changed = True
            elif e.target in level and e.source not in level:
                level[e.source] = level[e.target] + 1
                changed = True
    rows: dict[int, list[str]] = {}
    for n in lineage.nodes():
        rows.setdefault(level.get(n, 0), []).append(n)
    width, box_w, box_h, gap_y = 200, 180, 34, 90
    cols = max(len(v) for v in rows.values())
    levels = sorted(rows)
    pos = {}
    for r, lv in enumerate(levels):
        for c, n in enumerate(sorted(rows[lv], key=lineage.label)):
            pos[n] = (20 + c * width, 20 + r * gap_y)
    w, h = 40 + cols * width, 40 + len(levels) * gap_y
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="sans-serif" font-size="12">',
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse">'
             '<path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker></defs>']
    for e in lineage.edges:
        (x1, y1), (x2, y2) = pos[e.source], pos[e.target]
        title = html.escape(f"{e.type}: {' '.join((e.words or '').split())} ({e.file}:{e.start}-{e.end})")
        parts.append(f'<g class="edge"><title>{title}</title><line x1="{x1 + box_w / 2}" y1="{y1}" x2="{x2 + box_w / 2}" '
                     f'y2="{y2 + box_h}" stroke="#555" marker-end="url(#arrow)"/>'
                     f'<text x="{(x1 + x2) / 2 + box_w / 2 + 4}" y="{(y1 + y2 + box_h) / 2}" fill="#333">{html.escape(e.type)}</text></g>')
    for n, (x, y) in pos.items():
        fill = "#ffe8a3" if n == lineage.root else "#e8f0fe"
        parts.append(f'<g class="node"><a href="{html.escape(n)}"><rect x="{x}" y="{y}" width="{box_w}" height="{box_h}" rx="6" '
                     f'fill="{fill}" stroke="#345"/><text x="{x + box_w / 2}" y="{y + 21}" text-anchor="middle">'
                     f'{html.escape(lineage.label(n)[:28])}</text></a></g>')
    parts.append("</svg>")
    return "\n".join(parts)


def as_html(lineage: Lineage) -> str:
    rows = "\n".join(
        f"<tr><td>{html.escape(lineage.label(e.source))}</td><td>{html.escape(e.type)}</td>"
        f"<td>{html.escape(lineage.label(e.target))}</td><td>«{html.escape(' '.join((e.words or '').split()))}»</td>"
        f"<td>{html.escape(str(e.file or ''))}:{e.start}-{e.end}</td></tr>" for e in lineage.edges)
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Lineage of {html.escape(lineage.label(lineage.root))}</title></head>"
            f"<body><h1>Lineage of {html.escape(lineage.label(lineage.root))}</h1>{as_svg(lineage)}"
            f"<table><thead><tr><th>from</th><th>link</th><th>to</th><th>words</th><th>where</th></tr></thead><tbody>{rows}</tbody></table></body></html>")


def render(lineage: Lineage, fmt: str) -> str:
    return {"tree": as_tree, "dot": as_dot, "svg": as_svg, "html": as_html,
            "json": lambda lin: json.dumps(lin.to_json(), ensure_ascii=False, indent=1)}[fmt](lineage)
