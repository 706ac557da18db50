"""``combine_frames`` (alias ``merge_frames``) and ``calculate_audio_duration``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from . import _frames
from .backend import audio_backends, get_backend
from .errors import FormatMismatchError
from .frame import _EXACT, _EXACT_NOW, _KEYS, AudioFrame, F, FrameLike

if TYPE_CHECKING:
    from .backend import AudioBackend

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
    if isinstance(first, AudioFrame) and first._key[2]:
        raw = _stored_buffers(frames, first._key)
        if raw is not None:
            sr, nch, _ = first._key
            data = impl.combine(raw)
            return cast("F", _frames.make(type(first), data, sr, nch, len(data) // (2 * nch)))
    if type(first) is _frames.livekit_frame_type():
        combined: F | None = _combine_livekit(frames, impl)
        if combined is not None:
            return combined
    combined = _combine_any(frames, impl)
    assert combined is not None
    return combined


def _stored_buffers(frames: Any, key: tuple[int, int, int]) -> list[Any] | None:
    """The stored buffers of our own frames, each exactly its declared samples, or None.

    Frames of one format whose buffer held exactly their samples when built share an
    interned key: their buffers are joined as is, without a memoryview per frame. A
    bytearray may have been resized by its owner since, so its length is checked again.
    """
    sr, nch, fit = key
    fixed = _KEYS.get((sr, nch, _EXACT))
    try:
        if fit == _EXACT:
            raw = [f._data for f in frames if f._key is fixed]
            if len(raw) == len(frames):
                return raw
        resizable = _KEYS.get((sr, nch, _EXACT_NOW))
        bps = 2 * nch
        raw = [
            f._data
            for f in frames
            if f._key is fixed or (f._key is resizable and len(f._data) == f._samples_per_channel * bps)
        ]
    except AttributeError:  # not all frames are ours
        return None
    return raw if len(raw) == len(frames) else None


def _combine_livekit(frames: Any, impl: AudioBackend) -> Any:
    """Combine ``livekit.rtc.AudioFrame``s reading their stored buffers, or return None.

    Their ``data`` property builds two memoryviews per call, which would dominate the
    cost of a combine; the stored fields are read instead. This is guarded: anything
    unexpected (renamed fields, another buffer layout, another type in the list) returns
    ``None`` and the caller falls back to the public properties, which give the same result.
    """
    first = frames[0]
    lk = type(first)
    try:
        sr = first._sample_rate
        nch = first._num_channels
        bps = 2 * nch
        parts = [
            d
            for f in frames
            if type(f) is lk
            and f._sample_rate == sr
            and f._num_channels == nch
            and type(d := f._data) in _PLAIN
            and len(d) == f._samples_per_channel * bps
        ]
    except AttributeError:
        return None
    if len(parts) != len(frames):
        return None
    joined = impl.combine(parts)
    return _frames.make(lk, joined, sr, nch, len(joined) // bps)


# Buffers whose len() is their size in bytes (livekit stores memoryviews cast to bytes,
# but a memoryview of another format would not be, so those take the public path).
_PLAIN = (bytes, bytearray)


def _combine_any(frames: Any, impl: AudioBackend) -> Any:
    first = frames[0]
    try:
        sr = first.sample_rate
        nch = first.num_channels
    except AttributeError:
        raise _frames.not_a_frame(first) from None
    bps = 2 * nch
    try:
        # One pass of attribute reads: for livekit frames the cost is their properties.
        parts = [
            d
            for f in frames
            if f.sample_rate == sr
            and f.num_channels == nch
            and type(d := f.data) is memoryview
            and d.nbytes == f.samples_per_channel * bps
        ]
    except AttributeError:
        parts = []
    if len(parts) == len(frames):
        joined = impl.combine(parts)
        return _frames.make(type(first), joined, sr, nch, len(joined) // bps)
    return _combine_checked(frames, impl, sr, nch)


def _combine_checked(frames: Any, impl: AudioBackend, sr: int, nch: int) -> Any:
    first = frames[0]
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
    return float(sum(_duration(f) for f in _frame_list(frames)))


def _duration(frame: Any) -> float:
    try:
        return float(frame.samples_per_channel / frame.sample_rate)
    except AttributeError:
        raise _frames.not_a_frame(frame) from None
