"""The on-disk store is made from a release's own dump the first time it is asked for
(``ensure_store``), beside the release: whole or absent, pruned with it."""
from __future__ import annotations

import gzip
import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import RdfFormat, Store, parse

from mclinks.cli import main
from mclinks.errors import SourceError
from mclinks.release.dumps import KEEP_RELEASES, STORE_DUMP, STORE_TMP_PREFIX, ensure_store, store_path


@pytest.fixture()
def release(built_root: Path, tmp_path: Path) -> Path:
    """A copy of a built release, so that each test starts without a store."""
    copy = tmp_path / "releases" / "20260101T000000.000000Z-1"
    shutil.copytree((built_root / "dist" / "current").resolve(), copy, ignore=shutil.ignore_patterns("store"))
    return copy


def _digests(release: Path) -> dict[str, str]:
    return {str(p.relative_to(release)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(release.rglob("*")) if p.is_file() and "store" not in p.relative_to(release).parts}


def test_a_build_writes_no_store(project_copy: Path) -> None:
    result = CliRunner().invoke(main, ["build", "--root", str(project_copy)])
    assert result.exit_code == 0, result.output
    assert (project_copy / "dist" / "current" / STORE_DUMP).is_file()
    assert not (project_copy / "dist" / "current" / "store").exists()
    assert not (project_copy / "dist" / "stores").exists()


def test_store_holds_exactly_the_dump_and_published_files_stay(release: Path) -> None:
    before = _digests(release)
    store = ensure_store(release)
    assert store == store_path(release) and not (release / "store").exists()
    with gzip.open(release / STORE_DUMP, "rb") as f:
        dumped = set(parse(f.read(), format=RdfFormat.N_QUADS))
    assert set(Store.read_only(str(store))) == dumped
    assert _digests(release) == before
    assert not list(store_path(release).parent.glob(f"{STORE_TMP_PREFIX}*"))


def test_second_call_reuses_the_store(release: Path) -> None:
    first = ensure_store(release)
    stamp = {p: p.stat().st_mtime_ns for p in first.iterdir()}
    assert ensure_store(release) == first
    assert {p: p.stat().st_mtime_ns for p in first.iterdir()} == stamp


def test_leftover_of_a_killed_writer_is_removed(release: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    leftover = store_path(release).with_name(f"{STORE_TMP_PREFIX}{release.name}-{dead.stdout.strip()}")
    leftover.mkdir(parents=True)
    (leftover / "half-written").write_bytes(b"x")
    ensure_store(release)
    assert not leftover.exists()


_ASK = """
import sys
from pathlib import Path
from pyoxigraph import Store
from mclinks.release.dumps import ensure_store
print(len(Store.read_only(str(ensure_store(Path(sys.argv[1]))))))
"""


def test_two_processes_asking_at_once_get_one_whole_store(release: Path) -> None:
    children = [subprocess.Popen([sys.executable, "-c", _ASK, str(release)], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [c.communicate(timeout=300) for c in children]
    assert [c.returncode for c in children] == [0, 0], outputs
    with gzip.open(release / STORE_DUMP, "rb") as f:
        quads = len(set(parse(f.read(), format=RdfFormat.N_QUADS)))
    assert [int(out) for out, _ in outputs] == [quads, quads]
    assert not list(store_path(release).parent.glob(f"{STORE_TMP_PREFIX}*"))


def test_a_release_without_a_dump_is_refused_by_name(tmp_path: Path) -> None:
    empty = tmp_path / "releases" / "20260101T000000.000000Z-1"
    empty.mkdir(parents=True)
    with pytest.raises(SourceError, match=r"mclinks build") as e:
        ensure_store(empty)
    assert str(empty) in str(e.value)
    assert not store_path(empty).exists()


def test_a_pruned_release_takes_its_store_along(project_copy: Path) -> None:
    runner = CliRunner()
    made = []
    for _ in range(KEEP_RELEASES + 1):
        result = runner.invoke(main, ["build", "--root", str(project_copy)])
        assert result.exit_code == 0, result.output
        made.append((project_copy / "dist" / "current").resolve())
        ensure_store(made[-1])
    assert not made[0].exists() and not store_path(made[0]).exists()
    assert all(store_path(r).is_dir() for r in made[1:])
    orphan = store_path(made[1]).with_name("20000101T000000.000000Z-9")
    orphan.mkdir()
    result = runner.invoke(main, ["build", "--root", str(project_copy)])
    assert result.exit_code == 0, result.output
    assert not orphan.exists()


def test_a_second_asker_waits_for_the_first_instead_of_making_it_again(release: Path, monkeypatch) -> None:
    """Two servers starting on one release used to make its store twice, side by side."""
    import threading
    import time

    import mclinks.release.dumps as dumps
    made: list[Path] = []
    write = dumps._write_store

    def slow_write(nquads: Path, target: Path) -> None:
        made.append(target)
        time.sleep(0.5)
        write(nquads, target)
    monkeypatch.setattr(dumps, "_write_store", slow_write)
    results: list[Path] = []
    askers = [threading.Thread(target=lambda: results.append(ensure_store(release))) for _ in range(2)]
    for t in askers:
        t.start()
    for t in askers:
        t.join(120)
    assert len(made) == 1 and results == [store_path(release)] * 2
