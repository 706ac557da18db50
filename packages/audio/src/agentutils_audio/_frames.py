"""Internal helpers: read any frame-like object, and build a frame of a given type."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from .errors import FormatMismatchError
from .frame import _EXACT, AudioFrame
from .pcm import pcm16_bytes

__all__: list[str] = []

T = TypeVar("T")

_ATTRS = ("data", "sample_rate", "num_channels", "samples_per_channel")


def describe(obj: object) -> str:
    """Name the type of ``obj`` for error messages."""
    return type(obj).__name__


def not_a_frame(obj: object) -> TypeError:
    """The error for an object that lacks the frame attributes."""
    missing = [a for a in _ATTRS if not hasattr(obj, a)]
    return TypeError(
        "expected an audio frame (an object with data, sample_rate, num_channels and "
        f"samples_per_channel), got {describe(obj)} (missing {', '.join(missing)})"
    )


def frame_items(frames: Iterable[T], caller: str) -> list[T] | tuple[T, ...]:
    """Return ``frames`` as a list or tuple, or raise if it is not an iterable of frames.

    Raises:
        TypeError: ``frames`` is a single frame, a bytes-like object, or not iterable.

    """
    if type(frames) is list or type(frames) is tuple:
        return frames
    if isinstance(frames, (str, bytes, bytearray, memoryview)) or not isinstance(frames, Iterable):
        raise TypeError(f"{caller} expects an iterable of frames, got {describe(frames)}")
    return list(frames)


def pcm(frame: Any) -> tuple[bytes | bytearray | memoryview, int, int, int]:
    """Return ``(declared samples as a byte buffer, sample_rate, num_channels, samples_per_channel)``.

    The buffer is the frame's own storage (no copy), cut to the declared samples.

    Raises:
        TypeError: ``frame`` is not frame-like, or its data is not a buffer.
        ValueError: its data holds fewer bytes than it declares.

    """
    if type(frame) is AudioFrame:
        data: Any = frame._data
        sr, nch, spc = frame._sample_rate, frame._num_channels, frame._samples_per_channel
        if frame._key[2] == _EXACT:  # not a bytearray, which its owner may have resized
            return data, sr, nch, spc
        return exact(data, nch, spc, frame), sr, nch, spc
    try:
        data = frame.data
        sr = frame.sample_rate
        nch = frame.num_channels
        spc = frame.samples_per_channel
    except AttributeError:
        raise not_a_frame(frame) from None
    return exact(data, nch, spc, frame), sr, nch, spc


def check_same_format(parsed: Sequence[tuple[Any, int, int, int]], *, same_length: bool = False) -> None:
    """Check that the :func:`pcm` tuples of frames share the first one's format.

    Raises:
        FormatMismatchError: a sample rate or channel count differs (or, with
            ``same_length``, a ``samples_per_channel``); the message names both values.

    """
    _, sr, nch, spc = parsed[0]
    for _, sr2, nch2, spc2 in parsed[1:]:
        if sr2 != sr:
            raise FormatMismatchError(f"sample rate mismatch: expected {sr}, got {sr2}")
        if nch2 != nch:
            raise FormatMismatchError(f"channel count mismatch: expected {nch}, got {nch2}")
        if same_length and spc2 != spc:
            raise FormatMismatchError(f"samples_per_channel mismatch: expected {spc}, got {spc2}")


def exact(data: Any, nch: int, spc: int, frame: object) -> bytes | bytearray | memoryview:
    """Return ``data`` cut to ``nch * spc`` int16 samples, read through :func:`pcm.pcm16_bytes`.

    Raises:
        TypeError: ``data`` is not a buffer of bytes or int16 items.
        ValueError: it is not C-contiguous, or holds fewer bytes than declared.

    """
    needed = nch * spc * 2
    buf = pcm16_bytes(data, f"the data of a {describe(frame)}")
    size = len(buf)
    if size == needed:
        return buf
    if size < needed:
        raise ValueError(
            f"frame data is too short: expected at least {needed} bytes for {nch} channel(s) x "
            f"{spc} samples, got {size}"
        )
    return memoryview(buf)[:needed]


def livekit_frame_type() -> type | None:
    """``livekit.rtc.AudioFrame`` if livekit is already imported, else None (never imports it)."""
    rtc = sys.modules.get("livekit.rtc")
    frame_type = getattr(rtc, "AudioFrame", None)
    return frame_type if isinstance(frame_type, type) else None


def livekit_buffers(frames: Sequence[Any]) -> tuple[list[Any], int, int] | None:
    """``(stored buffers, sample_rate, num_channels)`` of ``livekit.rtc.AudioFrame``s, or None.

    The one place that reads livekit's private frame fields (``_data``, ``_sample_rate``,
    ``_num_channels``, ``_samples_per_channel``): their ``data`` property builds two
    memoryviews per call, which would dominate the cost of a combine (see the benchmark).
    Anything unexpected (renamed fields, another buffer layout, another type or format in
    the list) returns None and the caller reads the public properties, with the same
    result; a test fails loudly when livekit renames the fields.
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
    return (parts, sr, nch) if len(parts) == len(frames) else None


# Buffers whose len() is their size in bytes (livekit stores a bytearray; a memoryview of
# another format would not be, so those take the public path).
_PLAIN = (bytes, bytearray)


def make(like: type[T], data: bytes | bytearray | memoryview, sr: int, nch: int, spc: int) -> T:
    """Build a frame of type ``like`` (keyword constructor, as ``livekit.rtc.AudioFrame``).

    Raises:
        TypeError: the type cannot be built from those four keyword arguments.

    """
    if like is AudioFrame:
        return AudioFrame(data, sr, nch, spc)  # type: ignore[return-value]
    try:
        return like(data=data, sample_rate=sr, num_channels=nch, samples_per_channel=spc)  # type: ignore[call-arg]
    except TypeError as exc:
        raise TypeError(
            f"cannot build a {like.__name__} result: expected a constructor accepting data, "
            f"sample_rate, num_channels and samples_per_channel keywords ({exc})"
        ) from exc
