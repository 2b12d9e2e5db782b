"""The publication log: which releases are kept in ``dist/releases`` and what changed
between two of them (acts added, removed, changed; triple counts), as
legislation.gov.uk's changes log does for legislation.

Releases are found by listing ``dist/releases``, never by a path built from a
request: a name a client sends is only looked up among the listed ones. Each
release is read once, in one pass over its N-Quads dump (linear in its size):
every quad is given to the act it describes (the act's IRI or an IRI below it,
such as its texts and paragraphs) and folded into an order-free digest per act
(a sum of quad hashes, made and compared in one process), so two releases compare act by act in time linear in
the number of acts. A release never changes, so its digests are kept.
"""
from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from threading import Lock

from cachetools import LRUCache
from pyoxigraph import NamedNode, parse

from mclinks.errors import MclinksError, SourceError
from mclinks.formats import NQUADS
from mclinks.identifiers import local_path
from mclinks.release.dumps import DUMPS, hold_release
from mclinks.release.manifest import MANIFEST_FILE, Manifest, read_manifest
from mclinks.vocab import ACT_CLASSES, PREFIXES

DUMP = next(name for name, fmt, _ in DUMPS if fmt == "nquads")
MAX_DUMP_BYTES = 1 << 30  # a compressed dump larger than this is not compared (the page says so)
RELEASE_NAME = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]{0,79}")  # what publish names releases (a stamp)
_RDF_TYPE = PREFIXES["rdf"] + "type"
_MASK = (1 << 64) - 1


class UnknownRelease(MclinksError):
    """A release name that is malformed or not among the kept releases."""

    exit_code = 3


class NotKept(UnknownRelease):
    """A well-formed release name that is not (or no longer) in ``dist/releases``."""


@dataclass(frozen=True)
class KeptRelease:
    name: str
    path: Path
    manifest: Manifest


@dataclass(frozen=True)
class ActDigest:
    quads: int
    digest: int  # sum of the quads' hashes, mod 2**64: the same quads in any order give the same digest


@dataclass(frozen=True)
class ReleaseDigest:
    acts: dict[str, ActDigest]  # local id (below /id/) of each act → its digest
    other: ActDigest  # every quad about something that is not an act (registry, ontology…)


@dataclass(frozen=True)
class Changes:
    older: KeptRelease
    newer: KeptRelease
    added: list[tuple[str, int]] = field(default_factory=list)  # (act, quads)
    removed: list[tuple[str, int]] = field(default_factory=list)
    changed: list[tuple[str, int, int]] = field(default_factory=list)  # (act, quads before, after)
    unchanged: int = 0
    other_changed: bool = False
    other_quads: tuple[int, int] = (0, 0)


def kept_releases(dist: Path) -> list[KeptRelease]:
    """The releases still in ``dist/releases`` with a manifest and a dump, newest first."""
    releases = dist / "releases"
    found = []
    for path in releases.iterdir() if releases.is_dir() else []:
        if not RELEASE_NAME.fullmatch(path.name) or not path.is_dir() or path.is_symlink():
            continue  # temporary, half-pruned, or not made by a build
        if not (path / DUMP).is_file():
            continue
        try:
            release = KeptRelease(path.name, path, read_manifest(path))
            written = (path / MANIFEST_FILE).stat().st_mtime_ns
        except (SourceError, OSError):
            continue  # made before manifests, or pruned meanwhile: nothing to report about it
        found.append((release.manifest.created, written, release))
    # By time, not by name: two stamps made within one second do not sort by name.
    return [release for *_, release in sorted(found, key=lambda t: t[:2], reverse=True)]


def find_release(kept: list[KeptRelease], name: str, parameter: str) -> KeptRelease:
    """The kept release called ``name``; ``UnknownRelease`` naming the parameter and what is kept."""
    if not RELEASE_NAME.fullmatch(name):
        raise UnknownRelease(f"parameter {parameter}: {name[:40]!r} is not a release name")
    for release in kept:
        if release.name == name:
            return release
    names = ", ".join(r.name for r in kept) or "none"
    raise NotKept(f"parameter {parameter}: release {name} is not kept here (pruned, or never built); "
                         f"kept: {names}")


def _quads(path: Path) -> Iterator[object]:
    """The dump's quads; a dump too large, truncated or not N-Quads is an error naming it."""
    if path.stat().st_size > MAX_DUMP_BYTES:
        raise MclinksError(f"larger than {MAX_DUMP_BYTES >> 20} MiB: not compared", file=str(path))
    try:
        with gzip.open(path, "rb") as f:
            yield from parse(f, format=NQUADS.ox)
    except (OSError, EOFError, SyntaxError, ValueError) as e:
        raise MclinksError(f"cannot read this dump ({e}); the release cannot be compared", file=str(path)) from None


def _act_of(subject: str, acts: set[str]) -> str | None:
    """The act ``subject`` is, or is below (``…/MC-1-21/fr/operative-1`` → ``…/MC-1-21``): the longest one."""
    cut = len(subject)
    while cut > 0:
        if subject[:cut] in acts:
            return subject[:cut]
        cut = subject.rfind("/", 0, cut)
    return None


def digest_release(release: KeptRelease) -> ReleaseDigest:
    """One pass over the release's dump, holding the release so no build prunes it meanwhile.

    Quads are hashed with ``hash`` (pyoxigraph hashes a quad by value): digests are
    compared only within the process that made them (``release_digest`` keeps them),
    never stored."""
    per_subject: dict[object, list[int]] = {}
    acts: set[str] = set()
    rdf_type = NamedNode(_RDF_TYPE)
    with hold_release(release.path):
        for quad in _quads(release.path / DUMP):
            slot = per_subject.get(quad.subject)  # type: ignore[attr-defined]
            if slot is None:
                slot = per_subject[quad.subject] = [0, 0]  # type: ignore[attr-defined]
            slot[0] += 1
            slot[1] += hash(quad)  # by value, computed by pyoxigraph: 4x faster than hashing str(quad)
            if quad.predicate == rdf_type and quad.object in ACT_CLASSES:  # type: ignore[attr-defined]
                acts.add(quad.subject.value)  # type: ignore[attr-defined]
    by_act: dict[str, list[int]] = {}
    other = [0, 0]
    for subject, (count, h) in per_subject.items():
        act = _act_of(subject.value, acts) if isinstance(subject, NamedNode) else None
        slot = by_act.setdefault(local_path(act, release.manifest.base) or act, [0, 0]) if act else other
        slot[0] += count
        slot[1] += h
    return ReleaseDigest({a: ActDigest(n, h & _MASK) for a, (n, h) in by_act.items()}, ActDigest(other[0], other[1] & _MASK))


_digests: LRUCache[Path, ReleaseDigest] = LRUCache(maxsize=8)
_one_at_a_time = Lock()  # reading a dump is the only costly step: never two at once


def release_digest(release: KeptRelease) -> ReleaseDigest:
    """``digest_release``, computed once per release for the life of the process."""
    with _one_at_a_time:
        hit = _digests.get(release.path)
        if hit is None:
            hit = _digests[release.path] = digest_release(release)
        return hit


def compare(older: KeptRelease, newer: KeptRelease) -> Changes:
    """What changed from ``older`` to ``newer``, act by act."""
    before, after = release_digest(older), release_digest(newer)
    added, changed, unchanged = [], [], 0
    for act, d in sorted(after.acts.items()):
        old = before.acts.get(act)
        if old is None:
            added.append((act, d.quads))
        elif old != d:
            changed.append((act, old.quads, d.quads))
        else:
            unchanged += 1
    removed = [(act, d.quads) for act, d in sorted(before.acts.items()) if act not in after.acts]
    return Changes(older, newer, added, removed, changed, unchanged, before.other != after.other,
                   (before.other.quads, after.other.quads))
