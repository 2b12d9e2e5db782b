"""Read source texts and their metadata; fill what metadata omits from the text.

A source is ``NAME.txt`` with a sidecar ``NAME.meta.json`` and/or YAML front
matter. Text is decoded as UTF-8 with universal newlines (the offsets contract);
a declared ``encoding`` in the metadata is honoured. Problems raise
``SourceError`` naming the file (and line, for bad JSON), every problem of a
source at once, so that one round of corrections is enough.
"""
from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mclinks.errors import SourceError
from mclinks.identifiers import fits_iri_path
from mclinks.model import SourceInfo
from mclinks.text.contract import normalise_symbol, project_registry, registry_problems
from mclinks.text.frontmatter import split_front_matter
from mclinks.text.languages import guess_language
from mclinks.text.readers import READERS, SUFFIXES

KINDS = ("decision", "resolution", "note", "report", "document")
_SYMBOL_RE = re.compile(r"(?<![/\w.])(MC|BC|RC|SC)\s?-\s?(\d{1,2})\s?/\s?(\d{1,3})(?![\d/])")
_NOT_IN_IRI_RE = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f-\x9f]')  # what RFC 3987 keeps out of an IRI; symbols become IRIs
_BODY_BY_PREFIX = {"MC": ("minamata", "minamata-cop"), "BC": ("basel", "basel-cop"),
                   "RC": ("rotterdam", "rotterdam-cop"), "SC": ("stockholm", "stockholm-cop")}


def sidecar_for(path: Path) -> Path:
    """``x.fr.txt`` (or ``x.fr.pdf``, ``x.fr.docx``) → ``x.fr.meta.json``."""
    name = path.name[: -len(path.suffix)] if path.suffix in SUFFIXES else path.name
    return path.with_name(name + ".meta.json")


def _encoding_problem(encoding: object) -> str | None:
    """Why a declared ``encoding`` cannot decode a text, or None when it can."""
    if not isinstance(encoding, str):
        return f"'encoding' is {encoding!r}, expected the name of a text encoding such as 'utf-8' or 'latin-1'"
    try:
        codecs.lookup(encoding)
    except LookupError:
        return f"unknown encoding {encoding!r} in field 'encoding'"
    try:
        b"a".decode(encoding)  # not b"": decoding nothing skips the check
    except LookupError:  # bytes-to-bytes codecs such as base64 or zlib
        return f"'encoding' is {encoding!r}, which is not a text encoding; use e.g. 'utf-8' or 'latin-1'"
    except UnicodeError:
        pass  # a text encoding in which one byte is not a whole character (utf-16)
    return None


def inside_root(path: Path, root: Path) -> None:
    """Refuse a source (or sidecar) that resolves outside the project, e.g. a symbolic link to
    /etc/passwd, or that is not a regular file (a FIFO would block the build)."""
    if not (path.exists() or path.is_symlink()):
        return
    target = path.resolve()
    if not target.is_relative_to(root.resolve()):
        raise SourceError(f"resolves to {target}, outside the project {root}: copy the file in instead of linking it",
                          file=str(path))
    if not target.is_file():
        raise SourceError("is not a regular file", file=str(path))


def read_text(path: Path, encoding: str = "utf-8") -> str:
    """The text as the offsets contract reads it: decoded, newlines made universal."""
    problem = _encoding_problem(encoding)
    if problem:
        raise SourceError(problem, file=str(sidecar_for(path)))
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise SourceError(f"cannot read: {e.strerror or e}", file=str(path)) from None
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise SourceError(f"not valid {encoding} at byte {e.start} ({e.reason})", file=str(path), line=line) from None
    except UnicodeError as e:  # codecs such as idna fail without a position
        raise SourceError(f"does not decode as {encoding} ({e})", file=str(path)) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_metadata(path: Path) -> dict[str, Any]:
    """The sidecar's JSON object, or {} when there is none."""
    meta_path = sidecar_for(path)
    if not meta_path.exists():
        return {}
    try:
        data = json.loads(meta_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise SourceError(f"bad metadata: {e.msg} (column {e.colno})", file=str(meta_path), line=e.lineno) from None
    except (OSError, UnicodeDecodeError) as e:
        raise SourceError(f"cannot read metadata: {e}", file=str(meta_path)) from None
    if not isinstance(data, dict):
        raise SourceError("metadata must be a JSON object", file=str(meta_path), line=1)
    return data


def _problems(meta: dict[str, Any]) -> dict[str, str]:
    """Field → what is wrong with its value, for every field that does not make sense."""
    found: dict[str, str] = {}
    kind = meta.get("kind")
    if kind is not None and kind not in KINDS:
        found["kind"] = f"'kind' is {kind!r}, expected one of {', '.join(KINDS)}"
    symbol = meta.get("symbol")
    if symbol is not None and not isinstance(symbol, str):
        found["symbol"] = "'symbol' must be a string or null"
    elif symbol and "?" in symbol:
        found["symbol"] = (f"'symbol' is {symbol!r}: a '?' says the symbol is unknown; leave it null "
                           f"(\"symbol\": null) until it is known")
    elif symbol and (_NOT_IN_IRI_RE.search(symbol) or not fits_iri_path(symbol)):
        found["symbol"] = f"'symbol' is {symbol!r}: a symbol holds no spaces, control characters or any of <>\"{{}}|^`\\ (e.g. 'MC-1/21')"
    title = meta.get("title")
    if title is not None and not isinstance(title, (dict, str)):
        found["title"] = "'title' must be a string or an object of language → text"
    lang = meta.get("language")
    if lang is not None and (not isinstance(lang, str) or not re.fullmatch(r"[a-z]{2,3}", lang)):
        found["language"] = f"'language' is {lang!r}, expected an ISO 639 code such as 'en' or 'fr'"
    meeting = meta.get("meeting")
    if meeting is not None and not isinstance(meeting, str):  # which ids exist is the registry's to say (contract.py)
        found["meeting"] = f"'meeting' is {meeting!r}, expected a meeting id of the registry such as 'MC-COP-2'"
    if isinstance(title, dict):
        for tlang, value in title.items():
            if not re.fullmatch(r"[a-z]{2,3}", tlang) or not isinstance(value, str):
                found["title"] = f"'title' has {tlang!r}: {value!r}, expected a language code and a text"
                break
    date = meta.get("date")
    if date is not None and (not isinstance(date, str) or not re.fullmatch(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", date)):
        found["date"] = f"'date' is {date!r}, expected an ISO 8601 date such as '2017-09-29' (or '2017')"
    for key in ("instrument", "body", "source", "source_url"):
        if meta.get(key) is not None and not isinstance(meta[key], str):
            found[key] = f"'{key}' is {meta[key]!r}, expected a string"
    if meta.get("excerpt") is not None and not isinstance(meta["excerpt"], bool):
        found["excerpt"] = f"'excerpt' is {meta['excerpt']!r}, expected true or false"
    if "encoding" in meta and meta["encoding"] is not None and (problem := _encoding_problem(meta["encoding"])):
        found["encoding"] = problem
    return found


def guess_symbol(text: str) -> str | None:
    """The text's own symbol, when its opening lines announce one ("Decision MC-1/21: ...")."""
    head = text[:400]
    for m in _SYMBOL_RE.finditer(head):
        after = head[m.end():m.end() + 3]
        line_start = head.rfind("\n", 0, m.start()) + 1
        before = head[line_start:m.start()].strip().lower()
        if ":" in after or before in ("", "decision", "décision", "decision no.", "décision no"):
            return f"{m.group(1)}-{int(m.group(2))}/{int(m.group(3))}"
    return None


def read_source(path: Path, with_text: bool = True) -> tuple[dict[str, Any], dict[str, str], str]:
    """(metadata from the sidecar and the front matter, field → problem, the text after the front
    matter). A field given twice with different values is a problem, not a silent choice.
    ``with_text=False`` skips reading a PDF or Word file ("" for its text): its metadata is all in
    the sidecar, and reading a scan costs an OCR run."""
    meta = read_metadata(path)
    problems = _problems(meta)
    if path.suffix in READERS:  # PDF, scan, Word: the reader's text is the text (no front matter there)
        language = meta.get("language") if isinstance(meta.get("language"), str) else None
        return meta, problems, READERS[path.suffix](path, language) if with_text else ""
    encoding = meta.get("encoding") if "encoding" not in problems else None
    front, text = split_front_matter(read_text(path, encoding or "utf-8"), str(path))
    for key, value in front.items():
        if key in meta and meta[key] != value:
            problems[key] = (f"'{key}' is {meta[key]!r} in {sidecar_for(path).name} but {value!r} in the front "
                             f"matter of {path.name}: keep one")
        meta.setdefault(key, value)
    problems = {**_problems(meta), **problems}
    return meta, problems, text


def problems_error(path: Path, problems: dict[str, str]) -> SourceError:
    """One error for every problem of a source, each on its own line."""
    where = sidecar_for(path) if sidecar_for(path).exists() else path
    if len(problems) == 1:
        return SourceError(next(iter(problems.values())), file=str(where))
    listed = "".join(f"\n  - {message}" for message in problems.values())
    return SourceError(f"{len(problems)} problems:{listed}", file=str(where))


def load_source(path: Path, strict: bool = True,
                warn: Callable[[str], None] | None = None) -> tuple[SourceInfo, str]:
    """A source's metadata (checked, completed) and its text.

    Strict (``build``): a field that makes no sense is an error naming the sidecar.
    Lenient (``extract``): the field is reported through ``warn`` and inferred from
    the text instead, so one odd value does not cost the whole extraction.
    """
    meta, problems, text = read_source(path)
    if not strict:  # build checks the registry once for all sources (build.check_metadata)
        problems.update(registry_problems(meta, project_registry(), sidecar_for(path).name))
    if problems and strict:
        raise problems_error(path, problems)
    for key, message in problems.items():
        if warn:
            warn(f"{sidecar_for(path)}: {message}; ignored")
        meta.pop(key, None)
    if strict and not text.strip():
        raise SourceError("is empty: a source needs its text (remove the file and its sidecar if it has none)",
                          file=str(path))
    instrument, body, meeting = meta.get("instrument"), meta.get("body"), meta.get("meeting")
    symbol = meta.get("symbol") or (None if "symbol" in meta else guess_symbol(text))
    if symbol:
        symbol = normalise_symbol(symbol, body, instrument, meeting)
    if symbol and (m := _SYMBOL_RE.fullmatch(symbol)):
        inst, cop = _BODY_BY_PREFIX[m.group(1)]
        instrument = instrument or inst
        body = body or cop
        meeting = meeting or f"{m.group(1)}-COP-{int(m.group(2))}"
    title = meta.get("title") or {}
    if isinstance(title, str):
        title = {meta.get("language") or guess_language(text): title}
    info = SourceInfo(
        path=str(path), symbol=symbol, kind=meta.get("kind") or ("decision" if symbol else "document"),
        language=meta.get("language") or guess_language(text), instrument=instrument, body=body,
        meeting=meeting, date=meta.get("date"), title=dict(title),
        source_url=meta.get("source_url") or meta.get("source"), excerpt=bool(meta.get("excerpt")),
    )
    return info, text
