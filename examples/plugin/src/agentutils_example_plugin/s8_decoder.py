"""The ``s8`` audio decoder: headerless signed 8-bit PCM (``audio/x-s8;rate=8000;channels=1``).

A complete decoder in a few lines: it declares its MIME type, never sniffs (raw PCM has no
signature), and converts each pushed chunk at once, on the event loop. It satisfies
``agentutils_codecs.AudioDecoder`` structurally; nothing is imported from agentutils-codecs
until a stream is opened.
"""

from __future__ import annotations

from typing import Any

__all__ = ["S8Decoder"]


class _S8Session:
    def __init__(self, sink: Any, sample_rate: int, num_channels: int) -> None:
        self._sink = sink
        self._rate = sample_rate
        self._channels = num_channels
        self._carry = b""
        self._offset = 0
        self._format = f"audio/x-s8;rate={sample_rate};channels={num_channels}"

    def push(self, data: bytes) -> None:
        buf = self._carry + data
        whole = len(buf) - len(buf) % self._channels
        self._offset += len(data)
        if whole:
            out = bytearray(2 * whole)
            out[1::2] = buf[:whole]  # each signed byte becomes the high byte of an int16
            self._sink.emit(bytes(out), self._rate, self._channels)
        self._carry = buf[whole:]

    def end_input(self) -> None:
        if self._carry:
            from agentutils_codecs import DecodeError

            self._sink.fail(
                DecodeError(
                    "truncated: the stream ends inside a sample frame",
                    decoder="s8",
                    format=self._format,
                    offset=self._offset - len(self._carry),
                )
            )
        else:
            self._sink.finish()

    async def aclose(self) -> None:
        self._carry = b""


class S8Decoder:
    """Signed 8-bit PCM, declared by MIME type; priority -100 (used only when asked for)."""

    name = "s8"
    priority = -100
    mime_types = frozenset({"audio/x-s8"})

    def is_available(self) -> bool:
        """Always available: pure Python."""
        return True

    def sniff(self, head: bytes) -> bool:
        """Never: raw PCM has no signature."""
        return False

    def open(self, media_type: Any, sink: Any) -> _S8Session:
        """Start decoding one stream: ``rate`` (default 8000) and ``channels`` (default 1)."""
        rate = media_type.int_param("rate", 8000) if media_type is not None else 8000
        channels = media_type.int_param("channels", 1) if media_type is not None else 1
        return _S8Session(sink, rate, channels)
