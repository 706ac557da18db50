"""``ProviderRegistry``: named, prioritised providers collected from one hook.

Audio backends and pool connectors are both "providers": objects with a ``name``, an
integer ``priority`` and ``is_available()``, contributed by plugins through a hook. A
registry collects them once, rejects duplicate names, and selects one by

1. the explicit name passed by the caller,
2. then the name in an environment variable,
3. then the highest priority among the available ones.

The selection is cached per (name, environment value), so resolving a provider on a hot
path costs a dict lookup, never a hook call.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, Literal, Protocol, TypeAlias, TypeVar, runtime_checkable

from .errors import DuplicateProviderError, ProviderUnavailableError, UnknownProviderError
from .plugins import get_plugin_manager, plugins_generation

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from .plugins import PluginInfo, PluginManager

__all__ = ["Provider", "ProviderEntry", "ProviderRegistry", "Selection", "check_provider"]


@runtime_checkable
class Provider(Protocol):
    """What every provider offers the registry."""

    @property
    def name(self) -> str:
        """Unique name, used for explicit selection."""
        ...

    @property
    def priority(self) -> int:
        """Higher wins when nothing is named."""
        ...

    def is_available(self) -> bool:
        """Whether the provider can work here (its optional dependencies import)."""
        ...


P = TypeVar("P", bound=Provider)


@dataclass(frozen=True)
class ProviderEntry(Generic[P]):
    """A provider and the plugin that contributed it."""

    name: str
    provider: P
    plugin: PluginInfo

    @property
    def priority(self) -> int:
        """The provider's priority."""
        return self.provider.priority


@dataclass(frozen=True)
class Selection(Generic[P]):
    """The provider chosen by :meth:`ProviderRegistry.select`, and why.

    Attributes:
        entry: the chosen provider with its plugin.
        reason: ``"argument"``, ``"environment"`` or ``"priority"``.

    """

    entry: ProviderEntry[P]
    reason: Literal["argument", "environment", "priority"]

    @property
    def provider(self) -> P:
        """The chosen provider."""
        return self.entry.provider

    @property
    def name(self) -> str:
        """The chosen provider's name."""
        return self.entry.name


def check_provider(item: object, kind: str, methods: Iterable[str] = ()) -> str:
    """Check what every provider must have: a ``name``, a ``priority`` and the methods.

    Registries run it on each item a hook returns; members that validate more (audio
    backends, pool connectors) call it first from their own ``check``.

    Args:
        item: what a plugin's hook returned.
        kind: what a provider is, for messages (``"audio backend"``).
        methods: callables the item must have besides ``is_available``.

    Returns:
        The provider's name.

    Raises:
        TypeError: ``name`` is not a non-empty ``str``, ``priority`` is not an ``int``, or
            a method is missing; the message names what was expected and what was found.

    """
    name = getattr(item, "name", None)
    if not isinstance(name, str) or not name:
        raise TypeError(f"{kind} must have a non-empty str 'name', got {name!r}")
    priority = getattr(item, "priority", None)
    if isinstance(priority, bool) or not isinstance(priority, int):
        raise TypeError(f"{kind} {name!r} must have an int 'priority', got {priority!r}")
    missing = [m for m in ("is_available", *methods) if not callable(getattr(item, m, None))]
    if missing:
        raise TypeError(f"{kind} {name!r} must implement {', '.join(missing)}")
    return name


_State: TypeAlias = tuple[int, dict[str, ProviderEntry[P]], dict[tuple[str | None, str | None], Selection[P]]]


def _by_priority(entries: dict[str, ProviderEntry[P]]) -> list[ProviderEntry[P]]:
    return sorted(entries.values(), key=lambda e: (-e.priority, e.name))


def _availability(provider: Provider) -> tuple[bool, str | None]:
    try:
        ok = bool(provider.is_available())
    except Exception as exc:  # a broken availability check means "not available", with why
        return False, f"is_available() raised {type(exc).__name__}: {exc}"
    if ok:
        return True, None
    reason = getattr(provider, "unavailable_reason", None)
    if callable(reason):
        reason = reason()
    return False, reason if isinstance(reason, str) else None


class ProviderRegistry(Generic[P]):
    """Collects the providers of one hook and selects among them.

    Args:
        hook: the hook specification name, e.g. ``"agentutils_audio_backends"``.
        kind: what a provider is, for messages (``"audio backend"``).
        env_var: the environment variable that names a provider.
        check: further validation of each item a hook returns, run after
            :func:`check_provider`; it raises ``TypeError`` for an item that is not a valid
            provider, which is then skipped as a plugin failure. Returns the item.
        manager: the plugin manager to use; the process-wide one when omitted.

    """

    def __init__(
        self,
        hook: str,
        *,
        kind: str,
        env_var: str,
        check: Callable[[object], P] | None = None,
        manager: PluginManager | None = None,
    ) -> None:
        self.hook = hook
        self.kind = kind
        self.env_var = env_var
        self._check = check
        self._manager = manager
        self._lock = threading.Lock()
        # (plugins generation, providers by name, selections by (name, env value)), replaced
        # as one object so that a reader never pairs providers with another generation.
        self._state: _State[P] | None = None

    def _plugin_manager(self) -> PluginManager:
        return self._manager if self._manager is not None else get_plugin_manager()

    def _validate(self, item: object) -> P:
        check_provider(item, self.kind)
        if self._check is not None:
            return self._check(item)
        return item  # type: ignore[return-value]

    def _collect(self) -> dict[str, ProviderEntry[P]]:
        return self._current()[1]

    def _current(self) -> _State[P]:
        manager = self._plugin_manager()
        generation = plugins_generation()
        state = self._state
        if state is not None and state[0] == generation:
            return state
        with self._lock:
            state = self._state
            if state is not None and state[0] == generation:
                return state
            collected: dict[str, ProviderEntry[P]] = {}
            for info, result in manager.call_hook(self.hook):
                try:
                    iterator = iter(result)
                except TypeError as exc:
                    manager.report_failure(
                        info,
                        f"hook {self.hook}",
                        TypeError(
                            f"expected an iterable of {self.kind}s, got {type(result).__name__}: {exc}"
                        ),
                    )
                    continue
                except Exception as exc:  # a broken __iter__ is that plugin's failure
                    manager.report_failure(info, f"hook {self.hook}", exc)
                    continue
                try:
                    items = list(iterator)
                except Exception as exc:  # so is an iterable that raises while iterated
                    manager.report_failure(info, f"hook {self.hook}", exc)
                    continue
                for item in items:
                    try:
                        provider = self._validate(item)
                    except TypeError as exc:
                        manager.report_failure(info, f"hook {self.hook}", exc)
                        continue
                    previous = collected.get(provider.name)
                    if previous is not None:
                        raise DuplicateProviderError(
                            f"{self.kind} {provider.name!r} is registered twice: by "
                            f"{previous.plugin.describe()} and by {info.describe()}"
                        )
                    collected[provider.name] = ProviderEntry(provider.name, provider, info)
            state = (generation, collected, {})
            self._state = state
            return state

    def entries(self) -> list[ProviderEntry[P]]:
        """All registered providers, highest priority first (then by name)."""
        return _by_priority(self._collect())

    def names(self) -> list[str]:
        """The registered provider names, highest priority first."""
        return [e.name for e in self.entries()]

    def availability(self, name: str) -> tuple[bool, str | None]:
        """Return ``(available, reason it is not)`` for the provider called ``name``."""
        return _availability(self._entry(name, source=None).provider)

    def _entry(self, name: str, source: str | None) -> ProviderEntry[P]:
        return self._lookup(self._collect(), name, source)

    def _lookup(
        self, entries: dict[str, ProviderEntry[P]], name: str, source: str | None
    ) -> ProviderEntry[P]:
        entry = entries.get(name)
        if entry is None:
            known = ", ".join(sorted(entries)) or "none"
            origin = f" (from environment variable {self.env_var})" if source == "environment" else ""
            raise UnknownProviderError(f"unknown {self.kind} {name!r}{origin}; known: {known}")
        return entry

    def get(self, name: str) -> P:
        """Return the provider called ``name``, available or not.

        Raises:
            UnknownProviderError: no plugin registered ``name``; the message lists the known names.

        """
        return self._entry(name, source=None).provider

    def select(self, name: str | None = None) -> Selection[P]:
        """Choose a provider: ``name`` if given, else the environment variable, else priority.

        Raises:
            UnknownProviderError: the name (given or from the environment) is not registered.
            ProviderUnavailableError: the named provider is not available here, or no
                provider is available at all.

        """
        env_value = os.environ.get(self.env_var) or None
        key = (name, env_value if name is None else None)
        _, entries, selections = self._current()  # refreshed when the plugin set changed
        cached = selections.get(key)
        if cached is not None:
            return cached
        selection = self._select(entries, name, env_value)
        selections[key] = selection
        return selection

    def _select(
        self, entries: dict[str, ProviderEntry[P]], name: str | None, env_value: str | None
    ) -> Selection[P]:
        if name is not None or env_value is not None:
            source: Literal["argument", "environment"] = "argument" if name is not None else "environment"
            wanted = name if name is not None else env_value
            assert wanted is not None
            entry = self._lookup(entries, wanted, source)
            ok, why = _availability(entry.provider)
            if not ok:
                origin = f" (from environment variable {self.env_var})" if source == "environment" else ""
                detail = f": {why}" if why else ""
                raise ProviderUnavailableError(f"{self.kind} {wanted!r}{origin} is not available{detail}")
            return Selection(entry, source)
        unavailable: list[str] = []
        for entry in _by_priority(entries):
            ok, why = _availability(entry.provider)
            if ok:
                return Selection(entry, "priority")
            unavailable.append(f"{entry.name} ({why or 'unavailable'})")
        listed = "; ".join(unavailable) or "none registered"
        raise ProviderUnavailableError(f"no {self.kind} is available: {listed}")

    def resolve(self, name: str | None = None) -> P:
        """Shorthand for ``select(name).provider``."""
        return self.select(name).provider
