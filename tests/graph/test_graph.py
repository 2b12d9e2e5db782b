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


def test_a_note_with_a_symbol_is_the_document_its_citations_name(project_copy: Path) -> None:
    """Regression: a note's own IRI was minted from its source id ('document/UNEP-MC-COP.6-9'), while a
    citation of the same symbol named 'document/UNEP/MC/COP.6/9': one document, two IRIs."""
    from mclinks.identifiers import iri

    sources = project_copy / "data" / "sources"
    (sources / "note.en.txt").write_text("Note by the secretariat\n\nI. Introduction\n\n1. Text of a note.\n",
                                         encoding="utf-8")
    (sources / "note.en.meta.json").write_text('{"symbol": "UNEP/MC/COP.6/9", "kind": "note", "language": "en", '
                                               '"meeting": "MC-COP-6"}', encoding="utf-8")
    (sources / "MC-6-1.en.txt").write_text(
        "Decision MC-6/1: Notes\n\nThe Conference of the Parties,\n\n"
        "Having considered the note by the secretariat (UNEP/MC/COP.6/9),\n\n1. Decides to act;\n", encoding="utf-8")
    settings = Settings(root=project_copy)
    triples = {q.triple for q in build_graph(settings, [sources / "note.en.txt", sources / "MC-6-1.en.txt"], jobs=1).store}
    document = iri(settings.base, "document", "UNEP/MC/COP.6/9")
    predicates = {t.predicate.value.rsplit("#", 1)[-1] for t in triples if t.subject.value == document}  # type: ignore[attr-defined]
    assert "text" in predicates  # the note's own text hangs on it
    assert any(t.object.value == document for t in triples if t.predicate.value.endswith("#cites"))  # type: ignore[attr-defined]
