"""The whole flow for a data directory: sources → extraction → graph →
validation → release. Nothing is published unless every step succeeded.
"""
from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import NamedNode, Quad, Store, parse

from mclinks.config import Settings
from mclinks.errors import SourceError
from mclinks.formats import TURTLE
from mclinks.graph.assemble import build_source_graph, compile_topics
from mclinks.identifiers import iri
from mclinks.model import Diagnostic, Extraction
from mclinks.registry import Registry, load_registry, topic_patterns
from mclinks.store.local import new_store
from mclinks.text.contract import registry_problems
from mclinks.text.extract import extract_text
from mclinks.text.extraction_cache import ExtractionCache, extractor_version
from mclinks.text.readers import SUFFIXES
from mclinks.text.sources import inside_root, load_source, problems_error, read_source, sidecar_for


@dataclass
class BuildResult:
    store: Store
    extractions: list[Extraction]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)  # project-relative path → the text the extractor read
    extracted: int = 0  # sources extracted by this build (the others came from the cache)


SOURCE_SUFFIXES = SUFFIXES  # the formats readers.py reads


def source_files(sources_dir: Path) -> list[Path]:
    """The sources of a directory, in a stable order; a sidecar with no text beside it is an
    error (its text was renamed or forgotten: nothing would be built from it, silently)."""
    if not sources_dir.is_dir():
        raise SourceError("sources directory does not exist", file=str(sources_dir))
    files = sorted(p for p in sources_dir.iterdir() if p.suffix in SOURCE_SUFFIXES)
    texts = {sidecar_for(p) for p in files}
    for sidecar in sorted(sources_dir.glob("*.meta.json")):
        if sidecar not in texts:
            stem = sidecar.name[: -len(".meta.json")]
            raise SourceError(f"has no text beside it: add {stem}.txt (or {', '.join(stem + s for s in SOURCE_SUFFIXES[1:]) or 'another supported format'}) "
                              f"or remove the sidecar", file=str(sidecar))
    return files


def check_metadata(files: list[Path], registry: Registry) -> None:
    """Every metadata problem of every source, in one error: the contract of sources.py and the
    registry's ids (contract.py). Raised before any extraction so that nothing is half-built."""
    errors: list[str] = []
    for path in files:
        try:
            meta, problems, _ = read_source(path, with_text=False)
        except SourceError as e:
            errors.append(str(e))
            continue
        problems.update(registry_problems(meta, registry, sidecar_for(path).name))
        if problems:
            errors.append(str(problems_error(path, problems)))
    if len(errors) == 1:
        raise SourceError(errors[0])
    if errors:
        raise SourceError(f"{len(errors)} sources have problems:\n" + "\n".join(errors))


def unnumbered_decisions(extractions: Iterable[Extraction]) -> list[Diagnostic]:
    """A decision without a symbol would be published as a draft with a minted name: say so."""
    return [Diagnostic("warning", f"{e.source.kind} without a symbol: set 'symbol' in {Path(e.source.path).name}'s "
                                  f"metadata, or 'kind' if it is not a {e.source.kind}",
                       file=e.source.path, rule="decision-without-symbol")
            for e in extractions if e.source.kind in ("decision", "resolution") and not e.source.symbol]


def ontology_quads(settings: Settings) -> Iterator[Quad]:
    graph = NamedNode(iri(settings.base, "graph", "ontology"))
    path = settings.ontology_file
    try:
        data = path.read_bytes()
        for q in parse(data, format=TURTLE.ox):
            yield Quad(q.subject, q.predicate, q.object, graph)
    except SyntaxError as e:
        raise SourceError(f"ontology does not parse: {e}", file=str(path)) from None


def load_and_extract(path: Path) -> tuple[Extraction, str]:
    """One source read and extracted (picklable, for worker processes)."""
    info, body = load_source(path)
    return extract_text(body, info), body


def extract_cached(files: list[Path], jobs: int, cache: ExtractionCache | None,
                   fresh: list[Path]) -> Iterator[tuple[Extraction, str]]:
    """Extractions in file order: from the cache when the file, its sidecar and the extractor are
    unchanged, else extracted (and cached). ``fresh`` receives the files actually extracted."""
    if cache is None:
        fresh.extend(files)
        yield from extract_all(files, jobs)
        return
    keys = [cache.key(f) for f in files]
    hits = [cache.get(k) for k in keys]
    missing = [f for f, hit in zip(files, hits) if hit is None]
    fresh.extend(missing)
    extracted = extract_all(missing, jobs)
    for key, hit in zip(keys, hits):
        if hit is None:
            hit = next(extracted)
            cache.put(key, hit)
        yield hit


def extract_all(files: list[Path], jobs: int) -> Iterator[tuple[Extraction, str]]:
    """Extractions in file order, on ``jobs`` processes when there is enough to share."""
    if jobs <= 1 or len(files) < 16:
        yield from map(load_and_extract, files)
        return
    from concurrent.futures import ProcessPoolExecutor
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(load_and_extract, files, chunksize=max(1, len(files) // (jobs * 8)))


def build_graph(settings: Settings, files: Iterable[Path] | None = None,
                progress: Callable[[Iterable[Path]], Iterable[Path]] = lambda xs: xs,
                jobs: int | None = None, cache_dir: Path | None = None) -> BuildResult:
    """Extract every source (on every core; only the changed ones when ``cache_dir`` holds the
    others' extractions) and assemble the dataset in an in-memory store."""
    t0 = time.perf_counter()
    registry = load_registry(settings.registry_dir, settings.base)
    topics = compile_topics(topic_patterns(settings.registry_dir))
    files = list(files) if files is not None else source_files(settings.sources_dir)
    for path in files:
        inside_root(path, settings.root)
        inside_root(sidecar_for(path), settings.root)
    check_metadata(files, registry)
    extractions: list[Extraction] = []
    texts: dict[tuple[str, str], Path] = {}
    quads: list[Quad] = []
    diagnostics: list[Diagnostic] = []
    read: dict[str, str] = {}
    t1 = time.perf_counter()
    jobs = jobs if jobs is not None else (os.cpu_count() or 1)
    cache = ExtractionCache(cache_dir, extractor_version(settings.data_dir)) if cache_dir is not None else None
    fresh: list[Path] = []
    for path, (extraction, body) in zip(progress(files), extract_cached(files, jobs, cache, fresh)):
        try:
            rel = str(path.resolve().relative_to(settings.root))
        except ValueError:
            rel = path.name
        key = (extraction.source.identifier, extraction.source.language)
        if key in texts:
            info = extraction.source
            raise SourceError(f"same {'symbol ' + info.symbol if info.symbol else 'identifier ' + key[0]} and language "
                              f"{info.language!r} as {texts[key]}: one text per language (remove one, or correct "
                              f"'symbol'/'language' in its sidecar)", file=str(path))
        texts[key] = path
        read[rel] = body
        sg = build_source_graph(extraction, registry, body, topics, rel)
        extractions.append(extraction)
        quads.extend(sg.quads)
        diagnostics.extend(sg.diagnostics)
    diagnostics.extend(unnumbered_decisions(extractions))
    t2 = time.perf_counter()
    store = new_store(registry.quads)
    store.bulk_extend(quads)
    store.bulk_extend(ontology_quads(settings))
    t3 = time.perf_counter()
    return BuildResult(store, extractions, diagnostics,
                       {"registry": t1 - t0, "extract+graph": t2 - t1, "store": t3 - t2}, read, len(fresh))
