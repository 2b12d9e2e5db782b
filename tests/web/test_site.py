"""`mclinks publish`: a static site with pages, data files and dumps."""
from __future__ import annotations

from pathlib import Path

import rdflib
from click.testing import CliRunner

from mclinks.cli import main


def test_static_site(built_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    res = CliRunner().invoke(main, ["publish", "--root", str(built_root), "--out", str(out)])
    assert res.exit_code == 0, res.output
    page = (out / "doc" / "decision" / "MC-1-21.html").read_text(encoding="utf-8")
    assert "Paragraphs" in page and 'href="../../doc/resolution/UNEA-1-5.html"' in page
    g = rdflib.Graph().parse(out / "doc" / "decision" / "MC-1-21.ttl")
    assert (rdflib.URIRef("https://w3id.org/mclinks/id/decision/MC-1-21"),
            rdflib.URIRef("https://w3id.org/mclinks/ontology#symbol"), rdflib.Literal("MC-1/21")) in g
    assert (out / "doc" / "decision" / "MC-1-21" / "fr" / "operative-1.html").exists()
    for name in ("index.html", "ontology.html", "ontology.ttl", "dump/mclinks.trig", "dump/void.ttl"):
        assert (out / name).stat().st_size > 0, name
    # every link of every page stays on the site and points to one of its files (regression: 656 links
    # pointed off-site to the base IRI)
    import re
    from urllib.parse import unquote
    checked = 0
    for html_file in out.rglob("*.html"):
        for href in re.findall(r'href="([^"#]+)', html_file.read_text(encoding="utf-8")):
            assert not href.startswith(("/", "https://w3id.org")), (html_file, href)
            if href.startswith(("http:", "https:", "mailto:")):
                continue
            assert (html_file.parent / unquote(href)).resolve().exists(), (html_file, href)
            checked += 1
    assert checked > 200


def test_publish_needs_a_release(project_copy: Path, tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["publish", "--root", str(project_copy), "--out", str(tmp_path / "s")])
    assert res.exit_code == 1 and "run `mclinks build` first" in res.output
    assert not (tmp_path / "s").exists()
