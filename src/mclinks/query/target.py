"""Where a command's queries run: a remote SPARQL endpoint, the current release, or — when
nothing was built yet — the graph built in memory from the data directory."""
from __future__ import annotations

from pathlib import Path

from mclinks.config import Settings
from mclinks.errors import MclinksError
from mclinks.release.dumps import STORE_DUMP, hold_release
from mclinks.release.manifest import read_manifest
from mclinks.store.endpoint import EmbeddedEndpoint, Endpoint, RemoteEndpoint
from mclinks.store.local import load_store


def current_release(settings: Settings) -> Path:
    """``dist/current``, resolved once (a rebuild may move the link), or an error saying to build first."""
    release = (settings.dist_dir / "current").resolve()
    if not (release / STORE_DUMP).exists():
        raise MclinksError(f"{settings.dist_dir / 'current'} holds no release: run `mclinks build` first")
    return release


def open_endpoint(settings: Settings, endpoint_url: str | None) -> tuple[Endpoint, str]:
    """The endpoint to query and the base IRI its data was minted under: a remote endpoint with
    the configured base; else the current release with the base its manifest records."""
    if endpoint_url:
        return RemoteEndpoint(endpoint_url), settings.base
    if (settings.dist_dir / "current" / STORE_DUMP).exists():
        release = current_release(settings)
        with hold_release(release):  # not pruned while it is read
            return EmbeddedEndpoint(load_store(release / STORE_DUMP)), read_manifest(release).base
    from mclinks.build import build_graph
    return EmbeddedEndpoint(build_graph(settings).store), settings.base
