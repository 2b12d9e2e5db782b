"""Incremental builds: an extraction is kept under the digest of what it was made from.

The key is the source file's bytes, its sidecar's bytes, its path, and the extractor's
version; the version is a digest of the package's code and of the tables extraction
reads (``data/issuers.json``, the meeting calendar), so any change to the extractor
re-extracts everything, and adding one text to a large corpus extracts one text.
A cache entry that cannot be read is ignored and written again, never trusted.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from functools import lru_cache
from pathlib import Path

from mclinks.config import Settings
from mclinks.model import Extraction
from mclinks.text.sources import sidecar_for

_TEXT_STAGE = Path(__file__).resolve().parent  # the extractor's code: this package and the records it fills


@lru_cache(maxsize=4)
def extractor_version(issuers_file: Path, registry_dir: Path) -> str:
    """A digest of the code and the tables that decide what an extraction holds."""
    h = hashlib.sha256()
    code = sorted(_TEXT_STAGE.glob("*.py")) + [_TEXT_STAGE.parent / "model.py"]
    inputs = code + [issuers_file, registry_dir / "meetings.tsv", registry_dir / "topics.tsv", Settings().issuers_file]
    for path in inputs:
        h.update(path.name.encode())
        try:
            h.update(path.read_bytes())
        except OSError:
            h.update(b"-")
    return h.hexdigest()[:16]


class ExtractionCache:
    """Extractions on disk under ``directory``, one file per key."""

    def __init__(self, directory: Path, version: str) -> None:
        self.directory = directory
        self.version = version

    def key(self, path: Path) -> str:
        h = hashlib.sha256(self.version.encode())
        h.update(str(path).encode())
        for part in (path, sidecar_for(path)):
            try:
                h.update(part.read_bytes())
            except OSError:
                h.update(b"-")
        return h.hexdigest()

    def get(self, key: str) -> tuple[Extraction, str] | None:
        try:
            with (self.directory / f"{key}.pickle").open("rb") as f:
                value = pickle.load(f)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            return None
        if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], Extraction):
            return value
        return None

    def put(self, key: str, value: tuple[Extraction, str]) -> None:
        """Written atomically (a killed build leaves no half entry); a full disk only costs the cache."""
        tmp: str | None = None
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
            with os.fdopen(fd, "wb") as f:
                pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.directory / f"{key}.pickle")
        except OSError:
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)
