"""Query results as we write them (capped, so not by pyoxigraph's serializer) read back by
pyoxigraph's results parser as the same terms; CSV, which it cannot parse (lossy), is
compared with what pyoxigraph writes for the same solutions."""
from __future__ import annotations

import csv
import io

import pytest
from pyoxigraph import QueryResultsFormat, Store, parse_query_results

from mclinks.web.results import MEDIA_TYPES, write_boolean, write_select

# Every kind of term: IRI, language string, typed and plain literals, blank node, unbound, and
# characters each syntax must escape (comma, quote, tab, newline, <, &).
_QUERY = """SELECT ?s ?l ?b WHERE {
  VALUES (?s ?l) {
    (<http://example.org/a?x=1&y=2> "texte"@fr)
    (UNDEF "a,\\"b\\"\\tc\\nd <&>")
    (<http://example.org/b> 42)
    (<http://example.org/c> "2026-01-01"^^<http://www.w3.org/2001/XMLSchema#date>)
  }
  BIND(BNODE() AS ?b)
}"""
_PARSED = {"json": QueryResultsFormat.JSON, "xml": QueryResultsFormat.XML, "tsv": QueryResultsFormat.TSV}


def _solutions() -> tuple[list[str], list[list[object]]]:
    result = Store().query(_QUERY)
    variables = [v.value for v in result.variables]  # type: ignore[union-attr]
    return variables, [[row[v] for v in variables] for row in result]  # type: ignore[union-attr]


def test_every_format_has_a_media_type() -> None:
    assert set(MEDIA_TYPES) == {*_PARSED, "csv"}


@pytest.mark.parametrize("fmt", sorted(_PARSED))
def test_select_results_round_trip_through_pyoxigraph(fmt: str) -> None:
    variables, rows = _solutions()
    back = parse_query_results(write_select(variables, rows, fmt), format=_PARSED[fmt])
    assert [v.value for v in back.variables] == variables  # type: ignore[union-attr]
    assert [[row[v] for v in variables] for row in back] == rows  # type: ignore[union-attr]


@pytest.mark.parametrize("fmt", sorted(_PARSED))
@pytest.mark.parametrize("value", [True, False])
def test_boolean_results_round_trip_through_pyoxigraph(fmt: str, value: bool) -> None:
    assert bool(parse_query_results(write_boolean(value, fmt), format=_PARSED[fmt])) is value


def _cells(data: bytes) -> list[list[str]]:
    """CSV cells, every blank node label as '_:' (each query run labels its blank nodes afresh)."""
    rows = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
    return [["_:" if cell.startswith("_:") else cell for cell in row] for row in rows]


def test_csv_is_what_pyoxigraph_writes() -> None:
    variables, rows = _solutions()
    theirs = Store().query(_QUERY).serialize(format=QueryResultsFormat.CSV)  # type: ignore[union-attr]
    ours = write_select(variables, rows, "csv")
    assert _cells(ours) == _cells(theirs)
    assert ours.count(b"\r\n") == theirs.count(b"\r\n")  # CRLF between records, as RFC 4180 says


def test_csv_blank_nodes_are_written_with_their_prefix_regression() -> None:
    """SPARQL 1.1 CSV writes a blank node as '_:label'; we wrote the bare label, a plain string."""
    variables, rows = _solutions()
    line = write_select(variables, rows[:1], "csv").decode("utf-8").splitlines()[1]
    assert line.endswith(f",_:{rows[0][2].value}")  # type: ignore[union-attr]


def test_csv_boolean_is_a_word() -> None:
    assert write_boolean(True, "csv") == Store().query("ASK {}").serialize(format=QueryResultsFormat.CSV)  # type: ignore[union-attr]


def test_an_unknown_format_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown results format"):
        write_select(["x"], [], "yaml")
