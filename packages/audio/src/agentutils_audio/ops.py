"""Sample arithmetic on frames, done by the selected backend: mix, gain, remix, levels."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from agentutils_core.checks import check_num_channels, check_sample_rate

from . import _frames
from .backend import get_backend
from .backends._common import check_gains
from .frame import AudioFrame

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from .backend import AudioBackend
    from .frame_like import F, FrameLike
    from .levels import AudioLevels

__all__ = [
    "apply_gain",
    "frame_levels",
    "mix_frames",
    "remix_frame",
    "silence_frame",
    "silence_frame_like",
]


def _number(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    return float(value)


def mix_frames(
    frames: Iterable[F],
    *,
    gains: Sequence[float] | None = None,
    backend: str | AudioBackend | None = None,
) -> F:
    """Sum frames of one format and length, sample by sample, saturating to int16.

    Args:
        frames: one or more frames with equal sample rate, channel count and
            ``samples_per_channel``.
        gains: optional linear factor per frame (``0.5`` halves it); the sum is then
            computed in float64 and rounded half to even.
        backend: the backend name or object to use; see :func:`get_backend`.

    Returns:
        A new frame of the type of the first input.

    Raises:
        ValueError: no frames, a gain count that differs from the frame count, a
            non-finite gain, or gains whose absolute values sum to more than 2**1000 (the
            float64 sum could overflow: both built-in backends refuse them alike).
        FormatMismatchError: the frames differ in sample rate, channels or length.
        TypeError: ``frames`` is not an iterable of frames, or a gain is not a number.

    """
    items = _frames.frame_items(frames, "mix_frames")
    if not items:
        raise ValueError("mix_frames needs at least one frame, got none")
    parsed = [_frames.pcm(f) for f in items]
    _frames.check_same_format(parsed, same_length=True)
    _, sr, nch, spc = parsed[0]
    factors: list[float] | None = None
    if gains is not None:
        factors = [_number("gain", g) for g in gains]
        if len(factors) != len(parsed):
            raise ValueError(f"expected one gain per frame ({len(parsed)}), got {len(factors)}")
        check_gains(factors)  # for every backend, not only the built-in ones
    data = get_backend(backend).mix([p[0] for p in parsed], factors)
    return _frames.make(type(items[0]), data, sr, nch, spc)


def apply_gain(frame: F, gain_db: float, *, backend: str | AudioBackend | None = None) -> F:
    """Return ``frame`` scaled by ``gain_db`` decibels, rounded half to even and saturated.

    Raises:
        TypeError: ``frame`` is not frame-like, or ``gain_db`` is not a number.
        ValueError: ``gain_db`` is not finite.

    """
    data, sr, nch, spc = _frames.pcm(frame)
    db = _number("gain_db", gain_db)
    return _frames.make(type(frame), get_backend(backend).apply_gain(data, db), sr, nch, spc)


def remix_frame(frame: F, num_channels: int, *, backend: str | AudioBackend | None = None) -> F:
    """Return ``frame`` with ``num_channels`` channels.

    Mono is duplicated to every output channel (1→N); N channels are averaged to mono
    with floor division (N→1, as ``livekit.agents`` downmixes); the same count copies.

    Raises:
        TypeError: ``frame`` is not frame-like, or ``num_channels`` is not an int.
        ValueError: ``num_channels`` <= 0, or a conversion other than 1→N, N→1, N→N.

    """
    data, sr, nch, spc = _frames.pcm(frame)
    check_num_channels(num_channels)
    if nch != 1 and num_channels != 1 and nch != num_channels:
        raise ValueError(f"unsupported remix: expected 1→N, N→1 or N→N channels, got {nch}→{num_channels}")
    out = get_backend(backend).remix(data, nch, num_channels)
    return _frames.make(type(frame), out, sr, num_channels, spc)


def frame_levels(frame: FrameLike, *, backend: str | AudioBackend | None = None) -> AudioLevels:
    """Return the RMS and peak level of ``frame`` in dBFS (all channels together).

    Raises:
        TypeError: ``frame`` is not frame-like.

    """
    data, _, _, _ = _frames.pcm(frame)
    return get_backend(backend).levels(data)


def silence_frame(duration: float, sample_rate: int, num_channels: int = 1) -> AudioFrame:
    """Return a zeroed frame of ``int(duration * sample_rate)`` samples per channel.

    Raises:
        TypeError, ValueError: a count is not an int or not positive, or ``duration`` is
            negative or not finite.

    """
    seconds = _number("duration", duration)
    if seconds < 0:
        raise ValueError(f"duration must be 0 or more, got {duration}")
    check_sample_rate(sample_rate)
    return AudioFrame.create(sample_rate, num_channels, int(seconds * sample_rate))


def silence_frame_like(frame: F) -> F:
    """Return a zeroed frame with the format and length of ``frame``, of its type.

    Raises:
        TypeError: ``frame`` is not frame-like.

    """
    _, sr, nch, spc = _frames.pcm(frame)
    return _frames.make(type(frame), bytearray(nch * spc * 2), sr, nch, spc)
