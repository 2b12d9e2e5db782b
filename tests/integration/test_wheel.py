"""An installed wheel alone builds, validates, extracts, queries and serves: the ontology,
shapes, queries and the embedded default data travel inside it and are read through
``importlib.resources`` (issue #14). The wheel is built from this checkout and installed into a
fresh virtual environment; every command runs from an empty directory, far from the checkout.
"""
from __future__ import annotations

import ast
import gzip
import json
import os
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from mclinks.loopback import free_port, wait_for
from mclinks.resources import BUNDLE, PROJECT_FOLDERS
from tests.conftest import ROOT

pytestmark = pytest.mark.integration


def _installer() -> list[str]:
    uv = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
    return [uv, "pip", "install", "--python"] if uv else [sys.executable, "-m", "pip", "install", "--python"]


@pytest.fixture(scope="module")
def wheel_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtual environment holding the wheel built from this checkout (and its dependencies)."""
    work = tmp_path_factory.mktemp("wheel")
    uv = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
    build = ([uv, "build", "--wheel", "--out-dir", str(work)] if uv else
             [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(work)])
    subprocess.run([*build, str(ROOT)], check=True, capture_output=True, timeout=600)
    wheel = next(work.glob("mclinks-*.whl"))
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    subprocess.run([*_installer(), str(venv / "bin" / "python"), f"{wheel}[test]"], check=True, capture_output=True,
                   timeout=900)
    return venv


def _run(venv: Path, *args: str, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run([str(venv / "bin" / args[0]), *args[1:]], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)


def test_the_wheel_carries_the_project_folders(wheel_venv: Path, tmp_path: Path) -> None:
    where = _run(wheel_venv, "python", "-c", "import mclinks, pathlib; print(pathlib.Path(mclinks.__file__).parent)",
                 cwd=tmp_path)
    package = Path(where.stdout.strip())
    assert package.parent.name == "site-packages", where  # the installed copy, not this checkout
    for folder in PROJECT_FOLDERS:
        mine = sorted(p.relative_to(ROOT / folder) for p in (ROOT / folder).rglob("*") if p.is_file()
                      and "__pycache__" not in p.parts)
        carried = sorted(p.relative_to(package / BUNDLE / folder) for p in (package / BUNDLE / folder).rglob("*")
                         if p.is_file())
        assert carried == mine, folder
    assert (package / "templates" / "resource.html").is_file()


def test_setup_bundles_what_resources_reads() -> None:
    tree = ast.parse((ROOT / "setup.py").read_text(encoding="utf-8"))
    folders = [ast.literal_eval(node.value) for node in tree.body
               if isinstance(node, ast.Assign) and [t.id for t in node.targets if isinstance(t, ast.Name)] == ["FOLDERS"]]
    assert folders == [PROJECT_FOLDERS]


def test_an_installed_wheel_builds_the_default_corpus_as_the_checkout_does(wheel_venv: Path, tmp_path: Path,
                                                                         built_root: Path) -> None:
    result = _run(wheel_venv, "mclinks", "build", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "embedded default corpus" in result.stderr
    theirs = gzip.decompress((tmp_path / "dist" / "current" / "mclinks.nq.gz").read_bytes()).decode().splitlines()
    ours = gzip.decompress((built_root / "dist" / "current" / "mclinks.nq.gz").read_bytes()).decode().splitlines()
    assert len(theirs) > 5000 and set(theirs) == set(ours)
    validated = _run(wheel_venv, "mclinks", "validate", "--format", "json", cwd=tmp_path)
    assert validated.returncode == 0, validated.stdout[-2000:]
    assert json.loads(validated.stdout)["conforms"] is True


def test_an_installed_wheel_extracts_and_queries(wheel_venv: Path, tmp_path: Path) -> None:
    text = ROOT / "data" / "sources" / "MC-1-21.en.txt" if (ROOT / "data/sources/MC-1-21.en.txt").exists() else \
        next((ROOT / "data" / "sources").glob("*.txt"))
    shutil.copy(text, tmp_path / text.name)
    for sidecar in (ROOT / "data" / "sources").glob(text.name.removesuffix(".txt") + ".meta.json"):
        shutil.copy(sidecar, tmp_path / sidecar.name)
    extracted = _run(wheel_venv, "mclinks", "extract", "--json", text.name, cwd=tmp_path)
    assert extracted.returncode == 0, extracted.stderr[-2000:]
    assert json.loads(extracted.stdout)["references"]
    listed = _run(wheel_venv, "mclinks", "query", "list", cwd=tmp_path)
    assert listed.returncode == 0 and "lineage-edges" in listed.stdout


def test_an_installed_wheel_serves_pages_and_sparql(wheel_venv: Path, tmp_path: Path) -> None:
    assert _run(wheel_venv, "mclinks", "build", cwd=tmp_path).returncode == 0
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen([str(wheel_venv / "bin" / "mclinks"), "serve", "--port", str(port), "--workers", "1"],
                              cwd=tmp_path, env=env, stdout=log, stderr=log)
    try:
        wait_for(f"http://127.0.0.1:{port}/", 60)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as page:
            assert page.status == 200 and b"<html" in page.read()
        ask = "http://127.0.0.1:{}/sparql?query=ASK%7B%3Fs%20a%20%3Fo%7D".format(port)
        request = urllib.request.Request(ask, headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(request, timeout=30) as answer:
            assert json.loads(answer.read())["boolean"] is True
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/ontology", timeout=30) as onto:
            assert onto.status == 200
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def test_the_library_tests_pass_against_the_installed_wheel(wheel_venv: Path) -> None:
    """The suites that need no server, run by the wheel's Python from the checkout (which has
    no importable ``mclinks`` of its own: src layout), so they exercise the installed copy."""
    result = _run(wheel_venv, "python", "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not integration",
                  "tests/test_layout.py", "tests/test_doctests.py", "tests/text/test_gold.py", "tests/validate",
                  cwd=ROOT, timeout=1200)
    assert result.returncode == 0, result.stdout[-3000:]
    assert " passed" in result.stdout
