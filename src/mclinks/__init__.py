"""mclinks: Minamata Convention decisions as a validated, citable RDF graph.

The public functions are the stages of the flow, in order; each is imported on first use so
that ``import mclinks`` stays cheap (the command line starts fast)::

    read_source → extract_text → build_source_graph → build_graph → validate_store
    → publish_release (or build_and_publish for all of it) → trace / create_app / publish_site / push
"""
from __future__ import annotations

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import Any

try:
    __version__ = version("mclinks")  # one version source: pyproject.toml
except PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0.0.0+unknown"

_STAGES = {  # public name → the module that defines it, in the order of the flow
    "read_source": "mclinks.text.sources",
    "load_source": "mclinks.text.sources",
    "segment": "mclinks.text.segment",
    "extract_text": "mclinks.text.extract",
    "extract_file": "mclinks.text.extract",
    "resolve": "mclinks.graph.resolve",
    "build_source_graph": "mclinks.graph.assemble",
    "build_graph": "mclinks.build",
    "validate_store": "mclinks.validate",
    "publish_release": "mclinks.release.dumps",
    "build_and_publish": "mclinks.build",
    "trace": "mclinks.query.lineage",
    "create_app": "mclinks.web.app",
    "publish_site": "mclinks.web.site",
    "push": "mclinks.store.push",
}
__all__ = ["__version__", *_STAGES]


def __getattr__(name: str) -> Any:
    if name in _STAGES:
        return getattr(import_module(_STAGES[name]), name)
    raise AttributeError(f"module 'mclinks' has no attribute {name!r}")
