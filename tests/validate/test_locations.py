"""Where a validation result is blamed: looked up by batches (one query per pattern and batch),
each result gets the place it gets when it is looked up alone."""
from __future__ import annotations

from mclinks.store.local import union_store
from mclinks.validate import _LOCATE_BATCH, locate_all, validate_store


def test_batched_locations_are_the_ones_found_alone(built, settings) -> None:
    report = validate_store(built.store, settings, union=union_store(built.store))
    wanted = [(r.focus, r.value) for r in report.results]
    wanted += [(r.value, None) for r in report.results if r.value]  # a focus twice, with and without a value
    assert len(wanted) > 20, "the data/ graph's warnings are what this test looks up"
    together = locate_all(built.store, wanted)
    alone = {key: place for key in wanted for place in [locate_all(built.store, [key]).get(key)] if place}
    assert together == alone
    assert sum(1 for place in together.values() if place[0]) > 10


def test_more_resources_than_a_batch_are_all_located(built, settings) -> None:
    report = validate_store(built.store, settings, union=union_store(built.store))
    located = [(r.focus, r.value) for r in report.results if r.file]
    wanted = (located * (_LOCATE_BATCH // max(1, len(located)) + 2))[: _LOCATE_BATCH + 7]
    assert len(wanted) > _LOCATE_BATCH
    found = locate_all(built.store, wanted)
    assert set(found) == set(located) and all(found[key][0] for key in located)
