"""agentutils: utilities for realtime voice and video agents.

The meta-package composes the members (``agentutils_core``, ``agentutils_events``, ...)
and re-exports their flat API lazily, so ``import agentutils`` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .__about__ import __version__

if TYPE_CHECKING:
    from agentutils_core import (
        NOT_GIVEN,
        BoundedDict,
        NotGiven,
        NotGivenOr,
        is_given,
        log_exceptions,
        nodename,
        shortuuid,
        time_ms,
    )
    from agentutils_events import AsyncEventEmitter, EventEmitter

__all__ = [
    "NOT_GIVEN",
    "AsyncEventEmitter",
    "BoundedDict",
    "EventEmitter",
    "NotGiven",
    "NotGivenOr",
    "__version__",
    "is_given",
    "log_exceptions",
    "nodename",
    "shortuuid",
    "time_ms",
]

_LAZY = {
    "NOT_GIVEN": "agentutils_core",
    "BoundedDict": "agentutils_core",
    "NotGiven": "agentutils_core",
    "NotGivenOr": "agentutils_core",
    "is_given": "agentutils_core",
    "log_exceptions": "agentutils_core",
    "nodename": "agentutils_core",
    "shortuuid": "agentutils_core",
    "time_ms": "agentutils_core",
    "EventEmitter": "agentutils_events",
    "AsyncEventEmitter": "agentutils_events",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
