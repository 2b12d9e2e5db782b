"""No insertion order can give a shape a quadratic plan (issue 15): Oxigraph
evaluates the group inside FILTER (NOT) EXISTS once per outer row, in full, and
an OPTIONAL group once for the whole store. So, checked on each constraint's
SPARQL algebra: every triple pattern inside an EXISTS starts from a variable
bound outside it (a further hop is a nested EXISTS; no path sequence), and
every OPTIONAL group is connected (no cartesian product) and hangs from one
outer variable (or is one triple pattern). The timings behind
these rules are in the README (Validation); tests never time anything."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from rdflib.paths import MulPath, SequencePath
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Variable

from mclinks.validate import Constraint, constraints, load_shapes

EXISTS = ("Builtin_EXISTS", "Builtin_NOTEXISTS")
Triple = tuple[object, object, object]


def _children(node: object) -> Iterator[object]:
    if isinstance(node, CompValue):
        yield from node.values()
    elif isinstance(node, (list, tuple)):
        yield from node


def _triples(node: object) -> Iterator[Triple]:
    """Triple patterns of a group, not those inside its EXISTS expressions."""
    if isinstance(node, CompValue):
        if node.name in EXISTS:
            return
        if node.name in ("BGP", "TriplesBlock"):
            for t in node["triples"]:  # the parser keeps "s p1 o1 ; p2 o2" as [s, p1, o1, p2, o2]
                yield from ((t[0], p, o) for p, o in zip(t[1::2], t[2::2]))
            return
    for child in _children(node):
        yield from _triples(child)


def _exists(node: object) -> Iterator[CompValue]:
    """The outermost EXISTS expressions under ``node``."""
    if isinstance(node, CompValue) and node.name in EXISTS:
        yield node
        return
    for child in _children(node):
        yield from _exists(child)


def _optionals(node: object) -> Iterator[tuple[object, object]]:
    """(left side, OPTIONAL group) of every OPTIONAL."""
    if isinstance(node, CompValue) and node.name == "LeftJoin":
        yield node["p1"], node["p2"]
    for child in _children(node):
        yield from _optionals(child)


def _variables(triples: list[Triple]) -> set[Variable]:
    return {t for triple in triples for t in (triple[0], triple[2]) if isinstance(t, Variable)}


def _exists_problems(group: object, outer: set[Variable]) -> Iterator[str]:
    for ex in _exists(group):
        inner = list(_triples(ex["graph"]))
        for s, p, o in inner:
            if isinstance(p, (SequencePath, MulPath)):
                yield f"path {p} inside EXISTS"
            elif s not in outer and o not in outer:
                yield f"({s} {p} {o}) inside EXISTS starts from no variable bound outside it"
        yield from _exists_problems(ex["graph"], outer | _variables(inner))


def _connected(triples: list[Triple]) -> bool:
    groups: list[set[object]] = []
    for s, _p, o in triples:
        terms = {t for t in (s, o) if isinstance(t, Variable)}
        joined = [g for g in groups if g & terms]
        groups = [g for g in groups if not g & terms] + [terms.union(*joined)]
    return len(groups) <= 1


def plan_problems(c: Constraint) -> list[str]:
    algebra = prepareQuery(f"{c.prefixes}\n{c.select}").algebra
    problems = list(_exists_problems(algebra, _variables(list(_triples(algebra)))))
    for left, group in _optionals(algebra):
        triples = list(_triples(group))
        if not _connected(triples):
            problems.append(f"OPTIONAL of unconnected patterns {triples}")
        elif len(triples) > 1 and len(_variables(triples) & _variables(list(_triples(left)))) > 1:
            # joined on its own variables between two outer ones: pairs of outer rows, in full
            problems.append(f"OPTIONAL joining two outer variables through its own {triples}")
    return problems


@pytest.fixture(scope="module")
def shape_constraints(settings) -> list[Constraint]:
    return constraints(load_shapes(settings.shapes_dir))


def test_no_constraint_has_a_quadratic_shape_regression(shape_constraints: list[Constraint]) -> None:
    """mandate-addressee joined ?b a ?t inside NOT EXISTS (1048 s at 1M triples in build order);
    no-citing-the-future and deadline-after-adoption paired meetings' dates in one OPTIONAL."""
    problems = {c.rule: plan_problems(c) for c in shape_constraints}
    assert {rule: p for rule, p in problems.items() if p} == {}


@pytest.mark.parametrize("select, expected", [
    ("SELECT $this WHERE { $this a mcl:Mandate . FILTER NOT EXISTS { $this mcl:addressee ?b . ?b a ?t } }", "inside EXISTS"),
    ("SELECT $this WHERE { $this a mcl:Mandate . FILTER NOT EXISTS { $this mcl:addressee/rdf:type ?t } }", "path"),
    ("SELECT $this WHERE { $this mcl:deadline ?m . OPTIONAL { $this mcl:startDate ?d1 . ?m mcl:startDate ?d2 } }", "unconnected"),
    ("SELECT $this WHERE { $this mcl:deadline ?m . OPTIONAL { $this mcl:meetingOf ?b . ?m mcl:meetingOf ?b } }", "two outer"),
])
def test_plan_check_rejects_quadratic_patterns(shape_constraints: list[Constraint], select: str, expected: str) -> None:
    c = shape_constraints[0]
    problems = plan_problems(Constraint(c.shape, "probe", c.severity, "", select, c.prefixes, (), ()))
    assert problems and all(expected in p for p in problems), problems
