"""Issue 11, incremental builds: extraction is cached by the file's digest and the extractor's
version, so adding or changing one text re-extracts that text only."""
from __future__ import annotations

import json
import pickle
from pathlib import Path

from click.testing import CliRunner

from mclinks.build import build_graph, source_files
from mclinks.config import Settings
from mclinks.text.extraction_cache import ExtractionCache, extractor_version

SOURCES = Path("data") / "sources"


def _build(root: Path):
    return build_graph(Settings(root=root), cache_dir=root / ".cache" / "extractions", jobs=1)


def test_unchanged_sources_come_from_the_cache(project_copy: Path) -> None:
    n = len(source_files(project_copy / SOURCES))
    first = _build(project_copy)
    assert first.extracted == n
    again = _build(project_copy)
    assert again.extracted == 0
    assert set(map(str, again.store)) == set(map(str, first.store))  # the same graph, quad for quad
    (project_copy / SOURCES / "MC-2-46.en.txt").write_text("Decision MC-2/46: Test\n\n1. Requests the Secretariat;\n")
    added = _build(project_copy)
    assert added.extracted == 1 and len(added.extractions) == n + 1


def test_a_changed_sidecar_or_text_is_extracted_again(project_copy: Path) -> None:
    _build(project_copy)
    sidecar = project_copy / SOURCES / "MC-1-21.fr.meta.json"
    meta = json.loads(sidecar.read_text(encoding="utf-8"))
    meta["date"] = "2017-09-29"
    sidecar.write_text(json.dumps(meta), encoding="utf-8")
    result = _build(project_copy)
    assert result.extracted == 1
    assert next(e for e in result.extractions if e.source.symbol == "MC-1/21").source.date == "2017-09-29"


def test_a_new_extractor_version_extracts_everything(project_copy: Path) -> None:
    settings = Settings(root=project_copy)
    first = _build(project_copy)
    old = ExtractionCache(project_copy / ".cache" / "extractions", extractor_version(settings.issuers_file, settings.registry_dir))
    newer = ExtractionCache(old.directory, old.version + "-next")
    path = source_files(settings.sources_dir)[0]
    assert old.get(old.key(path)) is not None and newer.get(newer.key(path)) is None
    assert first.extracted > 0


def test_a_corrupt_cache_entry_is_ignored(project_copy: Path) -> None:
    _build(project_copy)
    for entry in (project_copy / ".cache" / "extractions").glob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    again = _build(project_copy)
    assert again.extracted == len(again.extractions)
    entry = next((project_copy / ".cache" / "extractions").glob("*.pickle"))
    assert isinstance(pickle.loads(entry.read_bytes()), tuple)  # written anew


def test_build_command_says_how_many_were_extracted(project_copy: Path) -> None:
    from mclinks.cli import main
    assert CliRunner().invoke(main, ["build", "--root", str(project_copy)]).exit_code == 0
    result = CliRunner().invoke(main, ["build", "--root", str(project_copy)])
    assert result.exit_code == 0 and "extracted 0 of " in result.output, result.output
