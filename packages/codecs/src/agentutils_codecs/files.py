"""``audio_frames_from_file``: decode an audio file into frames, as an async generator."""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING, Any, BinaryIO

from .stream_decoder import AudioStreamDecoder

if TYPE_CHECKING:
    import os
    from collections.abc import AsyncGenerator

__all__ = ["audio_frames_from_file"]

_CHUNK = 64 * 1024


def _open(path: str | os.PathLike[str]) -> BinaryIO:
    return open(path, "rb")


async def _read_into(path: str | os.PathLike[str], decoder: AudioStreamDecoder) -> None:
    """Push the file's bytes; a read error ends the input with that error, cancellation does not."""
    try:
        f = await asyncio.to_thread(_open, path)
        try:
            while chunk := await asyncio.to_thread(f.read, _CHUNK):
                decoder.push(chunk)
        finally:
            f.close()
    except asyncio.CancelledError:
        raise  # a truncated read is not the end of the file: no end_input()
    except Exception as exc:
        decoder._abort_input(exc)
    else:
        decoder.end_input()


async def audio_frames_from_file(
    file_path: str | os.PathLike[str], sample_rate: int = 48000, num_channels: int = 1
) -> AsyncGenerator[Any, None]:
    """Decode the audio file at ``file_path`` and yield its frames.

    The format is recognised from the file's first bytes. Frames are
    ``agentutils_audio.AudioFrame`` objects at ``sample_rate`` with ``num_channels``.
    Closing or cancelling the generator stops the read without signalling the end of
    input (the decoder is closed, not told the file ended); a read error (a missing file
    included) is raised to the consumer after the frames decoded before it.

    Raises:
        OSError: the file cannot be opened or read.
        DecodeError: the file is corrupt or truncated.
        UnsupportedFormatError: no installed decoder handles the file's format.
        TypeError, ValueError: a bad ``sample_rate`` or ``num_channels``.

    """
    decoder = AudioStreamDecoder(sample_rate=sample_rate, num_channels=num_channels)
    reader = asyncio.create_task(_read_into(file_path, decoder))
    try:
        async for frame in decoder:
            yield frame
    finally:
        if not reader.done():
            reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await reader
        await decoder.aclose()
