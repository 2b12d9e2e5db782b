"""Scale-out on a real Oxigraph server: push by the Graph Store Protocol, then
every canned query and a lineage return the same answers remotely (through
SPARQLWrapper) as on the embedded store."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from mclinks.cli import main
from mclinks.endpoint import EmbeddedEndpoint, RemoteEndpoint
from mclinks.errors import EndpointError
from mclinks.lineage import resolve_act, trace
from mclinks.queries import canned_queries, find_query
from mclinks.store import load_store

from .servers import oxigraph_server

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> Path:
    from .conftest import ROOT
    import shutil
    root = tmp_path_factory.mktemp("project")
    for name in ("data", "ontology", "shapes", "queries"):
        shutil.copytree(ROOT / name, root / name)
    result = CliRunner().invoke(main, ["build", "--root", str(root)])
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture(scope="module")
def server(tmp_path_factory, release: Path):
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as base:
        result = CliRunner().invoke(main, ["push", "--root", str(release), "--endpoint", f"{base}/store"])
        assert result.exit_code == 0, result.output
        yield base


def _sorted(rows: list[dict]) -> list[tuple]:
    return sorted(tuple(sorted((k, v or "") for k, v in r.items())) for r in rows)


def test_push_keeps_named_graphs(server: str, release: Path) -> None:
    remote = RemoteEndpoint(f"{server}/query")
    _, rows = remote.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    graphs = {r["g"] for r in rows}
    local = load_store(release / "dist" / "current" / "mclinks.nq.gz")
    assert graphs == {g.value for g in local.named_graphs()}
    _, count = remote.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert int(count[0]["n"]) == len(local)


def test_every_canned_query_answers_the_same_remotely(server: str, release: Path, settings) -> None:
    local = EmbeddedEndpoint(load_store(release / "dist" / "current" / "mclinks.nq.gz"))
    remote = RemoteEndpoint(f"{server}/query")
    for q in canned_queries(settings.queries_dir).values():
        text = q.bind({}, settings.base)
        local_names, local_rows = local.select(text)
        remote_names, remote_rows = remote.select(text)
        assert local_names == remote_names, q.name
        assert _sorted(local_rows) == _sorted(remote_rows), q.name
        assert q.name.startswith(("lineage", "lookup")) or local_rows or q.name == "most-cited-articles"


def test_lineage_remotely(server: str, settings) -> None:
    remote = RemoteEndpoint(f"{server}/query")
    root = resolve_act(remote, "draft:MC-COP-6")
    lineage = trace(remote, find_query("lineage-edges", settings.queries_dir), root, settings.base)
    assert {"MC-3-11", "MC-4-9", "MC-5-19"} <= {e.target.rsplit("/", 1)[-1] for e in lineage.edges}
    res = CliRunner().invoke(main, ["lineage", "MC-1/21", "--up", "--endpoint", f"{server}/query"])
    assert res.exit_code == 0 and "UNEA-2/7" in res.output


def test_unreachable_endpoint_is_a_clear_error() -> None:
    from .servers import free_port
    with pytest.raises(EndpointError, match="127.0.0.1"):
        RemoteEndpoint(f"http://127.0.0.1:{free_port()}/query", timeout_s=3).select("SELECT * WHERE { ?s ?p ?o }")
