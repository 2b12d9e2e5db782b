"""Which topics a paragraph is about, by the registry's patterns (``data/registry/topics.tsv``:
a topic id and a pattern over folded text, e.g. ``artisanal|orpaillage``)."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from mclinks.registry import topic_patterns

Topics = tuple[tuple[str, re.Pattern[str]], ...]


@lru_cache(maxsize=8)
def load_topics(registry_dir: Path) -> Topics:
    """The topics of a registry, their patterns compiled (case-insensitive, over folded text)."""
    return tuple((topic, re.compile(pattern, re.I)) for topic, pattern in topic_patterns(registry_dir))


def topics_of(folded: str, start: int, end: int, topics: Topics) -> tuple[str, ...]:
    """The topics whose pattern matches within ``folded[start:end]``, in the table's order.

    >>> topics_of("gold mining and orpaillage", 0, 26, (("asgm", re.compile("orpaillage")),))
    ('asgm',)
    """
    return tuple(topic for topic, pattern in topics if pattern.search(folded, start, end))
