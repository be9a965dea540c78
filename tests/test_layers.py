"""The package is laid out as its pipeline, and its imports say so.

Every module's imports are read with ast (nothing is imported), and the test fails on
(a) an import cycle between modules, (b) an import inside a function or class without a
``# deferred: <reason>`` comment on its line or the line before, and (c) an import
against the layer order: errors, files <- ruleset <- evidence <- engine <- text <- batch
<- maintenance <- cli. tools/ may import anything; nothing in the package imports tools.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from .conftest import ROOT

PACKAGE = ROOT / "pentas_rules"
TOOLS = ROOT / "tools"

# Each layer may import its own and lower layers (errors, messages and files are the floor, beside
# each other; api, the public API the package root loads lazily, sits on top).
LAYERS = {"errors": 0, "messages": 0, "files": 0, "ruleset": 1, "evidence": 2, "engine": 3, "text": 4, "batch": 5, "maintenance": 6, "cli": 7, "api": 8}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_package(path: Path) -> bool:
    return path.name == "__init__.py"


class Import:
    def __init__(self, source: str, target: str, line: int, nested: bool, deferred: bool) -> None:
        self.source, self.target, self.line, self.nested, self.deferred = source, target, line, nested, deferred

    def __repr__(self) -> str:
        return f"{self.source}:{self.line} imports {self.target}"


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> list[str]:
    """The modules an ``from X import a, b`` names: X itself, and X.a, X.b where those are modules."""
    if node.level:
        base = module.split(".") if is_package else module.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        prefix = ".".join(base + ([node.module] if node.module else []))
    else:
        prefix = node.module or ""
    names = [f"{prefix}.{alias.name}" for alias in node.names]
    # ``from .. import __version__`` needs the package's __init__ for one name, not the package as a layer.
    return names if node.module is None else [prefix, *names]


def _imports(path: Path) -> list[Import]:
    module = _module_name(path)
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source, str(path))
    found: list[Import] = []

    def marked(line: int) -> bool:
        here = lines[line - 1]
        before = lines[line - 2].strip() if line >= 2 else ""
        return "# deferred:" in here or before.startswith("# deferred:")

    def visit(node: ast.AST, nested: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = nested or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda))
            if isinstance(child, ast.Import):
                for alias in child.names:
                    found.append(Import(module, alias.name, child.lineno, nested, marked(child.lineno)))
            elif isinstance(child, ast.ImportFrom) and child.module != "__future__":
                for target in _resolve(module, _is_package(path), child):
                    found.append(Import(module, target, child.lineno, nested, marked(child.lineno)))
            visit(child, inner)

    visit(tree, False)
    return found


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


ALL = {path: _imports(path) for path in [*_files(PACKAGE), *_files(TOOLS)]}
MODULES = {_module_name(p) for p in ALL}


def _own(target: str) -> str | None:
    """The module of ours an import names (``pentas_rules.x.y`` may be a module or a name in one)."""
    while target:
        if target in MODULES:
            return target
        target = target.rpartition(".")[0]
    return None


def _layer(module: str) -> int | None:
    parts = module.split(".")
    return LAYERS.get(parts[1]) if len(parts) > 1 and parts[0] == "pentas_rules" else None


def test_the_modules_are_found():
    assert {"pentas_rules.engine.evaluate", "pentas_rules.ruleset.cache", "pentas_rules.cli", "tools.synthetic"} <= MODULES


def test_no_function_level_import_without_a_reason():
    hidden = [imp for imports in ALL.values() for imp in imports if imp.nested and not imp.deferred]
    assert not hidden, "imports inside functions hide cycles; move them up, or mark a measured start-up deferral with '# deferred: <why>':\n" + "\n".join(
        map(repr, hidden)
    )


def _layer_problems(imports: list[Import]) -> list[str]:
    wrong = []
    for imp in imports:
        source = imp.source
        target = _own(imp.target)
        if target is None or target == source:
            continue
        if True:
            if source.startswith("pentas_rules") and target.startswith("tools"):
                wrong.append(f"{imp}: the package never imports tools/")
            mine, theirs = _layer(source), _layer(target)
            if mine is not None and theirs is not None and theirs > mine:
                wrong.append(f"{imp}: layer {source.split('.')[1]} may not import layer {target.split('.')[1]}")
            if source.startswith("pentas_rules.evidence") and target in ("pentas_rules.ruleset.loader", "pentas_rules.ruleset.cache"):
                wrong.append(f"{imp}: evidence reads the rule model, never the loader")
            if mine is not None and target == "pentas_rules" and imp.target != "pentas_rules.__version__":
                wrong.append(f"{imp}: the package root is the public API, above every layer")
    return wrong


def test_imports_follow_the_layers():
    wrong = _layer_problems([imp for imports in ALL.values() for imp in imports])
    assert not wrong, "\n".join(wrong)


def _graph(imports: list[Import]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {module: set() for module in MODULES}
    for imp in imports:
        target = _own(imp.target)
        if target is not None and target != imp.source and target != "pentas_rules":
            graph.setdefault(imp.source, set()).add(target)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    # A cycle is a strongly connected component of more than one module (Tarjan).
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return cycles


def test_no_import_cycle():
    cycles = _cycles(_graph([imp for imports in ALL.values() for imp in imports]))
    assert not cycles, f"import cycles: {cycles}"


def test_the_checker_sees_a_cycle_and_a_layer_crossed():
    """Fed the two cycles this layout removed, and an engine module importing text, the checks fail."""
    old = [
        Import("pentas_rules.engine.evaluate", "pentas_rules.engine.results.ScoreResult", 1, False, False),
        Import("pentas_rules.engine.results", "pentas_rules.engine.compact.to_compact", 1, True, False),
        Import("pentas_rules.engine.compact", "pentas_rules.engine.evaluate.picker", 1, True, False),
        Import("pentas_rules.ruleset.loader", "pentas_rules.ruleset.cache", 1, True, False),
        Import("pentas_rules.ruleset.cache", "pentas_rules.ruleset.loader.load_ruleset_files", 1, False, False),
    ]
    assert _cycles(_graph(old)) == [
        ["pentas_rules.engine.compact", "pentas_rules.engine.evaluate", "pentas_rules.engine.results"],
        ["pentas_rules.ruleset.cache", "pentas_rules.ruleset.loader"],
    ]
    crossing = [
        Import("pentas_rules.engine.evaluate", "pentas_rules.text.explain.T", 3, False, False),
        Import("pentas_rules.evidence.reader", "pentas_rules.ruleset.model.META_FACTS", 4, False, False),
        Import("pentas_rules.ruleset.model", "tools.synthetic", 5, False, False),
        Import("pentas_rules.evidence.reader", "pentas_rules.ruleset.loader.META_FACTS", 6, False, False),
    ]
    problems = _layer_problems(crossing)
    assert len(problems) == 3
    assert "layer engine may not import layer text" in problems[0] and "never imports tools" in problems[1] and "never the loader" in problems[2]


@pytest.mark.parametrize(
    "code, problem",
    [
        ("def f():\n    import json\n", "nested"),
        ("def f():\n    # deferred: a reason\n    import json\n", None),
        ("class C:\n    import json  # deferred: a reason\n", None),
    ],
)
def test_the_checker_sees_function_level_imports(tmp_path, monkeypatch, code, problem):
    """The checks above are only as good as the reading of imports: one that finds none would pass anything."""
    path = tmp_path / "pentas_rules" / "engine" / "x.py"
    path.parent.mkdir(parents=True)
    path.write_text(code, encoding="utf-8")
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    (imp,) = _imports(path)
    assert imp.target == "json" and imp.nested
    assert imp.deferred == (problem is None)


def test_the_checker_resolves_relative_imports(tmp_path, monkeypatch):
    path = tmp_path / "pentas_rules" / "engine" / "x.py"
    path.parent.mkdir(parents=True)
    path.write_text("from ..text.explain import score_text\nfrom . import results\n", encoding="utf-8")
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    targets = [imp.target for imp in _imports(path)]
    assert "pentas_rules.text.explain" in targets and "pentas_rules.engine.results" in targets
