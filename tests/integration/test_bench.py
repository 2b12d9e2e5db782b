"""The benchmark itself runs, at the smallest size (figures are not asserted:
speed is measured in `make bench`, not in tests)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def test_bench_smoke(tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench", "--sizes", "10k", "--repeat", "1", "--http-size", "10k",
         "--http-requests", "8", "--http-seconds", "5", "--pyshacl-size", "", "--extract-scaling", "10KB,100KB",
         "--extract-real-repeat", "1", "--json", str(out)],
        capture_output=True, text=True, timeout=600, cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "| 10k |" in result.stdout and "mclinks serve" in result.stdout
    assert "| oxigraph serve (memory, the union as its default graph) | lineage | 4 |" in result.stdout
    real = json.loads(out.read_text())["extract_real"]
    assert {"off", "python"} <= real.keys() and real["texts"] > 0  # the scanners side by side
    figures = json.loads(out.read_text())["10k"]
    assert figures["build"]["triples"] > 5000
    assert figures["floor"]["release_dumps"]["seconds"] > figures["floor"]["seconds"] > 0  # both anchors, five dumps cost more
    assert "load + five dumps" in result.stdout
    assert figures["validate"]["violations"] == 0
    assert {"lookup", "lineage", "synergy"} <= figures["sparql_oxigraph"].keys()
    assert all(row["errors"] == 0 for row in figures["http"])
