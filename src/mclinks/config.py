"""One frozen settings object: where things are and which base IRI we mint under."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import NamedNode

from mclinks.errors import ParameterError
from mclinks.resources import checkout, project_path

DEFAULT_BASE = "https://w3id.org/mclinks"


def _project_root() -> Path:
    """The checkout this package runs from (src layout), or the working directory (installed)."""
    return checkout() or Path.cwd()


@dataclass(frozen=True)
class Settings:
    """Paths and the IRI base; ``MCLINKS_BASE`` overrides the base."""

    root: Path = field(default_factory=_project_root)
    base: str = field(default_factory=lambda: os.environ.get("MCLINKS_BASE", DEFAULT_BASE).rstrip("/"))

    def __post_init__(self) -> None:
        """Every IRI we mint starts with ``base``: one that is not an IRI would fail deep in the
        build, at the first one minted, so it is refused here, naming where it came from."""
        try:
            NamedNode(f"{self.base}/id/x")
        except ValueError as e:
            raise ParameterError(f"base IRI {self.base!r} (from --base or MCLINKS_BASE) is not an IRI: {e}; "
                                 f"give an absolute IRI such as {DEFAULT_BASE}") from None

    @property
    def data_dir(self) -> Path:
        """The user's data: what ``add`` writes to and what ``build`` reads first."""
        return self.root / "data"

    @property
    def sources_dir(self) -> Path:
        """The root's sources; the embedded default corpus only when the root has no ``data/``."""
        return self.data_dir / "sources" if self.data_dir.is_dir() else project_path(self.root, "data/sources")

    @property
    def uses_default_corpus(self) -> bool:
        return self.sources_dir != self.data_dir / "sources"

    @property
    def sources_root(self) -> Path:
        """The project the sources belong to: no source may resolve outside it (a link to /etc)."""
        return self.sources_dir.parents[1] if self.uses_default_corpus else self.root

    @property
    def registry_dir(self) -> Path:
        return project_path(self.root, "data/registry")

    @property
    def issuers_file(self) -> Path:
        """The table of issuing bodies (``text/issuers.py`` reads it)."""
        return project_path(self.root, "data/issuers.json")

    @property
    def dist_dir(self) -> Path:
        return self.root / "dist"

    @property
    def ontology_file(self) -> Path:
        return project_path(self.root, "ontology/mclinks.ttl")

    @property
    def extraction_cache(self) -> Path:
        """Where ``build`` keeps extractions by digest (extraction_cache.py); safe to delete."""
        return self.root / ".cache" / "extractions"

    @property
    def shapes_dir(self) -> Path:
        return project_path(self.root, "shapes")

    @property
    def queries_dir(self) -> Path:
        return project_path(self.root, "queries")
