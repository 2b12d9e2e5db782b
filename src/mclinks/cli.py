"""Command-line interface: thin wrappers over the library's stages."""
from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

import click

from mclinks import __version__
from mclinks.errors import MclinksError

if TYPE_CHECKING:
    from mclinks.config import Settings
    from mclinks.store.push import Pushed


ROOT_OPTION = click.option(
    "--root", type=click.Path(path_type=Path, file_okay=False),
    help="Project directory holding data/ (default: this checkout, or the working directory when installed).")


class _Group(click.Group):
    """Turns MclinksError into a one-line message and its exit code."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except MclinksError as e:
            click.echo(f"error: {e}", err=True)
            ctx.exit(e.exit_code)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="mclinks")
def main() -> None:
    """mclinks: Minamata Convention decisions as a validated, citable RDF graph."""


@main.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the extraction as JSON (the BRIEF's contract).")
def extract(file: Path, as_json: bool) -> None:
    """Segment FILE and extract its references, actions, addressees and deadlines."""
    from mclinks.text.extract import extract_file

    result = extract_file(file, strict=False, warn=lambda m: click.echo(f"warning: {m}", err=True))
    if as_json:
        json.dump(result.to_json(), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return
    from mclinks.text.extract import describe
    from mclinks.text.sources import load_source

    _, text = load_source(file, strict=False)  # decoded as the extraction read it (declared encoding)
    for line in describe(result, text):
        click.echo(line)


def _settings(base: str | None = None, root: Path | None = None) -> "Settings":
    from mclinks.config import Settings

    kwargs: dict[str, object] = {}
    if base:
        kwargs["base"] = base.rstrip("/")
    if root:
        kwargs["root"] = root.resolve()
    return Settings(**kwargs)  # type: ignore[arg-type]


@main.command()
@ROOT_OPTION
@click.option("--base", help="Base IRI to mint under (default: $MCLINKS_BASE or https://w3id.org/mclinks).")
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), help="Where releases go (default: ROOT/dist).")
@click.option("--no-validate", is_flag=True, help="Publish without SHACL validation (not recommended).")
def build(root: Path | None, base: str | None, out_dir: Path | None, no_validate: bool) -> None:
    """Build the graph from data/ and publish dumps to dist/current atomically."""
    from mclinks.build import build_and_publish, source_files

    settings = _settings(base, root)
    if settings.uses_default_corpus:
        click.echo(f"{settings.root} has no data/: building the embedded default corpus ({settings.sources_dir})", err=True)
    dist = out_dir.resolve() if out_dir else settings.dist_dir
    say = lambda text: click.echo(text, err=True)  # noqa: E731
    if sys.stderr.isatty():  # progress for a person at a terminal; nothing in CI logs
        total = len(source_files(settings.sources_dir))
        with click.progressbar(length=total, label="extracting", file=sys.stderr, show_pos=True) as bar:
            def progress(xs: object) -> object:
                for x in xs:  # type: ignore[attr-defined]
                    yield x
                    bar.update(1)
            done = build_and_publish(settings, dist, validate=not no_validate, progress=progress, say=say)  # type: ignore[arg-type]
    else:
        done = build_and_publish(settings, dist, validate=not no_validate, say=say)
    result, release, link = done.result, done.release, done.link
    click.echo(f"extracted {result.extracted} of {len(result.extractions)} source(s), "
               f"{len(result.extractions) - result.extracted} unchanged (from {settings.extraction_cache})")
    click.echo(f"built {len(result.extractions)} source(s): "
               f"{sum(len(e.paragraphs) for e in result.extractions)} paragraphs, "
               f"{sum(len(e.references) for e in result.extractions)} references")
    click.echo(f"{release.triples} triples in {len(release.graphs)} named graphs ({release.quads} quads), "
               f"{done.seconds:.2f} s")
    for name, size in release.files.items():
        click.echo(f"  {link / name}  {size:,} bytes")
    click.echo(f"  {link / 'void.ttl'}")


@main.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@ROOT_OPTION
@click.option("--symbol", help="The act's symbol (e.g. MC-1/21, GC-SS.XII/5); normalised.")
@click.option("--kind", type=click.Choice(["decision", "resolution", "note", "report", "document"]))
@click.option("--language", help="ISO 639 code of the text's language (en, fr, es …).")
@click.option("--meeting", help="Registry id of the meeting (data/registry/meetings.tsv), e.g. MC-COP-1.")
@click.option("--body", help="Registry id of the body (data/registry/bodies.tsv), e.g. minamata-cop.")
@click.option("--instrument", help="Registry id of the instrument (data/registry/instruments.tsv).")
@click.option("--date", help="ISO 8601 date or year of adoption.")
@click.option("--title", help="The title, in the text's language.")
@click.option("--source-url", help="Where the original was published.")
@click.option("--force", is_flag=True, help="Write the sidecar anew (and replace the file) when one exists.")
def add(file: Path, root: Path | None, force: bool, **overrides: str | None) -> None:
    """Add FILE (.txt, .pdf, .docx) to data/sources with a sidecar inferred for review, and check it."""
    from mclinks.errors import SourceError
    from mclinks.registry import load_registry
    from mclinks.text.add import add_source

    settings = _settings(None, root)
    registry = load_registry(settings.registry_dir, settings.base)
    sidecar, meta, problems = add_source(file, settings.data_dir / "sources", registry, overrides, force=force)
    click.echo(f"wrote {sidecar}: review it, then run `mclinks build`")
    for key in ("symbol", "kind", "language", "meeting", "body", "instrument", "date", "title"):
        if key in meta:
            click.echo(f"  {key}: {json.dumps(meta[key], ensure_ascii=False)}")
    if problems:
        listed = "".join(f"\n  - {m}" for m in problems.values())
        raise SourceError(f"{len(problems)} problem(s) to fix in the sidecar:{listed}", file=str(sidecar))


@main.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--format", "fmt", type=click.Choice(["text", "turtle", "json"]), default="text", show_default=True)
@click.option("--engine", type=click.Choice(["oxigraph", "pyshacl"]), default="oxigraph", show_default=True,
              help="oxigraph runs each constraint once over the store; pyshacl is the reference engine (slow).")
@ROOT_OPTION
def validate(files: tuple[Path, ...], fmt: str, engine: str, root: Path | None) -> None:
    """Validate RDF FILES (or the graph built from data/) against shapes/.

    Exit status: 0 conforms (warnings allowed), 4 violations, 3 unreadable input.
    """
    from mclinks.errors import SourceError, ValidationFailed
    from mclinks.store.local import load_store, new_store
    from mclinks.validate import validate_store

    settings = _settings(None, root)
    if files:
        store = new_store()
        for path in files:
            try:
                store.bulk_extend(load_store(path))
            except (SyntaxError, ValueError) as e:
                raise SourceError(f"does not parse: {e}", file=str(path)) from None
    else:
        from mclinks.build import build_graph
        store = build_graph(settings).store
    report = validate_store(store, settings, engine)
    out = {"text": report.as_text, "turtle": report.as_turtle, "json": report.as_json}[fmt]()
    click.echo(out)
    if not report.conforms:
        raise ValidationFailed(f"{report.violation_count} violation(s)")


def _one_line(_ctx: click.Context, _param: click.Parameter, value: object) -> object:
    """Refuse control characters (a pasted CR or line break) in a parameter, naming it,
    before they reach a query text."""
    for v in value if isinstance(value, tuple) else (value,):
        if isinstance(v, str) and any(unicodedata.category(c) == "Cc" for c in v):
            raise click.BadParameter(f"{v!r} holds a control character (a line break?): give it on one line")
    return value


def _params(pairs: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        if "=" not in pair:
            raise click.BadParameter(f"{pair!r} is not k=v", param_hint="--param")
        k, v = pair.split("=", 1)
        out[k.strip()] = v
    return out


@main.command()
@click.argument("name", callback=_one_line)
@click.option("--param", "params", multiple=True, metavar="K=V", callback=_one_line,
              help="Bind a query parameter (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--endpoint", "endpoint_url", metavar="URL", help="A SPARQL 1.1 query endpoint (default: the embedded store).")
@ROOT_OPTION
def query(name: str, params: tuple[str, ...], fmt: str, endpoint_url: str | None, root: Path | None) -> None:
    """Run a canned query from queries/ (by NAME) or a .rq FILE; `mclinks query list` lists them."""
    from mclinks.query.canned import canned_queries, find_query
    from mclinks.query.tables import render_rows
    from mclinks.query.target import open_endpoint

    settings = _settings(None, root)
    if name == "list":
        for q in canned_queries(settings.queries_dir).values():
            params_doc = ", ".join(f"{p.name}={p.default}" for p in q.params)
            click.echo(f"{q.name:<30} {q.question}" + (f"  [{params_doc}]" if params_doc else ""))
        return
    canned = find_query(name, settings.queries_dir)
    bindings = _params(params)
    endpoint, base = open_endpoint(settings, endpoint_url)
    try:
        names, rows = endpoint.select(canned.bind(bindings, base))
    except SyntaxError as e:  # a query file of the user's that the embedded engine cannot parse
        from mclinks.errors import SourceError
        raise SourceError(f"does not parse: {e}", file=str(canned.path)) from None
    click.echo(render_rows(names, rows, fmt))


@main.command()
@click.argument("symbol", callback=_one_line)
@click.option("--up", "direction", flag_value="up", help="Only what it cites, back to the roots.")
@click.option("--down", "direction", flag_value="down", help="Only what cites it.")
@click.option("--both", "direction", flag_value="both", default=True, help="Both ways (default).")
@click.option("--depth", type=click.IntRange(1, 50), default=20, show_default=True, help="Hops each way.")
@click.option("--format", "fmt", type=click.Choice(["tree", "json", "dot", "svg", "html"]), default="tree", show_default=True)
@click.option("--endpoint", "endpoint_url", metavar="URL", help="A SPARQL 1.1 query endpoint (default: the embedded store).")
@ROOT_OPTION
def lineage(symbol: str, direction: str, depth: int, fmt: str, endpoint_url: str | None, root: Path | None) -> None:
    """Trace the lineage of SYMBOL (MC-1/21, UNEA-1/5, draft:MC-COP-6, or an IRI)."""
    from mclinks.query.lineage import render, resolve_act, trace
    from mclinks.query.target import open_endpoint

    settings = _settings(None, root)
    endpoint, _base = open_endpoint(settings, endpoint_url)
    act = resolve_act(endpoint, symbol)
    result = trace(endpoint, act, up=direction in ("up", "both"), down=direction in ("down", "both"), depth=depth)
    click.echo(render(result, fmt))


@main.command()
@click.option("--endpoint", "endpoint_url", required=True, metavar="URL",
              help="Graph Store Protocol URL, e.g. http://127.0.0.1:7878/store (Oxigraph), "
                   "http://host:8890/sparql-graph-crud-auth (Virtuoso) or http://host:3030/ds/data (Fuseki).")
@click.option("--user", help="User to authenticate as (HTTP Digest or Basic, as the server asks).")
@click.option("--password", envvar="MCLINKS_PUSH_PASSWORD", show_envvar=True,
              help="The user's password; prefer the environment variable or a netrc entry, "
                   "which keep it off the command line. Asked for when missing and a terminal is attached.")
@click.option("--netrc-file", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="netrc file with the endpoint host's login and password (default: $NETRC, else ~/.netrc if present).")
@click.option("--auth", "auth_scheme", type=click.Choice(["auto", "digest", "basic"]), default="auto", show_default=True,
              help="auto answers the server's challenge (Digest when offered, else Basic).")
@click.option("--retries", type=click.IntRange(0, 10), default=2, show_default=True,
              help="Further attempts for a graph whose upload got no answer, a time-out or a 5xx.")
@click.option("--timeout", "timeout_s", type=click.FloatRange(1, 3600), default=300.0, show_default=True,
              help="Seconds to wait for each request.")
@ROOT_OPTION
def push(endpoint_url: str, user: str | None, password: str | None, netrc_file: Path | None, auth_scheme: str,
         retries: int, timeout_s: float, root: Path | None) -> None:
    """Upload the current release to a triple store, one named graph per PUT (replacing it).

    Prints one line per graph: status, triples, bytes, attempts. Exit status 5
    when a graph could not be pushed; the message says what the store holds then.
    """
    from mclinks.errors import EndpointError
    from mclinks.store.credentials import find_credentials
    from mclinks.store.local import graph_names, load_store
    from mclinks.store.push import push as push_graphs
    from mclinks.store.push import split_credentials

    settings = _settings(None, root)
    from mclinks.release.dumps import STORE_DUMP
    dump = settings.dist_dir / "current" / STORE_DUMP
    if not dump.exists():
        raise MclinksError(f"{dump} does not exist: run `mclinks build` first")
    url, in_url = split_credentials(endpoint_url)
    credentials = find_credentials(url, user, password, in_url, netrc_file,
                                   ask=lambda prompt: click.prompt(prompt, hide_input=True, err=True))
    store = load_store(dump)
    total = len(graph_names(store))

    def show(p: "Pushed") -> None:
        status = p.status if p.status is not None else "---"
        line = f"{status} {p.graph}  {p.triples} triples, {p.bytes:,} bytes, {p.attempts} attempt(s), {p.seconds:.2f} s"
        click.echo(line if p.ok else f"{line}  FAILED: {p.error}")

    click.echo(f"pushing {total} named graphs to {url}" + (f" as {credentials.user}" if credentials else ""))
    report = push_graphs(store, url, credentials, auth_scheme=auth_scheme, retries=retries, timeout_s=timeout_s,
                         progress=show)
    if not report.complete:
        raise EndpointError(report.left_behind())
    click.echo(f"pushed {len(report.pushed)} named graphs, {sum(p.triples for p in report.pushed)} triples, "
               f"{sum(p.bytes for p in report.pushed):,} bytes")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind (loopback by default).")
@click.option("--port", default=8080, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64), help="Query worker processes.")
@click.option("--timeout", "timeout_s", default=10.0, show_default=True, type=click.FloatRange(0.1, 3600), help="Per-query time limit (s).")
@click.option("--row-cap", default=10_000, show_default=True, type=click.IntRange(1), help="Most rows/triples a query returns (signalled when reached).")
@click.option("--max-response-bytes", default=16 << 20, show_default=True, type=click.IntRange(1024),
              help="Most bytes of terms an answer carries (signalled like the row cap).")
@click.option("--max-request-bytes", default=65536, show_default=True, type=click.IntRange(256))
@click.option("--memory-mb", default=1024, show_default=True, type=click.IntRange(0),
              help="Memory one query may use on top of the store (0: no limit).")
@click.option("--cache", "cache_mb", default=64, show_default=True, type=click.IntRange(0),
              help="Megabytes of answers and pages kept in memory (0: none); safe because a release never changes.")
@click.option("--store", "store_kind", type=click.Choice(["memory", "disk"]), default="memory", show_default=True,
              help="memory: one copy of the union in memory, forked to every worker (named graphs read from the on-disk store); "
                   "disk: every query reads the on-disk store.")
@click.option("--queue-per-client", default=8, show_default=True, type=click.IntRange(1),
              help="Requests one client may have waiting for a worker (beyond: 503 with Retry-After).")
@click.option("--max-connections", default=256, show_default=True, type=click.IntRange(1),
              help="Open connections at most (beyond: 503).")
@click.option("--public-url", help="How clients reach this server (service description); default http://HOST:PORT.")
@click.option("--body-timeout", "body_timeout_s", default=10.0, show_default=True, type=click.FloatRange(0.1, 600),
              help="Seconds a request body may take to arrive (slow clients get 408).")
@click.option("--recycle-mb", default=64, show_default=True, type=click.IntRange(0),
              help="A worker grown by more than this since it started is replaced by a fresh one after its answer (0: never).")
@ROOT_OPTION
def serve(host: str, port: int, workers: int, timeout_s: float, row_cap: int, max_response_bytes: int,
          max_request_bytes: int, memory_mb: int, cache_mb: int, store_kind: str, queue_per_client: int,
          max_connections: int, public_url: str | None, body_timeout_s: float, recycle_mb: int,
          root: Path | None) -> None:
    """Serve dist/current: SPARQL endpoint at /sparql, pages at /, read-only.

    A new build made current is picked up without a restart."""
    import socket

    from mclinks.web.app import ServeSettings, run
    from mclinks.web.pool import QueueLimits

    settings = _settings(None, root)
    try:
        with socket.create_server((host, port)):
            pass
    except OSError as e:
        raise MclinksError(f"cannot listen on {host}:{port} ({e.strerror}); choose another with --port") from None
    cfg = ServeSettings(settings.dist_dir / "current", settings.base, settings.queries_dir, settings.ontology_file,
                        workers, timeout_s, row_cap, max_request_bytes, max_response_bytes, cache_mb << 20,
                        store_kind == "memory", memory_mb, public_url or f"http://{host}:{port}",
                        QueueLimits(per_client=queue_per_client), body_timeout_s, recycle_mb=recycle_mb)
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"warning: binding {host}: the endpoint will be reachable beyond this machine", err=True)
    from mclinks.web.app import create_app
    try:
        app = create_app(cfg)
    except RuntimeError as e:
        raise MclinksError(str(e)) from None
    click.echo(f"serving {app.state.mclinks.backend.release} on http://{host}:{port}/ (SPARQL at /sparql); "
               "Ctrl-C stops", err=True)
    run(app, host, port, max_connections)


@main.command()
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path, file_okay=False),
              help="Directory for the static site (replaced once complete).")
@ROOT_OPTION
def publish(out_dir: Path, root: Path | None) -> None:
    """Write dist/current as a static site: HTML pages, per-resource data files and dumps."""
    from mclinks.query.canned import canned_queries
    from mclinks.query.target import current_release
    from mclinks.web.site import publish_site

    settings = _settings(None, root)
    release = current_release(settings)
    from mclinks.release.dumps import ensure_store, hold_release
    from mclinks.release.manifest import read_manifest
    with hold_release(release):
        ensure_store(release)
        try:
            report = publish_site(release, out_dir, read_manifest(release).base, settings.ontology_file,
                                  canned_queries(settings.queries_dir))
        except OSError as e:  # a full disk: the site is swapped in only once whole, so DIR is as it was
            from mclinks.errors import SourceError
            raise SourceError(f"cannot write the site: {e.strerror or e}; {out_dir} is left as it was",
                              file=e.filename or str(out_dir)) from None
    click.echo(f"{report.pages} pages and {report.files} files in {report.out}")
