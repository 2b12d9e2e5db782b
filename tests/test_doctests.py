"""The examples in the package's docstrings run, as pyoxigraph's do."""
from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import mclinks

MODULES = sorted(m.name for m in pkgutil.walk_packages(mclinks.__path__, "mclinks.") if m.name != "mclinks.__main__")


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_python_dash_m_runs_the_cli() -> None:
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "mclinks", "--version"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.strip() == f"mclinks, version {mclinks.__version__}"
    assert mclinks.__version__ != "0.0.0+unknown"
