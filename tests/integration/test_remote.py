"""Scale-out on real triple stores, Oxigraph server and Virtuoso: the release
is pushed by the Graph Store Protocol (`mclinks push`, authenticated where the
store asks), then every canned query and every lineage format answers the same
remotely (through SPARQLWrapper) as on the embedded store."""
from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from mclinks.cli import main
from mclinks.errors import EndpointError
from mclinks.query.canned import canned_queries, find_query
from mclinks.query.lineage import RESOLVE_ACT, render, resolve_act, trace
from mclinks.store.endpoint import EmbeddedEndpoint, RemoteEndpoint, Row
from mclinks.store.local import load_store
from mclinks.store.triplestores import RunningStore, oxigraph_command
from tests.conftest import ROOT

pytestmark = pytest.mark.integration

STORES = ["oxigraph", "virtuoso"]
LINEAGE_FORMATS = ["tree", "json", "dot", "svg", "html"]
LINEAGE_SYMBOLS = ["MC-1/21", "draft:MC-COP-6", "MC-3/11"]


@pytest.fixture(params=STORES)
def remote(request) -> RunningStore:
    """Each real store in turn, holding the release of ``built_root``."""
    return request.getfixturevalue(f"{request.param}_store")


@pytest.fixture(scope="module")
def local(built_root: Path) -> EmbeddedEndpoint:
    return EmbeddedEndpoint(load_store(built_root / "dist" / "current" / "mclinks.nq.gz"))


def _solutions(rows: list[Row]) -> set[frozenset[tuple[str, str | None]]]:
    """Rows as a set of solutions; an unbound variable (None) is not the empty string."""
    return {frozenset(r.items()) for r in rows}


def _graph_counts(endpoint: RemoteEndpoint) -> dict[str, int]:
    _, rows = endpoint.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                              'FILTER (STRSTARTS(STR(?g), "https://w3id.org/mclinks/graph/")) } GROUP BY ?g')
    return {str(r["g"]): int(str(r["n"])) for r in rows}


def _push(root: Path, url: str, *args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, ["push", "--root", str(root), "--endpoint", url, *args], env=env or {})


# ---- push -------------------------------------------------------------------

def test_push_keeps_named_graphs(remote: RunningStore, built_root: Path) -> None:
    local_store = load_store(built_root / "dist" / "current" / "mclinks.nq.gz")
    expected = {g.value: len(list(local_store.quads_for_pattern(None, None, None, g)))
                for g in local_store.named_graphs()}
    assert _graph_counts(RemoteEndpoint(remote.query_url)) == expected


def test_second_push_changes_nothing(remote: RunningStore, built_root: Path) -> None:
    endpoint = RemoteEndpoint(remote.query_url)
    before = _graph_counts(endpoint)
    env = {"MCLINKS_PUSH_PASSWORD": remote.password} if remote.password else None
    result = _push(built_root, remote.graph_store_url, *(["--user", remote.user] if remote.user else []), env=env)
    assert result.exit_code == 0, result.output
    assert _graph_counts(endpoint) == before
    assert f"pushed {len(before)} named graphs, {sum(before.values())} triples" in result.output


def test_push_reports_each_graph(oxigraph_store: RunningStore, built_root: Path) -> None:
    result = _push(built_root, oxigraph_store.graph_store_url)
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if "/graph/" in line]
    assert len(lines) == len(_graph_counts(RemoteEndpoint(oxigraph_store.query_url)))
    for line in lines:
        assert re.match(r"^20[14] https://w3id.org/mclinks/graph/\S+  \d+ triples, [\d,]+ bytes, 1 attempt\(s\)", line), line


def test_push_without_credentials_is_refused_clearly(virtuoso_store: RunningStore, built_root: Path) -> None:
    result = _push(built_root, virtuoso_store.graph_store_url)
    assert result.exit_code == 5
    assert "HTTP 401" in result.output and "--user" in result.output
    assert re.search(r"\b0 of \d+ named graphs hold this release", result.output)


def test_push_by_a_user_who_may_not_write_is_refused_once(virtuoso_store: RunningStore, built_root: Path) -> None:
    """403 from the store (authenticated, no SPARQL_UPDATE role) would be refused again: one attempt, its reason shown."""
    assert virtuoso_store.sql
    virtuoso_store.sql("DB.DBA.USER_CREATE('reader', 'reader-pw');\n")
    result = _push(built_root, virtuoso_store.graph_store_url, "--user", "reader",
                   env={"MCLINKS_PUSH_PASSWORD": "reader-pw"})
    assert result.exit_code == 5
    assert "HTTP 403" in result.output and "Permission denied" in result.output
    assert "failed after 1 attempt(s)" in result.output


def test_push_digest_and_basic(virtuoso_store: RunningStore, built_root: Path) -> None:
    env = {"MCLINKS_PUSH_PASSWORD": virtuoso_store.password}
    user = ["--user", virtuoso_store.user]
    assert _push(built_root, virtuoso_store.graph_store_url, *user, "--auth", "digest", env=env).exit_code == 0
    assert virtuoso_store.basic_graph_store_url
    # the stock path accepts Digest only: Basic is refused there, and accepted where the store allows it
    refused = _push(built_root, virtuoso_store.graph_store_url, *user, "--auth", "basic", env=env)
    assert refused.exit_code == 5 and "HTTP 401" in refused.output
    basic = _push(built_root, virtuoso_store.basic_graph_store_url, *user, "--auth", "basic", env=env)
    assert basic.exit_code == 0, basic.output


def test_push_with_netrc(virtuoso_store: RunningStore, built_root: Path, tmp_path: Path) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text(f"machine 127.0.0.1 login {virtuoso_store.user} password {virtuoso_store.password}\n")
    netrc.chmod(0o600)
    result = _push(built_root, virtuoso_store.graph_store_url, "--netrc-file", str(netrc))
    assert result.exit_code == 0, result.output
    assert f"as {virtuoso_store.user}" in result.output


def test_password_is_never_printed_or_logged(virtuoso_store: RunningStore, built_root: Path, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    secret = virtuoso_store.password
    assert secret
    url_with_secret = virtuoso_store.graph_store_url.replace("//", f"//{virtuoso_store.user}:{secret}@", 1)
    runs = [
        _push(built_root, virtuoso_store.graph_store_url, "--user", virtuoso_store.user, "--password", secret),
        _push(built_root, url_with_secret),
        _push(built_root, virtuoso_store.graph_store_url, "--user", virtuoso_store.user, "--password", "wrong" + secret),
    ]
    assert [r.exit_code for r in runs] == [0, 0, 5]
    for r in runs:
        assert secret not in r.output
    assert "HTTP 401" in runs[2].output and "1 attempt(s)" in runs[2].output  # a refusal is not retried
    assert secret not in caplog.text


def test_partial_push_says_what_it_left_behind(built_root: Path, tmp_path: Path) -> None:
    """The store stops after two graphs: the third is retried (bounded), then the report says what is
    left behind; once the store is back, pushing again finishes the job."""
    from contextlib import ExitStack

    from mclinks.store.local import graph_names
    from mclinks.store.push import push
    from tests.servers import oxigraph_server

    release = load_store(built_root / "dist" / "current" / "mclinks.nq.gz")
    graphs = [g.value for g in graph_names(release)]
    with ExitStack() as running:
        store = running.enter_context(oxigraph_server(tmp_path / "ox"))
        seen = []

        def stop_after_two(p) -> None:
            seen.append(p)
            if len(seen) == 2:
                running.close()  # the server is stopped, as a crash or a restart would
        report = push(release, store.graph_store_url, retries=2, retry_wait_s=0.1, timeout_s=5, progress=stop_after_two)
    assert not report.complete
    assert [p.ok for p in report.pushed] == [True, True, False]
    failed = report.pushed[2]
    assert failed.graph == graphs[2] and failed.attempts == 3 and failed.status is None
    assert report.not_sent == tuple(graphs[3:])
    said = report.left_behind()
    assert f"partial push to {store.graph_store_url}: 2 of {len(graphs)} named graphs hold this release now" in said
    assert f"failed after 3 attempt(s): {graphs[2]}: no answer" in said
    assert all(g in said.split("keep what the store held before")[1] for g in graphs[2:])
    assert "running it again is safe" in said
    with oxigraph_server(tmp_path / "ox") as store:
        assert push(release, store.graph_store_url).complete
        assert sum(_graph_counts(RemoteEndpoint(store.query_url)).values()) == len(release)


def test_unreachable_store_is_retried_then_reported(built_root: Path) -> None:
    from tests.servers import free_port
    result = _push(built_root, f"http://127.0.0.1:{free_port()}/store", "--retries", "1")
    assert result.exit_code == 5
    assert "--- https://w3id.org/mclinks/graph/ontology" in result.output and "2 attempt(s)" in result.output
    assert re.search(r"\b0 of \d+ named graphs hold this release", result.output)


def test_unreachable_endpoint_is_a_clear_error() -> None:
    from tests.servers import free_port
    with pytest.raises(EndpointError, match="127.0.0.1"):
        RemoteEndpoint(f"http://127.0.0.1:{free_port()}/query", timeout_s=3).select("SELECT * WHERE { ?s ?p ?o }")


# ---- the same answers everywhere ------------------------------------------

def _param_sets(local: EmbeddedEndpoint, base: str) -> dict[str, list[dict[str, str]]]:
    """Parameters for each canned query that give rows on the built data (defaults first)."""
    draft = resolve_act(local, "draft:MC-COP-6")
    mc311 = f"{base}/id/decision/MC-3-11"
    return {
        "lineage-edges": [{}, {"act": draft}, {"act": mc311}],
        "lineage-reach": [{}, {"act": mc311}, {"act": draft}],
        "lookup-symbol": [{}, {"symbol": "BC-17/22"}, {"symbol": "UNEA-1/5"}],
        "open-mandates": [{}, {"today": "2017-01-01"}, {"who": "executive-secretary", "today": "2017-01-01"}],
    }


def test_every_canned_query_answers_the_same_remotely(remote: RunningStore, local: EmbeddedEndpoint, settings) -> None:
    endpoint = RemoteEndpoint(remote.query_url)
    param_sets = _param_sets(local, settings.base)
    for q in canned_queries(settings.queries_dir).values():
        for params in param_sets.get(q.name, [{}]):
            text = q.bind(params, settings.base)
            local_names, local_rows = local.select(text)
            remote_names, remote_rows = endpoint.select(text)
            where = f"{q.name} {params} on {remote.name}"
            assert local_rows, f"{where}: no rows on the built data, so the comparison would prove nothing"
            assert local_names == remote_names, where
            assert _solutions(local_rows) == _solutions(remote_rows), where


def test_every_lineage_format_answers_the_same_remotely(remote: RunningStore, local: EmbeddedEndpoint, settings) -> None:
    endpoint = RemoteEndpoint(remote.query_url)
    for symbol in LINEAGE_SYMBOLS:
        here = trace(local, resolve_act(local, symbol))
        there = trace(endpoint, resolve_act(endpoint, symbol))
        assert len(here.edges) >= 3, symbol  # something was traced
        for fmt in LINEAGE_FORMATS:
            a, b = render(here, fmt), render(there, fmt)
            if fmt == "json":  # the same edges and nodes, in whatever order the engine gave them
                ja, jb = json.loads(a), json.loads(b)
                assert ja["root"] == jb["root"]
                for key in ("edges", "nodes"):
                    assert {json.dumps(x, sort_keys=True) for x in ja[key]} == \
                           {json.dumps(x, sort_keys=True) for x in jb[key]}, (symbol, key, remote.name)
            else:
                assert a == b, f"{symbol} as {fmt} on {remote.name}"


def test_lineage_cli_remotely(remote: RunningStore, built_root: Path) -> None:
    args = ["lineage", "MC-1/21", "--up", "--root", str(built_root)]
    embedded = CliRunner().invoke(main, args)
    remotely = CliRunner().invoke(main, [*args, "--endpoint", remote.query_url])
    assert remotely.exit_code == 0, remotely.output
    assert "UNEA-2/7" in remotely.output and remotely.output == embedded.output


# ---- regressions found on Virtuoso 7.2 ----------------------------------------

def test_resolve_act_without_nul_regression(virtuoso_store: RunningStore, settings) -> None:
    """A NUL in RESOLVE_ACT made Virtuoso refuse every lookup (SQ074)."""
    assert "\x00" not in RESOLVE_ACT
    endpoint = RemoteEndpoint(virtuoso_store.query_url)
    assert resolve_act(endpoint, "MC-1/21") == f"{settings.base}/id/decision/MC-1-21"
    assert "/id/draft/" in resolve_act(endpoint, "draft:MC-COP-6")


def test_lineage_reach_two_transitive_paths_regression(virtuoso_store: RunningStore, settings) -> None:
    """With rdfs:subClassOf* beside (cites|respondsTo)+, Virtuoso answered 0 rows instead of 2."""
    _, rows = RemoteEndpoint(virtuoso_store.query_url).select(
        find_query("lineage-reach", settings.queries_dir).bind({}, settings.base))
    assert {r["symbol"] for r in rows} == {"UNEA-1/5", "UNEA-2/7"}


def test_open_mandates_empty_concat_regression(virtuoso_store: RunningStore, local: EmbeddedEndpoint, settings) -> None:
    """GROUP_CONCAT of nothing was "" on Virtuoso and unbound on the embedded store."""
    text = find_query("open-mandates", settings.queries_dir).bind({}, settings.base)
    for endpoint in (local, RemoteEndpoint(virtuoso_store.query_url)):
        _, rows = endpoint.select(text)
        assert rows and all(r["periods"] == "" for r in rows)


def test_lookup_symbol_untitled_act_regression(virtuoso_store: RunningStore, settings) -> None:
    """With the path dcterms:title|mcl:unconfirmedTitle in the OPTIONAL, Virtuoso bound ?lang to "".
    Every decision of data/ has a title by now, so the test adds an untitled one for a moment."""
    assert virtuoso_store.sql is not None
    graph, act = "urn:mclinks:test:untitled", f"{settings.base}/id/decision/MC-99-1"
    virtuoso_store.sql(f'SPARQL INSERT DATA {{ GRAPH <{graph}> {{ <{act}> a <https://w3id.org/mclinks/ontology#Decision> ; '
                       f'<https://w3id.org/mclinks/ontology#symbol> "MC-99/1" }} }};')
    try:
        _, rows = RemoteEndpoint(virtuoso_store.query_url).select(
            find_query("lookup-symbol", settings.queries_dir).bind({"symbol": "MC-99/1"}, settings.base))
    finally:
        virtuoso_store.sql(f"SPARQL CLEAR GRAPH <{graph}>;")
    assert rows and all(r["title"] is None and r["lang"] is None for r in rows)


def test_lineage_reach_lists_every_act_class_of_the_ontology(local: EmbeddedEndpoint, settings) -> None:
    """The VALUES list that replaces rdfs:subClassOf* holds the ontology's act classes, no more, no less."""
    from pyoxigraph import RdfFormat, Store
    ontology = Store()
    ontology.load(path=str(settings.ontology_file), format=RdfFormat.TURTLE)
    classes = {r["c"].value for r in ontology.query(
        "SELECT ?c WHERE { ?c <http://www.w3.org/2000/01/rdf-schema#subClassOf>* "
        "<https://w3id.org/mclinks/ontology#Act> }")}
    text = find_query("lineage-reach", settings.queries_dir).text
    listed = re.search(r"VALUES \?class \{([^}]*)\}", text)
    assert listed
    assert {"https://w3id.org/mclinks/ontology#" + n.split(":", 1)[1] for n in listed.group(1).split()} == classes


# ---- the README's recipes are the ones run here ------------------------------

def _recipe(store: str) -> list[str]:
    """The indented lines under the README's "Recipe (<store>, tested):" line."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(rf"^Recipe \({store}, tested\):\n\n((?:    .*\n|\n)+)", text, re.M)
    assert found, f"README has no tested recipe for {store}"
    return [line[4:] for line in found.group(1).splitlines() if line.strip()]


def test_readme_oxigraph_recipe_runs(oxigraph_store: RunningStore, built_root: Path) -> None:
    recipe = _recipe("Oxigraph")
    port = oxigraph_store.query_url.split(":")[2].split("/")[0]
    assert recipe[0].split() == oxigraph_command(Path("/srv/mclinks-oxigraph"), "127.0.0.1:7878")
    _run_recipe(recipe[1:], {"7878": port}, built_root)


def test_readme_virtuoso_recipe_runs(virtuoso_store: RunningStore, built_root: Path) -> None:
    from mclinks.store.triplestores import VIRTUOSO_SETUP_SQL, isql_command, virtuoso_command
    recipe = _recipe("Virtuoso")
    port = virtuoso_store.query_url.split(":")[2].split("/")[0]
    assert recipe[0].split() == virtuoso_command(Path("virtuoso.ini"))
    assert recipe[1].split() == isql_command(1111, "dba")
    from mclinks.store.triplestores import _INI
    for setting in ("StopCompilerWhenXOverRunTime = 1", "DirsAllowed = "):
        assert setting in _INI and setting.split(" =")[0] in (ROOT / "README.md").read_text(encoding="utf-8")
    sql = [line.strip() for line in recipe if line.startswith("  ")]
    assert sql == VIRTUOSO_SETUP_SQL.format(user="mclinks", password="CHOSEN-PASSWORD",
                                            dba_password="NEW-DBA-PASSWORD").strip().splitlines()
    assert virtuoso_store.password
    _run_recipe([line for line in recipe if line.startswith(("mclinks", "MCLINKS"))],
                {"8890": port, "CHOSEN-PASSWORD": virtuoso_store.password}, built_root)


def _run_recipe(lines: list[str], replace: dict[str, str], root: Path) -> None:
    """Each `[VAR=value] mclinks …` line through the CLI, on ROOT, with ports and secrets put in."""
    assert lines
    for line in lines:
        for old, new in replace.items():
            line = line.replace(old, new)
        words = line.split()
        env = {}
        while "=" in words[0]:
            k, v = words.pop(0).split("=", 1)
            env[k] = v
        assert words[0] == "mclinks", line
        result = CliRunner().invoke(main, [*words[1:], "--root", str(root)], env=env)
        assert result.exit_code == 0, f"{line}\n{result.output}"
        assert result.output.strip(), line


# ---- credentials: clear errors before anything is sent -------------------------

def test_push_credential_mistakes_are_clear_errors(built_root: Path, tmp_path: Path) -> None:
    url = "http://127.0.0.1:9/store"  # never reached: each mistake is found first
    no_password = _push(built_root, url, "--user", "someone")
    assert no_password.exit_code == 1 and "MCLINKS_PUSH_PASSWORD" in no_password.output
    no_user = _push(built_root, url, env={"MCLINKS_PUSH_PASSWORD": "x"})
    assert no_user.exit_code == 1 and "add --user" in no_user.output
    bad_netrc = tmp_path / "netrc"
    bad_netrc.write_text("machine 127.0.0.1 login a password b\nbogus x\n")
    broken = _push(built_root, url, "--netrc-file", str(bad_netrc))
    assert broken.exit_code == 1 and str(bad_netrc) in broken.output and "Traceback" not in broken.output
    not_http = _push(built_root, "ftp://127.0.0.1/store")
    assert not_http.exit_code == 5 and "not an http(s) URL" in not_http.output


def test_bench_push_part_runs(built_root: Path) -> None:
    """`make bench`'s push part on the small built release (figures not asserted, only that they were made)."""
    from benchmarks.bench import push_bench, render
    from mclinks.store.triplestores import virtuoso_missing
    rows = push_bench(built_root, repeat=1)
    assert [r["store"] for r in rows][:2] == ["embedded (pyoxigraph)", "oxigraph serve"]
    assert len(rows) == (2 if virtuoso_missing() else 3)
    assert all(r["triples"] == rows[0]["triples"] for r in rows)
    assert all(r["complete"] and r["lineage_rows"] == rows[0]["lineage_rows"] for r in rows[1:])
    assert "| Virtuoso 7 |" in render({"small": {"build": {"triples": 1, "seconds": 1, "peak_mb": 1},
                                                 "validate": {"seconds": 1, "peak_mb": 1},
                                                 "extract": {"mb_per_s": 1},
                                                 "sparql_oxigraph": {q: 1 for q in ("load_s", "lookup", "lineage", "synergy")},
                                                 "push": rows}}) or virtuoso_missing()
