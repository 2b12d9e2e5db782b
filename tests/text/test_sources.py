"""Bad input gets a clear error naming the file (and line where there is one)."""
from __future__ import annotations

from pathlib import Path

import pytest

from mclinks.errors import SourceError
from mclinks.text.sources import guess_symbol, load_source


def _write(tmp_path: Path, text: bytes, meta: str | None) -> Path:
    src = tmp_path / "x.fr.txt"
    src.write_bytes(text)
    if meta is not None:
        (tmp_path / "x.fr.meta.json").write_text(meta, encoding="utf-8")
    return src


def test_bad_json_names_file_and_line(tmp_path: Path) -> None:
    src = _write(tmp_path, b"texte", '{\n "symbol": "MC-1/2",\n "kind": }')
    with pytest.raises(SourceError, match=r"x\.fr\.meta\.json:3"):
        load_source(src)


def test_invalid_utf8_names_line(tmp_path: Path) -> None:
    src = _write(tmp_path, "ligne 1\nligne 2 \xe9".encode("latin-1"), None)
    with pytest.raises(SourceError, match=r"x\.fr\.txt:2: not valid utf-8"):
        load_source(src)


def test_unknown_declared_encoding(tmp_path: Path) -> None:
    src = _write(tmp_path, b"texte", '{"encoding": "klingon-8"}')
    with pytest.raises(SourceError, match="unknown encoding 'klingon-8'"):
        load_source(src)


def test_declared_encoding_is_honoured(tmp_path: Path) -> None:
    src = _write(tmp_path, "Décision".encode("latin-1"), '{"encoding": "latin-1", "language": "fr"}')
    info, text = load_source(src)
    assert text == "Décision" and info.language == "fr"


@pytest.mark.parametrize(("meta", "message"), [
    ('{"kind": "memo"}', "'kind' is 'memo'"),
    ('{"meeting": 6}', "'meeting' is 6"),  # which ids exist is checked against the registry: test_contract.py
    ('{"language": "French"}', "'language' is 'French'"),
    ('["not", "an", "object"]', "must be a JSON object"),
])
def test_bad_metadata_values(tmp_path: Path, meta: str, message: str) -> None:
    src = _write(tmp_path, b"texte", meta)
    with pytest.raises(SourceError, match=message):
        load_source(src)


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="missing.txt: cannot read"):
        load_source(tmp_path / "missing.txt")


def test_missing_metadata_is_inferred_from_text(tmp_path: Path) -> None:
    src = _write(tmp_path, "Decision MC-2/11: Article 14\n\nThe Conference of the Parties,".encode(), None)
    info, _ = load_source(src)
    assert (info.symbol, info.kind, info.language, info.instrument, info.meeting) == (
        "MC-2/11", "decision", "en", "minamata", "MC-COP-2")


def test_crlf_is_read_as_universal_newlines(tmp_path: Path) -> None:
    src = _write(tmp_path, b"a\r\nb\rc", None)
    assert load_source(src)[1] == "a\nb\nc"


def test_guess_symbol_ignores_citations_in_running_text() -> None:
    assert guess_symbol("Follow-up on the cooperation requested in decision MC-3/11, as reported") is None


def test_lenient_loading_ignores_a_bad_field_and_says_so(tmp_path: Path) -> None:
    src = _write(tmp_path, "Décision MC-2/3 : Rejets\n\nLa Conférence des Parties,".encode(),
                 '{"kind": "information document", "language": "fr"}')
    said: list[str] = []
    info, _ = load_source(src, strict=False, warn=said.append)
    assert info.kind == "decision" and info.symbol == "MC-2/3"
    assert said and "x.fr.meta.json: 'kind' is 'information document'" in said[0]
