"""The package reads like its flow: imports point backwards along it, and nothing loops.

Layers, earliest first: the supporting modules, then the stages in the order data goes
through them, then the commands. A module may import its own layer and earlier ones.
"""
from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import mclinks

PACKAGE = Path(mclinks.__file__).resolve().parent
LAYERS: list[set[str]] = [
    {"__init__", "config", "errors", "numerals", "issuer_table", "identifiers", "model", "vocab", "formats", "registry", "ui",
     "loopback", "resources", "freed_memory"},
    {"text"},
    {"graph"},
    {"store"},
    {"validate"},
    {"release"},
    {"build"},
    {"query"},
    {"web"},
    {"cli", "__main__"},
]
RANK = {unit: n for n, layer in enumerate(LAYERS) for unit in layer}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    """Module → the modules of ours it imports (``from mclinks import x`` names module x)."""
    found: dict[str, set[str]] = defaultdict(set)
    modules = {_module_name(p) for p in PACKAGE.rglob("*.py")}
    for path in PACKAGE.rglob("*.py"):
        me = _module_name(path)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "mclinks":
                for alias in node.names:
                    child = f"{node.module}.{alias.name}"
                    found[me].add(child if child in modules else node.module)
            elif isinstance(node, ast.Import):
                found[me].update(a.name for a in node.names if a.name.split(".")[0] == "mclinks")
    return found


def _unit(module: str) -> str:
    """The part a module belongs to: its stage package, or its own name for a top-level module."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_every_package_has_a_layer() -> None:
    units = {_unit(m) for m in _imports()} | {_unit(t) for ts in _imports().values() for t in ts}
    assert units <= set(RANK), f"add these to LAYERS in {__file__}: {sorted(units - set(RANK))}"


def test_imports_point_backwards_along_the_flow() -> None:
    forward = sorted(f"{me} imports {target}" for me, targets in _imports().items() for target in targets
                     if RANK[_unit(target)] > RANK[_unit(me)])
    assert forward == []


def test_no_import_cycle() -> None:
    graph = _imports()
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if nxt == node or nxt == "mclinks":
                continue
            if state.get(nxt) == 1:
                cycles.append(path[path.index(nxt):] + [nxt] if nxt in path else [node, nxt])
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_the_package_exports_its_stages_in_order() -> None:
    """``mclinks.__all__`` names the stage functions; each is a function of the module it is said
    to live in (imported on first use, so a missing one fails here, not in a user's script)."""
    import inspect

    names = [n for n in mclinks.__all__ if n != "__version__"]
    assert names and len(names) == len(set(names))
    for name in names:
        function = getattr(mclinks, name)
        assert inspect.isfunction(function) and function.__module__ == mclinks._STAGES[name], name
