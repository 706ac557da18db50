"""Small identifiers and clocks: ``shortuuid``, ``time_ms``, ``nodename``."""

from __future__ import annotations

import platform
import time
import uuid

__all__ = ["nodename", "shortuuid", "time_ms"]


def time_ms() -> int:
    """Return the wall-clock time in whole milliseconds since the epoch, rounded."""
    return int(time.time() * 1000 + 0.5)


def shortuuid(prefix: str = "") -> str:
    """Return ``prefix`` followed by 12 random lowercase hex characters (48 bits)."""
    return prefix + uuid.uuid4().hex[:12]


def nodename() -> str:
    """Return this machine's network name (``platform.node()``)."""
    return platform.node()
