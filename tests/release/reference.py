"""The dataset of a build loaded the plain way, as the reference the packed build is held to:
the shared graphs, then each source's graph loaded into one in-memory store."""
from __future__ import annotations

from pathlib import Path

from pyoxigraph import Store

from mclinks.build import shared_graphs, source_files
from mclinks.config import Settings
from mclinks.formats import NQUADS
from mclinks.graph import source_job
from mclinks.registry import load_registry
from mclinks.text.extraction_cache import extractor_version


def reference_store(settings: Settings, files: list[Path] | None = None) -> Store:
    registry = load_registry(settings.registry_dir, settings.base)
    store = shared_graphs(registry, settings)
    source_job.start(source_job.JobSettings(settings.registry_dir, settings.base, settings.sources_root.resolve(), None,
                                            extractor_version(settings.issuers_file, settings.registry_dir)), registry)
    for path in files if files is not None else source_files(settings.sources_dir):
        store.load(source_job.run(path).nquads, format=NQUADS.ox)
    return store
