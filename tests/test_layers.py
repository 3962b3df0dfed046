"""The import rule of docs/architecture.md, read from the code itself.

Every import of every module under ``generator/`` counts: at module level, inside
functions and under ``TYPE_CHECKING``. A module may import its own package and the
layers below; two packages on one layer never import each other; outside a package, only
its face (``__init__.py``) is imported; inside one, never its own face; and no chain of
imports comes back to where it started.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[1] / "generator"

#: Each unit's layer. The foundation's modules form a ladder of their own (each may use
#: those before it); a stage package may use every lower layer.
LAYERS: dict[str, int] = {
    "": 0,  # generator/__init__.py: the version only
    "errors": 1,
    "settings": 2,
    "writer": 3,
    "store": 4,
    "locks": 5,
    "processes": 6,
    "factsheet": 10,
    "render": 20,
    "config": 20,
    "builder": 30,
    "delivery": 40,
    "authoring": 40,
    "schedule": 50,
    "cli": 60,
    "__main__": 70,
}


@dataclass(frozen=True)
class Edge:
    """``source`` imports ``target`` (a module of generator) at ``line``."""

    source: str
    target: str
    line: int
    #: "direct" (``from generator.builder.plan import Work``), "name" (a name of a
    #: package's face: ``from generator.builder import build``) or "module" (a submodule
    #: by name: ``from generator.delivery import ledger``).
    kind: str
    #: Whether the package's face lists the name (always, for "name").
    listed: bool = True


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def unit_of(module: str) -> str:
    """``generator.delivery.ledger`` -> ``delivery``; ``generator`` -> ``""``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def is_package(module: str) -> bool:
    return (PACKAGE.parent / module.replace(".", "/") / "__init__.py").is_file()


def modules() -> dict[str, ast.Module]:
    return {module_name(path): ast.parse(path.read_text()) for path in PACKAGE.rglob("*.py")}


def face_exports(tree: ast.Module) -> dict[str, str]:
    """A face's exported names and the submodule each comes from (``lazy_loader.attach``)."""
    exports: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "attach":
            for keyword in node.keywords:
                value = ast.literal_eval(keyword.value)
                if keyword.arg == "submodules":
                    exports.update({name: name for name in value})
                elif keyword.arg == "submod_attrs":
                    for submodule, names in value.items():
                        exports.update({name: submodule for name in names})
    return exports


def edges(trees: dict[str, ast.Module]) -> list[Edge]:
    """Every import of a generator module, an imported face name resolved to its module."""
    found: list[Edge] = []
    for source, tree in trees.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                targets = [(alias.name, None) for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                targets = [(node.module, alias.name) for alias in node.names]
            else:
                continue
            for module, name in targets:
                if module.split(".")[0] != "generator":
                    continue
                found.extend(_resolve(source, module, name, node.lineno, trees))
    return found


def _resolve(source, module, name, line, trees) -> list[Edge]:
    if name is None or not is_package(module):
        return [Edge(source, module, line, "direct")]
    exported = face_exports(trees[module])
    if is_package(f"{module}.{name}"):  # ``from generator import builder``: the face itself
        return [Edge(source, f"{module}.{name}", line, "name")]
    if f"{module}.{name}" in trees:
        return [Edge(source, f"{module}.{name}", line, "module", name in exported)]
    if name not in exported:
        return [Edge(source, module, line, "name")]
    return [Edge(source, f"{module}.{exported[name]}", line, "name")]


TREES = modules()
EDGES = edges(TREES)


def test_the_layer_table_names_every_unit() -> None:
    assert {unit_of(module) for module in TREES} == set(LAYERS)


@pytest.mark.parametrize("edge", EDGES, ids=lambda e: f"{e.source}->{e.target}")
def test_imports_go_down_or_stay_inside_their_package(edge: Edge) -> None:
    source, target = unit_of(edge.source), unit_of(edge.target)
    if source == target:
        return
    where = f"{edge.source} line {edge.line} imports {edge.target}"
    assert LAYERS[target] < LAYERS[source], f"{where}: an import up or sideways"


@pytest.mark.parametrize("edge", EDGES, ids=lambda e: f"{e.source}->{e.target}")
def test_packages_are_entered_through_their_face(edge: Edge) -> None:
    source, target = unit_of(edge.source), unit_of(edge.target)
    where = f"{edge.source} line {edge.line} imports {edge.target}"
    if source != target and is_package(f"generator.{target}"):
        through_face = edge.kind != "direct" and edge.listed
        assert through_face, f"{where}: import it from generator.{target}'s face"
    if source == target and edge.kind == "name" and edge.source != f"generator.{source}":
        raise AssertionError(f"{where} through its own package's face: import the module")


def test_no_module_imports_itself_back() -> None:
    graph: dict[str, set[str]] = {module: set() for module in TREES}
    for edge in EDGES:
        if edge.target in graph and edge.target != edge.source:
            graph[edge.source].add(edge.target)
    cycles = [cycle for cycle in _cycles(graph)]
    assert cycles == [], "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle through each strongly connected group of modules (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_a_face_never_exports_a_name_of_its_own_modules() -> None:
    for module, tree in TREES.items():
        if not is_package(module):
            continue
        for name, submodule in face_exports(tree).items():
            clash = f"{module}.{name}" in TREES and name != submodule
            assert not clash, f"{module} exports {name!r}, which is also one of its modules"
            assert f"{module}.{submodule}" in TREES, f"{module} exports from a missing module"


def test_faces_hold_no_code() -> None:
    allowed = (ast.Expr, ast.Import, ast.Assign)
    for module, tree in TREES.items():
        if is_package(module) and module != "generator":
            assert all(isinstance(node, allowed) for node in tree.body), module


def test_the_rule_catches_what_it_should() -> None:
    """The checks above, on imports made up to break them."""
    up = Edge("generator.factsheet.loader", "generator.builder.plan", 1, "name")
    sideways = Edge("generator.render.html", "generator.config.model", 1, "name")
    behind_face = Edge("generator.cli.app", "generator.builder.plan", 1, "direct")
    unlisted = Edge("generator.cli.app", "generator.builder.jobs", 1, "module", listed=False)
    own_face = Edge("generator.builder.session", "generator.builder.plan", 1, "name")
    for edge in (up, sideways):
        with pytest.raises(AssertionError, match="up or sideways"):
            test_imports_go_down_or_stay_inside_their_package(edge)
    for edge in (behind_face, unlisted):
        with pytest.raises(AssertionError, match=r"import it from generator\.builder's face"):
            test_packages_are_entered_through_their_face(edge)
    with pytest.raises(AssertionError, match="its own package's face"):
        test_packages_are_entered_through_their_face(own_face)
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
