"""``audio_frames_from_file``: decode an audio file into frames, as an async generator."""

from __future__ import annotations

import asyncio
import contextlib
import functools
from typing import TYPE_CHECKING, Any, BinaryIO, TypeVar

from .stream_decoder import AudioStreamDecoder

if TYPE_CHECKING:
    import os
    from collections.abc import AsyncGenerator, Callable

__all__ = ["audio_frames_from_file"]

_CHUNK = 64 * 1024
_T = TypeVar("_T")


def _open(path: str | os.PathLike[str]) -> BinaryIO:
    return open(path, "rb")


async def _in_thread(call: Callable[[], _T], abandoned: Callable[[asyncio.Future[_T]], None]) -> _T:
    """Run ``call()`` in the default executor and return its result.

    If the caller is cancelled meanwhile, the thread keeps running and
    ``abandoned(future)`` is called on the loop once it is done.
    """
    future = asyncio.get_running_loop().run_in_executor(None, call)
    try:
        return await asyncio.shield(future)
    except asyncio.CancelledError:
        future.add_done_callback(abandoned)
        raise


def _close_opened(future: asyncio.Future[BinaryIO]) -> None:
    """A file opened for a reader that was cancelled meanwhile: close it."""
    if not future.cancelled() and future.exception() is None:
        future.result().close()


def _close_after_read(f: BinaryIO, future: asyncio.Future[bytes]) -> None:
    """A read for a reader that was cancelled meanwhile is over: close the file."""
    if not future.cancelled():
        future.exception()  # retrieved: nobody reads the result any more
    f.close()


async def _read_into(path: str | os.PathLike[str], decoder: AudioStreamDecoder) -> None:
    """Push the file's bytes; a read error ends the input with that error, cancellation does not.

    Cancelled while the open or a read runs in its thread, the file is closed once that
    call returns (not under a read in progress, and not leaked by an open that completes
    after the consumer left).
    """
    try:
        f = await _in_thread(functools.partial(_open, path), _close_opened)
        close_now = True
        try:
            close_later = functools.partial(_close_after_read, f)
            while chunk := await _in_thread(functools.partial(f.read, _CHUNK), close_later):
                decoder.push(chunk)
        except asyncio.CancelledError:
            close_now = False  # close_later closes it after the read in flight
            raise
        finally:
            if close_now:
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
