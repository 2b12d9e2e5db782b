"""The examples in the package's docstrings run, as pyoxigraph's do."""
from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import mclinks

MODULES = sorted(m.name for m in pkgutil.iter_modules(mclinks.__path__, "mclinks.") if m.name != "mclinks.__main__")


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
