"""Graph stage: each source's named graph depends on that source alone."""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from mclinks.build import build_graph, source_files
from mclinks.config import Settings

_CITING = ("Decision {symbol}: Cooperation\n\nThe Conference of the Parties,\n\n"
           "Recalling decision SC-9/4 of the Conference of the Parties to the Stockholm Convention,\n\n"
           "1. Requests the Secretariat to report on decision SC-9/4;\n")


def _quads_per_graph(settings: Settings, files: list[Path]) -> dict[str, set[object]]:
    out: dict[str, set[object]] = defaultdict(set)
    for q in build_graph(settings, files, jobs=1).store:
        out[q.graph_name.value].add(q.triple)  # type: ignore[union-attr]
    return out


def test_registry_lists_not_shared_between_sources_regression(project_copy: Path) -> None:
    """Two sources cite the same decision the registry does not hold: each graph describes it,
    whichever order the sources are built in."""
    sources = project_copy / "data" / "sources"
    for name, symbol in (("MC-5-1.en.txt", "MC-5/1"), ("MC-5-2.en.txt", "MC-5/2")):
        (sources / name).write_text(_CITING.format(symbol=symbol), encoding="utf-8")
    settings = Settings(root=project_copy)
    files = source_files(settings.sources_dir)
    forward = _quads_per_graph(settings, files)
    backward = _quads_per_graph(settings, list(reversed(files)))
    assert forward.keys() == backward.keys()
    for graph in forward:
        assert forward[graph] == backward[graph], graph
    minted = [g for g, triples in forward.items()
              if any(t.subject.value.endswith("/id/decision/SC-9-4") for t in triples)]  # type: ignore[attr-defined]
    assert sorted(g.rsplit("/", 1)[1] for g in minted) == ["MC-5-1", "MC-5-2"]
