"""Which topics a paragraph is about, by the registry's patterns (``data/registry/topics.tsv``:
a topic id and a pattern over folded text, e.g. ``artisanal|orpaillage``).

Searching every topic's pattern in every paragraph was a quarter of the extraction (issue #15):
each topic's pattern is registered with the prefilter instead, so the text's one scan says where
it may match, and only those places are tried, each in the paragraph that holds it.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache
from pathlib import Path

from mclinks.registry import topic_patterns
from mclinks.text.prefilter import Prefiltered, prefiltered

Topics = tuple[tuple[str, "re.Pattern[str] | Prefiltered"], ...]


@lru_cache(maxsize=8)
def load_topics(registry_dir: Path) -> Topics:
    """The topics of a registry, their patterns compiled (case-insensitive, over folded text)."""
    return tuple((topic, prefiltered(re.compile(pattern, re.I))) for topic, pattern in topic_patterns(registry_dir))


def topics_of(folded: str, start: int, end: int, topics: Topics) -> tuple[str, ...]:
    """The topics whose pattern matches within ``folded[start:end]``, in the table's order.

    >>> topics_of("gold mining and orpaillage", 0, 26, (("asgm", re.compile("orpaillage")),))
    ('asgm',)
    """
    return tuple(topic for topic, pattern in topics if pattern.search(folded, start, end))


def topics_of_spans(folded: str, spans: list[tuple[int, int]], topics: Topics) -> list[tuple[str, ...]]:
    """``topics_of`` for each of ``spans`` (sorted, disjoint): a prefiltered pattern is tried
    only at the places the scan found, in the span holding each; the others as ``topics_of``.

    >>> topics_of_spans("gold mining. orpaillage", [(0, 12), (13, 23)], (("asgm", re.compile("orpaillage")),))
    [(), ('asgm',)]
    """
    found: list[list[str]] = [[] for _ in spans]
    starts = [s for s, _ in spans]
    disjoint = all(spans[i][1] <= spans[i + 1][0] for i in range(len(spans) - 1))
    for topic, pattern in topics:
        places = pattern.places(folded) if disjoint and isinstance(pattern, Prefiltered) else None
        if places is None:
            for i, (s, e) in enumerate(spans):
                if pattern.search(folded, s, e):
                    found[i].append(topic)
            continue
        match, held = pattern.regex.match, -1  # held: the last span found to have the topic
        for at in places:
            i = bisect.bisect_right(starts, at) - 1
            if i < 0 or i == held or at >= spans[i][1]:
                continue
            if match(folded, at, spans[i][1]):
                found[i].append(topic)
                held = i
    return [tuple(t) for t in found]
