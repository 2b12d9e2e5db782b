"""Rendering query rows for people (aligned table) and programs (CSV, JSON)."""
from __future__ import annotations

import csv
import io
import json

from mclinks.store.endpoint import Row


def render_rows(names: list[str], rows: list[Row], fmt: str) -> str:
    if fmt == "json":
        return json.dumps({"vars": names, "rows": rows}, ensure_ascii=False, indent=1)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(names)
        writer.writerows([[r.get(n) or "" for n in names] for r in rows])
        return out.getvalue().rstrip("\n")
    cells = [[" ".join((r.get(n) or "").split()) for n in names] for r in rows]
    widths = [min(60, max([len(n)] + [len(c[i]) for c in cells])) for i, n in enumerate(names)]
    line = lambda vals: "  ".join(v[:60].ljust(w) for v, w in zip(vals, widths)).rstrip()  # noqa: E731
    return "\n".join([line(names), line(["-" * w for w in widths])] + [line(c) for c in cells] + [f"({len(rows)} rows)"])
