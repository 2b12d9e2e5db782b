"""Command-line interface: thin wrappers over the library's stages."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import __version__
from .errors import MclinksError


class _Group(click.Group):
    """Turns MclinksError into a one-line message and its exit code."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except MclinksError as e:
            click.echo(f"error: {e}", err=True)
            ctx.exit(e.exit_code)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="mclinks")
def main() -> None:
    """mclinks: Minamata Convention decisions as a validated, citable RDF graph."""


@main.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the extraction as JSON (the BRIEF's contract).")
def extract(file: Path, as_json: bool) -> None:
    """Segment FILE and extract its references, actions, addressees and deadlines."""
    from .extract import extract_file

    result = extract_file(file)
    if as_json:
        json.dump(result.to_json(), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return
    text = Path(file).read_text(encoding="utf-8")
    for p in result.paragraphs:
        head = " ".join(text[p.start:p.end].split())[:70]
        extra = ",".join(p.actions)
        click.echo(f"{p.start:>6}-{p.end:<6} {p.kind:<12} {p.number or '':<3} {extra:<20} {head}")
    for r in result.references:
        part = f" ({r.part})" if r.part else ""
        click.echo(f"{r.start:>6}-{r.end:<6} {r.kind:<11} {r.id}{part}  «{' '.join(r.text.split())}»")
