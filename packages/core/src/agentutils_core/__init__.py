"""agentutils-core: the plugin contract of agentutils and the small helpers every agent needs.

Public names are importable from here and resolved lazily, so ``import agentutils_core``
costs almost nothing: pluggy and ``importlib.metadata`` are imported only when plugins
are first used.
"""

from __future__ import annotations

from .__about__ import __version__
from .lazy import lazy_exports

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs ~15 ms
if TYPE_CHECKING:
    from . import aio
    from .bounded_dict import BoundedDict
    from .checks import (
        check_count,
        check_delay,
        check_int,
        check_num_channels,
        check_sample_rate,
        check_seconds,
        check_timeout,
    )
    from .env import resolve_env_int, resolve_env_var
    from .errors import (
        DuplicateProviderError,
        NoProviderError,
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
        ENV_DISABLE,
        ENV_STRICT,
        HOOKSPEC_GROUP,
        PluginFailure,
        PluginInfo,
        PluginManager,
        get_plugin_manager,
        plugins_generation,
        reset_plugin_manager,
    )
    from .registry import Provider, ProviderEntry, ProviderRegistry, Selection, check_provider, registries

__all__ = [
    "ENTRY_POINT_GROUP",
    "ENV_DISABLE",
    "ENV_STRICT",
    "HOOKSPEC_GROUP",
    "NOT_GIVEN",
    "PROJECT_NAME",
    "BoundedDict",
    "DuplicateProviderError",
    "NoProviderError",
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
    "check_count",
    "check_delay",
    "check_int",
    "check_num_channels",
    "check_provider",
    "check_sample_rate",
    "check_seconds",
    "check_timeout",
    "get_plugin_manager",
    "hookimpl",
    "hookspec",
    "is_given",
    "lazy_exports",
    "log_exceptions",
    "nodename",
    "plugins_generation",
    "registries",
    "reset_plugin_manager",
    "resolve_env_int",
    "resolve_env_var",
    "shortuuid",
    "time_ms",
]

_LAZY = {
    "BoundedDict": ".bounded_dict:BoundedDict",
    "DuplicateProviderError": ".errors:DuplicateProviderError",
    "NoProviderError": ".errors:NoProviderError",
    "PluginError": ".errors:PluginError",
    "PluginWarning": ".errors:PluginWarning",
    "ProviderUnavailableError": ".errors:ProviderUnavailableError",
    "UnknownProviderError": ".errors:UnknownProviderError",
    "ENTRY_POINT_GROUP": ".hookspecs:ENTRY_POINT_GROUP",
    "PROJECT_NAME": ".hookspecs:PROJECT_NAME",
    "hookimpl": ".hookspecs:hookimpl",
    "hookspec": ".hookspecs:hookspec",
    "log_exceptions": ".log:log_exceptions",
    "nodename": ".misc:nodename",
    "shortuuid": ".misc:shortuuid",
    "time_ms": ".misc:time_ms",
    "NOT_GIVEN": ".notgiven:NOT_GIVEN",
    "NotGiven": ".notgiven:NotGiven",
    "NotGivenOr": ".notgiven:NotGivenOr",
    "is_given": ".notgiven:is_given",
    "ENV_DISABLE": ".plugins:ENV_DISABLE",
    "ENV_STRICT": ".plugins:ENV_STRICT",
    "HOOKSPEC_GROUP": ".plugins:HOOKSPEC_GROUP",
    "PluginFailure": ".plugins:PluginFailure",
    "PluginInfo": ".plugins:PluginInfo",
    "PluginManager": ".plugins:PluginManager",
    "get_plugin_manager": ".plugins:get_plugin_manager",
    "plugins_generation": ".plugins:plugins_generation",
    "reset_plugin_manager": ".plugins:reset_plugin_manager",
    "Provider": ".registry:Provider",
    "ProviderEntry": ".registry:ProviderEntry",
    "ProviderRegistry": ".registry:ProviderRegistry",
    "Selection": ".registry:Selection",
    "check_provider": ".registry:check_provider",
    "registries": ".registry:registries",
    "check_count": ".checks:check_count",
    "check_delay": ".checks:check_delay",
    "check_int": ".checks:check_int",
    "check_num_channels": ".checks:check_num_channels",
    "check_sample_rate": ".checks:check_sample_rate",
    "check_seconds": ".checks:check_seconds",
    "check_timeout": ".checks:check_timeout",
    "aio": ".aio",
    "resolve_env_int": ".env:resolve_env_int",
    "resolve_env_var": ".env:resolve_env_var",
}


__getattr__, __dir__ = lazy_exports(__name__, globals(), _LAZY, __all__)
