"""``ProviderRegistry``: named, prioritised providers collected from one hook.

Every plugin kind (audio backends, resamplers, decoders, image encoders, pool
connectors...) is a set of "providers": objects with a ``name``, an integer ``priority``
and ``is_available()``, contributed by plugins through the kind's hook. A registry
collects them once and selects one by the same rule for every kind:

1. the explicit name passed by the caller,
2. then the name in the kind's environment variable (ignored when it names a provider
   the filter rejects: it may be meant for another scheme or format),
3. then a filter the kind supplies (a URL scheme, a MIME type, a format...),
4. then the highest priority among the available providers that pass it.

The providers of the distribution that declared the kind are its *built-ins*. A provider
that takes a name already taken, or ties a built-in's priority, is skipped and recorded as
its plugin's failure (the built-in keeps working); strict mode raises instead. Two
providers that are not built-ins and tie at the top are an error naming both.

Selections are cached per (name, environment value, filter), so resolving a provider on a
hot path costs a dict lookup, never a hook call. Every registry constructed is listed by
:func:`registries`, which ``agentutils plugins`` and ``doctor`` iterate.
"""

from __future__ import annotations

import os
import threading
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Literal, Protocol, TypeAlias, TypeVar, runtime_checkable

from .errors import (
    DuplicateProviderError,
    NoProviderError,
    ProviderUnavailableError,
    UnknownProviderError,
)
from .plugins import PLUGIN_ERRORS, get_plugin_manager, plugins_generation

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from .plugins import PluginInfo, PluginManager

__all__ = ["Provider", "ProviderEntry", "ProviderRegistry", "Selection", "check_provider", "registries"]


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
    builtin: bool = False
    """Whether the provider comes from the distribution that declared the kind."""

    @property
    def priority(self) -> int:
        """The provider's priority."""
        return self.provider.priority


@dataclass(frozen=True)
class Selection(Generic[P]):
    """The provider chosen by :meth:`ProviderRegistry.select`, and why.

    Attributes:
        entry: the chosen provider with its plugin.
        reason: ``"argument"``, ``"environment"`` or ``"priority"`` (the highest priority
            among the available providers that pass the kind's filter).

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


_SelectionKey: TypeAlias = "tuple[str | None, str | None, object]"
_State: TypeAlias = "tuple[int, dict[str, ProviderEntry[P]], dict[_SelectionKey, Selection[P]]]"

_all: weakref.WeakSet[ProviderRegistry[Any]] = weakref.WeakSet()


def registries() -> list[ProviderRegistry[Any]]:
    """Every provider registry constructed in this process, ordered by kind.

    The plugin manager is started first: it imports every module named in the
    ``agentutils.hookspecs`` entry-point group, and those modules build their kinds'
    registries, so every installed kind is listed.
    """
    get_plugin_manager()
    return sorted(_all, key=lambda r: (r.kind, r.hook))


def _by_priority(entries: Iterable[ProviderEntry[P]]) -> list[ProviderEntry[P]]:
    return sorted(entries, key=lambda e: (-e.priority, not e.builtin, e.name))


def _availability(provider: Provider) -> tuple[bool, str | None]:
    try:
        ok = bool(provider.is_available())
    except PLUGIN_ERRORS as exc:  # a broken availability check means "not available", with why
        return False, f"is_available() raised {type(exc).__name__}: {exc}"
    if ok:
        return True, None
    try:
        reason = getattr(provider, "unavailable_reason", None)
        if callable(reason):
            reason = reason()
    except PLUGIN_ERRORS as exc:
        return False, f"unavailable_reason() raised {type(exc).__name__}: {exc}"
    return False, reason if isinstance(reason, str) else None


class ProviderRegistry(Generic[P]):
    """Collects the providers of one hook and selects among them.

    Args:
        hook: the hook specification name, e.g. ``"agentutils_audio_backends"``.
        kind: what a provider is, for messages (``"audio backend"``).
        env_var: the environment variable that names a provider.
        check: further validation of each item a hook returns, run after
            :func:`check_provider`; it raises for an item that is not a valid provider,
            which is then skipped as a plugin failure. Returns the item.
        extra: the distribution extra that installs the kind's optional providers (for
            example ``"agentutils-audio[soxr]"``), named when nothing is available.
        handles: for kinds chosen per value (a URL scheme, a format) rather than one for
            all: what a provider handles (``lambda c: c.schemes``). Enables
            :meth:`select_for` and :meth:`handled`, which ``agentutils plugins`` lists.
        handles_label: how a handled value reads in messages, a format string
            (``"{}:// URLs"``).
        manager: the plugin manager to use; the process-wide one when omitted.

    """

    def __init__(
        self,
        hook: str,
        *,
        kind: str,
        env_var: str,
        check: Callable[[object], P] | None = None,
        extra: str | None = None,
        handles: Callable[[P], Iterable[str]] | None = None,
        handles_label: str = "{}",
        manager: PluginManager | None = None,
    ) -> None:
        self.hook = hook
        self.kind = kind
        self.env_var = env_var
        self.extra = extra
        self.handles = handles
        self.handles_label = handles_label
        self._predicates: dict[str, Callable[[P], bool]] = {}
        self._check = check
        self._manager = manager
        self._lock = threading.Lock()
        # (plugins generation, providers by name, selections), replaced as one object so
        # that a reader never pairs providers with another generation.
        self._state: _State[P] | None = None
        _all.add(self)

    def __repr__(self) -> str:
        return f"<ProviderRegistry {self.kind} ({self.hook}, {self.env_var})>"

    @property
    def manager(self) -> PluginManager:
        """The plugin manager this registry collects from."""
        return self._manager if self._manager is not None else get_plugin_manager()

    def _validate(self, item: object) -> P:
        check_provider(item, self.kind)
        if self._check is not None:
            return self._check(item)
        return item  # type: ignore[return-value]

    def _current(self) -> _State[P]:
        generation = plugins_generation()
        state = self._state
        if state is not None and state[0] == generation:
            return state
        manager = self.manager
        with self._lock:
            state = self._state
            if state is not None and state[0] == generation:
                return state
            state = (generation, self._collect(manager), {})
            self._state = state
            return state

    def _collect(self, manager: PluginManager) -> dict[str, ProviderEntry[P]]:
        owner = manager.hook_owner(self.hook)
        stage = f"hook {self.hook}"
        collected: dict[str, ProviderEntry[P]] = {}
        for info, items in manager.call_hook(self.hook):
            builtin = (
                owner is not None
                and owner.distribution is not None
                and info.distribution == owner.distribution
            )
            for item in items:
                try:
                    provider = self._validate(item)
                    entry = ProviderEntry(provider.name, provider, info, builtin)
                except PLUGIN_ERRORS as exc:  # invalid, or an attribute that raises
                    manager.report_failure(info, stage, exc)
                    continue
                previous = collected.get(entry.name)
                if previous is None:
                    collected[entry.name] = entry
                    continue
                keep, skip = (
                    (entry, previous) if entry.builtin and not previous.builtin else (previous, entry)
                )
                collected[entry.name] = keep
                manager.report_failure(
                    skip.plugin,
                    stage,
                    DuplicateProviderError(
                        f"{self.kind} {entry.name!r} is registered twice: by {previous.plugin.describe()} "
                        f"and by {info.describe()}; the one from {skip.plugin.describe()} is skipped"
                    ),
                )
        return collected

    def entries(self) -> list[ProviderEntry[P]]:
        """All registered providers, highest priority first (built-ins first, then by name)."""
        return _by_priority(self._current()[1].values())

    def names(self) -> list[str]:
        """The registered provider names, highest priority first."""
        return [e.name for e in self.entries()]

    def availability(self, name: str) -> tuple[bool, str | None]:
        """Return ``(available, reason it is not)`` for the provider called ``name``."""
        return _availability(self._lookup(self._current()[1], name, None).provider)

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
        return self._lookup(self._current()[1], name, None).provider

    def select(
        self,
        name: str | None = None,
        *,
        where: Callable[[P], bool] | None = None,
        wanted: str | None = None,
    ) -> Selection[P]:
        """Choose a provider by the one rule (see the module docs).

        Args:
            name: the provider the caller asks for by name.
            where: the kind's filter: only providers it accepts are chosen (a provider it
                raises for is taken as rejecting). Pass the same function object for the
                same question so the selection is cached.
            wanted: what the filter asks for, for messages (``"wss:// URLs"``).

        Raises:
            UnknownProviderError: the name (given or from the environment) is not registered.
            NoProviderError: ``name`` is given and rejected by ``where``, or no registered
                provider passes ``where``.
            ProviderUnavailableError: the named provider is not available here, or no
                provider that passes the filter is available; the message says why and
                which extra would provide one.
            DuplicateProviderError: two providers that are not built-ins tie at the top.

        """
        env_value = os.environ.get(self.env_var) or None
        key = (name, env_value if name is None else None, where)
        _, entries, selections = self._current()  # refreshed when the plugin set changed
        cached = selections.get(key)
        if cached is not None:
            return cached
        selection = self._select(entries, name, env_value, where, wanted or f"this {self.kind}")
        selections[key] = selection
        return selection

    def _select(
        self,
        entries: dict[str, ProviderEntry[P]],
        name: str | None,
        env_value: str | None,
        where: Callable[[P], bool] | None,
        wanted: str,
    ) -> Selection[P]:
        if name is not None:
            return self._named(entries, name, "argument", where, wanted)
        if env_value is not None:
            entry = self._lookup(entries, env_value, "environment")  # unknown: an error anyway
            if _accepts(where, entry.provider):
                return self._named(entries, env_value, "environment", where, wanted)
        candidates = [e for e in _by_priority(entries.values()) if _accepts(where, e.provider)]
        if where is not None and not candidates:
            raise NoProviderError(f"no {self.kind} handles {wanted}; registered: {_listing(entries)}")
        available: list[ProviderEntry[P]] = []
        reasons: list[str] = []
        for entry in candidates:
            ok, why = _availability(entry.provider)
            if ok:
                available.append(entry)
            else:
                reasons.append(f"{entry.name} ({why or 'unavailable'})")
        if not available:
            hint = f"; install {self.extra}" if self.extra else ""
            listed = "; ".join(reasons) or "none registered"
            subject = f"{self.kind} for {wanted}" if where is not None else self.kind
            raise ProviderUnavailableError(f"no {subject} is available: {listed}{hint}")
        return Selection(self._break_tie(available, wanted), "priority")

    def _named(
        self,
        entries: dict[str, ProviderEntry[P]],
        name: str,
        source: Literal["argument", "environment"],
        where: Callable[[P], bool] | None,
        wanted: str,
    ) -> Selection[P]:
        entry = self._lookup(entries, name, source)
        origin = f" (from environment variable {self.env_var})" if source == "environment" else ""
        if not _accepts(where, entry.provider):
            raise NoProviderError(f"{self.kind} {name!r}{origin} does not handle {wanted}")
        ok, why = _availability(entry.provider)
        if not ok:
            detail = f": {why}" if why else ""
            raise ProviderUnavailableError(f"{self.kind} {name!r}{origin} is not available{detail}")
        return Selection(entry, source)

    def _break_tie(self, available: list[ProviderEntry[P]], wanted: str) -> ProviderEntry[P]:
        best = available[0]  # built-ins sort first among equal priorities, then by name
        tied = [e for e in available[1:] if e.priority == best.priority and not e.builtin]
        if not tied:
            return best  # a tie among a kind's own built-ins is settled by name, as documented
        if not best.builtin:
            other = tied[0]
            raise DuplicateProviderError(
                f"{wanted} is claimed by {self.kind} {best.name!r} from {best.plugin.describe()} "
                f"and by {other.name!r} from {other.plugin.describe()}, both with priority "
                f"{best.priority}; give one a higher priority, or choose one by name or with {self.env_var}"
            )
        for other in tied:  # a newcomer tying a built-in is skipped, the built-in kept
            self.manager.report_failure(
                other.plugin,
                f"hook {self.hook}",
                DuplicateProviderError(
                    f"{self.kind} {other.name!r} from {other.plugin.describe()} ties the built-in "
                    f"{best.name!r} from {best.plugin.describe()} at priority {best.priority} for "
                    f"{wanted}; it is skipped (give it another priority, or choose it by name)"
                ),
            )
        return best

    def choose(
        self,
        given: str | P | None = None,
        *,
        where: Callable[[P], bool] | None = None,
        wanted: str | None = None,
        argument: str = "backend",
    ) -> P:
        """Return the provider to use for a ``backend=``-style argument (named ``argument``).

        ``given`` may be a provider's name or ``None`` (then :meth:`select` decides), or a
        provider object the caller built itself, which is checked as a plugin's would be:
        validated, accepted by ``where``, and available.

        Raises:
            TypeError: ``given`` is neither a name, a provider, nor ``None``; or it is an
                object that is not a valid provider (the message says what it lacks).
            NoProviderError: ``where`` rejects the provider object.
            ProviderUnavailableError: the provider object cannot work here (with why).
            UnknownProviderError, DuplicateProviderError: as :meth:`select`.

        """
        if given is None or isinstance(given, str):
            return self.select(given, where=where, wanted=wanted).provider
        if not isinstance(getattr(given, "name", None), str):
            a_kind = f"{'an' if self.kind[:1] in 'aeiou' else 'a'} {self.kind}"
            raise TypeError(
                f"{argument} must be {a_kind} name (str), {a_kind} object or None, got {type(given).__name__}"
            )
        provider = self._validate(given)
        if not _accepts(where, provider):
            raise NoProviderError(f"{self.kind} {provider.name!r} does not handle {wanted or 'this'}")
        ok, why = _availability(provider)
        if not ok:
            detail = f": {why}" if why else ""
            raise ProviderUnavailableError(f"{self.kind} {provider.name!r} is not available{detail}")
        return provider

    def handled(self) -> list[str]:
        """Every value some registered provider handles (empty for a kind without ``handles``)."""
        if self.handles is None:
            return []
        values: set[str] = set()
        for entry in self.entries():
            try:
                values.update(self.handles(entry.provider))
            except PLUGIN_ERRORS:  # a provider whose attributes raise handles nothing
                continue
        return sorted(values)

    def select_for(self, value: str, name: str | None = None) -> Selection[P]:
        """Choose the provider for ``value`` (a scheme, a format): :meth:`select` filtered by ``handles``.

        Raises:
            TypeError: the registry was built without ``handles``.
            UnknownProviderError, NoProviderError, ProviderUnavailableError,
            DuplicateProviderError: as :meth:`select`.

        """
        handles = self.handles
        if handles is None:
            raise TypeError(f"the {self.kind} registry selects one for all: use select(), not select_for()")
        where = self._predicates.get(value)
        if where is None:
            where = self._predicates.setdefault(value, lambda provider: value in handles(provider))
        return self.select(name, where=where, wanted=self.handles_label.format(value))

    def resolve(self, name: str | None = None) -> P:
        """Shorthand for ``select(name).provider``."""
        return self.select(name).provider


def _accepts(where: Callable[[P], bool] | None, provider: P) -> bool:
    if where is None:
        return True
    try:
        return bool(where(provider))
    except PLUGIN_ERRORS:  # a provider whose attributes raise handles nothing
        return False


def _listing(entries: dict[str, ProviderEntry[P]]) -> str:
    return ", ".join(sorted(entries)) or "none"
