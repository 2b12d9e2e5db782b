"""The project's own files — ontology, shapes, queries and the embedded default data — wherever
mclinks runs from.

In a checkout they are the top-level folders beside ``src/``. An installed wheel carries copies
inside the package (``mclinks/_bundled/…``, put there by ``setup.py`` when the wheel is built) and
reads them through ``importlib.resources``, so a wheel alone can build, validate and serve.
"""
from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from pathlib import Path

PROJECT_FOLDERS = ("ontology", "shapes", "queries", "data")  # what setup.py bundles; one list
BUNDLE = "_bundled"


@lru_cache(maxsize=1)
def checkout() -> Path | None:
    """The source checkout this package runs from (src layout), if it runs from one (asked
    once per process: ``Settings()`` asks it on every extraction, and where this file lies
    does not change)."""
    here = Path(__file__).resolve().parents[2]
    return here if (here / "pyproject.toml").is_file() and (here / "src" / "mclinks").is_dir() else None


def bundled(folder: str) -> Path | None:
    """The copy of ``folder`` the installed package carries, or None in a checkout.

    >>> bundled("ontology") is None or bundled("ontology").joinpath("mclinks.ttl").is_file()
    True
    """
    if folder not in PROJECT_FOLDERS:
        raise ValueError(f"{folder!r} is not one of the project folders {PROJECT_FOLDERS}")
    found = files("mclinks").joinpath(BUNDLE, folder)
    # A wheel installs unzipped, so the traversable is a real directory; a zipped import gives none.
    return Path(str(found)) if isinstance(found, Path) and found.is_dir() else None


def project_path(root: Path, relative: str) -> Path:
    """``root/relative`` when the user's root has it, else the package's own copy, else the
    checkout's (a knowledge manager's root may hold only ``data/sources``); the user's path when
    none has it, so the error names where the file was expected.

    >>> project_path(Path("/nonexistent"), "ontology/mclinks.ttl").name
    'mclinks.ttl'
    """
    mine = root / relative
    if mine.exists():
        return mine
    folder, _, rest = relative.partition("/")
    home = checkout()
    for base in (bundled(folder), home / folder if home else None):
        if base is not None and (found := base / rest if rest else base).exists():
            return found
    return mine
