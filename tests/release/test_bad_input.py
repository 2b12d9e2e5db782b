"""Bad input never gets a traceback and never gets published: `mclinks build` exits 3
naming the file and the field, and the release already published stays current."""
from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mclinks.cli import main
from mclinks.errors import SourceError

SOURCES = Path("data") / "sources"
_DECISION = "Decision MC-1/21: Capacity-building\n\nThe Conference of the Parties,\n\n1. Requests the Secretariat to report;\n"


def _meta(root: Path, name: str, **fields: object) -> None:
    path = root / SOURCES / name
    meta = json.loads(path.read_text(encoding="utf-8"))
    meta.update(fields)
    path.write_text(json.dumps(meta), encoding="utf-8")


def _symlink_outside(root: Path) -> None:
    os.symlink("/etc/passwd", root / SOURCES / "MC-2-46.fr.txt")
    (root / SOURCES / "MC-2-46.fr.meta.json").write_text('{"symbol": "MC-2/46", "language": "fr"}')


def _sidecar_outside(root: Path) -> None:
    (root / SOURCES / "MC-2-46.fr.txt").write_text(_DECISION.replace("MC-1/21", "MC-2/46"))
    outside = root.parent / f"{root.name}-meta.json"
    outside.write_text('{"symbol": "MC-2/46", "language": "fr"}')
    os.symlink(outside, root / SOURCES / "MC-2-46.fr.meta.json")


def _empty(root: Path) -> None:
    (root / SOURCES / "MC-2-46.en.txt").write_bytes(b"")


def _duplicate(root: Path) -> None:
    (root / SOURCES / "MC-1-21-copy.fr.txt").write_text(_DECISION)
    (root / SOURCES / "MC-1-21-copy.fr.meta.json").write_text('{"symbol": "MC-1/21", "language": "fr"}')


CASES: dict[str, tuple[Callable[[Path], None], str, str]] = {  # break the project; file named; words said
    "symlink-outside-root": (_symlink_outside, "MC-2-46.fr.txt", "outside the project"),
    "sidecar-symlink-outside-root": (_sidecar_outside, "MC-2-46.fr.meta.json", "outside the project"),
    "empty-file": (_empty, "MC-2-46.en.txt", "is empty"),
    "encoding-base64": (lambda r: _meta(r, "MC-1-21.fr.meta.json", encoding="base64"),
                        "MC-1-21.fr.meta.json", "'encoding' is 'base64', which is not a text encoding"),
    "encoding-number": (lambda r: _meta(r, "MC-1-21.fr.meta.json", encoding=8),
                        "MC-1-21.fr.meta.json", "'encoding' is 8"),
    "date-dict": (lambda r: _meta(r, "MC-1-21.fr.meta.json", date={"year": 2017}),
                  "MC-1-21.fr.meta.json", "'date' is {'year': 2017}"),
    "title-of-numbers": (lambda r: _meta(r, "MC-1-21.fr.meta.json", title={"fr": 42}),
                         "MC-1-21.fr.meta.json", "'title' has 'fr': 42"),
    "symbol-with-space": (lambda r: _meta(r, "MC-1-21.fr.meta.json", symbol="MC 1/21"),
                          "MC-1-21.fr.meta.json", "'symbol' is 'MC 1/21'"),
    "source-list": (lambda r: _meta(r, "MC-1-21.fr.meta.json", source=["a"]),
                    "MC-1-21.fr.meta.json", "'source' is ['a']"),
    "same-symbol-and-language": (_duplicate, "MC-1-21", "same symbol MC-1/21 and language 'fr'"),
}
REFUSED_BEFORE = {  # cases that were already refused: kept so that they stay so
    "encoding-does-not-decode": (lambda r: _meta(r, "MC-1-21.fr.meta.json", encoding="ascii"),
                                 "MC-1-21.fr.txt:", "not valid ascii"),
    "title-number": (lambda r: _meta(r, "MC-1-21.fr.meta.json", title=42), "MC-1-21.fr.meta.json", "'title'"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_never_published_regression(project_copy: Path, case: str) -> None:
    _refused(project_copy, *CASES[case])


@pytest.mark.parametrize("case", sorted(REFUSED_BEFORE))
def test_bad_input_refused(project_copy: Path, case: str) -> None:
    _refused(project_copy, *REFUSED_BEFORE[case])


def _refused(project_copy: Path, breaker: Callable[[Path], None], file: str, words: str) -> None:
    runner = CliRunner()
    first = runner.invoke(main, ["build", "--root", str(project_copy)])
    assert first.exit_code == 0, first.output
    current = (project_copy / "dist" / "current").resolve()
    releases_before = sorted(p.name for p in (project_copy / "dist" / "releases").iterdir())
    breaker(project_copy)
    result = runner.invoke(main, ["build", "--root", str(project_copy)])
    assert result.exit_code == 3, (result.output, result.exc_info)
    message = result.stderr.strip().splitlines()[-1]
    assert message.startswith("error: ") and file in message and words in message, message
    assert "Traceback" not in result.output
    assert (project_copy / "dist" / "current").resolve() == current
    assert sorted(p.name for p in (project_copy / "dist" / "releases").iterdir()) == releases_before


def test_violation_names_the_file_that_caused_it_regression(project_copy: Path) -> None:
    """A decision filed under the wrong instrument is blamed on its own source, not on the
    note that happens to cite it (the first citation found used to be named)."""
    (project_copy / SOURCES / "MC-3-11.en.txt").write_text(
        "Decision MC-3/11: Cooperation\n\nThe Conference of the Parties,\n\n"
        "1. Requests the Secretariat to cooperate with the Secretariat of the Basel, Rotterdam and Stockholm conventions;\n")
    (project_copy / SOURCES / "MC-3-11.en.meta.json").write_text(
        '{"symbol": "MC-3/11", "kind": "decision", "language": "en", "instrument": "basel"}')
    result = CliRunner().invoke(main, ["build", "--root", str(project_copy)])
    assert result.exit_code == 4, result.output
    violations = [line for line in result.stderr.splitlines() if line.startswith("violation:")]
    assert len(violations) == 1 and "[decision-instrument]" in violations[0]
    assert violations[0].startswith("violation: data/sources/MC-3-11.en.txt: "), violations[0]


BAD_PARAMETERS = {  # arguments; exit code; words the one-line message must hold
    "cr-in-param": (["query", "lookup-symbol", "--param", "symbol=MC-1/21\r"], 2, "'--param'"),
    "newline-in-lineage-symbol": (["lineage", "MC-1/21\nMC-1/20"], 2, "'SYMBOL'"),
    "symbol-given-as-iri": (["query", "lineage-reach", "--param", "act=MC-5/19"], 2,
                            "parameter act: 'MC-5/19' is not an absolute IRI"),
}


@pytest.mark.parametrize("case", sorted(BAD_PARAMETERS))
def test_cli_bad_parameters_no_traceback_regression(built_root: Path, case: str) -> None:
    args, code, words = BAD_PARAMETERS[case]
    result = CliRunner().invoke(main, [*args, "--root", str(built_root)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert result.exit_code == code, result.output
    assert words in result.stderr and "Traceback" not in result.output


def test_query_file_that_does_not_parse_names_it_regression(built_root: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.rq"
    bad.write_text("# Question: broken\nSELECT * WHERE {\n")
    result = CliRunner().invoke(main, ["query", str(bad), "--root", str(built_root)])
    assert result.exit_code == 3, result.exc_info
    assert result.stderr.startswith(f"error: {bad}: does not parse")


def test_cli_bad_parameter_as_a_process_prints_no_traceback_regression(built_root: Path) -> None:
    """The same through a real process: what a user sees on the terminal."""
    run = subprocess.run([sys.executable, "-c", "from mclinks.cli import main; main()", "query", "lineage-reach",
                          "--param", "act=MC-5/19", "--root", str(built_root)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2
    assert run.stdout == ""
    assert "Traceback" not in run.stderr
    assert run.stderr.strip().splitlines() == [
        "error: parameter act: 'MC-5/19' is not an absolute IRI (No scheme found in an absolute IRI); "
        "for the decision MC-5/19 write https://w3id.org/mclinks/id/decision/MC-5-19"]


def test_extract_text_mode_honours_declared_encoding_regression(tmp_path: Path) -> None:
    """`mclinks extract FILE` (table output) read the file again as UTF-8 and crashed on latin-1."""
    src = tmp_path / "d.fr.txt"
    src.write_bytes("Décision MC-1/2 : Sources\n\nLa Conférence des Parties,\n".encode("latin-1"))
    (tmp_path / "d.fr.meta.json").write_text('{"encoding": "latin-1", "language": "fr"}')
    result = CliRunner().invoke(main, ["extract", str(src)])
    assert result.exit_code == 0, result.exc_info
    assert "La Conférence des Parties" in result.stdout


_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
                     max_leaves=6)
_FIELD_VALUES = {
    "symbol": st.sampled_from(["MC-1/21", "UNEA-1/5", "MC 1/21", "x", "MC-1/21\n", "<>"]) | _JSON,
    "kind": st.sampled_from(["decision", "note", "memo"]) | _JSON,
    "language": st.sampled_from(["fr", "en", "French"]) | _JSON,
    "meeting": st.sampled_from(["MC-COP-1", "COP 1"]) | _JSON,
    "encoding": st.sampled_from(["utf-8", "latin-1", "utf-16", "base64", "rot13", "zlib", "idna", "nope"]) | _JSON,
    "date": st.sampled_from(["2017", "2017-09-29", "29/09/2017"]) | _JSON,
    "title": st.sampled_from([{"fr": "Titre"}, "Titre", {"French": "x"}]) | _JSON,
    "instrument": st.sampled_from(["minamata", "basel"]) | _JSON,
    "body": st.sampled_from(["minamata-cop"]) | _JSON,
    "source": _JSON,
}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.fixed_dictionaries({}, optional=_FIELD_VALUES))
@example(meta={"symbol": None, "meeting": "COP 1"})  # regression: a meeting with a space went into the graph IRI
def test_any_metadata_loads_or_is_refused_naming_the_sidecar(meta: dict[str, object]) -> None:
    """Whatever the sidecar holds, strict loading either gives a source that builds into
    quads the store loads or a SourceError naming the sidecar or the text, never another exception."""
    from pyoxigraph import RdfFormat, Store

    from mclinks.graph.assemble import build_source_graph
    from mclinks.text.extract import extract_text
    from mclinks.text.sources import load_source

    with tempfile.TemporaryDirectory() as d:
        src = Path(d) / "x.fr.txt"
        src.write_bytes("Décision MC-1/21 : Renforcement\n\nLa Conférence des Parties,\n\n1. Prie le secrétariat;\n"
                        .encode("utf-8"))
        (Path(d) / "x.fr.meta.json").write_text(json.dumps(meta), encoding="utf-8")
        try:
            info, text = load_source(src)
        except SourceError as e:
            assert e.file in (str(src), str(Path(d) / "x.fr.meta.json"))
            return
        graph = build_source_graph(extract_text(text, info), _registry(), text, "x.fr.txt")
        Store().load(graph.data, format=RdfFormat.N_QUADS)  # every line a well-formed quad


@functools.cache
def _registry():  # type: ignore[no-untyped-def]
    from mclinks.config import Settings
    from mclinks.registry import load_registry
    settings = Settings()
    return load_registry(settings.registry_dir, settings.base)


def test_violation_found_while_dumps_were_written_publishes_nothing(project_copy: Path) -> None:
    """Validation runs while the release's dumps are written: a violation must still leave the
    current release, the releases folder and no temporary release behind, and say what to change."""
    runner = CliRunner()
    first = runner.invoke(main, ["build", "--root", str(project_copy)])
    assert first.exit_code == 0, first.output
    releases = project_copy / "dist" / "releases"
    current, before = (project_copy / "dist" / "current").resolve(), sorted(p.name for p in releases.iterdir())
    (project_copy / SOURCES / "MC-3-11.en.txt").write_text(
        "Decision MC-3/11: Cooperation\n\nThe Conference of the Parties,\n\n1. Requests the Secretariat to act;\n")
    (project_copy / SOURCES / "MC-3-11.en.meta.json").write_text(
        '{"symbol": "MC-3/11", "kind": "decision", "language": "en", "instrument": "basel"}')
    refused = runner.invoke(main, ["build", "--root", str(project_copy)])
    assert refused.exit_code == 4, refused.output
    assert "[decision-instrument]" in refused.stderr
    assert (project_copy / "dist" / "current").resolve() == current
    assert sorted(p.name for p in releases.iterdir()) == before  # no .tmp- release left
    assert (project_copy / "dist" / "rejected-report.json").is_file()


@pytest.mark.parametrize("where", ["option", "environment"])
def test_a_base_that_is_not_an_iri_is_refused_naming_it_regression(project_copy: Path, monkeypatch, where: str) -> None:
    """It was a ValueError traceback from the registry, at the first IRI minted."""
    args = ["build", "--root", str(project_copy)]
    if where == "option":
        args += ["--base", "https://ex ample.org"]
    else:
        monkeypatch.setenv("MCLINKS_BASE", "https://ex ample.org")
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert "base IRI 'https://ex ample.org' (from --base or MCLINKS_BASE) is not an IRI" in result.output
    assert "Traceback" not in result.output and not (project_copy / "dist" / "current").exists()
