"""``mclinks add FILE``: a new source in, with a sidecar inferred for a person to review.

What the text says is inferred (its symbol from the title lines, its language, the
meeting, body and instrument the symbol belongs to, its title); what the person
says (``--symbol``, ``--meeting`` …) wins. The sidecar is then checked like any
other (the contract of sources.py and the registry's ids), so that what ``add``
writes is either valid or comes with the list of what to change.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from mclinks.errors import SourceError
from mclinks.identifiers import adopting_meeting
from mclinks.registry import Registry
from mclinks.text import issuers
from mclinks.text.contract import normalise_symbol, registry_problems
from mclinks.text.languages import guess_language
from mclinks.text.readers import SUFFIXES
from mclinks.text.sources import read_source, sidecar_for

_HEAD = 400  # a symbol announced further down is a citation, not the text's own
_LONGEST_TITLE = 300


def _issuer_of(symbol: str) -> issuers.Issuer | None:
    prefix = symbol.split("-")[0].split("/")[0]
    return issuers.by_prefix().get(prefix)


def about_symbol(symbol: str, kind: str) -> dict[str, Any]:
    """What a symbol says of its act: kind, adopting meeting, body and instrument."""
    meta: dict[str, Any] = {"symbol": symbol, "kind": kind}
    meeting = adopting_meeting(kind, symbol)
    if meeting:
        meta["meeting"] = meeting
    if (issuer := _issuer_of(symbol)) is not None:
        meta["body"] = issuer.body
        if issuer.instrument:
            meta["instrument"] = issuer.instrument
    return meta


def _kind_of(symbol: str) -> str:
    return "resolution" if symbol.startswith(("UNEA-", "A/RES/", "ICCM-")) else "decision"


def infer(text: str, source_name: str) -> dict[str, Any]:
    """The metadata a text announces in its opening lines; what it does not say stays out."""
    pattern, templates = issuers.explicit_acts()
    meta: dict[str, Any] = {"symbol": None, "kind": "document"}
    title = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if (m := pattern.search(text[:_HEAD])) is not None:
        k, groups = issuers.groups_of(m, "x")
        normal = templates[k].normalise(groups)
        if normal is not None:
            meta.update(about_symbol(normal[0], templates[k].kind))
            rest = text[m.end():].split("\n\n", 1)[0]  # the title may wrap over lines, up to the blank line
            if rest.lstrip().startswith(":"):  # "Decision MC-1/21: Capacity-building …"
                title = " ".join(rest.split(":", 1)[1].split())
    language = guess_language(text)
    meta["language"] = language
    if title and len(title) <= _LONGEST_TITLE:  # a longer first line is a page's furniture, not a title
        meta["title"] = {language: title}
    meta["source"] = source_name
    return meta


def add_source(file: Path, sources_dir: Path, registry: Registry, overrides: dict[str, Any],
               force: bool = False) -> tuple[Path, dict[str, Any], dict[str, str]]:
    """Copy ``file`` into the sources (unless it is there), write its sidecar, check it.

    Returns the sidecar, what it holds, and field → what to change (empty when valid)."""
    if file.suffix not in SUFFIXES:
        raise SourceError(f"is not a format mclinks reads: give a {', '.join(SUFFIXES)} file", file=str(file))
    if not file.is_file():
        raise SourceError("does not exist", file=str(file))
    target = file if file.resolve().parent == sources_dir.resolve() else sources_dir / file.name
    sidecar = sidecar_for(target)
    if sidecar.exists() and not force:
        raise SourceError("exists already: review it by hand, or pass --force to write it anew", file=str(sidecar))
    if target != file:
        sources_dir.mkdir(parents=True, exist_ok=True)
        if target.exists() and not force:
            raise SourceError(f"exists already in {sources_dir}: rename the new file or pass --force", file=str(target))
        shutil.copyfile(file, target)
    _, _, text = read_source(target)
    meta = infer(text, file.name)
    given = {k: v for k, v in overrides.items() if v is not None}
    if "symbol" in given:  # what the inferred symbol implied goes with it
        symbol = normalise_symbol(given["symbol"], given.get("body"), given.get("instrument"), given.get("meeting"))
        for key in ("meeting", "body", "instrument"):
            meta.pop(key, None)
        meta.update(about_symbol(symbol, _kind_of(symbol)))
        given["symbol"] = symbol
    meta.update(given)
    if isinstance(meta.get("title"), str):
        meta["title"] = {meta.get("language") or "en": meta["title"]}
    sidecar.write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    _, problems, _ = read_source(target)
    problems.update(registry_problems(meta, registry, sidecar.name))
    return sidecar, meta, problems

