"""agentutils-core: the plugin contract of agentutils and the small helpers every agent needs.

Public names are importable from here and resolved lazily, so ``import agentutils_core``
costs almost nothing: pluggy and ``importlib.metadata`` are imported only when plugins
are first used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .__about__ import __version__

if TYPE_CHECKING:
    from . import aio
    from .bounded_dict import BoundedDict
    from .errors import (
        DuplicateProviderError,
        PluginError,
        PluginWarning,
        ProviderUnavailableError,
        UnknownProviderError,
    )
    from .hookspecs import ENTRY_POINT_GROUP, PROJECT_NAME, hookimpl, hookspec
    from .log import log_exceptions
    from .misc import nodename, shortuuid, time_ms
    from .notgiven import NOT_GIVEN, NotGiven, NotGivenOr, is_given
    from .plugins import (
        PluginFailure,
        PluginInfo,
        PluginManager,
        get_plugin_manager,
        reset_plugin_manager,
    )
    from .registry import Provider, ProviderEntry, ProviderRegistry, Selection

__all__ = [
    "ENTRY_POINT_GROUP",
    "NOT_GIVEN",
    "PROJECT_NAME",
    "BoundedDict",
    "DuplicateProviderError",
    "NotGiven",
    "NotGivenOr",
    "PluginError",
    "PluginFailure",
    "PluginInfo",
    "PluginManager",
    "PluginWarning",
    "Provider",
    "ProviderEntry",
    "ProviderRegistry",
    "ProviderUnavailableError",
    "Selection",
    "UnknownProviderError",
    "__version__",
    "aio",
    "get_plugin_manager",
    "hookimpl",
    "hookspec",
    "is_given",
    "log_exceptions",
    "nodename",
    "reset_plugin_manager",
    "shortuuid",
    "time_ms",
]

_LAZY = {
    "BoundedDict": "bounded_dict",
    "DuplicateProviderError": "errors",
    "PluginError": "errors",
    "PluginWarning": "errors",
    "ProviderUnavailableError": "errors",
    "UnknownProviderError": "errors",
    "ENTRY_POINT_GROUP": "hookspecs",
    "PROJECT_NAME": "hookspecs",
    "hookimpl": "hookspecs",
    "hookspec": "hookspecs",
    "log_exceptions": "log",
    "nodename": "misc",
    "shortuuid": "misc",
    "time_ms": "misc",
    "NOT_GIVEN": "notgiven",
    "NotGiven": "notgiven",
    "NotGivenOr": "notgiven",
    "is_given": "notgiven",
    "PluginFailure": "plugins",
    "PluginInfo": "plugins",
    "PluginManager": "plugins",
    "get_plugin_manager": "plugins",
    "reset_plugin_manager": "plugins",
    "Provider": "registry",
    "ProviderEntry": "registry",
    "ProviderRegistry": "registry",
    "Selection": "registry",
}


def __getattr__(name: str) -> Any:
    if name == "aio":
        # The asyncio toolkit is a subpackage, imported on first use like every other name.
        return importlib.import_module(f"{__name__}.aio")
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # later lookups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
