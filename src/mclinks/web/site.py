"""`mclinks publish --out DIR`: the linked-data pages and per-resource data
files as a static site, plus the dumps, for any static host. Written to a
temporary directory beside DIR and swapped in, like a release."""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import NamedNode, Store

from mclinks.formats import PAGE_FORMATS, page_links
from mclinks.identifiers import local_path
from mclinks.query.canned import CannedQuery
from mclinks.release.dumps import ensure_store
from mclinks.release.report import ORIGINALS_DIR
from mclinks.vocab import PREFIXES
from mclinks.web.linker import Linker
from mclinks.web.pages import PageMaker, lineage_svg_for
from mclinks.web.search_page import write_static_search


@dataclass(frozen=True)
class SiteReport:
    out: Path
    pages: int
    files: int


def _subjects(store: Store, base: str) -> list[str]:
    return sorted({q.subject.value for q in store if isinstance(q.subject, NamedNode) and local_path(q.subject.value, base)})


def publish_site(release: Path, out: Path, base: str, ontology_file: Path,
                 queries: dict[str, CannedQuery]) -> SiteReport:
    """Write every page and data file; DIR is replaced only once all is written."""
    store = Store.read_only(str(ensure_store(release)))
    out = out.resolve()
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    try:
        root_linker = Linker(base, static=True)
        maker = PageMaker(store, base, root_linker, queries)
        pages = files = 0
        for iri in _subjects(store, base):
            path = local_path(iri, base) or ""
            target = tmp / "doc" / path
            target.parent.mkdir(parents=True, exist_ok=True)
            maker.linker = root_linker.for_depth(path.count("/") + 1)  # doc/<local>.html: links relative to it
            name = path.rsplit("/", 1)[-1]
            links = page_links(name)
            svg = lineage_svg_for(store, iri, base, maker.linker) if maker.is_act(iri) else None
            target.with_name(target.name + ".html").write_text(maker.render_resource(iri, links, svg), encoding="utf-8")
            pages += 1
            triples = maker.describe(iri)
            for fmt in PAGE_FORMATS:
                target.with_name(target.name + fmt.suffix).write_bytes(fmt.write(triples, PREFIXES))
                files += 1
        maker.linker = root_linker
        stats = {"triples": len({q.triple for q in store}), "graphs": len(list(store.named_graphs()))}
        (tmp / "index.html").write_text(maker.render_index(stats), encoding="utf-8")
        write_static_search(store, base, tmp)
        (tmp / "ontology.html").write_text(maker.render_ontology(ontology_file), encoding="utf-8")
        shutil.copy(ontology_file, tmp / "ontology.ttl")
        if (release / ORIGINALS_DIR).is_dir():
            shutil.copytree(release / ORIGINALS_DIR, tmp / "original")
        (tmp / "dump").mkdir()
        for f in release.iterdir():
            if f.is_file():
                shutil.copy(f, tmp / "dump" / f.name)
                files += 1
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        if out.exists():
            out.rename(old)
        tmp.rename(out)
        shutil.rmtree(old, ignore_errors=True)
        return SiteReport(out, pages + 3, files)  # and the index, ontology and search pages
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
