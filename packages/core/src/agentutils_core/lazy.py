"""Lazy package exports: public names imported from their submodule on first use.

Every agentutils package exposes its whole API at its top level without importing it
all up front; this module is the one implementation of that pattern. It imports only
``sys`` (loaded at interpreter start) and resolves a name with ``__import__``, so using
it costs nothing (the ``importlib`` package alone would cost ~0.5 ms, ``warnings`` with it).
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs ~15 ms
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping
    from typing import Any

__all__ = ["exports", "lazy_exports"]


def lazy_exports(
    package: str,
    namespace: dict[str, Any],
    targets: Mapping[str, str],
    public: Iterable[str] = (),
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """Build the module-level ``__getattr__`` and ``__dir__`` of a package with lazy exports.

    Args:
        package: the package's ``__name__`` (relative targets are resolved against it).
        namespace: the package's ``globals()``; a resolved name is stored there, so later
            lookups do not go through ``__getattr__`` again.
        targets: exported name -> ``"module"`` (the module itself) or ``"module:attr"``;
            a module starting with ``.`` is relative to ``package``.
        public: names to list in ``dir()`` besides those already in ``namespace``
            (usually ``__all__``).

    Returns:
        ``(__getattr__, __dir__)``, to assign at module level.

    Example:
        >>> ns = {}
        >>> getattr_, dir_ = lazy_exports("json", ns, {"loads": ".decoder:JSONDecoder"}, ["loads"])
        >>> getattr_("loads").__name__
        'JSONDecoder'
        >>> "loads" in ns
        True

    """
    listed = sorted(set(public))

    def __getattr__(name: str) -> Any:
        target = targets.get(name)
        if target is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module_name, _, attr = target.partition(":")
        try:
            module = _import(module_name, package)
        except ModuleNotFoundError as exc:
            top = module_name.split(".")[0]
            if not top or exc.name != top:
                raise  # a module missing inside the package is a real error, shown as is
            raise ModuleNotFoundError(
                f"{package}.{name} is provided by {top!r}, which is not installed "
                f"(pip install {top.replace('_', '-')})",
                name=top,
            ) from exc
        value = getattr(module, attr) if attr else module
        namespace[name] = value
        _unshadow(package, namespace, targets)
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(listed))

    return __getattr__, __dir__


def _unshadow(package: str, namespace: dict[str, Any], targets: Mapping[str, str]) -> None:
    """Forget a submodule that an import bound over an exported name of the same name.

    Importing ``package.moving_average`` sets the package's attribute ``moving_average`` to
    the submodule, hiding an exported function of that name; dropping the binding lets
    ``__getattr__`` resolve the function on its next use.
    """
    for name, target in targets.items():
        bound = namespace.get(name)
        if bound is not None and bound is sys.modules.get(f"{package}.{name}") and target != f".{name}":
            del namespace[name]


def _import(name: str, package: str) -> Any:
    """Import ``name`` (absolute, or ``.sub`` relative to ``package``) and return the module."""
    absolute = package + name if name.startswith(".") else name
    __import__(absolute)
    return sys.modules[absolute]


def exports(package: str, namespace: dict[str, Any], table: Mapping[str, str]) -> list[str]:
    """Make ``table`` a package's public API, resolved lazily; return its ``__all__``.

    The one export style of every agentutils package: its ``__init__`` holds one table of
    public names, from which ``__all__`` and the lazy lookups follow, and mirrors it in
    an ``if TYPE_CHECKING:`` block of ``from module import Name as Name`` imports for type
    checkers (a test checks the two agree)::

        _EXPORTS = {"AudioFrame": ".frame:AudioFrame", "aio": ".aio"}
        __all__ = exports(__name__, globals(), _EXPORTS)

    Args:
        package: the package's ``__name__``.
        namespace: the package's ``globals()``; ``__getattr__`` and ``__dir__`` are set in it.
        table: public name -> ``"module:attr"`` or ``"module"`` (see :func:`lazy_exports`).

    Returns:
        The sorted public names, with ``__version__`` when the package defines it.

    """
    public = sorted([*table, *(["__version__"] if "__version__" in namespace else [])])
    namespace["__getattr__"], namespace["__dir__"] = lazy_exports(package, namespace, table, public)
    return public
