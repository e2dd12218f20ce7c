"""The package's import graph runs one way: each module imports only its own layer and the layers below it,
and no import cycle exists (imports inside functions and under ``TYPE_CHECKING`` count too)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "arclint"

# the flow, bottom first: discover -> load -> evaluate -> model -> checks -> engine -> filter -> report
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("core", ("arclint", "arclint.core")),
    ("discover", ("arclint.discover",)),
    ("load", ("arclint.load",)),
    ("evaluate", ("arclint.evaluate",)),
    ("model", ("arclint.model",)),
    ("checks", ("arclint.matrix", "arclint.checks", "arclint.policy")),
    ("engine", ("arclint.findings", "arclint.engine", "arclint.explore")),
    ("filter", ("arclint.suppress", "arclint.filtering", "arclint.baseline")),
    ("report", ("arclint.report",)),
    ("entry points", ("arclint.scan", "arclint.config", "arclint.docs", "arclint.cli", "arclint.__main__")),
)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def layer_of(module: str) -> int:
    """The rank of the layer ``module`` belongs to (the longest matching prefix wins)."""
    best, rank = -1, -1
    for i, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, rank = len(prefix), i
    assert rank >= 0, f"{module} belongs to no layer: add it to LAYERS"
    return rank


def imports_of(module: str) -> set[str]:
    """The modules of ours that ``module`` imports, wherever in the file the import is."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.split(".")[0] == "arclint")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if target.split(".")[0] != "arclint":
                continue
            for alias in node.names:  # ``from arclint.model import scripts`` imports the module arclint.model.scripts
                sub = f"{target}.{alias.name}"
                out.add(sub if sub in MODULES else target)
    out.discard(module)
    return {m for m in out if m in MODULES}


GRAPH = {m: imports_of(m) for m in MODULES}


def test_every_module_has_a_layer() -> None:
    for module in MODULES:
        layer_of(module)


def test_the_bottom_layer_imports_nothing_of_ours() -> None:
    core = [m for m in MODULES if layer_of(m) == 0]
    assert {m: sorted(i for i in GRAPH[m] if layer_of(i) != 0) for m in core} == {m: [] for m in core}


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    """Each import of a module in a higher layer than the importer's."""
    return [
        f"{m} ({LAYERS[layer_of(m)][0]}) imports {i} ({LAYERS[layer_of(i)][0]})"
        for m, imported in sorted(graph.items())
        for i in sorted(imported)
        if layer_of(i) > layer_of(m)
    ]


def cycles(graph: dict[str, set[str]]) -> list[str]:
    """Each import cycle found by a depth-first walk, as ``a -> b -> a``."""
    found: list[str] = []
    state: dict[str, int] = {}  # 1 on the stack, 2 done

    def visit(module: str, stack: list[str]) -> None:
        state[module] = 1
        for nxt in sorted(graph[module]):
            if state.get(nxt) == 1:
                found.append(" -> ".join([*stack[stack.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt, [*stack, nxt])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    return found


def test_no_module_imports_a_layer_above_its_own() -> None:
    assert upward_imports(GRAPH) == []


def test_no_import_cycle() -> None:
    assert cycles(GRAPH) == []


def test_the_checks_would_notice() -> None:
    """An upward import (load needing evaluate) and a cycle inside a layer (links <-> target) are caught."""
    upward = {m: set(i) for m, i in GRAPH.items()}
    upward["arclint.load.hcl"].add("arclint.evaluate.files")
    assert upward_imports(upward) == ["arclint.load.hcl (load) imports arclint.evaluate.files (evaluate)"]
    cyclic = {m: set(i) for m, i in GRAPH.items()}
    cyclic["arclint.model.target"].add("arclint.model.links")
    assert "arclint.model.links -> arclint.model.target -> arclint.model.links" in cycles(cyclic)
