"""Every package's public names: one table, mirrored for type checkers, checked here.

Each package ``__init__`` holds a table ``_EXPORTS`` (name -> ``"module:attr"`` or
``"module"``) from which ``__all__`` and the lazy lookups follow
(``agentutils_core.lazy.exports``), and an ``if TYPE_CHECKING:`` block of
``from module import Name as Name`` imports that type checkers read. This test checks that
the imports and the table say the same, that ``__all__`` is the table, and that every name
resolves to its module's object. agentutils-events depends on nothing, not even core, so
its two names are imported by hand; they are checked the same way.
"""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
INITS = [*sorted(ROOT.glob("packages/*/src/agentutils_*/__init__.py")), ROOT / "src/agentutils/__init__.py"]
NOT_EXPORTED = {"__version__", "annotations"}


def _package(init: Path) -> str:
    return init.parent.name


def _target(node: ast.ImportFrom | ast.Import, alias: ast.alias) -> str:
    if isinstance(node, ast.Import):
        return alias.name
    module = "." * node.level + (node.module or "")
    return f".{alias.name}" if module == "." else f"{module}:{alias.name}"


def _mirrored(tree: ast.Module) -> dict[str, str]:
    """The names the module imports for type checkers or at run time, with their targets."""
    names: dict[str, str] = {}
    statements = list(tree.body)
    for node in tree.body:
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            statements.extend(node.body)
    for node in statements:
        if not isinstance(node, (ast.Import, ast.ImportFrom)):
            continue
        if isinstance(node, ast.ImportFrom) and node.module in {"__future__", "__about__", "typing"}:
            continue
        for alias in node.names:
            name = alias.asname or alias.name
            if name in NOT_EXPORTED or (name == "exports" and _target(node, alias).endswith("lazy:exports")):
                if _package_is_core(node):
                    names[name] = _target(node, alias)
                continue
            names[name] = _target(node, alias)
    return names


def _package_is_core(node: ast.ImportFrom | ast.Import) -> bool:
    return isinstance(node, ast.ImportFrom) and node.level == 1 and node.module == "lazy"


def _table(tree: ast.Module) -> dict[str, str] | None:
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "_EXPORTS":
            return ast.literal_eval(node.value)
    return None


@pytest.mark.parametrize("init", INITS, ids=_package)
def test_the_table_the_type_checking_imports_and_all_agree(init):
    tree = ast.parse(init.read_text())
    mirrored = _mirrored(tree)
    table = _table(tree)
    package = importlib.import_module(_package(init))
    if _package(init) == "agentutils_events":
        assert table is None
        table = mirrored
    assert table is not None, f"{init} has no _EXPORTS table"
    assert mirrored == table
    assert package.__all__ == sorted([*table, "__version__"])
    for name, target in table.items():
        module_name, _, attr = target.partition(":")
        module = importlib.import_module(module_name, package.__name__)
        expected = getattr(module, attr) if attr else module
        assert getattr(package, name) is expected, f"{package.__name__}.{name} is not {target}"


@pytest.mark.parametrize("init", INITS, ids=_package)
def test_every_public_name_is_documented(init):
    package = importlib.import_module(_package(init))
    for name in package.__all__:
        value = getattr(package, name)
        if inspect.isfunction(value) or inspect.isclass(value):
            assert (getattr(value, "__doc__", None) or "").strip(), (
                f"{package.__name__}.{name} has no docstring"
            )
