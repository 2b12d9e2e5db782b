"""Query workers: answers, caps, and a clear failure when a worker cannot start."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad, Store

from mclinks.web.pool import WorkerPool
from mclinks.web.workers import Job, WorkerConfig, answer


@pytest.fixture()
def store() -> Store:
    s = Store()
    for i in range(10):
        s.add(Quad(NamedNode(f"http://x/{i}"), NamedNode("http://x/p"), Literal(str(i)), NamedNode("http://x/g")))
    return s


def test_select_cap_is_reported(store: Store) -> None:
    a = answer(store, Job("SELECT ?s WHERE { ?s ?p ?o }", "json", "turtle", row_cap=4))
    assert (a.status, a.truncated, a.rows) == (200, True, 4)
    assert len(json.loads(a.body)["results"]["bindings"]) == 4
    a = answer(store, Job("SELECT ?s WHERE { ?s ?p ?o }", "json", "turtle", row_cap=10))
    assert (a.truncated, a.rows) == (False, 10)


def test_construct_cap_is_reported(store: Store) -> None:
    a = answer(store, Job("CONSTRUCT WHERE { ?s ?p ?o }", "json", "ntriples", row_cap=3))
    assert a.truncated and a.body.count(b"\n") == 3
    a = answer(store, Job("CONSTRUCT WHERE { ?s ?p ?o }", "json", "ntriples", row_cap=10))
    assert not a.truncated and a.body.count(b"\n") == 10


def test_malformed_query_is_a_400_with_position(store: Store) -> None:
    a = answer(store, Job("SELECT * WHERE { ?s ?p }", "json", "turtle", 10))
    assert a.status == 400 and "error at 1:" in a.message


def test_a_worker_that_cannot_open_its_store_stops_the_pool(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="query worker did not start: cannot open"):
        WorkerPool(WorkerConfig(str(tmp_path / "missing.nq.gz"), "https://w3id.org/mclinks"), size=1)
