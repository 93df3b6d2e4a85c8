"""The runtime's modules import one another without a cycle, lazily or not: a module that
two others need (what both read off a response) has a module of its own."""

from __future__ import annotations

import ast
from pathlib import Path

RUNTIME = Path(__file__).resolve().parent.parent / "templates" / "runtime"


def runtime_imports(path: Path) -> set[str]:
    """The runtime modules ``path`` imports, anywhere in it (a lazy import inside a function
    is still a dependency)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.add(node.module)
            else:  # from . import _x
                found.update(alias.name for alias in node.names)
    return found


def test_no_runtime_module_imports_one_that_imports_it_back() -> None:
    graph = {p.stem: runtime_imports(p) for p in RUNTIME.glob("_*.py") if p.stem != "__init__"}
    cycles = []
    for start in graph:
        stack = [(start, [start])]
        while stack:
            module, trail = stack.pop()
            for target in graph.get(module, ()):
                if target == start:
                    cycles.append(" -> ".join([*trail, target]))
                elif target not in trail:
                    stack.append((target, [*trail, target]))
    assert cycles == []
    assert "_responses" in graph["_polling"] and "_responses" in graph["_client"]
