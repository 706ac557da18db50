"""agentutils-events: a fast, typed event emitter compatible with ``livekit.rtc.EventEmitter``.

``import agentutils_events`` stays cheap: asyncio is imported only when
``AsyncEventEmitter`` or ``EventEmitter.wait_for`` is first used.
"""

from __future__ import annotations

from .__about__ import __version__
from .emitter import EventEmitter

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs ~15 ms
if TYPE_CHECKING:
    from typing import Any

    from .async_emitter import AsyncEventEmitter

__all__ = ["AsyncEventEmitter", "EventEmitter", "__version__"]


def __getattr__(name: str) -> Any:
    if name == "AsyncEventEmitter":
        from .async_emitter import AsyncEventEmitter

        return AsyncEventEmitter
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
