"""The package has no import circles: every module of helpscout_integration, with every
import it makes (module level, inside functions and under TYPE_CHECKING alike), forms an
acyclic graph. A circle makes a module impossible to read, test or move on its own, and
a later edit can turn a harmless one into an ImportError at start-up.

Built from the source with `ast` (nothing is imported), so it also sees the imports a
running process never executes."""

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import helpscout_integration

PACKAGE_ROOT = Path(helpscout_integration.__file__).parent
PACKAGE = "helpscout_integration"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE_ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def all_modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE_ROOT.rglob("*.py") if "migrations" not in p.parts}


def resolve(current: str, is_package: bool, level: int, name: str | None) -> str:
    if level == 0:
        return name or ""
    base = current.split(".") if is_package else current.split(".")[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join(base + ([name] if name else []))


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            source = resolve(name, is_package, node.level, node.module)
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                # `from . import shapes` imports the submodule; `from .store import Store`
                # imports the module that defines the name.
                targets.append(submodule if submodule in modules else source)
        for target in targets:
            while target and target not in modules:  # `import a.b.c` of a name in a.b
                target = target.rpartition(".")[0]
            if target.startswith(PACKAGE) and target != name:
                found.add(target)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = all_modules()
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def test_the_graph_sees_the_imports():
    graph = import_graph()
    assert "helpscout_integration.sandbox.store" in graph["helpscout_integration.sandbox.seed"]
    assert "helpscout_integration.sandbox.shapes" in graph["helpscout_integration.sandbox.webhooks"]


def test_the_package_has_no_import_circle():
    try:
        tuple(TopologicalSorter(import_graph()).static_order())
    except CycleError as error:
        circle = " -> ".join(error.args[1])
        raise AssertionError(f"import circle: {circle}") from None


def test_a_circle_is_reported():
    graph = {"a": {"b"}, "b": {"a"}}
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError:
        return
    raise AssertionError("graphlib did not report the circle")
