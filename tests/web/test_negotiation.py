"""Content negotiation (RFC 9110 §12.5.1): q-values, wildcards, specificity, the server's order."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mclinks.web.negotiation import choose, parse_accept

_OFFERED = ["text/turtle", "application/n-triples", "application/ld+json", "text/html"]


def test_no_header_accepts_anything_in_the_server_order() -> None:
    assert parse_accept(None) == [("*/*", 1.0, 0)]
    assert choose(None, _OFFERED) == "text/turtle"
    assert choose("", _OFFERED) == "text/turtle"


def test_q_values_are_read_clamped_and_malformed_ones_count_as_zero() -> None:
    assert parse_accept("text/html;q=0.5, application/json;Q=2, text/plain;q=abc, , TEXT/CSV") == [
        ("text/html", 0.5, 0), ("application/json", 1.0, 1), ("text/plain", 0.0, 2), ("text/csv", 1.0, 4)]


@pytest.mark.parametrize(("header", "expected"), [
    ("application/ld+json", "application/ld+json"),
    ("text/html,application/xhtml+xml,*/*;q=0.8", "text/html"),  # a browser
    ("application/n-triples;q=0.9, text/turtle;q=0.5", "application/n-triples"),
    ("text/*", "text/turtle"),  # a wildcard: the server's first text type
    ("text/*;q=0.2, text/html", "text/html"),
    ("*/*;q=0.1, application/ld+json;q=0.5", "application/ld+json"),
    ("text/turtle;q=0, */*", "application/n-triples"),  # q=0: never that one
    ("text/*;q=0.9, text/turtle;q=0", "text/html"),  # the exact range wins over the wildcard, even at q=0
    ("image/png", None),
    ("text/turtle;q=0", None),
])
def test_choose(header: str, expected: str | None) -> None:
    assert choose(header, _OFFERED) == expected


def test_ties_go_to_the_server_order() -> None:
    assert choose("text/html, text/turtle", _OFFERED) == "text/turtle"
    assert choose("text/html, text/turtle", list(reversed(_OFFERED))) == "text/html"


@given(st.text(max_size=60))
def test_any_header_gives_an_offered_type_or_none(header: str) -> None:
    assert choose(header, _OFFERED) in (*_OFFERED, None)
