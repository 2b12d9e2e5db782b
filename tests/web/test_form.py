"""URL-encoded parameters are decoded exactly as parse_qs decodes bytes, whichever path decodes them."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, quote

from hypothesis import given
from hypothesis import strategies as st

from mclinks.web.form import parse_form, unquote


def _expected(raw: bytes) -> dict[str, list[str]]:
    return parse_qs(raw.decode("latin-1"), keep_blank_values=True, encoding="latin-1")


@given(st.lists(st.tuples(st.text(max_size=20), st.text(max_size=40)), max_size=4))
def test_encoded_parameters_decode_as_parse_qs(pairs: list[tuple[str, str]]) -> None:
    raw = "&".join(f"{quote(k)}={quote(v)}" for k, v in pairs).encode("ascii")
    assert parse_form(raw) == _expected(raw)


@given(st.lists(st.binary(max_size=30), max_size=5))
def test_any_bytes_decode_as_parse_qs(parts: list[bytes]) -> None:
    """Stray %, =, +, whitespace and non-ASCII bytes included: the fallback must be taken where needed."""
    raw = b"&".join(parts)
    assert parse_form(raw) == _expected(raw)


@given(st.binary(max_size=80))
def test_percent_escapes_of_any_byte(data: bytes) -> None:
    assert unquote(quote(data, safe="").encode()) == data
    lower = re.sub(r"%[0-9A-F]{2}", lambda m: m.group().lower(), quote(data, safe=""))
    assert unquote(lower.encode()) == data


@given(st.text(alphabet="%0aFg+x", max_size=24))
def test_stray_and_partial_escapes_decode_as_parse_qs(text: str) -> None:
    """"%", "%a", "%%a0", "%a%0F", an escape at the very end: every % that does not start two hex
    digits sends the value to the fallback."""
    raw = f"query={text}".encode()
    assert parse_form(raw) == _expected(raw)
