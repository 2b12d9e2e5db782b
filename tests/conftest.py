"""Shared fixtures: the project's paths, the shared corpus, and a built graph."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from mclinks.config import Settings

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
TEXTS = Path(__file__).resolve().parent / "texts"


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings(root=ROOT)


@pytest.fixture(scope="session")
def shared_corpus() -> Path:
    corpus = SHARED / "corpus"
    if not (corpus / "score.py").exists():
        pytest.skip("../shared/corpus is not beside the project")
    return corpus


@pytest.fixture(scope="session")
def built(settings: Settings):
    """The graph built from data/ (no dumps written)."""
    from mclinks.build import build_graph
    return build_graph(settings)


@pytest.fixture()
def project_copy(tmp_path: Path) -> Path:
    """A throwaway project root with the real data, ontology and shapes."""
    for name in ("data", "ontology", "shapes"):
        shutil.copytree(ROOT / name, tmp_path / name)
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'copy'\n")
    return tmp_path


@pytest.fixture(scope="session")
def built_root(tmp_path_factory) -> Path:
    """A project copy with a published release (dist/current), shared by server tests."""
    from click.testing import CliRunner

    from mclinks.cli import main
    root = tmp_path_factory.mktemp("built")
    for name in ("data", "ontology", "shapes", "queries"):
        shutil.copytree(ROOT / name, root / name)
    (root / "pyproject.toml").write_text("[project]\nname = 'copy'\n")
    result = CliRunner().invoke(main, ["build", "--root", str(root)])
    assert result.exit_code == 0, result.output
    return root


def _push(root: Path, store, *extra: str) -> None:
    """`mclinks push` of ROOT's release to a started store, as the README's recipe does."""
    from click.testing import CliRunner

    from mclinks.cli import main
    args = ["push", "--root", str(root), "--endpoint", store.graph_store_url, *extra]
    env = {"MCLINKS_PUSH_PASSWORD": store.password} if store.password else {}
    if store.user:
        args += ["--user", store.user]
    result = CliRunner().invoke(main, args, env=env)
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="session")
def oxigraph_store(tmp_path_factory, built_root: Path):
    """A real `oxigraph serve` holding the built release (pushed by `mclinks push`)."""
    from tests.servers import oxigraph_server
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as store:
        _push(built_root, store)
        yield store


@pytest.fixture(scope="session")
def virtuoso_store(tmp_path_factory, built_root: Path):
    """A real Virtuoso (Debian's package) with a throw-away database, holding the built release."""
    from tests.servers import virtuoso_missing, virtuoso_server
    why = virtuoso_missing()
    if why and os.environ.get("CI"):
        pytest.fail(f"CI runs as root and must test Virtuoso: {why}")
    if why:
        pytest.skip(why)
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as store:
        _push(built_root, store)
        yield store
