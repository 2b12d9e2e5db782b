"""Decision lineage: who cites, recalls or answers whom, hop by hop, each edge
with its type and the paragraph and words that make it. Runs on any endpoint
(one query per level of the family, ``family.py``), and draws the result as a tree, JSON, DOT,
SVG or HTML.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from mclinks.errors import MclinksError
from mclinks.query.family import NODE_FACTS, edges_by_act, select_for
from mclinks.store.endpoint import Endpoint, Row

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


@dataclass(frozen=True)
class ActFacts:
    """What the family picture says of each act beside its label."""

    has_text: bool = False  # False: known only because a text cites it
    date: str | None = None  # the adopting (or, for a draft, receiving) meeting's first day
    instrument: str | None = None  # the instrument's IRI


@dataclass
class Lineage:
    root: str
    labels: dict[str, str] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    facts: dict[str, ActFacts] = field(default_factory=dict)
    truncated: bool = False  # the family was cut at ``trace``'s ``max_acts``

    def label(self, iri: str) -> str:
        return self.labels.get(iri) or iri.rsplit("/id/", 1)[-1]

    def fact(self, iri: str) -> ActFacts:
        return self.facts.get(iri, ActFacts())

    def to_json(self) -> dict[str, object]:
        return {"root": self.root, "truncated": self.truncated,
                "nodes": [{"iri": n, "label": self.label(n), "has_text": self.fact(n).has_text,
                           "date": self.fact(n).date, "instrument": self.fact(n).instrument} for n in self.nodes()],
                "edges": [e.to_json() for e in self.edges]}

    def timeline(self) -> list[tuple[str, list[str]]]:
        """The family's acts by instrument, each list in meeting order (undated last)."""
        groups: dict[str, list[str]] = {}
        for n in self.nodes():
            inst = self.fact(n).instrument
            groups.setdefault(inst.rsplit("/", 1)[-1] if inst else "other", []).append(n)
        return [(inst, sorted(acts, key=lambda a: (self.fact(a).date or "9999", self.label(a))))
                for inst, acts in sorted(groups.items())]

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


def act_facts(endpoint: Endpoint, acts: list[str]) -> tuple[dict[str, str], dict[str, ActFacts]]:
    """The label (English or untagged first), text, date and instrument of each act: one
    query per 200 acts, whatever the size of the graph."""
    values: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for row in select_for(endpoint, NODE_FACTS, acts):
        values.setdefault((str(row["act"]), str(row["what"])), set()).add((str(row["value"]), row.get("lang") or ""))
    labels, facts = {}, {}
    for act in acts:
        names = values.get((act, "label"), set())
        preferred = sorted(v for v, lang in names if lang in ("en", "")) or sorted(v for v, _ in names)
        if preferred:
            labels[act] = preferred[0]
        dates = sorted(v for v, _ in values.get((act, "date"), ()))
        instruments = sorted(v for v, _ in values.get((act, "instrument"), ()))
        facts[act] = ActFacts(bool(values.get((act, "text"))), dates[0] if dates else None,
                              instruments[0] if instruments else None)
    return labels, facts


def trace(endpoint: Endpoint, root: str, up: bool = True, down: bool = True, depth: int = 20,
          max_acts: int | None = None) -> Lineage:
    """The family of ``root``: breadth-first, up to ``depth`` hops each way; going up, the
    acts that answer each ancestor (responds-to) come along. One query per level and
    direction (``family.py``), so the cost follows the family, not the graph. With
    ``max_acts``, at most that many acts are expanded each way, nearest first, and
    ``truncated`` says so: what a page can afford when a family is large."""
    lineage = Lineage(root)
    seen_edges: set[tuple[str, str, str, int | None]] = set()
    for direction, wanted in (("up", up), ("down", down)):
        if not wanted:
            continue
        visited = {root}
        level, expanded, frontier, cut = 0, 0, [root], False
        while frontier and level < depth and not cut:
            if max_acts is not None and len(frontier) > max_acts - expanded:
                cut = lineage.truncated = True
                frontier = frontier[:max_acts - expanded]
            rows_by_act = edges_by_act(endpoint, frontier, direction)
            expanded += len(frontier)
            following: list[str] = []
            for act in frontier:
                for row in rows_by_act[act]:
                    edge = _edge(row)
                    key = (edge.source, edge.target, edge.type, edge.start)
                    if key in seen_edges:
                        continue
                    seen_edges.add(key)
                    lineage.edges.append(edge)
                    answers = row["direction"] != direction  # an act answering an ancestor: shown, not followed
                    nxt = edge.target if direction == "up" else edge.source
                    if not answers and nxt not in visited and (direction == "down" or edge.kind in _ACT_KINDS):
                        visited.add(nxt)
                        following.append(nxt)
            frontier, level = following, level + 1
    lineage.labels, lineage.facts = act_facts(endpoint, lineage.nodes())
    return lineage


def _edge(row: Row) -> Edge:
    return Edge(str(row["from"]), str(row["to"]), str(row["linkType"]), str(row["toKind"]), row.get("paragraph"),
                row.get("words"), int(row["start"]) if row.get("start") else None,
                int(row["end"]) if row.get("end") else None, row.get("file"))


def as_tree(lineage: Lineage) -> str:
    """Indented text: what the root cites (↑) with the acts that answer each ancestor (⇠),
    and what cites it (↓); each act expanded once."""
    lines = [lineage.label(lineage.root)]

    def where(e: Edge) -> str:
        words = " ".join((e.words or "").split())
        return f"  [{e.file}:{e.start}-{e.end}] «{words}»" if e.file else ""

    def walk(node: str, indent: int, up: bool, expanded: set[str]) -> None:
        pad = "    " * indent
        for e in lineage.edges:
            here, there = (e.source, e.target) if up else (e.target, e.source)
            if here != node:
                continue
            again = " (see above)" if there in expanded else ""
            lines.append(f"{pad}{e.type} → {lineage.label(there)}{_only_cited(lineage, there)}{again}{where(e)}")
            if not again:
                expanded.add(there)
                walk(there, indent + 1, up, expanded)
        if up:
            for e in lineage.edges:
                if e.target == node and e.type == "responds-to" and e.source != lineage.root:
                    lines.append(f"{pad}answered by ⇠ {lineage.label(e.source)}{_only_cited(lineage, e.source)}{where(e)}")

    for up, heading in ((True, "↑ cites"), (False, "↓ cited by")):
        lines.append(f"  {heading}")
        walk(lineage.root, 1, up, {lineage.root})
    return "\n".join(lines)


def _only_cited(lineage: Lineage, iri: str) -> str:
    return "" if lineage.fact(iri).has_text or iri not in lineage.facts else " [known only by citation]"


def as_dot(lineage: Lineage) -> str:
    out = ["digraph lineage {", "  rankdir=BT;", '  node [shape=box, fontname="sans-serif"];']
    for n in lineage.nodes():
        style = ", style=bold" if n == lineage.root else ", style=dashed" if _only_cited(lineage, n) else ""
        out.append(f'  {json.dumps(n)} [label={json.dumps(lineage.label(n))}{style}];')
    for e in lineage.edges:
        out.append(f'  {json.dumps(e.source)} -> {json.dumps(e.target)} [label={json.dumps(e.type)}];')
    out.append("}")
    return "\n".join(out)


@dataclass(frozen=True)
class _Box:
    iri: str
    href: str
    lines: tuple[str, ...]
    x: float
    y: float
    w: float
    h: float
    root: bool
    only_cited: bool


_EDGE_COLOURS = {"recalls": "#3465a4", "responds-to": "#c4520c", "requests": "#4e9a06", "cites": "#555",
                 "takes-note": "#75507b", "welcomes": "#75507b", "decides": "#a40000"}


def _levels(lineage: Lineage) -> dict[str, int]:
    """Rows of the picture: the root at 0, what it cites above (negative), what cites it below."""
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
    return level


def _wrap(text: str, width: int = 24) -> tuple[str, ...]:
    import textwrap
    return tuple(textwrap.wrap(text, width)) or ("",)


def svg_layout(lineage: Lineage, href: "Callable[[str], str]" = lambda iri: iri) -> dict[str, object]:
    """Boxes and edges placed for the SVG template: rows by level, full labels wrapped."""
    level = _levels(lineage)
    rows: dict[int, list[str]] = {}
    for n in lineage.nodes():
        rows.setdefault(level.get(n, 0), []).append(n)
    box_w, gap_x, gap_y, line_h = 190, 24, 70, 15
    boxes: dict[str, _Box] = {}
    y = 10.0
    width = 0.0
    for lv in sorted(rows):
        members = sorted(rows[lv], key=lambda n: (lineage.fact(n).date or "9999", lineage.label(n)))
        wrapped = {n: _wrap(lineage.label(n) + (" · cited only" if _only_cited(lineage, n) else "")) for n in members}
        row_h = max(len(w) for w in wrapped.values()) * line_h + 14
        for c, n in enumerate(members):
            boxes[n] = _Box(n, href(n), wrapped[n], 10 + c * (box_w + gap_x), y, box_w, row_h, n == lineage.root,
                            bool(_only_cited(lineage, n)))
        width = max(width, 10 + len(members) * (box_w + gap_x))
        y += row_h + gap_y
    edges = []
    for e in lineage.edges:
        a, b = boxes[e.source], boxes[e.target]
        x1, y1 = a.x + a.w / 2, a.y if b.y < a.y else a.y + a.h
        x2, y2 = b.x + b.w / 2, b.y + b.h if b.y < a.y else b.y
        if a.y == b.y:  # same row (an answer beside what it answers): arc above both
            y1, y2 = a.y, b.y
        bend = (y2 - y1) / 2 if a.y != b.y else -gap_y / 2
        edges.append({"d": f"M {x1:.0f} {y1:.0f} C {x1:.0f} {y1 + bend:.0f}, {x2:.0f} {y2 - bend if a.y != b.y else y2 + bend:.0f}, "
                           f"{x2:.0f} {y2:.0f}",
                      "colour": _EDGE_COLOURS.get(e.type, "#555"), "type": e.type,
                      "title": f"{e.type}: {' '.join((e.words or '').split())} ({e.file}:{e.start}-{e.end})"})
    types = sorted({e.type for e in lineage.edges})
    return {"boxes": list(boxes.values()), "edges": edges, "width": max(width, 200), "height": y - gap_y + 20,
            "legend": [(t, _EDGE_COLOURS.get(t, "#555")) for t in types], "line_h": line_h}


def as_svg(lineage: Lineage, href: "Callable[[str], str]" = lambda iri: iri) -> str:
    """The family as a layered picture (autoescaped template): what it cites above, what cites it below."""
    return _template("lineage.svg").render(**svg_layout(lineage, href))


def as_html(lineage: Lineage, href: "Callable[[str], str]" = lambda iri: iri) -> str:
    """A page: the picture, the timeline and every edge with its words."""
    return _template("lineage.html").render(lineage=lineage, svg=as_svg(lineage, href), href=href,
                                            edges=edge_rows(lineage, href), timeline=timeline_rows(lineage, href))


def edge_rows(lineage: Lineage, href: "Callable[[str], str]") -> list[dict[str, object]]:
    return [{"from": lineage.label(e.source), "from_href": href(e.source), "type": e.type,
             "to": lineage.label(e.target), "to_href": href(e.target),
             "words": " ".join((e.words or "").split()), "paragraph": href(e.paragraph) if e.paragraph else None,
             "where": f"{e.file}:{e.start}-{e.end}" if e.file else ""} for e in lineage.edges]


def timeline_rows(lineage: Lineage, href: "Callable[[str], str]") -> list[dict[str, object]]:
    return [{"instrument": inst, "acts": [{"label": lineage.label(a), "href": href(a), "date": lineage.fact(a).date or "",
                                          "only_cited": bool(_only_cited(lineage, a)), "root": a == lineage.root}
                                         for a in acts]} for inst, acts in lineage.timeline()]


def _template(name: str):  # type: ignore[no-untyped-def]
    from jinja2 import Environment, PackageLoader, select_autoescape

    from mclinks.ui import translator
    env = Environment(loader=PackageLoader("mclinks", "templates"), autoescape=select_autoescape(["html", "svg"]))
    env.globals["t"] = translator("en")
    return env.get_template(name)


def render(lineage: Lineage, fmt: str) -> str:
    return {"tree": as_tree, "dot": as_dot, "svg": as_svg, "html": as_html,
            "json": lambda lin: json.dumps(lin.to_json(), ensure_ascii=False, indent=1)}[fmt](lineage)
