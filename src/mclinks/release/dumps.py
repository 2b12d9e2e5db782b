"""Publish stage: dumps (Turtle, N-Triples gzip, JSON-LD, TriG, N-Quads) and a
VoID/DCAT description, written to a fresh release directory and made current
by one atomic symlink swap, so readers never see a half-written release and a
failed build leaves the published one untouched. A published release is never
written to again; it is pruned only when no reader holds it (``hold_release``).
"""
from __future__ import annotations

import fcntl
import gzip
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import IO

from pyoxigraph import DefaultGraph, NamedNode, Store, Triple

from mclinks import __version__
from mclinks.errors import SourceError
from mclinks.formats import BY_NAME, NQUADS, TURTLE
from mclinks.identifiers import id_space, iri
from mclinks.release.manifest import MANIFEST_FILE, Manifest, write_manifest
from mclinks.release.search_index import SEARCH_FILE, write_search_index
from mclinks.store.local import union_store
from mclinks.vocab import DCAT, DCTERMS, FOAF, PREFIXES, VOID, A, date, integer, non_negative, text

DUMPS = (  # file name, format name, gzip?
    ("mclinks.ttl", "turtle", False),
    ("mclinks.nt.gz", "ntriples", True),
    ("mclinks.jsonld", "jsonld", False),
    ("mclinks.trig", "trig", False),
    ("mclinks.nq.gz", "nquads", True),
)
STORE_DUMP = "mclinks.nq.gz"  # the dump every reader loads a store from: all named graphs, compressed
KEEP_RELEASES = 3
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
PUBLISHER_NAME = "mclinks project"


@dataclass(frozen=True)
class Release:
    path: Path
    triples: int
    quads: int
    graphs: dict[str, int]
    files: dict[str, int]


@contextmanager
def _output(path: Path, compress: bool) -> Iterator[IO[bytes]]:
    """A binary file to dump into, gzipped when asked."""
    with open(path, "wb") as raw:
        if not compress:
            yield raw
            return
        # Level 1: a 1M-triple dump compresses 3x faster than at 6, for files about 1.5x larger.
        with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=1, mtime=0) as f:
            yield f  # type: ignore[misc]


def graph_sizes(store: Store) -> dict[str, int]:
    """Quads per named graph, by graph IRI in order, counted by the store."""
    rows = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    sizes = {row["g"].value: int(row["n"].value) for row in rows if isinstance(row["g"], NamedNode)}  # type: ignore[union-attr]
    return dict(sorted(sizes.items()))


def write_dumps(store: Store, directory: Path, union: Store | None = None) -> tuple[int, dict[str, int]]:
    """Every file of ``DUMPS`` in ``directory``, serialised by the store in Rust: the dataset
    formats from ``store``, the triple formats from its union (``union_store``, made here
    unless given). Returns the distinct triples and each file's size."""
    union = union if union is not None else union_store(store)
    files: dict[str, int] = {}
    for name, fmt_name, compressed in DUMPS:
        fmt = BY_NAME[fmt_name]
        prefixes = {"prefixes": PREFIXES} if fmt_name in ("turtle", "trig") else {}
        with _writing(directory / name), _output(directory / name, compressed) as out:
            if fmt.dataset:
                store.dump(out, fmt.ox, **prefixes)  # type: ignore[arg-type]
            else:
                union.dump(out, fmt.ox, from_graph=DefaultGraph(), **prefixes)  # type: ignore[arg-type]
        files[name] = (directory / name).stat().st_size
    return len(union), files


def _void(base: str, store: Store, triples: int, files: dict[str, int], graphs: dict[str, int]) -> bytes:
    """VoID + DCAT description of the dataset and its distributions, with what DCAT-AP 3
    requires of a catalogue, a dataset, a distribution and an agent (title, description,
    publisher with a name, access URL, licence, IANA media type, byte size)."""
    ds, catalog, publisher = (NamedNode(iri(base, kind)) for kind in ("dataset", "catalog", "publisher"))
    license_doc = NamedNode(LICENSE)
    title_en = text("mclinks: Minamata Convention decisions and their links", "en")
    description_en = text("Decisions of the Minamata Convention on Mercury, their citations of BRS decisions, UNEA resolutions and convention articles, with paragraph-level provenance.", "en")
    out: list[tuple[NamedNode, NamedNode, object]] = [
        (catalog, A, DCAT.Catalog), (catalog, DCTERMS.title, text("mclinks catalogue", "en")),
        (catalog, DCTERMS.description, text("The mclinks dataset and its downloadable dumps.", "en")),
        (catalog, DCTERMS.publisher, publisher), (catalog, DCAT.dataset, ds),
        (publisher, A, FOAF.Agent), (publisher, FOAF.name, text(PUBLISHER_NAME, "en")),
        (license_doc, A, DCTERMS.LicenseDocument),
        (ds, A, VOID.Dataset), (ds, A, DCAT.Dataset),
        (ds, DCTERMS.title, title_en),
        (ds, DCTERMS.title, text("mclinks : décisions de la Convention de Minamata et leurs liens", "fr")),
        (ds, DCTERMS.description, description_en),
        (ds, DCTERMS.publisher, publisher),
        (ds, DCTERMS.modified, date(datetime.now(timezone.utc).date().isoformat())),
        (ds, DCTERMS.license, license_doc),
        (ds, VOID.triples, integer(triples)),
        (ds, VOID.uriSpace, text(id_space(base))),
        (ds, VOID.sparqlEndpoint, NamedNode(iri(base, "sparql"))),
        (ds, VOID.vocabulary, NamedNode(PREFIXES["mcl"])),
        (ds, DCAT.keyword, text("Minamata Convention", "en")),
        (ds, DCAT.keyword, text("linked data", "en")),
    ]
    for name, fmt_name, compressed in DUMPS:
        dist = NamedNode(iri(base, "dump", name))
        media_type = NamedNode(MEDIA_TYPES + BY_NAME[fmt_name].media_type)
        out += [
            (ds, DCAT.distribution, dist), (dist, A, DCAT.Distribution),
            (dist, DCAT.accessURL, dist), (dist, DCAT.downloadURL, dist),
            (dist, DCAT.mediaType, media_type), (media_type, A, DCTERMS.MediaType),
            (dist, DCAT.byteSize, non_negative(files[name])),
            (dist, DCTERMS.license, license_doc),
            (dist, DCTERMS.title, text(name)),
            (ds, VOID.dataDump, dist),
        ]
        if compressed:
            gzip_type = NamedNode(MEDIA_TYPES + "application/gzip")
            out += [(dist, DCAT.compressFormat, gzip_type), (gzip_type, A, DCTERMS.MediaType)]
    for graph, count in graphs.items():
        sub = NamedNode(graph)
        out += [(ds, VOID.subset, sub), (sub, A, VOID.Dataset), (sub, VOID.triples, integer(count))]
    return TURTLE.write([Triple(s, p, o) for s, p, o in out], PREFIXES)  # type: ignore[arg-type]


def release_name(now: float | None = None) -> str:
    """A release's folder name: its UTC build time to the microsecond, then the process, so
    that names sort as the builds were made (pruning keeps the newest by name).

    >>> release_name(1764606600.25)
    '20251201T163000.250000Z-...'
    """
    now = time.time() if now is None else now
    return time.strftime("%Y%m%dT%H%M%S", time.gmtime(now)) + f".{int(now * 1e6) % 10**6:06d}Z-{os.getpid()}"


def write_release(store: Store, dist_dir: Path, base: str, extra_files: dict[str, bytes] | None = None,
                  sources: int = 0, union: Store | None = None) -> Release:
    """Write every dump, the manifest and the on-disk store to ``dist/releases/<stamp>`` (not yet
    current). A write that fails (a full disk) removes the partial release and raises
    ``SourceError`` naming the file it was writing."""
    releases = dist_dir / "releases"
    stamp = release_name()
    tmp = releases / f".tmp-{stamp}"
    with _writing(tmp):
        releases.mkdir(parents=True, exist_ok=True)
        tmp.mkdir()
    try:
        return _fill_release(store, tmp, releases / stamp, base, extra_files, sources, union)
    except BaseException:
        discard(tmp)
        raise


@contextmanager
def _writing(path: Path) -> Iterator[None]:
    """OS errors while writing ``path`` (ENOSPC above all) as bad-input errors naming it."""
    try:
        yield
    except OSError as e:
        raise SourceError(f"cannot write: {e.strerror or e}; the published release is left as it was",
                          file=str(path)) from None


def _fill_release(store: Store, tmp: Path, final: Path, base: str, extra_files: dict[str, bytes] | None,
                  sources: int, union: Store | None) -> Release:
    graphs = graph_sizes(store)
    triples, files = write_dumps(store, tmp, union)
    with _writing(tmp / "void.ttl"):
        (tmp / "void.ttl").write_bytes(_void(base, store, triples, files, graphs))
    with _writing(tmp / SEARCH_FILE):
        write_search_index(store, base, tmp / SEARCH_FILE)
    for name, data in (extra_files or {}).items():
        with _writing(tmp / name):
            (tmp / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp / name).write_bytes(data)
    with _writing(tmp / MANIFEST_FILE):
        write_manifest(tmp, Manifest(base, datetime.now(timezone.utc).isoformat(timespec="seconds"),
                                     __version__, triples, sources))
    with _writing(tmp / "store"):
        _write_store(tmp / "mclinks.nq.gz", tmp / "store")
    with _writing(final):
        tmp.rename(final)
    return Release(final, triples, len(store), graphs, files)


STORE_CHUNK = 32 * 2**20  # bytes of N-Quads per bulk load: one load of a 1M-triple dump took 550 MB more


def _write_store(nquads: Path, target: Path) -> None:
    """The on-disk store that `serve` workers and `publish` open read-only, written with the
    release so that nothing is ever added to a published one; loaded in Rust from the
    release's own N-Quads dump, which is therefore exactly what it holds. The dump goes in
    by whole lines, a chunk at a time, which bounds the bulk loader's memory (N-Quads is one
    quad a line). A blank node's label names the same node only within one load, so from the
    first chunk that may hold one, the rest goes in as one load."""
    disk = Store(str(target))
    with gzip.open(nquads, "rb") as f:
        while chunk := f.read(STORE_CHUNK):
            chunk += f.readline()  # to the end of the line the chunk cut
            if b"_:" in chunk:
                chunk += f.read()
            disk.bulk_load(chunk, NQUADS.ox)
    disk.flush()
    del disk  # closes the database before the directory is renamed


def _lock_file(dist_dir: Path, name: str) -> int:
    """An open descriptor on ``dist/locks/<name>.lock``: locks live outside the releases."""
    locks = dist_dir / "locks"
    with _writing(locks):
        locks.mkdir(parents=True, exist_ok=True)
        return os.open(locks / f"{name}.lock", os.O_RDWR | os.O_CREAT, 0o644)


def _release_dir(release_dir: Path) -> Path:
    release = release_dir.resolve()
    if release.parent.name != "releases" or not release.is_dir():
        raise SourceError("is not a release (dist/releases/<stamp>)", file=str(release_dir))
    return release


@contextmanager
def hold_release(release_dir: Path) -> Iterator[None]:
    """Keep a release from being pruned for as long as the context is open (a server holds
    the release it serves): a shared lock on ``dist/locks/<release>.lock``, which pruning
    must take exclusively. ``release_dir`` may be ``dist/current``; it is resolved once."""
    release = _release_dir(release_dir)
    fd = _lock_file(release.parent.parent, release.name)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
        if not release.is_dir():  # pruned between resolving and locking
            raise SourceError("was pruned meanwhile: open dist/current again", file=str(release))
        yield
    finally:
        os.close(fd)


def _try_exclusive(dist_dir: Path, name: str) -> int | None:
    """An exclusively locked descriptor on ``name``'s lock, or None when someone holds it."""
    fd = _lock_file(dist_dir, name)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


@contextmanager
def _build_lock(dist_dir: Path) -> Iterator[None]:
    """One build at a time writes, swaps and prunes; whatever a build leaves behind while
    no build holds this lock is debris of a killed one."""
    fd = _lock_file(dist_dir, "build")
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def publish_release(store: Store, dist_dir: Path, base: str, extra_files: dict[str, bytes] | None = None,
                    sources: int = 0, union: Store | None = None) -> tuple[Release, Path]:
    """Clean what killed builds left, write a release, make it current, prune old ones."""
    with _build_lock(dist_dir):
        clean_leftovers(dist_dir)
        release = write_release(store, dist_dir, base, extra_files, sources, union)
        return release, make_current(release, dist_dir)


def clean_leftovers(dist_dir: Path) -> list[Path]:
    """Remove temporary releases, half-pruned ones, temporary links and orphan locks of
    builds that were killed. Call only while holding the build lock."""
    removed: list[Path] = []
    releases = dist_dir / "releases"
    for p in sorted(releases.iterdir()) if releases.is_dir() else []:
        if p.name.startswith("."):
            shutil.rmtree(p, ignore_errors=True)
            removed.append(p)
    for p in dist_dir.glob(".current-*"):
        p.unlink(missing_ok=True)
        removed.append(p)
    for lock in sorted((dist_dir / "locks").glob("*.lock")):
        name = lock.name[: -len(".lock")]
        if name != "build" and not (releases / name).exists() and (fd := _try_exclusive(dist_dir, name)) is not None:
            lock.unlink(missing_ok=True)
            os.close(fd)
            removed.append(lock)
    return removed


def make_current(release: Release, dist_dir: Path) -> Path:
    """Point ``dist/current`` at the release in one atomic rename; prune old releases."""
    link = dist_dir / "current"
    tmp_link = dist_dir / f".current-{os.getpid()}"
    with _writing(link):
        if tmp_link.is_symlink() or tmp_link.exists():
            tmp_link.unlink()
        tmp_link.symlink_to(release.path.relative_to(dist_dir))
        os.replace(tmp_link, link)
    prune_releases(dist_dir)
    return link


def prune_releases(dist_dir: Path, keep: int = KEEP_RELEASES) -> list[Path]:
    """Remove releases beyond the ``keep`` newest, except the current one and any that a
    reader holds (``hold_release``). A release is renamed away before it is deleted, so
    it is either whole or gone."""
    current = (dist_dir / "current").resolve()
    releases = sorted((p for p in (dist_dir / "releases").iterdir() if not p.name.startswith(".")), reverse=True)
    pruned: list[Path] = []
    for old in releases[keep:]:
        if old.resolve() == current:
            continue
        fd = _try_exclusive(dist_dir, old.name)
        if fd is None:
            continue  # in use
        try:
            trash = old.with_name(f".trash-{old.name}")
            old.rename(trash)
            shutil.rmtree(trash, ignore_errors=True)
            (dist_dir / "locks" / f"{old.name}.lock").unlink(missing_ok=True)
            pruned.append(old)
        finally:
            os.close(fd)
    return pruned


def ensure_store(release: Path) -> Path:
    """The release's on-disk store (what `serve` workers open read-only). Written by the
    build; a release without one predates that and is never changed here."""
    target = release / "store"
    if not target.is_dir():
        raise SourceError("has no on-disk store (made by an older mclinks): run `mclinks build`", file=str(release))
    return target


def discard(release_dir: Path) -> None:
    """Remove a release that was never made current."""
    shutil.rmtree(release_dir, ignore_errors=True)
