"""The whole flow for a data directory: sources → extraction → graph →
validation → release. Nothing is published unless every step succeeded.
"""
from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from pyoxigraph import DefaultGraph, NamedNode, Store

from mclinks.config import Settings
from mclinks.errors import MclinksError, SourceError
from mclinks.formats import NTRIPLES, TURTLE
from mclinks.freed_memory import give_back
from mclinks.graph.nquads import as_triples
from mclinks.graph import source_job
from mclinks.graph.packed import PackedDataset
from mclinks.identifiers import iri
from mclinks.model import Diagnostic, Extraction
from mclinks.registry import Registry, load_registry
from mclinks.release.dumps import RENDERED
from mclinks.store.local import add_to_union, new_store
from mclinks.text.contract import registry_problems
from mclinks.text.extract import extract_text
from mclinks.text.extraction_cache import extractor_version
from mclinks.text.readers import SUFFIXES
from mclinks.text.sources import inside_root, load_source, problems_error, read_source, sidecar_for

if TYPE_CHECKING:
    from concurrent.futures import Future

    from mclinks.release.dumps import Release
    from mclinks.release.report import BuildReport


@dataclass
class BuildResult:
    dataset: PackedDataset  # every quad, packed: the build holds no store of its named graphs
    extractions: list[Extraction]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)  # project-relative path → the text the extractor read
    extracted: int = 0  # sources extracted by this build (the others came from the cache)
    union: Store = field(default_factory=Store)  # the dataset's distinct triples in one default graph: what
    # validation, the search index and the triple dumps read, filled as the sources arrive

    @cached_property
    def store(self) -> Store:
        """The dataset in an in-memory store, made on first use (for callers that query named
        graphs; publishing reads ``dataset`` and ``union`` instead)."""
        return self.dataset.store()


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


def ontology_graph(settings: Settings) -> NamedNode:
    return NamedNode(iri(settings.base, "graph", "ontology"))


def load_ontology(store: Store, settings: Settings) -> None:
    """The ontology, in its own named graph."""
    path = settings.ontology_file
    try:
        store.load(path=str(path), format=TURTLE.ox, to_graph=ontology_graph(settings))
    except SyntaxError as e:
        raise SourceError(f"ontology does not parse: {e}", file=str(path)) from None


def load_and_extract(path: Path) -> tuple[Extraction, str]:
    """One source read and extracted (the benchmark times extraction alone with it)."""
    info, body = load_source(path)
    return extract_text(body, info), body


def extract_all(files: list[Path], jobs: int) -> Iterator[tuple[Extraction, str]]:
    """Extractions in file order, on ``jobs`` processes when there is enough to share."""
    if jobs <= 1 or len(files) < 16:
        yield from map(load_and_extract, files)
        return
    from concurrent.futures import ProcessPoolExecutor
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(load_and_extract, files, chunksize=max(1, len(files) // (jobs * 8)))


def source_results(files: list[Path], job: source_job.JobSettings, registry: Registry,
                   jobs: int) -> Iterator[source_job.SourceResult]:
    """Each source extracted (or taken from the cache) and assembled, in file order, on
    ``jobs`` processes when there is enough to share."""
    if jobs <= 1 or len(files) < 16:
        source_job.start(job, registry)
        yield from map(source_job.run, files)
        return
    from concurrent.futures import ProcessPoolExecutor
    with ProcessPoolExecutor(max_workers=jobs, initializer=source_job.start_worker, initargs=(job,)) as pool:
        yield from pool.map(source_job.run, files, chunksize=max(1, len(files) // (jobs * 8)))


class _Loader:
    """Sources' graphs, packed by the workers, into the dataset, and as triples into its union,
    a few megabytes at a time (parsed in Rust; one load of many small graphs costs less than
    a load per graph)."""

    BATCH = 4 * 2**20  # bytes of N-Triples per load

    def __init__(self, dataset: PackedDataset, union: Store) -> None:
        self.dataset, self.union = dataset, union
        self._triples: list[bytes] = []
        self._late: dict[str, list[bytes]] = {}
        self._size = 0

    def add(self, result: source_job.SourceResult) -> None:
        """One source's graph: packed as it came, or kept to be regrouped when the graph is
        packed already (the same decision's text in another language)."""
        if result.graph in self.dataset.graphs:
            self._late.setdefault(result.graph, []).append(result.nquads)
        else:
            self.dataset.add(result.packed, {result.graph: result.quads})
        self._triples.append(as_triples(result.nquads, result.graph))
        self._size += len(result.nquads)
        if self._size >= self.BATCH:
            self.flush()

    def flush(self) -> None:
        if self._triples:
            triples, self._triples, self._size = b"".join(self._triples), [], 0
            self.union.load(triples, format=NTRIPLES.ox, lenient=True)  # each term was checked when made (nquads)
            give_back()  # the load's parse buffers: else they stay with malloc for the rest of the build

    def finish(self) -> None:
        """The last load, then the graphs met again after they were packed."""
        self.flush()
        self.dataset.regroup(self._late)
        self._late = {}


def shared_graphs(registry: Registry, settings: Settings) -> Store:
    """The graphs no source states: the registry's and the ontology's."""
    store = new_store(registry.quads)
    load_ontology(store, settings)
    return store


def build_graph(settings: Settings, files: Iterable[Path] | None = None,
                progress: Callable[[Iterable[Path]], Iterable[Path]] = lambda xs: xs,
                jobs: int | None = None, cache_dir: Path | None = None) -> BuildResult:
    """Extract every source (on every core; only the changed ones when ``cache_dir`` holds the
    others' extractions) and pack the dataset, loading its union into an in-memory store."""
    t0 = time.perf_counter()
    registry = load_registry(settings.registry_dir, settings.base)
    files = list(files) if files is not None else source_files(settings.sources_dir)
    root = settings.sources_root.resolve()  # once: the property looks at the disk (1.1 s at 1,429 sources, per source)
    for path in files:
        inside_root(path, root)
        inside_root(sidecar_for(path), root)
    check_metadata(files, registry)
    extractions: list[Extraction] = []
    texts: dict[tuple[str, str], Path] = {}
    diagnostics: list[Diagnostic] = []
    read: dict[str, str] = {}
    t1 = time.perf_counter()
    jobs = jobs if jobs is not None else (os.cpu_count() or 1)
    job = source_job.JobSettings(settings.registry_dir, settings.base, root, cache_dir,
                                 extractor_version(settings.issuers_file, settings.registry_dir), RENDERED)
    shared, union = shared_graphs(registry, settings), Store()
    dataset = PackedDataset.from_store(shared, RENDERED)
    add_to_union(union, shared, [DefaultGraph(), *shared.named_graphs()])
    del shared
    loader = _Loader(dataset, union)
    fresh = 0
    for path, result in zip(progress(files), source_results(files, job, registry, jobs)):
        extraction = result.extraction
        key = (extraction.source.identifier, extraction.source.language)
        if key in texts:
            info = extraction.source
            raise SourceError(f"same {'symbol ' + info.symbol if info.symbol else 'identifier ' + key[0]} and language "
                              f"{info.language!r} as {texts[key]}: one text per language (remove one, or correct "
                              f"'symbol'/'language' in its sidecar)", file=str(path))
        texts[key] = path
        read[source_job.relative_path(path, root)] = result.text
        loader.add(result)
        extractions.append(extraction)
        diagnostics.extend(result.diagnostics)
        fresh += result.extracted
    loader.finish()
    diagnostics.extend(unnumbered_decisions(extractions))
    give_back()
    t2 = time.perf_counter()
    return BuildResult(dataset, extractions, diagnostics, {"registry": t1 - t0, "extract+graph": t2 - t1}, read,
                       fresh, union)


@dataclass(frozen=True)
class Published:
    """What ``build_and_publish`` made current, and the report a person reads about it."""

    release: "Release"
    link: Path  # dist/current
    result: BuildResult
    report_text: str  # the build report in words
    seconds: float


def build_and_publish(settings: Settings, dist: Path, *, validate: bool = True,
                      progress: Callable[[Iterable[Path]], Iterable[Path]] = lambda xs: xs,
                      say: Callable[[str], None] = lambda _: None) -> Published:
    """Build, validate, then publish a release and make it current — or, on a SHACL violation,
    write ``dist/rejected-report.*``, ``say`` what to change and raise ValidationFailed, leaving
    ``dist/`` (and the release being served) as it was. Validation and the build report are
    made while the release's dumps are written (the dumps in Rust, without the GIL); the
    release is made current only once it passed, and removed unpublished if it did not."""
    from concurrent.futures import ThreadPoolExecutor

    from mclinks.release.dumps import publish_release
    from mclinks.release.report import clear_rejected

    started = time.perf_counter()
    files = source_files(settings.sources_dir)
    result = build_graph(settings, files, progress, cache_dir=settings.extraction_cache)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="validate") as pool:
        gate = _Gate(pool.submit(_judge, result, settings, validate), dist, say)
        try:
            release, link = publish_release(result.dataset, dist, settings.base, gate.release_files,
                                            sources=len(result.extractions), union=result.union)
        except SourceError:
            gate.say_once()  # a release that cannot be written still says what the build found
            raise
    clear_rejected(dist)
    return Published(release, link, result, gate.verdict().text, time.perf_counter() - started)


@dataclass(frozen=True)
class _Verdict:
    """What validation decided about a build: the report in words and the files the release
    carries, or the refused build's report and why."""

    text: str
    files: dict[str, bytes]
    refused: "BuildReport | None" = None
    reason: str = ""
    validation_text: str = ""


def _judge(result: BuildResult, settings: Settings, validate: bool) -> _Verdict:
    """Validation, then the build report (in a thread, while the dumps are written)."""
    from mclinks.release.report import TEXTS_FILE, build_report, originals, source_texts
    from mclinks.validate import validate_store
    project = settings.sources_root
    validation_text, violations = "", []
    if validate:
        checked = validate_store(result.union, settings, union=result.union, about=result.dataset.about)
        validation_text, violations = checked.as_text(), list(checked.results)
        if not checked.conforms:
            refused = build_report(result.extractions, result.diagnostics, violations, project, result.texts,
                                   published=False, reason=f"{checked.violation_count} SHACL violation(s)")
            return _Verdict(refused.as_text(), {}, refused, refused.reason, validation_text)
    built = build_report(result.extractions, result.diagnostics, violations, project, result.texts, published=True)
    files = {**built.files(), TEXTS_FILE: source_texts(result.texts, project), **originals(result.texts, project)}
    if validation_text:
        files["validation.txt"] = validation_text.encode("utf-8")
    return _Verdict(built.as_text(), files)


class _Gate:
    """Between the release writer and the verdict: asked once the dumps are written, it says
    the report and hands over the release's files, or refuses the release."""

    def __init__(self, judging: "Future[_Verdict]", dist: Path, say: Callable[[str], None]) -> None:
        self._judging, self._dist, self._say = judging, dist, say
        self._said = False

    def verdict(self) -> _Verdict:
        return self._judging.result()

    def release_files(self) -> dict[str, bytes]:
        """The release's report files; on a violation, the refused build's report written
        beside the releases and ValidationFailed raised (the release is not published)."""
        from mclinks.errors import ValidationFailed
        from mclinks.release.report import write_rejected
        v = self.verdict()
        if not self._said:
            self._said = True
            self._say(v.text)
            if v.refused is not None:
                self._say(v.validation_text)
        if v.refused is not None:
            where = write_rejected(v.refused, self._dist)
            raise ValidationFailed(f"{v.reason}; dist/ left as it was (the current release is still served); "
                                   f"what to change: {where}")
        return v.files

    def say_once(self) -> None:
        """The report, if the release writer failed before asking for it."""
        if not self._said:
            try:
                self.release_files()
            except (MclinksError, OSError):  # ValidationFailed said what to change; a full disk is being reported
                pass
