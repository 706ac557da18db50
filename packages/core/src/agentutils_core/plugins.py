"""Discovery of plugin kinds and plugins from entry points.

Two entry-point groups are read. ``agentutils.hookspecs`` names the modules that declare
hook specifications (one per plugin kind, each owned by the member that offers it); they
are all added to the shared ``agentutils`` marker before any plugin is loaded, so core
names no member and no member's hook. ``agentutils`` names the plugins: modules of hook
implementations, built-in ones included.

Entry points are loaded one at a time. A plugin that fails to import, fails pluggy's
validation, or whose hook raises is skipped with a :class:`PluginWarning`, logged, and
recorded in :attr:`PluginManager.failures`; the others keep working. Set
``AGENTUTILS_STRICT_PLUGINS=1`` to re-raise instead (for plugin authors), and
``AGENTUTILS_DISABLE_PLUGINS=name1,name2`` to block entry points by name.
"""

from __future__ import annotations

import logging
import os
import threading
import traceback
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import PluginWarning

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint
    from types import ModuleType

    import pluggy

__all__ = [
    "ENV_DISABLE",
    "ENV_STRICT",
    "HOOKSPEC_GROUP",
    "PluginFailure",
    "PluginInfo",
    "PluginManager",
    "get_plugin_manager",
    "plugins_generation",
    "reset_plugin_manager",
]

ENV_STRICT = "AGENTUTILS_STRICT_PLUGINS"
"""Environment variable: ``1`` re-raises plugin failures instead of skipping the plugin."""

ENV_DISABLE = "AGENTUTILS_DISABLE_PLUGINS"
"""Environment variable: comma-separated entry-point names that are not loaded."""

HOOKSPEC_GROUP = "agentutils.hookspecs"
"""The entry-point group naming the modules that declare hook specifications (plugin kinds)."""

logger = logging.getLogger("agentutils.plugins")

# What a broken plugin may raise and still be only that plugin's failure: ``SystemExit``
# included (a plugin calling ``sys.exit()`` must not end the host), ``KeyboardInterrupt``
# not (the user asked to stop).
PLUGIN_ERRORS: tuple[type[BaseException], ...] = (Exception, SystemExit)


@dataclass(frozen=True)
class PluginInfo:
    """Where a plugin comes from.

    Attributes:
        name: the entry-point name (what ``AGENTUTILS_DISABLE_PLUGINS`` matches).
        value: the entry-point target, ``"package.module"`` or ``"package.module:attr"``.
        distribution: the distribution that declared the entry point (``None`` for
            plugins registered in-process with :meth:`PluginManager.register`).
        version: that distribution's version.

    """

    name: str
    value: str
    distribution: str | None = None
    version: str | None = None

    def describe(self) -> str:
        """Return ``"<distribution> <version> (entry point '<name>')"`` for messages."""
        dist = self.distribution or "<in-process>"
        ver = f" {self.version}" if self.version else ""
        return f"{dist}{ver} (entry point {self.name!r})"


@dataclass(frozen=True)
class PluginFailure:
    """A plugin that was skipped, and why.

    Attributes:
        plugin: the plugin that failed.
        stage: ``"hookspecs"`` (a kind's specification module), ``"load"`` (import or
            registration) or ``"hook <hook name>"`` (the hook or a provider it returned).
        error: ``"<ExceptionType>: <message>"``.
        traceback: the formatted traceback.

    """

    plugin: PluginInfo
    stage: str
    error: str
    traceback: str = field(repr=False, default="")


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def _disabled_names(value: str | None) -> frozenset[str]:
    return frozenset(part.strip() for part in (value or "").split(",") if part.strip())


def _plugin_info(ep: EntryPoint) -> PluginInfo:
    dist = getattr(ep, "dist", None)
    return PluginInfo(
        name=ep.name,
        value=ep.value,
        distribution=dist.metadata["Name"] if dist is not None else None,
        version=dist.version if dist is not None else None,
    )


class PluginManager:
    """Loads the ``agentutils`` plugins and calls their hooks, isolating failures.

    Most code uses the process-wide instance from :func:`get_plugin_manager`; tests can
    build their own from explicit entry points.

    Args:
        entry_points: the entry points to load; those of the ``agentutils`` group of the
            installed distributions when omitted.
        strict: re-raise plugin failures; defaults to ``AGENTUTILS_STRICT_PLUGINS``.
        disabled: entry-point names not to load; defaults to ``AGENTUTILS_DISABLE_PLUGINS``.

    """

    def __init__(
        self,
        entry_points: Iterable[EntryPoint] | None = None,
        *,
        hookspecs: Iterable[EntryPoint] | None = None,
        strict: bool | None = None,
        disabled: Iterable[str] | None = None,
    ) -> None:
        import pluggy

        from .hookspecs import ENTRY_POINT_GROUP, PROJECT_NAME

        self.strict = _truthy(os.environ.get(ENV_STRICT)) if strict is None else strict
        self._pm = pluggy.PluginManager(PROJECT_NAME)
        # pluggy's own block list: a blocked name is never loaded nor registered.
        self.disabled_names = (
            _disabled_names(os.environ.get(ENV_DISABLE)) if disabled is None else frozenset(disabled)
        )
        """The entry-point names blocked from loading (``AGENTUTILS_DISABLE_PLUGINS``)."""
        for name in self.disabled_names:
            self._pm.set_blocked(name)
        self._infos: dict[str, PluginInfo] = {}
        self._spec_owners: dict[str, PluginInfo] = {}
        self._hook_results: dict[str, list[tuple[PluginInfo, Any]]] = {}
        self._lock = threading.RLock()
        self.plugins: list[PluginInfo] = []
        """Plugins loaded successfully, in load order."""
        self.failures: list[PluginFailure] = []
        """Plugins skipped because they failed, with the reason."""
        self.disabled: list[PluginInfo] = []
        """Plugins not loaded because ``AGENTUTILS_DISABLE_PLUGINS`` names them."""
        self.kinds: list[PluginInfo] = []
        """The hook specification modules added (one per plugin kind), in load order."""
        self._add_specs(self._discover(HOOKSPEC_GROUP) if hookspecs is None else list(hookspecs))
        self._load(self._discover(ENTRY_POINT_GROUP) if entry_points is None else list(entry_points))

    @staticmethod
    def _discover(group: str) -> list[EntryPoint]:
        from importlib.metadata import entry_points

        seen: set[tuple[str, str]] = set()
        unique: list[EntryPoint] = []
        # A distribution visible twice on sys.path (e.g. an editable and a regular install)
        # yields the same entry point twice; load it once.
        for ep in entry_points(group=group):
            key = (ep.name, ep.value)
            if key not in seen:
                seen.add(key)
                unique.append(ep)
        return sorted(unique, key=lambda ep: (ep.name, ep.value))

    def _fail(self, info: PluginInfo, stage: str, exc: BaseException) -> None:
        error = f"{type(exc).__name__}: {exc}"
        if any(f.plugin == info and f.stage == stage and f.error == error for f in self.failures):
            # Seen already: a refresh after register() runs the hooks and checks again.
            return
        failure = PluginFailure(
            plugin=info,
            stage=stage,
            error=error,
            traceback="".join(traceback.format_exception(type(exc), exc, exc.__traceback__)),
        )
        self.failures.append(failure)
        message = f"agentutils plugin {info.describe()} skipped ({stage} failed): {failure.error}"
        # A missing module is the ordinary "optional plugin not installed" case: no traceback.
        trace = None if isinstance(exc, ModuleNotFoundError) else (type(exc), exc, exc.__traceback__)
        logger.warning(message, exc_info=trace)
        warnings.warn(message, PluginWarning, stacklevel=3)

    def _add_specs(self, eps: list[EntryPoint]) -> None:
        for ep in eps:
            info = _plugin_info(ep)
            try:
                module = ep.load()
                before = set(self._pm.hook.__dict__)
                self._pm.add_hookspecs(module)
            except PLUGIN_ERRORS as exc:
                if self.strict:
                    raise
                self._fail(info, "hookspecs", exc)
                continue
            for hook in set(self._pm.hook.__dict__) - before:
                self._spec_owners[hook] = info
            self.kinds.append(info)

    def add_hookspecs(self, obj: ModuleType | type) -> None:
        """Declare a plugin kind in-process: add the ``hookspec`` functions of a module or class.

        What a distribution does through an ``agentutils.hookspecs`` entry point, for
        applications and tests that declare a kind without packaging it. Add the specs
        before registering plugins that implement them.

        Raises:
            ValueError: ``obj`` has no function marked with :data:`hookspec`.

        """
        with self._lock:
            self._pm.add_hookspecs(obj)

    def hook_owner(self, hook_name: str) -> PluginInfo | None:
        """Return the entry point (and distribution) that declared ``hook_name``'s specification.

        Its providers are the kind's built-ins: a third-party provider that takes a
        built-in's name or ties its priority is the one skipped (see ``ProviderRegistry``).
        """
        return self._spec_owners.get(hook_name)

    def _load(self, eps: list[EntryPoint]) -> None:
        for ep in eps:
            info = _plugin_info(ep)
            if self._pm.is_blocked(ep.name):
                self.disabled.append(info)
                logger.debug("agentutils plugin %s disabled by %s", info.describe(), ENV_DISABLE)
                continue
            try:
                obj = ep.load()
                self._register(obj, info)
            except PLUGIN_ERRORS as exc:
                if self.strict:
                    raise
                self._fail(info, "load", exc)

    def _register(self, obj: object, info: PluginInfo) -> None:
        key = f"{info.distribution or ''}:{info.name}:{info.value}"
        self._pm.register(obj, name=key)
        try:
            # Reject hook implementations that match no specification (typos, or hooks of
            # a newer agentutils) instead of silently ignoring them.
            self._pm.check_pending()
            for caller in self._pm.get_hookcallers(obj) or []:
                for impl in caller.get_hookimpls():
                    # Each plugin's hook is called on its own (call_hook): a wrapper would
                    # wrap nothing, and its generator would be taken for its result.
                    flag = "wrapper" if impl.wrapper else "hookwrapper" if impl.hookwrapper else None
                    if impl.plugin is obj and flag is not None:
                        raise TypeError(
                            f"agentutils hooks cannot be wrappers: {caller.name} is declared with {flag}=True"
                        )
        except Exception:
            self._pm.unregister(name=key)
            raise
        self._infos[key] = info
        self.plugins.append(info)

    def register(self, obj: object, name: str) -> PluginInfo:
        """Register an in-process plugin (an object or module with hook implementations).

        Useful for applications and tests that provide a backend without packaging it.
        Registries built before this call are refreshed on their next use.

        Raises:
            ValueError: ``name`` is already registered.
            pluggy.PluginValidationError: the hook implementations do not match the specs.

        """
        info = PluginInfo(name=name, value=repr(obj))
        with self._lock:
            if any(p.name == name and p.distribution is None for p in self.plugins):
                raise ValueError(f"a plugin named {name!r} is already registered in-process")
            self._register(obj, info)
            self._hook_results.clear()
        _bump_generation()
        return info

    @property
    def pluggy_manager(self) -> pluggy.PluginManager:
        """The underlying :class:`pluggy.PluginManager` (for introspection)."""
        return self._pm

    def call_hook(self, hook_name: str) -> list[tuple[PluginInfo, list[Any]]]:
        """Call ``hook_name`` on every plugin, one at a time, and return their items.

        This is the one place where hook results are normalised: each plugin's result is
        turned into a list of items (a generator hook is consumed here, once), ``None``
        counts as no items, and a result that is not iterable, or that raises while it is
        iterated, is that plugin's failure. The lists are cached, so the hook runs once per
        plugin per process. A failing plugin is skipped and recorded (or re-raised in
        strict mode).

        Returns:
            ``(plugin, result)`` pairs in plugin load order.

        Raises:
            AttributeError: ``hook_name`` is not a hook specification.

        """
        with self._lock:
            cached = self._hook_results.get(hook_name)
            if cached is not None:
                return list(cached)
            caller = getattr(self._pm.hook, hook_name, None)
            if caller is None or caller.spec is None:
                raise AttributeError(f"unknown agentutils hook {hook_name!r}")
            order = {key: i for i, key in enumerate(self._infos)}
            impls = sorted(caller.get_hookimpls(), key=lambda impl: order.get(impl.plugin_name, -1))
            results: list[tuple[PluginInfo, list[Any]]] = []
            for impl in impls:
                info = self._infos.get(impl.plugin_name) or PluginInfo(impl.plugin_name, "")
                try:
                    items = _items(hook_name, impl.function())
                except PLUGIN_ERRORS as exc:
                    if self.strict:
                        raise
                    self._fail(info, f"hook {hook_name}", exc)
                    continue
                results.append((info, items))
            self._hook_results[hook_name] = results
            return list(results)

    def report_failure(self, info: PluginInfo, stage: str, exc: BaseException) -> None:
        """Record a failure found after loading (for example an invalid provider).

        Re-raises ``exc`` in strict mode; otherwise warns, logs and records it.
        """
        if self.strict:
            raise exc
        with self._lock:
            self._fail(info, stage, exc)


def _items(hook_name: str, result: object) -> list[Any]:
    """A hook's result as a list of items: ``None`` is none, any iterable is consumed once."""
    if result is None:
        return []
    if isinstance(result, (str, bytes)) or not isinstance(result, Iterable):
        raise TypeError(
            f"hook {hook_name} must return an iterable of providers or None, got {type(result).__name__}"
        )
    return list(result)


_manager: PluginManager | None = None
_manager_lock = threading.Lock()
_loading = threading.local()  # .active: this thread is discovering the plugins
_generation = 0
_generation_lock = threading.Lock()


def _bump_generation() -> None:
    global _generation
    # ``+=`` on a global is a read then a write: two threads registering at once could
    # both write the same value, and a registry refreshed between them would keep the
    # providers of the first registration only.
    with _generation_lock:
        _generation += 1


def plugins_generation() -> int:
    """A counter that changes whenever the plugin set changes (for caches built on it)."""
    return _generation


def get_plugin_manager() -> PluginManager:
    """Return the process-wide :class:`PluginManager`, discovering plugins on first use.

    Raises:
        RuntimeError: called by a plugin while it is being imported during discovery
            (it would otherwise wait for itself forever); the plugin is then skipped as
            a failure.

    """
    global _manager
    manager = _manager
    if manager is not None:
        return manager
    if getattr(_loading, "active", False):
        raise RuntimeError(
            "agentutils plugins are being loaded: a plugin must not use the plugin manager "
            "(or a provider registry) while it is imported; do it in its hooks instead"
        )
    with _manager_lock:
        if _manager is None:
            _loading.active = True
            try:
                _manager = PluginManager()
            finally:
                _loading.active = False
            _bump_generation()
        return _manager


def reset_plugin_manager() -> None:
    """Forget the discovered plugins; the next use discovers them again.

    For tests and for applications that install plugins at run time. Registries drop
    their cached providers on their next use.
    """
    global _manager
    with _manager_lock:
        _manager = None
        _bump_generation()
