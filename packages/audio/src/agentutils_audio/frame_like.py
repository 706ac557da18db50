"""``FrameLike``: the protocol of the frames every function of this package accepts.

In a module of its own so that building an :class:`~agentutils_audio.AudioFrame` does not
import :mod:`typing`.
"""

from __future__ import annotations

from typing import Any, Protocol, TypeVar, runtime_checkable

__all__ = ["F", "FrameLike"]


@runtime_checkable
class FrameLike(Protocol):
    """Any object that looks like an audio frame.

    :class:`AudioFrame` and ``livekit.rtc.AudioFrame`` both satisfy it. ``data`` must be a
    bytes-like object (a buffer) holding at least ``num_channels * samples_per_channel``
    interleaved 16-bit little-endian samples. To receive frames of its own type back from
    the functions of this package, the class must accept those four attributes as keyword
    arguments of its constructor.
    """

    @property
    def data(self) -> Any:
        """The samples, as a bytes-like object (``memoryview`` of int16 for livekit)."""
        ...

    @property
    def sample_rate(self) -> int:
        """Samples per second, per channel."""
        ...

    @property
    def num_channels(self) -> int:
        """Number of interleaved channels."""
        ...

    @property
    def samples_per_channel(self) -> int:
        """Number of samples in each channel."""
        ...


F = TypeVar("F", bound=FrameLike)
"""A frame type: functions that return a frame return one of the type they were given."""
