"""One frozen settings object: where things are and which base IRI we mint under."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_BASE = "https://w3id.org/mclinks"


def _project_root() -> Path:
    """The checkout this package runs from (src layout), or the working directory."""
    here = Path(__file__).resolve().parents[2]
    return here if (here / "pyproject.toml").exists() else Path.cwd()


@dataclass(frozen=True)
class Settings:
    """Paths and the IRI base; ``MCLINKS_BASE`` overrides the base."""

    root: Path = field(default_factory=_project_root)
    base: str = field(default_factory=lambda: os.environ.get("MCLINKS_BASE", DEFAULT_BASE).rstrip("/"))

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def sources_dir(self) -> Path:
        return self.data_dir / "sources"

    @property
    def registry_dir(self) -> Path:
        return self.data_dir / "registry"

    @property
    def dist_dir(self) -> Path:
        return self.root / "dist"

    @property
    def ontology_file(self) -> Path:
        return self.root / "ontology" / "mclinks.ttl"

    @property
    def extraction_cache(self) -> Path:
        """Where ``build`` keeps extractions by digest (extraction_cache.py); safe to delete."""
        return self.root / ".cache" / "extractions"

    @property
    def shapes_dir(self) -> Path:
        return self.root / "shapes"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"
