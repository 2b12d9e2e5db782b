"""Publish stage: dumps (Turtle, N-Triples gzip, JSON-LD, TriG, N-Quads) and a
VoID/DCAT description, written to a fresh release directory and made current
by one atomic symlink swap, so readers never see a half-written release and a
failed build leaves the published one untouched. A published release is never
changed again (its on-disk store is made beside it, from its own dump, on first demand:
``ensure_store``); it is pruned only when no reader holds it (``hold_release``).
"""
from __future__ import annotations

import fcntl
import gzip
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import IO

from pyoxigraph import DefaultGraph, NamedNode, Store, Triple

from mclinks import __version__
from mclinks.errors import SourceError
from mclinks.formats import BY_NAME, NQUADS, TURTLE
from mclinks.graph.packed import COMPRESSION, PackedDataset
from mclinks.identifiers import id_space, iri
from mclinks.release.manifest import MANIFEST_FILE, Manifest, write_manifest
from mclinks.release.search_index import SEARCH_FILE, write_search_index
from mclinks.store.local import side_by_side, together, union_store
from mclinks.vocab import DCAT, DCTERMS, FOAF, PREFIXES, VOID, A, date, integer, non_negative, text

DUMPS = (  # file name, format name, gzip?
    ("mclinks.ttl", "turtle", False),
    ("mclinks.nt.gz", "ntriples", True),
    ("mclinks.jsonld", "jsonld", False),
    ("mclinks.trig", "trig", False),
    ("mclinks.nq.gz", "nquads", True),
)
RENDERED = tuple(BY_NAME[f] for _, f, _ in DUMPS if BY_NAME[f].dataset and f != "nquads")  # what the build
# renders each packed member in, as it goes (PackedDataset.rendering): N-Quads is what it packs
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
        with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=COMPRESSION, mtime=0) as f:
            yield f  # type: ignore[misc]


def packed(dataset: PackedDataset | Store, union: Store | None = None) -> tuple[PackedDataset, Store]:
    """The dataset packed, and its union (``union_store``, made here unless given)."""
    if isinstance(dataset, PackedDataset):
        return dataset, union if union is not None else union_store(dataset.store())
    return PackedDataset.from_store(dataset, RENDERED), union if union is not None else union_store(dataset)


def write_dumps(dataset: PackedDataset | Store, directory: Path, union: Store | None = None) -> tuple[int, dict[str, int]]:
    """Every file of ``DUMPS`` in ``directory``, side by side, one per core: the triple formats
    serialised in Rust from the union (``union_store`` of the dataset, made here unless
    given), the dataset formats as the dataset holds them packed (N-Quads, and ``RENDERED``
    as each member was packed: never a store of the whole dataset). Returns the distinct
    triples and each file's size."""
    dataset, union = packed(dataset, union)

    def dump(row: tuple[str, str, bool]) -> int:
        name, fmt_name, compressed = row
        fmt = BY_NAME[fmt_name]
        with _writing(directory / name):
            if fmt.dataset:
                with open(directory / name, "wb") as raw:
                    if not dataset.write_in(fmt, raw, compressed):
                        raise ValueError(f"the dataset is not packed in {fmt.name}: pack it with rendering=RENDERED")
            else:
                prefixes = {"prefixes": PREFIXES} if fmt.prefixed else {}
                with _output(directory / name, compressed) as out:
                    union.dump(out, fmt.ox, from_graph=DefaultGraph(), **prefixes)  # type: ignore[arg-type]
        return (directory / name).stat().st_size
    sizes = side_by_side(dump, list(DUMPS))
    return len(union), {name: size for (name, _, _), size in zip(DUMPS, sizes)}


def _void(base: str, triples: int, files: dict[str, int], graphs: dict[str, int]) -> bytes:
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


def release_graphs(release: Path) -> list[str]:
    """The named graphs of a release, as its VoID lists them (``void:subset``, one per graph
    the build counted), read without opening a store."""
    from pyoxigraph import parse
    subset = VOID.subset
    return sorted({t.object.value for t in parse(path=str(release / "void.ttl"), format=TURTLE.ox)
                   if t.predicate == subset and isinstance(t.object, NamedNode)})


def release_name(now: float | None = None) -> str:
    """A release's folder name: its UTC build time to the microsecond, then the process, so
    that names sort as the builds were made (pruning keeps the newest by name).

    >>> release_name(1764606600.25)
    '20251201T163000.250000Z-...'
    """
    now = time.time() if now is None else now
    return time.strftime("%Y%m%dT%H%M%S", time.gmtime(now)) + f".{int(now * 1e6) % 10**6:06d}Z-{os.getpid()}"


ExtraFiles = dict[str, bytes] | Callable[[], dict[str, bytes]]  # or what makes them, asked once the dumps are written


def write_release(dataset: PackedDataset | Store, dist_dir: Path, base: str, extra_files: ExtraFiles | None = None,
                  sources: int = 0, union: Store | None = None) -> Release:
    """Write every dump and the manifest to ``dist/releases/<stamp>`` (not yet current; the
    on-disk store is made on demand, ``ensure_store``). ``extra_files`` may be a function, asked
    once the dumps are written, so that they can be written while the caller still checks the
    graph; what it raises removes the release unpublished. A write that fails (a full disk)
    removes the partial release and raises ``SourceError`` naming the file it was writing."""
    releases = dist_dir / "releases"
    stamp = release_name()
    tmp = releases / f".tmp-{stamp}"
    with _writing(tmp):
        releases.mkdir(parents=True, exist_ok=True)
        tmp.mkdir()
    try:
        return _fill_release(*packed(dataset, union), tmp, releases / stamp, base, extra_files, sources)
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


def _fill_release(dataset: PackedDataset, union: Store, tmp: Path, final: Path, base: str,
                  extra_files: ExtraFiles | None, sources: int) -> Release:
    def search_index() -> None:
        with _writing(tmp / SEARCH_FILE):
            write_search_index(union, base, tmp / SEARCH_FILE)
    (triples, files), _ = together(lambda: write_dumps(dataset, tmp, union), search_index)
    graphs = dict(sorted(dataset.graphs.items()))
    with _writing(tmp / "void.ttl"):
        (tmp / "void.ttl").write_bytes(_void(base, triples, files, graphs))
    if callable(extra_files):
        extra_files = extra_files()  # may refuse the release (a failed validation): it is removed unpublished
    for name, data in (extra_files or {}).items():
        with _writing(tmp / name):
            (tmp / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp / name).write_bytes(data)
    with _writing(tmp / MANIFEST_FILE):
        write_manifest(tmp, Manifest(base, datetime.now(timezone.utc).isoformat(timespec="seconds"),
                                     __version__, triples, sources))
    with _writing(final):
        tmp.rename(final)
    return Release(final, triples, dataset.quads, graphs, files)


STORE_CHUNK = 32 * 2**20  # bytes of N-Quads per bulk load: one load of a 1M-triple dump took 550 MB more


def _write_store(nquads: Path, target: Path) -> None:
    """An on-disk store at ``target``, loaded in Rust from the release's own N-Quads dump,
    which is therefore exactly what it holds. The dump goes in
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


def publish_release(dataset: PackedDataset | Store, dist_dir: Path, base: str, extra_files: ExtraFiles | None = None,
                    sources: int = 0, union: Store | None = None) -> tuple[Release, Path]:
    """Clean what killed builds left, write a release, make it current, prune old ones."""
    with _build_lock(dist_dir):
        clean_leftovers(dist_dir)
        release = write_release(dataset, dist_dir, base, extra_files, sources, union)
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
    stores = dist_dir / "stores"
    for p in sorted(stores.iterdir()) if stores.is_dir() else []:
        if p.name.startswith(".trash-") or (not p.name.startswith(".") and not (releases / p.name).is_dir()):
            shutil.rmtree(p, ignore_errors=True)  # half-pruned, or its release is gone
            removed.append(p)
        elif p.name.startswith(STORE_TMP_PREFIX):
            _remove_dead_writers(stores / p.name[len(STORE_TMP_PREFIX):].rsplit("-", 1)[0])
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
            for path in (old, store_path(old)):  # the release, then its on-disk store if one was made
                if path.exists():
                    trash = path.with_name(f".trash-{path.name}")
                    path.rename(trash)
                    shutil.rmtree(trash, ignore_errors=True)
            (dist_dir / "locks" / f"{old.name}.lock").unlink(missing_ok=True)
            pruned.append(old)
        finally:
            os.close(fd)
    return pruned


STORE_TMP_PREFIX = ".tmp-"  # a store being written: .tmp-<release>-<pid> beside the finished ones


def store_path(release: Path) -> Path:
    """Where a release's on-disk store lives: ``dist/stores/<release>``, outside the release,
    whose files never change once published."""
    return release.parent.parent / "stores" / release.name


def ensure_store(release: Path) -> Path:
    """The release's on-disk store (what `serve --store disk` workers and `publish` open
    read-only), made from the release's own N-Quads dump the first time it is asked for:
    most releases are only ever served from memory, and at 1M triples writing it took a
    quarter of the build. It is written under a temporary name and renamed into place, so a
    reader sees no store or a whole one; two processes asking at once both get the same
    store (the second waits on ``dist/locks/store-<release>.lock`` for the first to finish
    instead of making it again), and a killed writer's leftover is removed by the next one.
    Pruning a release removes its store."""
    release = _release_dir(release)
    target = store_path(release)
    if target.is_dir():
        return target
    if not (release / STORE_DUMP).is_file():
        raise SourceError(f"has no {STORE_DUMP} to make its store from: run `mclinks build`", file=str(release))
    with _writing(target.parent):
        target.parent.mkdir(parents=True, exist_ok=True)
    fd = _lock_file(release.parent.parent, f"store-{release.name}")
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # one writer at a time; the next finds the store made
        if target.is_dir():
            return target
        _remove_dead_writers(target)
        tmp = target.with_name(f"{STORE_TMP_PREFIX}{release.name}-{os.getpid()}")
        shutil.rmtree(tmp, ignore_errors=True)
        try:
            with _writing(tmp):
                _write_store(release / STORE_DUMP, tmp)
            try:
                tmp.rename(target)
            except OSError:
                if not target.is_dir():  # not another writer's store landing first
                    raise
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return target
    finally:
        os.close(fd)



def _remove_dead_writers(target: Path) -> None:
    """Temporary stores for ``target`` whose writing process is gone (killed halfway)."""
    for tmp in target.parent.glob(f"{STORE_TMP_PREFIX}{target.name}-*"):
        pid = tmp.name.rsplit("-", 1)[1]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(tmp, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def discard(release_dir: Path) -> None:
    """Remove a release that was never made current."""
    shutil.rmtree(release_dir, ignore_errors=True)
