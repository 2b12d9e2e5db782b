"""One source from its file to its named graph, in whatever process runs it.

The build hands each worker process a path and gets back the extraction, the text
and the graph as N-Quads bytes, also packed as the release publishes them (gzip,
and TriG): extraction, graph and packing share the cores, and the build process
never holds a Python object per triple (it parses the bytes into its one store in
Rust). A worker loads the registry once, when it starts.
"""
from __future__ import annotations

import gc
from dataclasses import dataclass
from pathlib import Path

from mclinks.errors import SourceError
from mclinks.formats import Format
from mclinks.graph.assemble import build_source_graph
from mclinks.graph.nquads import TermError
from mclinks.graph.packed import Member, pack
from mclinks.model import Diagnostic, Extraction
from mclinks.registry import Registry, load_registry
from mclinks.text.extract import extract_text
from mclinks.text.extraction_cache import ExtractionCache
from mclinks.text.sources import load_source
from mclinks.text.topics import Topics, load_topics


@dataclass(frozen=True)
class SourceResult:
    """What one source gives the build."""

    extraction: Extraction
    text: str  # the text the extractor read
    graph: str  # the IRI of the source's named graph
    nquads: bytes  # that graph, every line in it, each once
    quads: int  # how many lines
    packed: Member  # the same lines packed, and rendered in the formats asked for
    diagnostics: list[Diagnostic]
    extracted: bool  # False when the extraction came from the cache


@dataclass(frozen=True)
class JobSettings:
    """What a worker needs to know, picklable."""

    registry_dir: Path
    base: str
    root: Path
    cache_dir: Path | None
    extractor_version: str
    rendering: tuple[Format, ...] = ()  # the formats each graph is rendered in, besides N-Quads


@dataclass
class _State:
    settings: JobSettings
    registry: Registry
    topics: Topics
    cache: ExtractionCache | None


_state: _State | None = None


def start(settings: JobSettings, registry: Registry | None = None) -> None:
    """Load what every job of this process shares (``registry`` when the caller has it)."""
    global _state
    if registry is None:
        registry = load_registry(settings.registry_dir, settings.base)
    topics = load_topics(settings.registry_dir)
    cache = ExtractionCache(settings.cache_dir, settings.extractor_version) if settings.cache_dir is not None else None
    _state = _State(settings, registry, topics, cache)


def start_worker(settings: JobSettings) -> None:
    """A pool's initializer: ``start``, then the registry, alive as long as the process, is
    frozen out of the cyclic collector's passes (each full pass would walk it again)."""
    start(settings)
    gc.freeze()


def relative_path(path: Path, root: Path) -> str:
    """The text's path as the release names it: relative to the project root when inside it."""
    try:
        return str(path.resolve().relative_to(root))
    except ValueError:
        return path.name


def run(path: Path) -> SourceResult:
    """Read (or take from the cache), extract and assemble one source; ``start`` first."""
    if _state is None:
        raise RuntimeError("source_job.start() was not called in this process")
    cached = key = None
    if _state.cache is not None:
        key = _state.cache.key(path)
        cached = _state.cache.get(key)
    if cached is None:
        info, body = load_source(path)
        extraction = extract_text(body, info, _state.topics)
        if _state.cache is not None and key is not None:
            _state.cache.put(key, (extraction, body))
    else:
        extraction, body = cached
    try:
        graph = build_source_graph(extraction, _state.registry, body, relative_path(path, _state.settings.root))
        packed = pack(graph.data, _state.settings.rendering)
    except (TermError, SyntaxError) as e:
        raise SourceError(f"its graph is not valid RDF ({e}): a value in its metadata or text made a term that "
                          f"cannot be written; correct that value, or report it with this file", file=str(path)) from None
    return SourceResult(extraction, body, graph.graph.value, graph.data, graph.quads, packed, graph.diagnostics,
                        cached is None)
