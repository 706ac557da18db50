"""asyncio toolkit: the counterpart of ``livekit.agents.utils.aio`` (standard library only)."""

from __future__ import annotations

from .utils import cancel_and_wait, gracefully_cancel

__all__ = [
    "cancel_and_wait",
    "gracefully_cancel",
]
