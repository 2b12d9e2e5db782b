"""Tables flattened by web exports: rows are body paragraphs; an Article column cites articles."""
from __future__ import annotations

from mclinks.model import SourceInfo
from mclinks.text.extract import extract_text
from mclinks.text.text_tables import find_tables

_PAGE = ("Forms and guidance\n\nThe forms adopted so far are listed below.\n\n"
         "Article Adopted Title File\n"
         "3 COP1 MC-1/2 Guidance on mercury supply Download\n"
         "7 COP1 MC-1/13 Guidance on national action plans Download\n\n"
         "More info on the toolkit\n\n"
         "8 COP1 MC-1/16 Guidance on inventories under paragraph 5 Download\n")
_INFO = SourceInfo(path="p.txt", symbol=None, kind="page", language="en", instrument="minamata",
                   body="minamata-secretariat", meeting=None)


def test_rows_are_found_under_their_header() -> None:
    (table,) = find_tables(_PAGE)
    assert table.article_column
    assert [_PAGE[s:e] for s, e, _, _ in table.rows] == [
        "3 COP1 MC-1/2 Guidance on mercury supply Download",
        "7 COP1 MC-1/13 Guidance on national action plans Download",
        "8 COP1 MC-1/16 Guidance on inventories under paragraph 5 Download"]


def test_each_row_is_a_body_paragraph_and_its_article_cell_a_reference() -> None:
    result = extract_text(_PAGE, _INFO)
    kinds = [(p.kind, _PAGE[p.start:p.end][:12]) for p in result.paragraphs]
    assert kinds[-4:] == [("body", "3 COP1 MC-1/"), ("body", "7 COP1 MC-1/"), ("body", "More info on"), ("body", "8 COP1 MC-1/")]
    cites = [(r.kind, r.id, r.text) for r in result.references if r.kind in ("article", "decision", "meeting")]
    assert cites == [
        ("article", "minamata/art3", "3"), ("meeting", "MC-COP-1", "COP1"), ("decision", "MC-1/2", "MC-1/2"),
        ("article", "minamata/art7", "7"), ("meeting", "MC-COP-1", "COP1"), ("decision", "MC-1/13", "MC-1/13"),
        ("article", "minamata/art8", "8"), ("meeting", "MC-COP-1", "COP1"), ("decision", "MC-1/16", "MC-1/16"),
        ("article", "minamata/art8/para5", "paragraph 5")]


def test_prose_with_column_words_is_not_a_table() -> None:
    assert find_tables("The title of the file was adopted.\n3 copies were made.\n") == ()
