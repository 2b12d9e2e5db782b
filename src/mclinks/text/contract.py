"""The metadata contract: a source's symbol, meeting, body and instrument are the registry's.

A sidecar's values are checked against what ``data/registry`` declares, not against a
pattern, so any id the registry lists (``GC-SS-12``, ``MC-INC-1``, ``BRS-EXCOP-1``,
``MC-DIPCON``) is accepted and any other is refused with the file to change. Symbols
are normalised with the issuing-body table (``data/issuers.json``): one place says how
each body writes its acts.
"""
from __future__ import annotations

import re
from functools import lru_cache

from mclinks.config import Settings
from mclinks.registry import Registry, load_registry
from mclinks.text import issuers

# metadata field → (registry kind, the facts file that declares it)
REGISTRY_FIELDS = {
    "meeting": ("meeting", "data/registry/meetings.tsv"),
    "body": ("body", "data/registry/bodies.tsv"),
    "instrument": ("instrument", "data/registry/instruments.tsv"),
}
_ACT_WORD_RE = re.compile(r"(?i)^(?:decision|décision|decisión|resolution|résolution|resolución)\s+")


def _prefix_hint(body: str | None, instrument: str | None, meeting: str | None) -> str | None:
    return (issuers.prefix_of_body(body) or issuers.prefix_of_instrument(instrument)
            or issuers.prefix_of_meeting(meeting))


def normalise_symbol(raw: str, body: str | None = None, instrument: str | None = None,
                     meeting: str | None = None) -> str:
    """The normalised id of an act symbol as a person writes it: 'GC-SS.XII/5' → 'GC-SS.12/5',
    'decision IX/15' of the Basel COP → 'BC-9/15'. A symbol that is no act's (a document's,
    'UNEP/MC/COP.6/INF/29') is returned as written."""
    symbol = _ACT_WORD_RE.sub("", raw.strip())
    pattern, templates = issuers.explicit_acts()
    candidates = [symbol]
    if m := re.match(r"([A-Z]+)-(?=[A-Z])", symbol):  # 'GC-SS.XII/5': the body's prefix before its own series
        candidates.append(symbol[m.end():])
    for candidate in candidates:
        if (found := pattern.fullmatch(candidate)) is not None:
            k, groups = issuers.groups_of(found, "x")
            if (normal := templates[k].normalise(groups)) is not None:
                return normal[0]
    prefix = _prefix_hint(body, instrument, meeting)
    if prefix is not None:
        for template in (t for t in issuers.by_prefix()[prefix].symbols if t.bare):
            found = re.fullmatch(issuers.template_regex(template.template), symbol, re.A)
            if found is not None and (normal := template.normalise(found.groupdict())) is not None:
                return normal[0]
    return symbol


def registry_problems(meta: dict[str, object], registry: Registry, sidecar: str) -> dict[str, str]:
    """Field → what to change, for each of meeting, body, instrument the registry does not know."""
    found: dict[str, str] = {}
    for key, (kind, facts) in REGISTRY_FIELDS.items():
        value = meta.get(key)
        if isinstance(value, str) and value and not registry.knows(kind, value):
            found[key] = (f"{value} is not a{'n' if kind[0] in 'aeiou' else ''} {kind} in {facts}: "
                          f"add it there or fix '{key}' in {sidecar}")
    return found


@lru_cache(maxsize=1)
def project_registry() -> Registry:
    """This checkout's registry, for commands that read one file (``extract``, ``add``)."""
    settings = Settings()
    return load_registry(settings.registry_dir, settings.base)
