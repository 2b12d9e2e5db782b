"""The issuers table (data/issuers.json): every template against its own examples."""
from __future__ import annotations

import re

import pytest

from mclinks.text import issuers
from mclinks.text.clean import fold

_ACTS = [t for i in issuers.issuers() for t in i.symbols]
_MEETINGS = [t for i in issuers.issuers() for s in i.meetings for t in s.symbols]
_DOCUMENTS = [(i.prefix, tpl, ex) for i in issuers.issuers() for tpl, ex in i.documents]


def _id(template: issuers.SymbolTemplate, surface: str) -> str | None:
    m = re.fullmatch(issuers.template_regex(template.template), fold(surface), re.A | re.I)
    result = template.normalise(m.groupdict()) if m else None
    return result[0] if result else None


@pytest.mark.parametrize("template", _ACTS + _MEETINGS, ids=lambda t: f"{t.issuer}:{t.template}")
def test_every_template_matches_each_of_its_examples(template: issuers.SymbolTemplate) -> None:
    assert template.examples, "every template carries examples"
    for surface, expected in template.examples:
        assert _id(template, surface) == expected, surface


_RECOGNISERS = {"act": (issuers.explicit_acts, "x"), "meeting": (issuers.meeting_symbols, "m")}


@pytest.mark.parametrize(("kind", "template"), [("act", t) for t in _ACTS if not t.bare] + [("meeting", t) for t in _MEETINGS],
                         ids=lambda x: x if isinstance(x, str) else f"{x.issuer}:{x.template}")
def test_every_example_is_found_by_the_generated_recogniser(kind: str, template: issuers.SymbolTemplate) -> None:
    recogniser, tag = _RECOGNISERS[kind]
    pattern, templates = recogniser()
    for surface, expected in template.examples:
        m = pattern.fullmatch(fold(surface))
        assert m, surface
        k, groups = issuers.groups_of(m, tag)
        assert templates[k].normalise(groups)[0] == expected  # type: ignore[index]


@pytest.mark.parametrize(("prefix", "template", "examples"), _DOCUMENTS, ids=lambda x: str(x))
def test_every_document_series_starts_its_examples(prefix: str, template: str, examples: tuple[str, ...]) -> None:
    assert examples
    head = re.compile(issuers.document_series_start())
    own = re.compile(issuers.template_regex(template))
    for example in examples:
        assert head.match(example) and own.match(example), example


def test_basel_roman_numerals_stop_at_its_ninth_meeting() -> None:
    roman = next(t for t in _ACTS if t.issuer == "BC" and t.template == "{R}/{d}")
    assert _id(roman, "IX/15") == "BC-9/15"
    assert _id(roman, "X/2") is None


def test_sessions_are_derived_from_the_registry_calendar() -> None:
    assert issuers.last_session("MC", 2019) == 3  # COP-3 was held in November 2019
    assert issuers.session_exists("MC", 6)
    assert not issuers.session_exists("MC", 27)
    assert not issuers.session_exists("UNEA", 53)
    assert issuers.session_exists("GA", 53, 1999) and not issuers.session_exists("GA", 80, 1999)
    assert issuers.session_exists("GC", 27) and not issuers.session_exists("GC", 28)


def test_meetings_are_tied_to_their_issuer() -> None:
    assert issuers.prefix_of_meeting("GC-SS-12") == "GC"
    assert issuers.prefix_of_meeting("MC-COP-6") == "MC"
    assert issuers.prefix_of_meeting("BRS-EXCOP-1") == "BRS"
    assert issuers.series_of_meeting("GC-SS-12").series == "special"  # type: ignore[union-attr]


def test_an_unreadable_table_is_a_clear_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from mclinks.errors import MclinksError
    bad = tmp_path / "issuers.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(MclinksError, match="issuers table"):
        issuers.load(bad)


def test_first_letters_guard_every_alternative() -> None:
    import re as _re
    guard = issuers.first_letters(r"(?:basel|\bmeeting|(?:special)\s+session)", r"Conference\s+of")
    assert guard == "(?=[BCMSbcms])"
    assert issuers.first_letters(r"\d+|x") == ""
    assert _re.match(guard, "basel") and not _re.match(guard, "x")
