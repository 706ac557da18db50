"""``combine_frames`` (alias ``merge_frames``) and ``calculate_audio_duration``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from . import _frames
from .backend import audio_backends, get_backend
from .frame import AudioFrame, exact_buffers
from .frame_like import FrameLike

if TYPE_CHECKING:
    from .backend import AudioBackend
    from .frame_like import F

__all__ = ["AudioBuffer", "calculate_audio_duration", "combine_frames", "merge_frames"]

AudioBuffer = list[FrameLike] | FrameLike
"""A frame or a list of frames, as ``livekit.agents.utils.AudioBuffer``."""

_select = audio_backends.select


def _frame_list(buffer: Any) -> list[Any] | tuple[Any, ...]:
    if type(buffer) is list or type(buffer) is tuple:
        return buffer
    if isinstance(buffer, (str, bytes, bytearray, memoryview)) or not isinstance(buffer, Iterable):
        raise TypeError(f"expected an audio frame or an iterable of frames, got {type(buffer).__name__}")
    return list(buffer)


def _is_frame(obj: object) -> bool:
    # Cheaper than isinstance(obj, FrameLike), which would build livekit's .data view.
    return hasattr(obj, "samples_per_channel") and hasattr(obj, "sample_rate")


def combine_frames(buffer: F | Iterable[F], *, backend: str | AudioBackend | None = None) -> F:
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
        >>> a = AudioFrame(b"\x01\x02\x03\x04", 48000, 2, 1)  # one stereo sample: 4 bytes
        >>> b = AudioFrame(b"\x05\x06\x07\x08", 48000, 2, 1)
        >>> frame = combine_frames([a, b])
        >>> bytes(frame.data), frame.samples_per_channel
        (b'\x01\x02\x03\x04\x05\x06\x07\x08', 2)

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
    first: Any = frames[0]
    # The one fast path, owned by AudioFrame: our frames' stored buffers joined as they are.
    stored = exact_buffers(frames) if isinstance(first, AudioFrame) else None
    if stored is None and type(first) is _frames.livekit_frame_type():
        stored = _frames.livekit_buffers(frames)
    if stored is not None:
        parts, sr, nch = stored
    else:
        parsed = [_frames.pcm(f) for f in frames]
        _frames.check_same_format(parsed)
        parts = [p[0] for p in parsed]
        _, sr, nch, _ = parsed[0]
    data = impl.combine(parts)
    return cast("F", _frames.make(type(first), data, sr, nch, len(data) // (2 * nch)))


merge_frames = combine_frames
"""Alias of :func:`combine_frames` (as in ``livekit.agents.utils``)."""


def calculate_audio_duration(frames: FrameLike | Iterable[FrameLike]) -> float:
    """Return the total duration in seconds of a frame or an iterable of frames.

    Raises:
        TypeError: an item is not frame-like.

    """
    if _is_frame(frames):
        return _duration(frames)
    return float(sum(_duration(f) for f in _frame_list(frames)))


def _duration(frame: Any) -> float:
    try:
        return float(frame.samples_per_channel / frame.sample_rate)
    except AttributeError:
        raise _frames.not_a_frame(frame) from None
