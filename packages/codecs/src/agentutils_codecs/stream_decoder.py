"""``AudioStreamDecoder``: bytes in as they arrive, PCM frames out at the rate and channels asked for.

The decoder is chosen once per stream (see :mod:`agentutils_codecs.decoder_registry`):
by ``decoder=``, ``AGENTUTILS_AUDIO_DECODER``, the ``format=`` MIME type, or the first
bytes. Inline decoders (``wav``, ``pcm``, ``g711``) convert each push on the event loop,
so its samples are ready to be consumed before ``push()`` returns: no frame waits for more
audio. Threaded ones (``av``) decode in a worker thread. Decoded samples are remixed to
``num_channels`` and resampled to ``sample_rate`` by ``agentutils_audio`` where they are
decoded, then queued for the consumer.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections import deque
from typing import TYPE_CHECKING, Any

from agentutils_audio import AudioFrame
from agentutils_core.checks import check_num_channels, check_sample_rate

from .decoder_registry import _claims, audio_decoders, select_decoder
from .errors import InputClosedError
from .formats import SNIFF_SIZE, parse_media_type

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable, Callable

    from .decoder_registry import AudioDecoder, DecoderSession
    from .formats import MediaType

__all__ = ["AudioStreamDecoder"]

# MIME types that say nothing about the format: the stream is sniffed instead.
_GENERIC_TYPES = frozenset({"application/octet-stream", "binary/octet-stream", "audio/*", "audio/unknown"})


class _Output:
    """The frames waiting for the consumer, and how the stream ended; safe across threads.

    Samples that need no conversion are queued raw, as pushed, in an open run that becomes
    one frame when the consumer takes it: a consumer that keeps up gets each push's samples
    at once, one that lags gets fewer, larger frames (a run is closed at 100 ms) instead of
    a backlog of small ones. Closed runs and converted frames wait in ``_items``, in order,
    before the open run.
    """

    def __init__(self, frame_type: Any = None) -> None:
        self._frame_type = frame_type
        self._lock = threading.Lock()
        self._items: deque[Any] = deque()  # frames, and closed runs as (parts, rate, channels)
        self._parts: list[bytes] = []  # the open run of raw samples
        self._size = 0  # its bytes
        self._rate = self._channels = 0  # its format
        self._cap = 0  # the bytes in 100 ms of that format
        self.ended = False  # the stream ended (or the output was closed): nothing more is queued
        self._error: BaseException | None = None
        self._waiters: deque[asyncio.Future[None]] = deque()  # consumers waiting, first first
        self.closed = False
        self.override: BaseException | None = None  # an error that replaces the decoder's ending

    def put(self, item: Any) -> None:
        with self._lock:
            if self.ended:  # closed included
                return
            if self._parts:
                self._close_run()  # the raw samples before it come first
            self._items.append(item)
            waiter = self._waiters.popleft() if self._waiters else None
        _wake(waiter)

    def put_raw(self, pcm: bytes, rate: int, channels: int) -> None:
        """Queue whole int16 sample frames of ``rate`` and ``channels`` (``bytes``, kept as they are)."""
        # The hot path: lock.acquire/release, as ``with lock`` costs about 3x more here.
        lock = self._lock
        lock.acquire()
        try:
            if self.ended:  # closed included
                return
            size = self._size + len(pcm)
            if size > self._cap or rate != self._rate or channels != self._channels:
                size = self._open_run(pcm, rate, channels)
            self._parts.append(pcm)
            self._size = size
            if not self._waiters:
                return
            waiter = self._waiters.popleft()
        finally:
            lock.release()
        if asyncio._get_running_loop() is waiter.get_loop():  # the consumer's loop: no self-pipe
            if not waiter.done():
                waiter.set_result(None)
        else:
            _wake(waiter)

    def _open_run(self, pcm: bytes, rate: int, channels: int) -> int:
        """Close the open run if ``pcm`` does not belong to it; return the run's size with ``pcm``."""
        if rate != self._rate or channels != self._channels:
            if self._parts:
                self._close_run()
            self._rate, self._channels, self._cap = rate, channels, rate // 10 * channels * 2
        elif self._parts:  # full
            self._close_run()
        return len(pcm)

    def _close_run(self) -> None:
        self._items.append((self._parts, self._rate, self._channels))
        self._parts = []
        self._size = 0

    def end(self, error: BaseException | None) -> None:
        with self._lock:
            if self.ended:
                return
            self.ended = True
            self._error = self.override if self.override is not None else error
            waiters, self._waiters = self._waiters, deque()
        for waiter in waiters:
            _wake(waiter)

    def close(self) -> None:
        with self._lock:
            self.closed = self.ended = True
            self._items.clear()
            self._parts = []
            self._size = 0
            self._error = None
            waiters, self._waiters = self._waiters, deque()
        for waiter in waiters:
            _wake(waiter)

    async def get(self) -> Any:
        lock = self._lock
        while True:
            lock.acquire()
            try:
                parts: list[bytes] | None = self._parts
                if self._items:
                    item = self._items.popleft()
                    if type(item) is not tuple:
                        return item
                    parts, rate, channels = item
                elif parts:
                    rate, channels = self._rate, self._channels
                    self._parts = []
                    self._size = 0
                elif self.ended:
                    error, self._error = self._error, None  # raised once, then the end
                    if error is not None:
                        raise error
                    raise StopAsyncIteration
                else:
                    waiter = asyncio.get_running_loop().create_future()
                    self._waiters.append(waiter)
                    parts = None
            finally:
                lock.release()
            if parts is not None:  # raw samples: one frame
                data = parts[0] if len(parts) == 1 else b"".join(parts)
                if self._frame_type is None:
                    return AudioFrame(data, rate, channels, len(data) // (2 * channels))
                return self._frame_type(
                    data=data,
                    sample_rate=rate,
                    num_channels=channels,
                    samples_per_channel=len(data) // (2 * channels),
                )
            try:
                await waiter
            except BaseException:  # cancelled
                self._forget(waiter)
                raise

    def _forget(self, waiter: asyncio.Future[None]) -> None:
        """A cancelled consumer stops waiting; a wake it got goes to the next one."""
        with self._lock:
            if waiter in self._waiters:
                self._waiters.remove(waiter)
                return
            ready = bool(self._items or self._parts or self.ended)
            other = self._waiters.popleft() if ready and self._waiters else None
        _wake(other)


def _wake(waiter: asyncio.Future[None] | None) -> None:
    if waiter is None:
        return
    loop = waiter.get_loop()
    if asyncio._get_running_loop() is loop:  # on the loop's own thread: no self-pipe write
        if not waiter.done():
            waiter.set_result(None)
        return
    with contextlib.suppress(RuntimeError):  # its loop is closed: nobody waits any more
        loop.call_soon_threadsafe(_set_done, waiter)


def _set_done(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


class _Pipeline:
    """The sink decoders write to: remix, resample, build frames, queue them."""

    def __init__(
        self, output: _Output, sample_rate: int | None, num_channels: int | None, frame_type: Any
    ) -> None:
        self._output = output
        self._sample_rate = sample_rate
        self._num_channels = num_channels
        self._frame_type = frame_type
        self._source_rate = self._source_channels = 0  # of the samples emitted last (0: none yet)
        self._resampler: Any = None
        self._passthrough = False  # the source's format is the output's: frames as decoded

    @property
    def closed(self) -> bool:
        return self._output.closed

    def raw_sink(self, sample_rate: int, num_channels: int) -> Callable[[bytes, int, int], None] | None:
        """Where whole int16 sample frames of this format can go as they are, or ``None``.

        A decoder's shortcut for the samples it would :meth:`emit` unconverted: when the
        output's rate and channels are the source's, the function returned queues them for
        the consumer with no conversion, copy or check (``put(pcm, sample_rate,
        num_channels)``; ``pcm`` must be ``bytes`` of whole sample frames). Valid until the
        decoder emits another format.
        """
        self._switch(sample_rate, num_channels)
        return self._output.put_raw if self._passthrough else None

    def _switch(self, sample_rate: int, num_channels: int) -> None:
        if sample_rate != self._source_rate or num_channels != self._source_channels:
            self._drain()  # a new source format (a new RIFF): the old one's resampler tail first
            self._source_rate, self._source_channels = sample_rate, num_channels
            self._passthrough = self._sample_rate in (None, sample_rate) and self._num_channels in (
                None,
                num_channels,
            )

    def emit(self, pcm: bytes | bytearray | memoryview, sample_rate: int, num_channels: int) -> None:
        self._switch(sample_rate, num_channels)
        if len(pcm) % (2 * num_channels):
            raise ValueError(
                f"emit() takes whole sample frames of {2 * num_channels} bytes "
                f"({num_channels} channels of int16), got {len(pcm)} bytes"
            )
        if self._passthrough:  # queued as is (nothing once closed), made a frame when taken
            data = pcm if type(pcm) is bytes else bytes(pcm)  # a buffer its owner could change: copied
            if data:
                self._output.put_raw(data, sample_rate, num_channels)
            return
        samples = len(pcm) // (2 * num_channels)
        if samples == 0 or self._output.closed:
            return
        frame = AudioFrame(pcm, sample_rate, num_channels, samples)
        out_channels = self._num_channels or num_channels
        if out_channels != num_channels:
            frame = _remix(frame, out_channels)
        out_rate = self._sample_rate or sample_rate
        if out_rate == sample_rate:
            self._put(frame)
            return
        if self._resampler is None:
            from agentutils_audio import AudioResampler

            self._resampler = AudioResampler(sample_rate, out_rate, num_channels=out_channels)
        for resampled in self._resampler.push(frame):
            self._put(resampled)

    def _drain(self) -> None:
        """Flush the resampler of the previous source format (its tail samples)."""
        resampler, self._resampler = self._resampler, None
        if resampler is None:
            return
        try:
            if not self._output.closed:
                for frame in resampler.flush():
                    self._put(frame)
        finally:
            resampler.close()

    def _put(self, frame: Any) -> None:
        if frame.samples_per_channel == 0:
            return
        if self._frame_type is not None and type(frame) is not self._frame_type:
            frame = self._frame_type(
                data=bytes(memoryview(frame.data).cast("B")),
                sample_rate=frame.sample_rate,
                num_channels=frame.num_channels,
                samples_per_channel=frame.samples_per_channel,
            )
        self._output.put(frame)

    def fail(self, error: BaseException) -> None:
        try:
            self._drain()
        finally:
            self._output.end(error)

    def finish(self) -> None:
        try:
            self._drain()
        finally:
            self._output.end(None)


def _remix(frame: Any, num_channels: int) -> Any:
    from agentutils_audio import remix_frame

    if frame.num_channels != 1 and num_channels != 1:  # N -> M: through mono
        frame = remix_frame(frame, 1)
    return remix_frame(frame, num_channels)


class AudioStreamDecoder:
    r"""Decode a stream of encoded audio (WAV, PCM, G.711, mp3, opus...) into PCM frames.

    Push the bytes as they arrive, call :meth:`end_input` after the last, and iterate the
    frames (``async for frame in decoder``). Frames come out at ``sample_rate`` with
    ``num_channels`` channels. A decoder serves one stream. It can be constructed outside
    a running event loop.

    Args:
        sample_rate: the output rate in Hz, or ``None`` for the source's.
        num_channels: the output channel count, or ``None`` for the source's. Mono is
            duplicated to N channels, N channels averaged to mono (N to M goes through mono).
        format: the stream's MIME type (``"audio/mpeg"``, ``"audio/pcm;rate=24000"``...), or
            ``None`` to recognise it from its first bytes.
        decoder: a decoder name (``"wav"``, ``"av"``...) or object; ``None`` chooses one.
        frame_type: the frame class to build (``livekit.rtc.AudioFrame``...), called with
            the keywords ``data``, ``sample_rate``, ``num_channels`` and
            ``samples_per_channel``; ``agentutils_audio.AudioFrame`` when omitted.

    Raises:
        TypeError: a bad argument type (a rate or channel count that is not an int...).
        ValueError: a rate or channel count that is not positive, a malformed ``format``,
            or a format missing what its decoder needs (``rate`` for headerless PCM).
        UnsupportedFormatError: no installed decoder handles ``format``.
        agentutils_core.UnknownProviderError: ``decoder`` names no registered decoder.
        agentutils_core.ProviderUnavailableError: the named decoder cannot run here.

    Example:
        >>> import asyncio
        >>> async def main():
        ...     decoder = AudioStreamDecoder(sample_rate=None, format="audio/pcm;rate=16000")
        ...     decoder.push(b"\x01\x00\x02\x00")
        ...     decoder.end_input()
        ...     return [f.data.tolist() async for f in decoder]
        >>> asyncio.run(main())
        [[1, 2]]

    """

    def __init__(
        self,
        *,
        sample_rate: int | None = 48000,
        num_channels: int | None = 1,
        format: str | None = None,
        decoder: str | AudioDecoder | None = None,
        frame_type: Any = None,
    ) -> None:
        self._sample_rate = None if sample_rate is None else check_sample_rate(sample_rate)
        self._num_channels = None if num_channels is None else check_num_channels(num_channels)
        if frame_type is not None and not callable(frame_type):
            raise TypeError(f"frame_type must be a frame class or None, got {type(frame_type).__name__}")
        media_type = parse_media_type(format) if format is not None else None
        self._media_type = media_type
        self._output = _Output(frame_type)
        self._sink = _Pipeline(self._output, self._sample_rate, self._num_channels, frame_type)
        self._session: DecoderSession | None = None
        self._decoder_choice = decoder
        self._decoder: AudioDecoder | None = None
        self._head = b""
        self._ended = False
        self._closed = False
        self._session_closed = False  # its aclose() has returned
        if decoder is not None or (media_type is not None and not self._sniff_instead(media_type)):
            self._decoder = select_decoder(decoder, media_type=media_type)
            self._session = self._decoder.open(media_type, self._sink)

    @staticmethod
    def _sniff_instead(media_type: MediaType) -> bool:
        """A generic MIME type that no decoder claims is recognised from the bytes instead."""
        if media_type.mime not in _GENERIC_TYPES:
            return False
        return not any(_claims(e.provider, media_type, None) for e in audio_decoders.entries())

    @property
    def decoder(self) -> AudioDecoder | None:
        """The decoder chosen for the stream (``None`` until its first bytes when sniffing)."""
        return self._decoder

    def push(self, chunk: bytes | bytearray | memoryview) -> None:
        """Feed the next bytes of the stream (any size; empty chunks are ignored).

        Raises:
            TypeError: ``chunk`` is not bytes-like.
            InputClosedError: after :meth:`end_input` or :meth:`aclose`.

        """
        session = self._session
        if type(chunk) is bytes and session is not None and not (self._ended or self._output.ended):
            try:  # the common case: bytes for an open session
                session.push(chunk)
            except Exception as exc:  # a decoder's own bug still ends the stream, with its error
                self._output.end(exc)
            return
        if self._closed or self._ended:
            which = "aclose(): the decoder is closed" if self._closed else "end_input(): the stream has ended"
            raise InputClosedError(f"push() after {which}")
        if type(chunk) is bytes:
            data = chunk
        elif isinstance(chunk, (bytes, bytearray, memoryview)):
            data = bytes(chunk)  # a copy of a buffer its owner may change; a bytes subclass as bytes
        else:
            raise TypeError(f"chunk must be bytes, bytearray or memoryview, got {type(chunk).__name__}")
        if not data or self._output.ended:
            return
        if self._session is None:
            self._head += data
            if len(self._head) < SNIFF_SIZE or not self._open_sniffed():
                return
            data, self._head = self._head, b""
        try:
            self._session.push(data)  # type: ignore[union-attr]  # opened above
        except Exception as exc:  # a decoder's own bug still ends the stream, with its error
            self._output.end(exc)

    def _open_sniffed(self) -> bool:
        try:
            self._decoder = select_decoder(self._decoder_choice, head=self._head[:SNIFF_SIZE])
            sniffed = self._media_type
            if sniffed is None or sniffed.mime in _GENERIC_TYPES:
                from .formats import sniff_format

                mime = sniff_format(self._head[:SNIFF_SIZE])
                sniffed = parse_media_type(mime) if mime is not None else None
            self._session = self._decoder.open(sniffed, self._sink)
        except Exception as exc:  # no decoder for these bytes: the consumer gets the error
            self._output.end(exc)
            return False
        return True

    def _feed(self, data: bytes) -> None:
        assert self._session is not None
        try:
            self._session.push(data)
        except Exception as exc:  # a decoder's own bug still ends the stream, with its error
            self._output.end(exc)

    def end_input(self) -> None:
        """Mark the end of the stream: the iteration ends once everything is decoded."""
        if self._ended or self._closed:
            return
        self._ended = True
        if self._session is None and self._head and not self._output.ended and self._open_sniffed():
            data, self._head = self._head, b""
            self._feed(data)
        if self._session is None:
            self._output.end(None)  # nothing came: an empty stream
            return
        try:
            self._session.end_input()
        except Exception as exc:
            self._output.end(exc)

    def _abort_input(self, error: BaseException) -> None:
        """End the input because reading it failed: ``error`` follows the frames decoded so far."""
        self._output.override = error
        self.end_input()

    async def aclose(self) -> None:
        """Stop decoding and release everything; frames not consumed are dropped.

        Silent and idempotent; when it returns, no thread or task of the decoder is left.
        """
        if not self._closed:
            self._closed = True
            self._output.close()
        if self._session is not None and not self._session_closed:
            await self._session.aclose()  # cancelled meanwhile: the next aclose() waits again
            self._session_closed = True

    def __aiter__(self) -> AsyncIterator[Any]:
        return self

    def __anext__(self) -> Awaitable[Any]:
        """The next frame (an awaitable).

        Raises:
            DecodeError: the data is corrupt or truncated (after every frame before the fault).
            UnsupportedFormatError: no installed decoder recognises the stream.

        """
        return self._output.get()
