"""Releases: the manifest, holds that keep a release from being pruned, leftovers of
killed builds, a full disk, and a published release never written to again."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from mclinks import __version__
from mclinks.cli import main
from mclinks.errors import SourceError
from mclinks.release.dumps import KEEP_RELEASES
from mclinks.release.manifest import Manifest, read_manifest, write_manifest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def project(project_copy: Path) -> Path:
    shutil.copytree(ROOT / "queries", project_copy / "queries")
    return project_copy


def _build(root: Path, *args: str) -> Path:
    result = CliRunner().invoke(main, ["build", "--root", str(root), *args])
    assert result.exit_code == 0, result.output
    return (root / "dist" / "current").resolve()


def _tree(release: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(release)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(release.rglob("*"))}


def test_manifest_docstring_examples_run() -> None:
    import doctest

    import mclinks.release.manifest
    assert doctest.testmod(mclinks.release.manifest).failed == 0


def test_hold_release_refuses_what_is_not_a_release(tmp_path: Path) -> None:
    from mclinks.release.dumps import hold_release
    with pytest.raises(SourceError, match="is not a release"):
        with hold_release(tmp_path):
            pass


def test_manifest_round_trips(tmp_path: Path) -> None:
    m = Manifest("https://example.org/x", "2026-12-01T10:00:00+00:00", "0.1.0", 12, 3)
    write_manifest(tmp_path, m)
    assert read_manifest(tmp_path) == m


@pytest.mark.parametrize(("content", "message"), [
    (None, "release.json: missing"),
    ("{", "release.json:1: not JSON"),
    ('{"base": "https://e.org/x", "created": "t", "version": "v", "triples": "12"}', "'triples' is missing or not an integer"),
    ('{"base": "e.org/x/", "created": "t", "version": "v", "triples": 1}', "'base' is 'e.org/x/'"),
])
def test_bad_manifest_names_the_file(tmp_path: Path, content: str | None, message: str) -> None:
    if content is not None:
        (tmp_path / "release.json").write_text(content)
    with pytest.raises(SourceError, match=message):
        read_manifest(tmp_path)


def test_release_records_its_base(project: Path) -> None:
    release = _build(project, "--base", "https://example.org/x/")
    m = read_manifest(release)
    from mclinks.build import source_files
    shipped = len(source_files(project / "data" / "sources"))  # however many data/ ships
    assert (m.base, m.version, m.sources) == ("https://example.org/x", __version__, shipped)
    assert m.triples > 3000


def test_base_iri_read_from_the_release_regression(project: Path, tmp_path: Path, monkeypatch) -> None:
    """After `build --base X`, query, lineage and publish mint and match IRIs under X,
    whatever MCLINKS_BASE says."""
    _build(project, "--base", "https://example.org/x")
    monkeypatch.setenv("MCLINKS_BASE", "https://w3id.org/mclinks")
    runner = CliRunner()
    looked_up = runner.invoke(main, ["query", "lookup-symbol", "--root", str(project), "--format", "json",
                                     "--param", "symbol=MC-1/21"])
    assert looked_up.exit_code == 0, looked_up.output
    assert "https://example.org/x/id/decision/MC-1-21" in looked_up.output
    reach = runner.invoke(main, ["query", "lineage-reach", "--root", str(project), "--format", "json",
                                 "--param", "act={base}/id/decision/MC-1-21"])
    assert reach.exit_code == 0, reach.output
    assert json.loads(reach.output), "lineage-reach bound its act under the wrong base"
    traced = runner.invoke(main, ["lineage", "MC-1/21", "--root", str(project), "--format", "json"])
    assert traced.exit_code == 0, traced.output
    lineage = json.loads(traced.output)
    assert lineage["root"] == "https://example.org/x/id/decision/MC-1-21" and lineage["edges"]
    site = tmp_path / "site"
    published = runner.invoke(main, ["publish", "--root", str(project), "--out", str(site)])
    assert published.exit_code == 0, published.output
    assert (site / "doc" / "decision" / "MC-1-21.html").exists()  # pages are made for IRIs under the base
    assert "<https://example.org/x/id/decision/MC-1-21>" in (site / "doc" / "decision" / "MC-1-21.nt").read_text()


def test_nothing_written_inside_a_published_release_regression(project: Path, tmp_path: Path) -> None:
    release = _build(project)
    before = _tree(release)
    runner = CliRunner()
    for args in (["publish", "--out", str(tmp_path / "site")], ["query", "most-cited-articles"],
                 ["lineage", "MC-1/21"]):
        result = runner.invoke(main, [*args, "--root", str(project)])
        assert result.exit_code == 0, result.output
    _build(project)
    assert _tree(release) == before


_HOLD = """
import sys
from pathlib import Path
from mclinks.release.dumps import hold_release
with hold_release(Path(sys.argv[1])):
    print("held", flush=True)
    sys.stdin.read()
"""


def test_release_in_use_never_pruned_regression(project: Path) -> None:
    """Builds used to prune the release a server was serving."""
    served = _build(project)
    with subprocess.Popen([sys.executable, "-c", _HOLD, str(project / "dist" / "current")],
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) as holder:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        for _ in range(KEEP_RELEASES + 1):
            _build(project)
        assert (served / "mclinks.nq.gz").exists() and read_manifest(served).triples > 0
        assert not list(served.rglob("*.lock"))  # the lock lives outside the release
        holder.communicate(timeout=60)  # closes its stdin: the hold ends
    assert holder.returncode == 0
    current = _build(project)
    assert not served.exists()
    assert current.is_dir()
    kept = [p for p in (project / "dist" / "releases").iterdir() if not p.name.startswith(".")]
    assert len(kept) == KEEP_RELEASES


def test_current_release_never_pruned(project: Path) -> None:
    """Even with more newer releases than kept (another checkout's builds), current stays."""
    from mclinks.release.dumps import prune_releases
    current = _build(project)
    releases = project / "dist" / "releases"
    for i in range(KEEP_RELEASES + 1):
        shutil.copytree(current, releases / f"99991231T000000-{i}")
    prune_releases(project / "dist")
    assert current.is_dir()


_KILLED_BUILD = """
import sys, time
import mclinks.release.dumps as publish
from mclinks.cli import main

def stop(*args):
    print("writing", flush=True)
    time.sleep(3600)

publish.write_manifest = stop  # pause the build halfway through writing its release (after the dumps)
main(["build", "--root", sys.argv[1]])
"""


def test_temp_folders_of_killed_builds_cleaned_regression(project: Path) -> None:
    first = _build(project)
    with subprocess.Popen([sys.executable, "-c", _KILLED_BUILD, str(project)],
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True) as child:
        assert child.stdout is not None and child.stdout.readline().strip() == "writing"
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=60)
    releases = project / "dist" / "releases"
    leftovers = [p for p in releases.iterdir() if p.name.startswith(".tmp-")]
    assert leftovers and (leftovers[0] / "mclinks.ttl").exists()
    assert (project / "dist" / "current").resolve() == first
    second = _build(project)
    assert second != first
    assert not [p for p in releases.iterdir() if p.name.startswith(".")]


_FULL_DISK = """
import json, os, sys
from pathlib import Path
from click.testing import CliRunner
from mclinks.cli import main

root, dist = Path(sys.argv[1]), Path(sys.argv[2])
first = CliRunner().invoke(main, ["build", "--root", str(root), "--out", str(dist)])
before = (dist / "current").resolve()
files = {p.name: p.read_bytes() for p in before.iterdir() if p.is_file()}
with open(dist / "filler", "wb", buffering=0) as f:  # fill the disk, then leave a little room (unbuffered: nothing left to flush)
    try:
        while True:
            f.write(b"\\0" * 65536)
            f.flush()
    except OSError:
        pass
    f.truncate(max(0, f.tell() - 200_000))
second = CliRunner().invoke(main, ["build", "--root", str(root), "--out", str(dist)])
after = (dist / "current").resolve()
print(json.dumps({
    "first": first.exit_code, "second": second.exit_code, "output": second.output,
    "same_current": before == after,
    "intact": all((after / n).read_bytes() == b for n, b in files.items()),
    "leftovers": sorted(p.name for p in (dist / "releases").iterdir() if p.name.startswith(".")),
}))
"""


def _on_small_disk(mount: Path, size: str, script_text: str, project: Path) -> dict:
    """Run ``script_text`` (given the mount point and the project) with a real tmpfs of ``size``
    at ``mount``, in a private mount namespace (gone with the process); its last line's JSON."""
    ns = _namespace_or_skip()
    mount.mkdir()
    script = mount.with_name(f"{mount.name}-script.py")
    script.write_text(script_text)
    run = subprocess.run([*ns, "sh", "-c", f'mount -t tmpfs -o size={size} tmpfs "$1" && exec "$2" "$3" "$4" "$1"',
                          "sh", str(mount), sys.executable, str(script), str(project)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_full_disk_regression(project: Path, tmp_path: Path) -> None:
    """ENOSPC while writing a release: exit 3 naming the file, the previous release intact.
    The disk is a real 8 MB tmpfs mounted in a private mount namespace (gone with the process)."""
    dist = tmp_path / "dist"
    facts = _on_small_disk(dist, "8m", _FULL_DISK, project)
    assert facts["first"] == 0
    assert facts["second"] == 3, facts["output"]
    assert "No space left on device" in facts["output"]
    assert str(dist / "releases" / ".tmp-") in facts["output"]  # the file it was writing
    assert "Traceback" not in facts["output"]
    assert facts["same_current"] and facts["intact"]
    assert facts["leftovers"] == []


def test_serve_reads_base_from_the_release_regression(project: Path) -> None:
    """After `build --base X`, `serve` used to mint page IRIs under the default base: every /doc/ was 404."""
    import urllib.request

    from tests.servers import mclinks_server
    _build(project, "--base", "https://example.org/x")
    env_base = os.environ.pop("MCLINKS_BASE", None)
    try:
        with mclinks_server(project, "--workers", "1") as url:
            with urllib.request.urlopen(f"{url}/doc/decision/MC-1-21.nt", timeout=30) as r:
                assert r.status == 200
                assert b"<https://example.org/x/id/decision/MC-1-21>" in r.read()
    finally:
        if env_base is not None:
            os.environ["MCLINKS_BASE"] = env_base


def _namespace_or_skip() -> list[str]:
    """A command prefix that runs in a private mount namespace, where a tmpfs can be mounted
    and vanishes with the process; skip when this machine allows none."""
    if shutil.which("unshare") is None:
        pytest.skip("needs unshare(1) to mount a small tmpfs")
    ns = ["unshare", "--mount"] if os.geteuid() == 0 else ["unshare", "--user", "--map-root-user", "--mount"]
    probe = subprocess.run([*ns, "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"cannot make a mount namespace here: {probe.stderr.decode().strip()}")
    return ns


_FULL_SITE = """
import json, sys
from pathlib import Path
from click.testing import CliRunner
from mclinks.cli import main

root, out = Path(sys.argv[1]), Path(sys.argv[2]) / "site"
out.mkdir()
(out / "index.html").write_text("the site as it was")
result = CliRunner().invoke(main, ["publish", "--root", str(root), "--out", str(out)])
print(json.dumps({"code": result.exit_code, "output": result.output,
                  "kept": (out / "index.html").read_text() == "the site as it was",
                  "beside": sorted(p.name for p in out.parent.iterdir())}))
"""


def test_publish_on_a_full_disk_regression(project: Path, tmp_path: Path) -> None:
    """`publish --out` on a disk too small for the site: exit 3 naming the file, DIR as it was."""
    _build(project)
    mnt = tmp_path / "mnt"
    facts = _on_small_disk(mnt, "256k", _FULL_SITE, project)
    assert facts["code"] == 3, facts["output"]
    assert facts["output"].startswith(f"error: {mnt}/site: cannot write the site: No space left on device")
    assert facts["kept"] and facts["beside"] == ["site"]


def test_releases_within_one_second_prune_the_oldest_regression() -> None:
    """Names made within one second ended in `monotonic_ns % 10**6`, so they did not sort by
    time, and pruning (which keeps the newest by name) removed a newer release."""
    import time as clock

    from mclinks.release.dumps import release_name

    start = clock.time()
    made = [release_name(start + k * 0.001) for k in (0, 1, 2, 3, 999)]
    assert sorted(made) == made
    assert release_name(start + 1.0) > made[-1]
