"""Issue 11, `mclinks add FILE`: the sidecar inferred from the text for review, checked like any
other; options override what was inferred."""
from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from mclinks.cli import main
from tests.documents import make_pdf

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "data" / "sources" / "MC-1-21.fr.txt"
SOURCES = Path("data") / "sources"


def _add(root: Path, *args: str):
    return CliRunner().invoke(main, ["add", *args, "--root", str(root)])


def test_add_infers_the_sidecar_and_the_build_takes_it(project_copy: Path, tmp_path: Path) -> None:
    (project_copy / SOURCES / "MC-1-21.fr.txt").unlink()
    (project_copy / SOURCES / "MC-1-21.fr.meta.json").unlink()
    new = tmp_path / "MC-1-21.fr.txt"
    new.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    result = _add(project_copy, str(new))
    assert result.exit_code == 0, result.output
    meta = json.loads((project_copy / SOURCES / "MC-1-21.fr.meta.json").read_text(encoding="utf-8"))
    assert (meta["symbol"], meta["kind"], meta["language"], meta["meeting"], meta["body"], meta["instrument"]) == (
        "MC-1/21", "decision", "fr", "MC-COP-1", "minamata-cop", "minamata")
    assert meta["title"]["fr"].startswith("Renforcement des capacités, assistance technique et transfert de technologies")
    assert (project_copy / SOURCES / "MC-1-21.fr.txt").read_bytes() == new.read_bytes()  # copied in
    assert "review it" in result.output
    assert CliRunner().invoke(main, ["build", "--root", str(project_copy)]).exit_code == 0


def test_add_a_pdf(project_copy: Path, tmp_path: Path) -> None:
    pdf = make_pdf("Decision MC-2/3: Mercury releases\n\nThe Conference of the Parties,\n\n1. Requests the Secretariat;\n",
                   tmp_path / "MC-2-3.en.pdf")
    result = _add(project_copy, str(pdf))
    assert result.exit_code == 0, result.output
    meta = json.loads((project_copy / SOURCES / "MC-2-3.en.meta.json").read_text(encoding="utf-8"))
    assert (meta["symbol"], meta["language"], meta["title"]) == ("MC-2/3", "en", {"en": "Mercury releases"})


def test_add_options_override_and_are_normalised(project_copy: Path, tmp_path: Path) -> None:
    new = tmp_path / "basel.en.txt"
    new.write_text("Technical guidelines on mercury wastes\n\nThe Conference of the Parties,\n\n1. Adopts the guidelines;\n")
    result = _add(project_copy, str(new), "--symbol", "decision IX/15", "--body", "basel-cop", "--date", "2008")
    assert result.exit_code == 0, result.output
    meta = json.loads((project_copy / SOURCES / "basel.en.meta.json").read_text(encoding="utf-8"))
    assert (meta["symbol"], meta["meeting"], meta["instrument"], meta["date"]) == ("BC-9/15", "BC-COP-9", "basel", "2008")


def test_add_says_what_to_fix_and_leaves_the_sidecar_for_review(project_copy: Path, tmp_path: Path) -> None:
    new = tmp_path / "x.en.txt"
    new.write_text("A note\n\n1. Text of the note.\n")
    result = _add(project_copy, str(new), "--meeting", "BC-COP-99", "--symbol", "MC-5/?")
    assert result.exit_code == 3, result.output
    assert "BC-COP-99 is not a meeting in data/registry/meetings.tsv" in result.stderr
    assert "'symbol' is 'MC-5/?': a '?' says the symbol is unknown" in result.stderr
    assert (project_copy / SOURCES / "x.en.meta.json").exists()


def test_add_refuses_to_overwrite_a_sidecar(project_copy: Path) -> None:
    result = _add(project_copy, str(project_copy / SOURCES / "MC-1-21.fr.txt"))
    assert result.exit_code == 3 and "exists already" in result.stderr and "--force" in result.stderr
