"""Exceptions raised by the plugin machinery of agentutils."""

from __future__ import annotations

__all__ = [
    "DuplicateProviderError",
    "NoProviderError",
    "PluginError",
    "PluginWarning",
    "ProviderUnavailableError",
    "UnknownProviderError",
]


class PluginError(Exception):
    """Base class of the errors raised while discovering or selecting plugins."""


class DuplicateProviderError(PluginError):
    """Two plugins registered a provider (backend, connector) under the same name."""


class UnknownProviderError(PluginError, LookupError):
    """A provider was asked for by a name that no plugin registered."""

    def __str__(self) -> str:
        # LookupError subclasses such as KeyError quote their message; keep it readable.
        return str(self.args[0]) if self.args else ""


class NoProviderError(PluginError, LookupError):
    """No registered provider handles what was asked (a URL scheme, a format...)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class ProviderUnavailableError(PluginError):
    """A provider exists but cannot be used here (for example its optional dependency is missing)."""


class PluginWarning(UserWarning):
    """Emitted when a plugin fails to load or its hook raises, and the plugin is skipped."""
