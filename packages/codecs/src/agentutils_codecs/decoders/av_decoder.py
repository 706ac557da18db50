"""The ``av`` decoder: PyAV (FFmpeg) for mp3, aac, opus/ogg, vorbis, flac, webm and mp4.

PyAV is imported only when a stream is decoded. Decoding runs in a worker thread that
reads from a :class:`~agentutils_codecs.StreamBuffer` fed by ``push()``, so the event loop
never waits on FFmpeg; the thread offers the GIL to the loop every millisecond of decoding,
which keeps the loop responsive while it works. Samples are converted to packed int16 at the
source's rate and layout (libswresample, as the reference decoder does); the stream
decoder then remixes and resamples them.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import threading
import time
from typing import TYPE_CHECKING, Any

from ..errors import DecodeError
from ..formats import sniff_format
from ..stream_buffer import StreamBuffer

if TYPE_CHECKING:
    from ..decoder_registry import DecoderSession, DecodeSink
    from ..formats import MediaType

__all__ = ["AvDecoder"]

_YIELD_EVERY = 0.001  # seconds of decoding between two offers of the GIL to the event loop

# MIME type -> FFmpeg demuxer name.
_CONTAINERS = {
    "audio/mpeg": "mp3",
    "audio/aac": "aac",
    "audio/flac": "flac",
    "audio/ogg": "ogg",
    "audio/opus": "ogg",
    "audio/vorbis": "ogg",
    "audio/webm": "webm",
    "audio/mp4": "mp4",
}
# Low-latency demuxing, as the reference decoder opens its container, except ``fflags=nobuffer``:
# with it FFmpeg drops the last packet of ogg, webm, flac and ADTS streams and decodes mp3
# without its gapless start trimming (the reference loses the last codec frame of a reply).
# Without it the first frame comes as early, and a stream decodes as the whole file does.
_OPTIONS = {
    "probesize": "32",
    "analyzeduration": "0",
    "flags": "low_delay",
    "reorder_queue_size": "0",
    "max_delay": "0",
    "avioflags": "direct",
}


class AvDecoder:
    """The built-in ``av`` decoder (needs ``agentutils-codecs[av]``)."""

    name = "av"
    priority = 0
    mime_types = frozenset(_CONTAINERS)

    def is_available(self) -> bool:
        """Whether PyAV is installed."""
        return importlib.util.find_spec("av") is not None

    def unavailable_reason(self) -> str:
        """Why it cannot run here."""
        return "PyAV is not installed; pip install 'agentutils-codecs[av]'"

    def sniff(self, head: bytes) -> bool:
        """Whether ``head`` starts an mp3, aac (ADTS), ogg, flac, webm or mp4 stream."""
        return sniff_format(head) in _CONTAINERS

    def open(self, media_type: MediaType | None, sink: DecodeSink) -> DecoderSession:
        """Start decoding one stream (the worker thread starts with the first bytes)."""
        container = None
        if media_type is not None:
            container = "wav" if media_type.mime == "audio/wav" else _CONTAINERS.get(media_type.mime)
        return _AvSession(sink, container, str(media_type) if media_type is not None else None)

    def __repr__(self) -> str:
        return "AvDecoder()"


class _AvSession:
    def __init__(self, sink: DecodeSink, container: str | None, format_name: str | None) -> None:
        self._sink = sink
        self._container = container
        self._format = format_name
        self._buffer = StreamBuffer()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._finished = False
        self._waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = []
        self._closing = False

    def push(self, data: bytes) -> None:
        if self._closing:
            return
        self._buffer.write(data)
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="agentutils-av-decoder", daemon=True)
            self._thread.start()

    def end_input(self) -> None:
        if self._closing:
            return
        if self._thread is None:  # nothing was pushed: an empty stream
            self._finished = True
            self._sink.finish()
            return
        self._buffer.end_input()

    async def aclose(self) -> None:
        self._closing = True
        self._buffer.close()  # a blocked read returns b"": FFmpeg sees the end of the stream
        thread = self._thread
        if thread is None:
            return
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        with self._lock:
            if not self._finished:
                self._waiters.append((loop, future))
            else:
                future.set_result(None)
        await asyncio.shield(future)
        thread.join()  # it has returned from _run, or is about to

    def _run(self) -> None:
        try:
            self._decode()
        except Exception as exc:
            if not self._closing:  # a close tears the input down; that is not a fault
                self._sink.fail(
                    DecodeError(
                        f"{type(exc).__name__}: {exc}",
                        decoder="av",
                        format=self._format or self._container,
                        offset=self._buffer.total_read,
                    )
                )
        else:
            if not self._closing:
                self._sink.finish()
        finally:
            with self._lock:
                self._finished = True
                waiters, self._waiters = self._waiters, []
            for loop, future in waiters:
                with contextlib.suppress(RuntimeError):  # a closed loop: nobody waits any more
                    loop.call_soon_threadsafe(_set_done, future)

    def _decode(self) -> None:
        import av

        container: Any = av.open(
            self._buffer, mode="r", format=self._container, buffer_size=4096, options=_OPTIONS
        )
        try:
            if not container.streams.audio:
                raise ValueError("no audio stream found")
            stream = container.streams.audio[0]
            converter: Any = None
            key: tuple[Any, ...] | None = None
            yielded = time.perf_counter()
            for frame in container.decode(stream):
                if self._closing or self._sink.closed:
                    return
                frame_key = (frame.layout.name, frame.sample_rate)
                if converter is None or frame_key != key:
                    if converter is not None:
                        self._emit_all(converter.resample(None))
                    converter = av.AudioResampler(format="s16", layout=frame.layout, rate=frame.sample_rate)
                    key = frame_key
                self._emit_all(converter.resample(frame))
                now = time.perf_counter()
                if now - yielded > _YIELD_EVERY:
                    # Hand the GIL to the event loop's thread if it waits for it: without
                    # this it would wait for the interpreter's switch interval (5 ms).
                    time.sleep(0)
                    yielded = now
            if converter is not None:
                self._emit_all(converter.resample(None))
        finally:
            container.close()

    def _emit_all(self, frames: list[Any]) -> None:
        for f in frames:
            channels = len(f.layout.channels)
            size = f.samples * channels * 2
            if size:
                self._sink.emit(bytes(f.planes[0])[:size], int(f.sample_rate), channels)


def _set_done(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)
