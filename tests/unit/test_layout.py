"""The package's layout: no import cycles, parts that depend one way, rooms of a size."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.helpers import ROOT

PACKAGES = ("api", "schemas")
# Each part may import only parts of a lower layer (or itself): data flows one way.
LAYERS = {
    "schemas": 0,
    "api.domain": 1,
    "api.config": 1,
    "api.processes": 1,
    "api.store": 2,
    "api.ingest": 2,
    "api.build": 3,
    "api.briefs": 3,
    "api.curation": 4,
    "api.ops": 4,
    "api.web": 5,
    "api.cli": 5,
    "api": 6,
}
MAX_LINES = 500
# Modules allowed past MAX_LINES, each because its one job needs the room.
LONG_MODULES: dict[str, str] = {}
# A folder of api/ holds about 15 modules at most (web/resources: one per resource or
# endpoint group, 16). schemas/ is one module per resource by design and not counted.
MAX_MODULES_PER_FOLDER = 16


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def _imports(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Project modules each module imports, wherever the import stands (functions too)."""
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        edges = graph.setdefault(name, set())
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    target = f"{node.module}.{alias.name}"
                    if target in modules:
                        edges.add(target)
                    elif node.module in modules:
                        edges.add(node.module)
            elif isinstance(node, ast.Import):
                edges.update(a.name for a in node.names if a.name in modules)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, edges = work[-1]
            for target in edges:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph[target]))))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def _part(module: str) -> str:
    for candidate in sorted(LAYERS, key=len, reverse=True):
        if module == candidate or module.startswith(candidate + "."):
            return candidate
    raise AssertionError(f"{module} belongs to no part of LAYERS")


MODULES = _modules()
GRAPH = _imports(MODULES)


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_imports_itself_back():
    assert _cycles(GRAPH) == []


def test_parts_depend_on_lower_layers_only():
    wrong = sorted(
        f"{module} imports {target}"
        for module, targets in GRAPH.items()
        for target in targets
        if _part(module) != _part(target) and LAYERS[_part(target)] >= LAYERS[_part(module)]
    )
    assert wrong == []


def test_the_service_package_holds_no_test_or_benchmark_code():
    assert sorted(m for m in MODULES if ".test" in m or "bench" in m or "synth" in m) == []
    assert not [t for targets in GRAPH.values() for t in targets if t.startswith("tests")]


@pytest.mark.parametrize("module", sorted(MODULES))
def test_modules_stay_small(module):
    lines = len(MODULES[module].read_text("utf-8").splitlines())
    assert lines <= MAX_LINES or module in LONG_MODULES, f"{module}: {lines} lines"


def test_no_folder_is_a_crowd():
    folders: dict[Path, int] = {}
    for path in (ROOT / "api").rglob("*.py"):
        folders[path.parent] = folders.get(path.parent, 0) + (path.name != "__init__.py")
    crowded = {str(f.relative_to(ROOT)): n for f, n in folders.items()}
    assert {f: n for f, n in crowded.items() if n > MAX_MODULES_PER_FOLDER} == {}
