"""agentutils-core: the plugin contract of agentutils and the small helpers every agent needs.

Public names are importable from here and resolved lazily, so ``import agentutils_core``
costs almost nothing: pluggy and ``importlib.metadata`` are imported only when plugins
are first used.
"""

from __future__ import annotations

from .__about__ import __version__ as __version__
from .lazy import exports as exports

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs ~15 ms
if TYPE_CHECKING:
    from . import aio as aio
    from .bounded_dict import BoundedDict as BoundedDict
    from .checks import (
        MAX_SAMPLE_RATE as MAX_SAMPLE_RATE,
        check_count as check_count,
        check_delay as check_delay,
        check_int as check_int,
        check_num_channels as check_num_channels,
        check_sample_rate as check_sample_rate,
        check_seconds as check_seconds,
        check_timeout as check_timeout,
    )
    from .env import (
        DEV_MODE_ENV_VAR as DEV_MODE_ENV_VAR,
        HOSTED_ENV_VAR as HOSTED_ENV_VAR,
        is_dev_mode as is_dev_mode,
        is_hosted as is_hosted,
        resolve_env_int as resolve_env_int,
        resolve_env_var as resolve_env_var,
    )
    from .errors import (
        DuplicateProviderError as DuplicateProviderError,
        NoProviderError as NoProviderError,
        PluginError as PluginError,
        PluginWarning as PluginWarning,
        ProviderUnavailableError as ProviderUnavailableError,
        UnknownProviderError as UnknownProviderError,
    )
    from .hookspecs import (
        ENTRY_POINT_GROUP as ENTRY_POINT_GROUP,
        PROJECT_NAME as PROJECT_NAME,
        hookimpl as hookimpl,
        hookspec as hookspec,
    )
    from .lazy import lazy_exports as lazy_exports
    from .log import log_exceptions as log_exceptions
    from .misc import nodename as nodename, shortuuid as shortuuid, time_ms as time_ms
    from .notgiven import (
        NOT_GIVEN as NOT_GIVEN,
        NotGiven as NotGiven,
        NotGivenOr as NotGivenOr,
        is_given as is_given,
    )
    from .plugins import (
        ENV_DISABLE as ENV_DISABLE,
        ENV_STRICT as ENV_STRICT,
        HOOKSPEC_GROUP as HOOKSPEC_GROUP,
        PluginFailure as PluginFailure,
        PluginInfo as PluginInfo,
        PluginManager as PluginManager,
        get_plugin_manager as get_plugin_manager,
        plugins_generation as plugins_generation,
        reset_plugin_manager as reset_plugin_manager,
    )
    from .registry import (
        Provider as Provider,
        ProviderEntry as ProviderEntry,
        ProviderRegistry as ProviderRegistry,
        Selection as Selection,
        check_provider as check_provider,
        registries as registries,
    )

# The public names, each imported from its module on first use: the one table from which
# __all__ and the lazy lookups follow (tests/integration/test_exports.py checks the imports above).
_EXPORTS = {
    "aio": ".aio",
    "BoundedDict": ".bounded_dict:BoundedDict",
    "MAX_SAMPLE_RATE": ".checks:MAX_SAMPLE_RATE",
    "check_count": ".checks:check_count",
    "check_delay": ".checks:check_delay",
    "check_int": ".checks:check_int",
    "check_num_channels": ".checks:check_num_channels",
    "check_sample_rate": ".checks:check_sample_rate",
    "check_seconds": ".checks:check_seconds",
    "check_timeout": ".checks:check_timeout",
    "DEV_MODE_ENV_VAR": ".env:DEV_MODE_ENV_VAR",
    "HOSTED_ENV_VAR": ".env:HOSTED_ENV_VAR",
    "is_dev_mode": ".env:is_dev_mode",
    "is_hosted": ".env:is_hosted",
    "resolve_env_int": ".env:resolve_env_int",
    "resolve_env_var": ".env:resolve_env_var",
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
    "exports": ".lazy:exports",
    "lazy_exports": ".lazy:lazy_exports",
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
}

__all__ = exports(__name__, globals(), _EXPORTS)
