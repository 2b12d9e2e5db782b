"""The publication log: /changes between two releases and /feed.atom, over releases
really built one after the other (a source removed, put back with an edit, rebuilt
unchanged, and the oldest release pruned)."""
from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import time
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from mclinks.cli import main
from mclinks.errors import MclinksError
from mclinks.release.changelog import UnknownRelease, compare, digest_release, find_release, kept_releases
from mclinks.release.dumps import KEEP_RELEASES
from mclinks.release.manifest import Manifest, write_manifest
from tests.conftest import ROOT
from tests.integration.test_serve import http
from tests.servers import mclinks_server

ATOM = "{http://www.w3.org/2005/Atom}"
NOTE = "COP6-note-cooperation-brs.fr"


def _build(root: Path) -> str:
    # One build a second: publish names releases by a stamp that does not sort in time within
    # one second, and prunes by name, so faster builds would prune the wrong one.
    time.sleep(1.05)
    result = CliRunner().invoke(main, ["build", "--root", str(root)])
    assert result.exit_code == 0, result.output
    return (root / "dist" / "current").resolve().name


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> tuple[Path, list[str]]:
    """Four builds: all sources; without the COP-6 note; the note back and MC-1/21 edited; the same again."""
    root = tmp_path_factory.mktemp("history")
    for name in ("data", "ontology", "shapes", "queries"):
        shutil.copytree(ROOT / name, root / name)
    (root / "pyproject.toml").write_text("[project]\nname = 'copy'\n")
    sources = root / "data" / "sources"
    names = [_build(root)]
    aside = root / "aside"
    aside.mkdir()
    for suffix in (".txt", ".meta.json"):
        shutil.move(sources / f"{NOTE}{suffix}", aside / f"{NOTE}{suffix}")
    names.append(_build(root))
    for suffix in (".txt", ".meta.json"):
        shutil.move(aside / f"{NOTE}{suffix}", sources / f"{NOTE}{suffix}")
    text = sources / "MC-1-21.fr.txt"
    text.write_text(text.read_text(encoding="utf-8").replace("deuxiéme réunion", "deuxième réunion"), encoding="utf-8")
    names.append(_build(root))
    names.append(_build(root))
    return root, names


def test_kept_releases_are_the_newest_after_pruning(history) -> None:
    root, names = history
    kept = kept_releases(root / "dist")
    assert [r.name for r in kept] == list(reversed(names))[:KEEP_RELEASES]
    assert not (root / "dist" / "releases" / names[0]).exists()


def test_acts_removed_added_and_changed(history) -> None:
    root, names = history
    kept = {r.name: r for r in kept_releases(root / "dist")}
    back = compare(kept[names[1]], kept[names[2]])
    added = dict(back.added)
    assert "document/MC-COP-6-note-c94ab1fc" in added and "draft/MC-COP-6-note-c94ab1fc" in added
    assert "document/UNEP/MC/COP.6/INF/29" in added  # a document the note cites, its symbol with slashes
    # MC-1/21's text was edited; the BRS answers gain what the note's graph says about them
    assert [act for act, *_ in back.changed] == ["decision/BC-17-22", "decision/MC-1-21", "decision/RC-12-9",
                                                 "decision/SC-12-23"]
    assert back.removed == [] and back.unchanged > 50
    assert added["document/MC-COP-6-note-c94ab1fc"] > 100


def test_an_identical_rebuild_changes_nothing(history) -> None:
    root, names = history
    kept = {r.name: r for r in kept_releases(root / "dist")}
    same = compare(kept[names[2]], kept[names[3]])
    assert (same.added, same.removed, same.changed, same.other_changed) == ([], [], [], False)


def test_digest_is_independent_of_dump_order(tmp_path: Path, history) -> None:
    root, names = history
    source = kept_releases(root / "dist")[0]
    releases = tmp_path / "releases"
    lines = gzip.decompress((source.path / "mclinks.nq.gz").read_bytes()).splitlines(keepends=True)
    for name, ordered in (("a", lines), ("b", list(reversed(lines)))):
        (releases / name).mkdir(parents=True)
        (releases / name / "mclinks.nq.gz").write_bytes(gzip.compress(b"".join(ordered)))
        write_manifest(releases / name, source.manifest)
    a, b = sorted(kept_releases(tmp_path), key=lambda r: r.name)
    assert digest_release(a) == digest_release(b) == digest_release(source)


@pytest.mark.parametrize("name, message", [("../../etc", "not a release name"), ("x/y", "not a release name"),
                                           (".tmp-1", "not a release name"), ("20990101T000000-1-1", "not kept here")])
def test_release_names_validated(history, name: str, message: str) -> None:
    root, _ = history
    with pytest.raises(UnknownRelease, match=message):
        find_release(kept_releases(root / "dist"), name, "from")


def test_temporary_and_manifestless_releases_are_not_listed(tmp_path: Path) -> None:
    releases = tmp_path / "releases"
    for name in (".tmp-1", ".trash-2", "old"):
        (releases / name).mkdir(parents=True)
        (releases / name / "mclinks.nq.gz").write_bytes(gzip.compress(b""))
    write_manifest(releases / ".tmp-1", Manifest("https://example.org", "2026-01-01T00:00:00+00:00", "0", 0))
    assert kept_releases(tmp_path) == []


@pytest.fixture(scope="module")
def server(history):
    root, _ = history
    with mclinks_server(root) as base:
        yield base


def test_changes_page_default_compares_the_two_newest(server: str, history) -> None:
    _, names = history
    status, _, body = http(f"{server}/changes")
    page = body.decode()
    assert status == 200 and f"From {names[2]} to {names[3]}" in page
    assert "0 acts added, 0 removed, 0 changed" in page and "(current)" in page
    assert names[0] not in page  # pruned: the log says only what it still has


def test_changes_page_between_two_releases(server: str, history) -> None:
    _, names = history
    status, _, body = http(f"{server}/changes?from={names[1]}&to={names[2]}")
    page = body.decode()
    assert status == 200 and re.search(r"\d+ acts added, 0 removed, 4 changed", page)
    assert '<a href="/doc/decision/MC-1-21">decision/MC-1-21</a>' in page
    status, _, _ = http(f"{server}/doc/decision/MC-1-21")
    assert status == 200
    reverse = http(f"{server}/changes?from={names[2]}&to={names[1]}")[2].decode()
    assert f"From {names[1]} to {names[2]}" in reverse  # read forwards in time


@pytest.mark.parametrize("query, status, message", [("from=..%2F..%2Fetc", 400, "not a release name"),
                                                    ("from=20990101T000000-1-1", 404, "not kept here")])
def test_changes_page_refuses_unknown_releases(server: str, query: str, status: int, message: str) -> None:
    got, _, body = http(f"{server}/changes?{query}")
    page = body.decode()
    assert got == status and message in page and 'id="releases"' in page  # the log is still shown
    assert "etc/passwd" not in page and "root:" not in page


def test_feed_is_atom_1_0_with_an_entry_per_kept_release(server: str, history) -> None:
    root, names = history
    status, headers, body = http(f"{server}/feed.atom")
    assert status == 200 and headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(body)
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):  # RFC 4287 §4.1.1
        assert feed.find(f"{ATOM}{required}") is not None, required
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == f"{server}/feed.atom"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == KEEP_RELEASES
    ids = set()
    for entry in entries:
        for required in ("id", "title", "updated"):  # §4.1.2
            assert entry.find(f"{ATOM}{required}").text, required
        datetime.fromisoformat(entry.find(f"{ATOM}updated").text)  # RFC 3339
        assert entry.find(f"{ATOM}id").text.startswith("urn:uuid:")
        ids.add(entry.find(f"{ATOM}id").text)
        assert entry.find(f"{ATOM}summary").text  # no content element: a summary is required with an alternate link
        link = entry.find(f"{ATOM}link[@rel='alternate']").get("href")
        assert http(link)[0] == 200
    assert len(ids) == len(entries)
    assert entries[0].find(f"{ATOM}title").text == f"Release {names[3]}"
    manifest = json.loads((root / "dist" / "releases" / names[3] / "release.json").read_text())
    assert feed.find(f"{ATOM}updated").text == manifest["created"]
    assert str(manifest["triples"]) in entries[0].find(f"{ATOM}summary").text


def test_releases_within_one_second_listed_by_time_regression(tmp_path: Path) -> None:
    """Stamps made within one second end in a counter that does not sort in time
    (``…-900000`` before ``…-100000``); the log orders by when each was written."""
    releases = tmp_path / "releases"
    for i, name in enumerate(("20260101T000000-1-900000", "20260101T000000-1-100000")):  # older first
        (releases / name).mkdir(parents=True)
        (releases / name / "mclinks.nq.gz").write_bytes(gzip.compress(b""))
        write_manifest(releases / name, Manifest("https://example.org", "2026-01-01T00:00:00+00:00", "0", i))
        os.utime(releases / name / "release.json", ns=(10**18 + i, 10**18 + i))
    assert [r.manifest.triples for r in kept_releases(tmp_path)] == [1, 0]  # newest first


@pytest.mark.parametrize("dump", [b"not gzip at all", gzip.compress(b"<a> <b> broken"),
                                  gzip.compress(b"<a> <b> <c> .\n")[:-9]])  # not gzip, not N-Quads, truncated
def test_unreadable_dump_is_an_error_naming_it(tmp_path: Path, dump: bytes) -> None:
    releases = tmp_path / "releases"
    (releases / "r1").mkdir(parents=True)
    (releases / "r1" / "mclinks.nq.gz").write_bytes(dump)
    write_manifest(releases / "r1", Manifest("https://example.org", "2026-01-01T00:00:00+00:00", "0", 0))
    with pytest.raises(MclinksError, match=r"mclinks.nq.gz: cannot read this dump"):
        digest_release(kept_releases(tmp_path)[0])
