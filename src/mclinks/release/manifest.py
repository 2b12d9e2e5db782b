"""The release manifest, ``release.json``: what a release was built with, above all
its base IRI, so every reader of a release (serve, publish, query, lineage) mints
and matches the IRIs the build minted, whatever the environment says now.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from mclinks.errors import SourceError

MANIFEST_FILE = "release.json"


@dataclass(frozen=True)
class Manifest:
    """``base`` has no trailing slash; ``created`` is an ISO 8601 UTC time; ``sources`` is
    how many source texts went in (0 when unknown)."""

    base: str
    created: str
    version: str
    triples: int
    sources: int = 0


def write_manifest(release_dir: Path, manifest: Manifest) -> None:
    """Write ``release.json``; called on the release's temporary directory, before it is made current."""
    (release_dir / MANIFEST_FILE).write_text(json.dumps(asdict(manifest), indent=1) + "\n", encoding="utf-8")


def read_manifest(release_dir: Path) -> Manifest:
    """The manifest of a release; ``SourceError`` naming the file when it is missing or does not make sense.

    >>> read_manifest(Path("/nonexistent"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    mclinks.errors.SourceError: /nonexistent/release.json: missing: ...
    """
    path = release_dir / MANIFEST_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourceError("missing: the release was made by an older mclinks; run `mclinks build`",
                          file=str(path)) from None
    except json.JSONDecodeError as e:
        raise SourceError(f"not JSON: {e.msg}", file=str(path), line=e.lineno) from None
    except (OSError, UnicodeDecodeError) as e:
        raise SourceError(f"cannot read: {e}", file=str(path)) from None
    if not isinstance(data, dict):
        raise SourceError("must be a JSON object", file=str(path))
    values = {}
    for f in fields(Manifest):
        value = data.get(f.name, f.default)
        wanted = int if f.type in ("int", int) else str
        if not isinstance(value, wanted) or isinstance(value, bool):
            raise SourceError(f"field {f.name!r} is missing or not {'an integer' if wanted is int else 'a string'}",
                              file=str(path))
        values[f.name] = value
    if not values["base"].startswith(("http://", "https://")) or values["base"].endswith("/"):
        raise SourceError(f"field 'base' is {values['base']!r}, expected an http(s) IRI without a trailing slash",
                          file=str(path))
    return Manifest(**values)
