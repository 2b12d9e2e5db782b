"""One type for a problem with a location, whichever stage found it."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mclinks import validate
from mclinks.model import Diagnostic

_TEXT = st.one_of(st.none(), st.text(max_size=10))
_OFFSET = st.one_of(st.none(), st.integers(0, 10_000))


@given(st.builds(Diagnostic, st.sampled_from(["error", "violation", "warning", "info"]), st.text(max_size=20),
                 _TEXT, _OFFSET, _OFFSET, _TEXT, _TEXT, _TEXT, _TEXT))
def test_json_form_round_trips(d: Diagnostic) -> None:
    assert Diagnostic.from_json(d.to_json()) == d


def test_a_shape_result_and_a_resolve_problem_print_alike() -> None:
    shape = Diagnostic("violation", "cites MC-9/1, adopted later", file="data/sources/a.txt", start=3, end=9,
                       rule="no-citing-the-future", shape="https://w3id.org/mclinks/shapes#Future")
    resolve = Diagnostic("warning", "article 40 resolves to nothing", file="data/sources/a.txt", start=3, end=9,
                         rule="resolve")
    assert shape.as_line() == "violation: data/sources/a.txt:3-9: cites MC-9/1, adopted later [no-citing-the-future]"
    assert resolve.as_line() == "warning: data/sources/a.txt:3-9: article 40 resolves to nothing [resolve]"


def test_validation_reports_diagnostics() -> None:
    assert not hasattr(validate, "Result")  # the second type is gone
    report = validate.Report([Diagnostic("violation", "m", focus="https://x.org/id/a", rule="r", shape="https://x.org/s")])
    assert report.violation_count == 1 and "violation: m [r]" in report.as_text()
    assert '"shape": "https://x.org/s"' in report.as_json()
