"""``combine_frames`` (alias ``merge_frames``) and ``calculate_audio_duration``."""

from __future__ import annotations

from collections.abc import Iterable
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from . import _frames
from .backend import audio_backends, get_backend
from .errors import FormatMismatchError
from .frame import F, FrameLike

if TYPE_CHECKING:
    from .backend import AudioBackend

__all__ = ["AudioBuffer", "calculate_audio_duration", "combine_frames", "merge_frames"]

AudioBuffer = list[FrameLike] | FrameLike
"""A frame or a list of frames, as ``livekit.agents.utils.AudioBuffer``."""

_key = attrgetter("_key")
_raw = attrgetter("_data")
_select = audio_backends.select


def _frame_list(buffer: Any) -> list[Any] | tuple[Any, ...]:
    if type(buffer) is list or type(buffer) is tuple:
        return buffer
    if isinstance(buffer, (str, bytes, bytearray, memoryview)) or not isinstance(buffer, Iterable):
        raise TypeError(
            f"expected an audio frame or an iterable of frames, got {type(buffer).__name__}"
        )
    return list(buffer)


def _is_frame(obj: object) -> bool:
    # Cheaper than isinstance(obj, FrameLike), which would build livekit's .data view.
    return hasattr(obj, "samples_per_channel") and hasattr(obj, "sample_rate")


def _mismatch(frames: Any) -> FormatMismatchError:
    first = frames[0]
    for frame in frames:
        if frame.sample_rate != first.sample_rate:
            return FormatMismatchError(
                f"sample rate mismatch: expected {first.sample_rate}, got {frame.sample_rate}"
            )
        if frame.num_channels != first.num_channels:
            return FormatMismatchError(
                f"channel count mismatch: expected {first.num_channels}, got {frame.num_channels}"
            )
    raise AssertionError("frames share one format")  # pragma: no cover - callers checked


def combine_frames(
    buffer: F | Iterable[F], *, backend: str | AudioBackend | None = None
) -> F:
    r"""Concatenate frames of one format into a single frame.

    Same contract as ``livekit.rtc.combine_audio_frames``: a single frame is returned as
    is, frames must share sample rate and channel count, and the result is of the type of
    the (first) input frame, so ``livekit.rtc.AudioFrame`` in gives
    ``livekit.rtc.AudioFrame`` out. Beyond it: any iterable of frames is accepted, and a
    frame whose buffer is longer than its declared samples contributes only those.

    Args:
        buffer: a frame, or an iterable of frames (list, tuple, generator).
        backend: the backend name or object to use; see :func:`get_backend`.

    Returns:
        The combined frame.

    Raises:
        ValueError: ``buffer`` is empty (message ``"buffer is empty"``), or a frame's data
            is shorter than it declares.
        FormatMismatchError: (a ``ValueError``) the sample rates or channel counts differ;
            the message names the expected and received values.
        TypeError: an item is not frame-like.

    Example:
        >>> a = AudioFrame(b"\x01\x02", 48000, 2, 1)
        >>> b = AudioFrame(b"\x03\x04", 48000, 2, 1)
        >>> frame = combine_frames([a, b])
        >>> bytes(frame.data), frame.samples_per_channel
        (b'\x01\x02\x03\x04', 2)

    """
    if type(buffer) is list or type(buffer) is tuple:
        frames: Any = buffer
    elif _is_frame(buffer):
        return buffer  # type: ignore[return-value]
    else:
        frames = _frame_list(buffer)
    if not frames:
        raise ValueError("buffer is empty")
    impl = _select(backend).provider if backend is None or type(backend) is str else get_backend(backend)
    try:
        keys = set(map(_key, frames))
    except AttributeError:
        keys = None
    if keys is not None and len(keys) == 1:
        # Every frame is one of ours, in one format: join the stored buffers in C.
        sr, nch, exact = next(iter(keys))
        if exact:
            data = impl.combine(list(map(_raw, frames)))
            result: F = _frames.make(type(frames[0]), data, sr, nch, len(data) // (2 * nch))
            return result
    combined: F = _combine_any(frames, impl)
    return combined


def _combine_any(frames: Any, impl: AudioBackend) -> Any:
    first = frames[0]
    try:
        sr = first.sample_rate
        nch = first.num_channels
    except AttributeError:
        raise _frames.not_a_frame(first) from None
    parts: list[Any] = []
    append = parts.append
    exact = _frames.exact
    for frame in frames:
        try:
            if frame.sample_rate != sr or frame.num_channels != nch:
                raise _mismatch(frames)
            data = frame.data
            spc = frame.samples_per_channel
        except AttributeError:
            raise _frames.not_a_frame(frame) from None
        # A memoryview of the declared size (livekit's .data) is joined as is.
        if type(data) is not memoryview or data.nbytes != spc * nch * 2:
            data = exact(data, nch, spc, frame)
        append(data)
    joined = impl.combine(parts)
    return _frames.make(type(first), joined, sr, nch, len(joined) // (2 * nch))


merge_frames = combine_frames
"""Alias of :func:`combine_frames` (as in ``livekit.agents.utils``)."""


def calculate_audio_duration(frames: FrameLike | Iterable[FrameLike]) -> float:
    """Return the total duration in seconds of a frame or an iterable of frames.

    Raises:
        TypeError: an item is not frame-like.

    """
    if _is_frame(frames):
        return _duration(frames)
    return sum(_duration(f) for f in _frame_list(frames))


def _duration(frame: Any) -> float:
    try:
        return float(frame.samples_per_channel / frame.sample_rate)
    except AttributeError:
        raise _frames.not_a_frame(frame) from None
