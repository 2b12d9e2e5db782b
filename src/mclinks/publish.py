"""Publish stage: dumps (Turtle, N-Triples gzip, JSON-LD, TriG, N-Quads) and a
VoID/DCAT description, written to a fresh release directory and made current
by one atomic symlink swap, so readers never see a half-written release and a
failed build leaves the published one untouched.
"""
from __future__ import annotations

import gzip
import os
import shutil
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from pyoxigraph import NamedNode, Store, Triple, serialize

from .formats import BY_NAME
from .store import graph_names, union_triples
from .vocab import A, DCAT, DCTERMS, FOAF, PREFIXES, VOID, date, integer, non_negative, text

DUMPS = (  # file name, format name, gzip?
    ("mclinks.ttl", "turtle", False),
    ("mclinks.nt.gz", "ntriples", True),
    ("mclinks.jsonld", "jsonld", False),
    ("mclinks.trig", "trig", False),
    ("mclinks.nq.gz", "nquads", True),
)
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


def _write(path: Path, data: bytes, compress: bool) -> None:
    if compress:
        # Level 1: a 1M-triple dump compresses 3x faster than at 6, for files about 1.5x larger.
        with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=1, mtime=0) as f:
            f.write(data)
    else:
        path.write_bytes(data)


def _void(base: str, store: Store, triples: int, files: dict[str, int], graphs: dict[str, int]) -> bytes:
    """VoID + DCAT description of the dataset and its distributions, with what DCAT-AP 3
    requires of a catalogue, a dataset, a distribution and an agent (title, description,
    publisher with a name, access URL, licence, IANA media type, byte size)."""
    ds = NamedNode(f"{base}/dataset")
    catalog = NamedNode(f"{base}/catalog")
    publisher = NamedNode(f"{base}/publisher")
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
        (ds, VOID.uriSpace, text(f"{base}/id/")),
        (ds, VOID.sparqlEndpoint, NamedNode(f"{base}/sparql")),
        (ds, VOID.vocabulary, NamedNode(PREFIXES["mcl"])),
        (ds, DCAT.keyword, text("Minamata Convention", "en")),
        (ds, DCAT.keyword, text("linked data", "en")),
    ]
    for name, fmt_name, compressed in DUMPS:
        dist = NamedNode(f"{base}/dump/{name}")
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
    return serialize([Triple(s, p, o) for s, p, o in out], format=BY_NAME["turtle"].ox, prefixes=PREFIXES)  # type: ignore[arg-type]


def write_release(store: Store, dist_dir: Path, base: str, extra_files: dict[str, bytes] | None = None) -> Release:
    """Write every dump to ``dist/releases/<stamp>`` (not yet current)."""
    releases = dist_dir / "releases"
    releases.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S") + f"-{os.getpid()}-{time.monotonic_ns() % 10**6}"
    tmp = releases / f".tmp-{stamp}"
    tmp.mkdir()
    try:
        return _fill_release(store, tmp, releases / stamp, base, extra_files)
    except BaseException:
        discard(tmp)
        raise


def _fill_release(store: Store, tmp: Path, final: Path, base: str, extra_files: dict[str, bytes] | None) -> Release:
    triples = union_triples(store)
    graphs = {g.value: sum(1 for _ in store.quads_for_pattern(None, None, None, g)) for g in graph_names(store)}
    files: dict[str, int] = {}
    for name, fmt_name, compressed in DUMPS:
        fmt = BY_NAME[fmt_name]
        data = serialize(store if fmt.dataset else triples, format=fmt.ox,
                         **({"prefixes": PREFIXES} if fmt_name in ("turtle", "trig") else {}))
        _write(tmp / name, data, compressed)
        files[name] = (tmp / name).stat().st_size
    (tmp / "void.ttl").write_bytes(_void(base, store, len(triples), files, graphs))
    for name, data in (extra_files or {}).items():
        (tmp / name).write_bytes(data)
    tmp.rename(final)
    return Release(final, len(triples), len(store), graphs, files)


def make_current(release: Release, dist_dir: Path) -> Path:
    """Point ``dist/current`` at the release in one atomic rename; prune old releases."""
    link = dist_dir / "current"
    tmp_link = dist_dir / f".current-{os.getpid()}"
    if tmp_link.is_symlink() or tmp_link.exists():
        tmp_link.unlink()
    tmp_link.symlink_to(release.path.relative_to(dist_dir))
    os.replace(tmp_link, link)
    kept = sorted((p for p in (dist_dir / "releases").iterdir() if not p.name.startswith(".")), reverse=True)
    for old in kept[KEEP_RELEASES:]:
        if old.resolve() != release.path.resolve():
            shutil.rmtree(old, ignore_errors=True)
    return link


def ensure_store(release: Path) -> Path:
    """The release's on-disk store (what `serve` workers open read-only), made from its
    N-Quads dump the first time it is needed, in a temporary directory renamed into place."""
    target = release / "store"
    if target.exists():
        return target
    from .store import load_store
    tmp = release / f".store-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    disk = Store(str(tmp))
    disk.bulk_extend(load_store(release / "mclinks.nq.gz"))
    disk.flush()
    del disk
    try:
        tmp.rename(target)
    except OSError:  # another process made it first
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def discard(release_dir: Path) -> None:
    """Remove a release that did not validate."""
    shutil.rmtree(release_dir, ignore_errors=True)
