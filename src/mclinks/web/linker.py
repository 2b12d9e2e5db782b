"""Where a page links an IRI of ours to: a path on the server that serves it, or a
file of the static site (relative, so the site works from any folder)."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from mclinks.identifiers import local_path
from mclinks.vocab import PREFIXES

MCL = PREFIXES["mcl"]
ONTOLOGY_IRI = MCL.rstrip("#")


@dataclass(frozen=True)
class Linker:
    """Where an IRI of ours links to: a server path or a static file."""

    base: str
    static: bool = False
    prefix: str = ""

    def href(self, iri: str) -> str:
        if iri.startswith(ONTOLOGY_IRI):  # terms of our ontology: its documentation page
            page = "ontology.html" if self.static else "ontology"
            return f"{self.home}{page}" + (f"#{iri[len(ONTOLOGY_IRI) + 1:]}" if iri.startswith(MCL) else "")
        if (path := local_path(iri, self.base)) is not None:
            if self.static:
                return f"{self.prefix}/doc/{path}.html" if self.prefix else f"doc/{path}.html"
            return f"/id/{path}"
        return iri

    @property
    def home(self) -> str:
        """The site's root as this page reaches it ("/" on a server, "../../" deep in a static site)."""
        if not self.static:
            return "/"
        return f"{self.prefix}/" if self.prefix else ""

    def original(self, name: str) -> str:
        """Where the original file ``name`` of a source is downloaded."""
        return f"{self.home}original/{quote(name)}"

    def for_depth(self, depth: int) -> Linker:
        """The linker of a static page ``depth`` folders below the site's root (relative links)."""
        return Linker(self.base, self.static, "/".join([".."] * depth)) if self.static else self

    def ours(self, iri: str) -> bool:
        return iri.startswith(self.base + "/")
