"""Content negotiation: pick the best offered media type for an Accept header,
honouring q-values and wildcards (RFC 9110 §12.5.1)."""
from __future__ import annotations


def parse_accept(header: str | None) -> list[tuple[str, float, int]]:
    """(media range, q, position) for each entry; malformed q counts as 0."""
    if not header:
        return [("*/*", 1.0, 0)]
    out = []
    for i, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for param in fields[1:]:
            if param.lower().startswith("q="):
                try:
                    q = max(0.0, min(1.0, float(param[2:])))
                except ValueError:
                    q = 0.0
        out.append((media, q, i))
    return out


def _specificity(media_range: str, offered: str) -> int | None:
    if media_range == offered:
        return 2
    kind = offered.split("/")[0]
    if media_range == f"{kind}/*":
        return 1
    if media_range == "*/*":
        return 0
    return None


def choose(header: str | None, offered: list[str]) -> str | None:
    """The offered type the client prefers most; ties go to the server's order. None: nothing acceptable."""
    ranges = parse_accept(header)
    best: tuple[float, int, str] | None = None
    for rank, media in enumerate(offered):
        match: tuple[int, float] | None = None
        for media_range, q, _ in ranges:
            spec = _specificity(media_range, media)
            if spec is not None and (match is None or spec > match[0]):
                match = (spec, q)
        if match is None or match[1] <= 0:
            continue
        key = (match[1], -rank, media)
        if best is None or key[:2] > best[:2]:
            best = key
    return best[2] if best else None
