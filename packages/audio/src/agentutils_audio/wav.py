"""Read and write WAV files (16-bit integer PCM) with the standard library ``wave`` module."""

from __future__ import annotations

import os
import wave
from typing import IO, TYPE_CHECKING

from . import _frames
from .errors import WavFormatError
from .frame import AudioFrame, FrameLike

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["WavSource", "read_wav", "write_wav"]

WavSource = str | os.PathLike[str] | IO[bytes]
"""A path, or a binary file object (readable for :func:`read_wav`, writable for :func:`write_wav`)."""


def read_wav(source: WavSource, *, samples_per_channel: int | None = None) -> list[AudioFrame]:
    """Read a 16-bit PCM WAV file into frames.

    Args:
        source: a path or a binary file object.
        samples_per_channel: cut the audio into frames of this many samples (the last
            may be shorter); one frame holding the whole file when omitted.

    Returns:
        The frames, in order (empty for a file without samples).

    Raises:
        WavFormatError: (a ``ValueError``) the file is not a WAV file, is truncated or
            corrupt, or is not 16-bit integer PCM; the message says what was found.
        OSError: the path cannot be opened.
        TypeError, ValueError: ``samples_per_channel`` is not a positive int.

    """
    if samples_per_channel is not None:
        if isinstance(samples_per_channel, bool) or not isinstance(samples_per_channel, int):
            got = type(samples_per_channel).__name__
            raise TypeError(f"samples_per_channel must be an int or None, got {got}")
        if samples_per_channel <= 0:
            raise ValueError(f"samples_per_channel must be greater than 0, got {samples_per_channel}")
    name = _name(source)
    try:
        with wave.open(_openable(source), "rb") as wav:
            width = wav.getsampwidth()
            if width != 2:
                raise WavFormatError(
                    f"{name}: expected 16-bit PCM (sample width 2 bytes), got {width * 8}-bit samples"
                )
            nch = wav.getnchannels()
            rate = wav.getframerate()
            declared = wav.getnframes()
            data = wav.readframes(declared)
    except (wave.Error, EOFError) as exc:
        detail = str(exc) or type(exc).__name__
        raise WavFormatError(f"{name}: not a valid 16-bit PCM WAV file ({detail})") from exc
    if nch <= 0 or rate <= 0:
        raise WavFormatError(f"{name}: corrupt header: {nch} channel(s) at {rate} Hz")
    bytes_per_sample = 2 * nch
    if len(data) < declared * bytes_per_sample:
        raise WavFormatError(
            f"{name}: truncated: the header declares {declared} samples per channel, "
            f"the data holds {len(data) // bytes_per_sample}"
        )
    total = len(data) // bytes_per_sample
    if total == 0:
        return []
    step = samples_per_channel or total
    frames = []
    for start in range(0, total, step):
        count = min(step, total - start)
        chunk = bytearray(data[start * bytes_per_sample : (start + count) * bytes_per_sample])
        frames.append(AudioFrame(chunk, rate, nch, count))
    return frames


def write_wav(destination: WavSource, frames: FrameLike | Iterable[FrameLike]) -> None:
    """Write a frame, or frames of one format, to a 16-bit PCM WAV file.

    Args:
        destination: a path (created or truncated) or a writable binary file object.
        frames: a frame or an iterable of frames with one sample rate and channel count.

    Raises:
        ValueError: there are no frames.
        FormatMismatchError: the frames differ in sample rate or channel count.
        TypeError: an item is not frame-like.

    """
    if hasattr(frames, "samples_per_channel"):
        items: list[FrameLike] | tuple[FrameLike, ...] = [frames]  # type: ignore[list-item]
    else:
        items = _frames.frame_items(frames, "write_wav")
    if not items:
        raise ValueError("write_wav needs at least one frame, got none")
    parts = [_frames.pcm(f) for f in items]
    _frames.check_same_format(parts)
    _, rate, nch, _ = parts[0]
    with wave.open(_openable(destination), "wb") as wav:
        wav.setnchannels(nch)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        for data, _, _, _ in parts:
            wav.writeframesraw(data)


def _openable(source: WavSource) -> str | IO[bytes]:
    # wave.open takes str paths or file objects, not os.PathLike (before Python 3.12).
    if isinstance(source, os.PathLike):
        return os.fspath(source)
    return source


def _name(source: object) -> str:
    if isinstance(source, (str, os.PathLike)):
        return os.fspath(source)
    return getattr(source, "name", None) or type(source).__name__
