"""An example third-party audio backend: counts the operations it performs.

It reuses the arithmetic of the built-in ``python`` backend and records how often each
operation ran, which is handy to check which backend a pipeline really uses. Its
priority is -100, so it is only used when asked for by name::

    combine_frames(frames, backend="example")
    # or: AGENTUTILS_AUDIO_BACKEND=example
"""

from __future__ import annotations

import threading
from collections import Counter
from typing import TYPE_CHECKING

from agentutils_audio import PythonBackend

if TYPE_CHECKING:
    from collections.abc import Sequence

    from agentutils_audio import AudioLevels, BytesLike

__all__ = ["CountingBackend"]


class CountingBackend(PythonBackend):
    """The ``python`` backend's results, plus a count of the calls of each operation.

    Attributes:
        name: ``"example"``.
        priority: ``-100``: never chosen unless named.
        calls: operation name -> number of calls so far.
    """

    name = "example"
    priority = -100

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self._lock = threading.Lock()

    def _count(self, operation: str) -> None:
        with self._lock:
            self.calls[operation] += 1

    def combine(self, buffers: Sequence[BytesLike]) -> BytesLike:
        """Concatenate ``buffers`` and count the call."""
        self._count("combine")
        return super().combine(buffers)

    def mix(self, buffers: Sequence[BytesLike], gains: Sequence[float] | None) -> BytesLike:
        """Mix ``buffers`` and count the call."""
        self._count("mix")
        return super().mix(buffers, gains)

    def apply_gain(self, buffer: BytesLike, gain_db: float) -> BytesLike:
        """Apply ``gain_db`` and count the call."""
        self._count("apply_gain")
        return super().apply_gain(buffer, gain_db)

    def remix(self, buffer: BytesLike, in_channels: int, out_channels: int) -> BytesLike:
        """Change the channel count and count the call."""
        self._count("remix")
        return super().remix(buffer, in_channels, out_channels)

    def levels(self, buffer: BytesLike) -> AudioLevels:
        """Measure the levels and count the call."""
        self._count("levels")
        return super().levels(buffer)
