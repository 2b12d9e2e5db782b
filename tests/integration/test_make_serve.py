"""`make serve` with one bad source still serves the last good release and says why."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from mclinks.cli import main
from mclinks.loopback import free_port, wait_for
from tests.conftest import ROOT

pytestmark = pytest.mark.integration


def test_make_serve_with_a_bad_source_serves_the_last_good_release(project_copy: Path) -> None:
    shutil.copytree(ROOT / "queries", project_copy / "queries")
    for name in ("Makefile", "setup.py"):
        shutil.copy(ROOT / name, project_copy / name)
    assert CliRunner().invoke(main, ["build", "--root", str(project_copy)]).exit_code == 0
    good = (project_copy / "dist" / "current").resolve()
    (project_copy / "data" / "sources" / "broken.fr.txt").write_text("Décision\n", encoding="utf-8")
    (project_copy / "data" / "sources" / "broken.fr.meta.json").write_text('{"meeting": "MC-COP-99"}', encoding="utf-8")
    port = free_port()
    venv = Path(sys.executable).parent.parent  # the installed environment: make installs nothing
    for name in ("pyproject.toml", "setup.py"):  # older than the environment's install stamps
        os.utime(project_copy / name, (0, 0))
    proc = subprocess.Popen(["make", "-s", "-C", str(project_copy), "serve", f"VENV={venv}", f"SERVE_ARGS=--port {port}"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(f"http://127.0.0.1:{port}/sparql", timeout_s=90)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/dump/release.json", timeout=30) as r:
            assert r.status == 200
    finally:
        proc.terminate()
        try:
            _, err = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, err = proc.communicate()
    assert "MC-COP-99" in err and "serving the last good release" in err
    assert (project_copy / "dist" / "current").resolve() == good
