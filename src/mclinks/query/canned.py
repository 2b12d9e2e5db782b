"""The canned queries in ``queries/``: each file opens with its question in
plain words and its parameters; parameters are bound by a VALUES block, so
the same text runs on any SPARQL 1.1 engine.

Header lines::

    # Question: Which UNEA resolutions are recalled by COP decisions?
    # Param: symbol string "MC-1/21" -- the decision whose lineage to trace
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import Literal, NamedNode

from mclinks.errors import ParameterError
from mclinks.identifiers import iri, is_well_formed

_PARAM_RE = re.compile(r'^#\s*Param:\s*(\w+)\s+(string|iri|integer)\s+(\S+|"[^"]*")\s*(?:--\s*(.*))?$')


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: str
    doc: str

    def default_value(self, base: str) -> str:
        """The default as a user would type it: unquoted, with ``{base}`` filled in."""
        return plain_value(self.default, base)


def plain_value(raw: str, base: str) -> str:
    value = raw[1:-1] if raw.startswith('"') and raw.endswith('"') else raw
    return value.replace("{base}", base)


@dataclass(frozen=True)
class CannedQuery:
    name: str
    path: Path
    question: str
    params: tuple[Param, ...]
    text: str

    def bind(self, values: dict[str, str], base: str) -> str:
        """The query with every ``$param`` replaced by its RDF term (given value, else default).

        Substitution, not VALUES: a VALUES block joins after sub-patterns are
        evaluated, so ``BIND($act AS ?x)`` inside a UNION would see it unbound.
        """
        unknown = set(values) - {p.name for p in self.params}
        if unknown:
            raise ParameterError(f"query {self.name} has no parameter {', '.join(sorted(unknown))}; "
                               f"it takes: {', '.join(p.name for p in self.params) or 'none'}")
        body = "\n".join(line for line in self.text.splitlines() if not line.startswith("#"))
        for p in self.params:
            term = _term(p, values.get(p.name, p.default), base)
            body = re.sub(rf"\${p.name}\b", lambda _m, t=term: t, body)
        return body


def _term(p: Param, raw: str, base: str) -> str:
    """The value as an RDF term in SPARQL syntax, written by pyoxigraph (which checks IRIs
    and escapes every character a string literal cannot hold)."""
    value = plain_value(raw, base)
    if p.type == "iri":
        try:
            return str(NamedNode(value))
        except ValueError as e:
            hint = ""
            for kind in ("decision", "resolution"):
                if is_well_formed(kind, value):
                    hint = f"; for the {kind} {value} write {iri(base, kind, value)}"
            raise ParameterError(f"parameter {p.name}: {value!r} is not an absolute IRI ({e}){hint}") from None
    if p.type == "integer":
        if not re.fullmatch(r"-?\d+", value):
            raise ParameterError(f"parameter {p.name}: {value!r} is not an integer")
        return value
    return str(Literal(value))


def parse_query_file(path: Path) -> CannedQuery:
    text = path.read_text(encoding="utf-8")
    question, params = "", []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        if line.lower().startswith("# question:"):
            question = line.split(":", 1)[1].strip()
        elif m := _PARAM_RE.match(line):
            params.append(Param(m.group(1), m.group(2), m.group(3), m.group(4) or ""))
    return CannedQuery(path.stem, path, question, tuple(params), text)


def canned_queries(queries_dir: Path) -> dict[str, CannedQuery]:
    return {p.stem: parse_query_file(p) for p in sorted(queries_dir.glob("*.rq"))}


def find_query(name_or_file: str, queries_dir: Path) -> CannedQuery:
    """A canned query by name, or any ``.rq`` file by path."""
    path = Path(name_or_file)
    if path.suffix == ".rq" and path.exists():
        return parse_query_file(path)
    queries = canned_queries(queries_dir)
    if name_or_file not in queries:
        raise ParameterError(f"no query named {name_or_file!r}; known: {', '.join(queries)}")
    return queries[name_or_file]
