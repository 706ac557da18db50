"""The ``wav`` decoder: a streaming RIFF/WAVE parser that runs on the event loop.

It handles PCM 8/16/24/32-bit, IEEE float 32/64 (converted to int16 with saturation),
G.711 A-law/µ-law, ``WAVE_FORMAT_EXTENSIBLE``, odd-sized chunks and their pad byte, and
the ``data`` size: bytes after it continue the RIFF (further chunks), start a new RIFF,
or are ignored. A ``data`` size of 0 or 0xFFFFFFFF means "until the end of the stream"
(streaming TTS providers send that); while in such a chunk, a push that starts with a
complete ``RIFF....WAVE`` header at a sample boundary starts a new file, as the reference
decoder does for providers that send one WAV file per chunk. Several RIFF files back to
back, with known sizes, are decoded in order whatever the chunking.
"""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING

from ..errors import DecodeError
from ._pcm import Framer, PcmFormat

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..decoder_registry import DecoderSession, DecodeSink
    from ..formats import MediaType

__all__ = ["WavDecoder"]

_UNKNOWN_SIZES = (0, 0xFFFFFFFF)
_EXTENSIBLE = 0xFFFE
_FMT_MAX = 18 + 0xFFFF  # WAVEFORMATEX and the most extra bytes its cbSize can announce
# (format tag, bits per sample) -> encoding
_ENCODINGS = {
    (1, 8): "u8",
    (1, 16): "s16",
    (1, 24): "s24",
    (1, 32): "s32",
    (3, 32): "f32",
    (3, 64): "f64",
    (6, 8): "alaw",
    (7, 8): "ulaw",
}


# Parser states (plain ints: compared on every push).
_RIFF = 0  # reading the 12-byte RIFF header
_CHUNK = 1  # reading an 8-byte chunk header
_FMT = 2  # reading the fmt chunk body
_SKIP = 3  # skipping a chunk body (or a pad byte)
_DATA = 4  # streaming samples
_AFTER = 5  # after a file: reading 4 bytes to see whether another RIFF follows
_IGNORE = 6  # the rest of the stream is not audio


class WavDecoder:
    """The built-in ``wav`` decoder (``audio/wav`` and its aliases, sniffed as RIFF/WAVE)."""

    name = "wav"
    priority = 0
    mime_types = frozenset({"audio/wav"})

    def is_available(self) -> bool:
        """Always available: pure Python."""
        return True

    def sniff(self, head: bytes) -> bool:
        """Whether ``head`` starts with a RIFF/WAVE header."""
        return head[:4] == b"RIFF" and head[8:12] == b"WAVE"

    def open(self, media_type: MediaType | None, sink: DecodeSink) -> DecoderSession:
        """Start parsing one stream."""
        return _WavSession(sink, str(media_type) if media_type is not None else "audio/wav")

    def __repr__(self) -> str:
        return "WavDecoder()"


class _WavSession:
    def __init__(self, sink: DecodeSink, format_name: str) -> None:
        self._sink = sink
        self._format = format_name
        self._offset = 0  # stream offset of the next byte to process
        self._state = _RIFF
        self._hdr = bytearray()
        self._need = 12
        self._skip = 0
        self._riff_end: int | None = None
        self._data_left: int | None = None
        self._data_pad = 0
        self._file_has_data = False
        self._fmt: PcmFormat | None = None
        self._framer: Framer | None = None
        self._done = False
        # Set while a push of whole 16-bit sample frames can go straight to the consumer's
        # queue (the sink's raw_sink: no conversion needed): the bytes of one sample frame
        # (0: take the general path), the rate and channels, the queue.
        self._fast_frame = 0
        self._fast_format = (0, 0)
        self._fast_put: Callable[[bytes, int, int], None] | None = None
        # A push that starts like a new RIFF header inside a data chunk of unknown size but
        # is too short to tell (under 12 bytes): held until the next push decides.
        self._held = b""

    def _error(self, message: str, offset: int) -> DecodeError:
        return DecodeError(message, decoder="wav", format=self._format, offset=offset)

    def push(self, data: bytes) -> None:
        size = len(data)
        frame = self._fast_frame
        if frame and size % frame == 0:  # the common case: whole 16-bit samples inside the data chunk
            left = self._data_left
            if (left is None and not data.startswith(b"RIFF")) or (left is not None and left > size):
                self._fast_put(data, *self._fast_format)  # type: ignore[misc]  # set with _fast_frame
                self._offset += size
                if left is not None:
                    self._data_left = left - size
                return
        if self._done:
            return
        if self._held:
            data, self._held = self._held + data, b""
        if self._may_start_file(data) and len(data) < 12:
            self._held = data
            self._fast_frame = 0
            return
        try:
            self._feed(memoryview(data))
        except DecodeError as exc:
            self._done = True
            self._sink.fail(exc)
        framer = self._framer
        fast = not self._done and self._state == _DATA and framer is not None and framer.carry == 0
        if fast and framer is not None and framer.raw is not None:
            self._fast_frame = framer.fmt.frame_bytes
            self._fast_format = (framer.fmt.sample_rate, framer.fmt.num_channels)
            self._fast_put = framer.raw
        else:
            self._fast_frame = 0

    def end_input(self) -> None:
        if self._done:
            return
        self._done = True
        self._fast_frame = 0
        try:
            self._check_end()
        except DecodeError as exc:
            self._sink.fail(exc)
        else:
            self._sink.finish()

    async def aclose(self) -> None:
        self._done = True
        self._fast_frame = 0

    def _check_end(self) -> None:
        if self._held:
            message = f"truncated: the stream ends inside a RIFF header ({len(self._held)} of 12 bytes)"
            raise self._error(message, self._offset)
        if self._framer is not None:
            self._framer.check_complete(self._offset)
        if self._state == _DATA and self._data_left:
            raise self._error(f"truncated: the data chunk needs {self._data_left} more bytes", self._offset)
        if self._offset > 0 and not self._file_has_data:
            raise self._error("truncated: the stream ends before a data chunk", self._offset)

    def _feed(self, view: memoryview) -> None:
        pos, end = 0, len(view)
        if self._state == _DATA and self._starts_new_file(view):
            self._start_file()
        while pos < end:
            state = self._state
            if state == _DATA:
                pos = self._read_data(view, pos)
            elif state == _SKIP:
                take = min(self._skip, end - pos)
                self._skip -= take
                pos += take
                self._offset += take
                if self._skip == 0:
                    self._next_chunk()
            elif state == _IGNORE:
                self._offset += end - pos
                return
            else:
                take = min(self._need - len(self._hdr), end - pos)
                self._hdr += view[pos : pos + take]
                pos += take
                self._offset += take
                if len(self._hdr) == self._need:
                    header = bytes(self._hdr)
                    self._hdr.clear()
                    self._on_header(header)

    def _may_start_file(self, data: bytes) -> bool:
        """In a data chunk of unknown size, at a sample boundary, a push that starts with ``RIFF``."""
        framer = self._framer
        return (
            self._state == _DATA
            and self._data_left is None
            and data[:4] == b"RIFF"
            and (framer is None or framer.carry == 0)
        )

    def _starts_new_file(self, data: bytes | memoryview) -> bool:
        """In a data chunk of unknown size, a push that starts with a RIFF/WAVE header."""
        return self._may_start_file(bytes(data[:4])) and bytes(data[8:12]) == b"WAVE"

    def _start_file(self) -> None:
        self._state, self._need = _RIFF, 12
        self._hdr.clear()
        self._fmt = None
        self._framer = None
        self._file_has_data = False

    def _next_chunk(self) -> None:
        """After a chunk: another chunk of this RIFF, or (once it had its data) the end of the file.

        A RIFF size ending before the data chunk is stale (written before the samples), not
        the end: as FFmpeg and the reference decoder, the chunks go on to the data.
        """
        at_end = self._riff_end is None or self._offset >= self._riff_end
        if at_end and self._file_has_data:
            self._state, self._need = _AFTER, 4
        else:
            self._state, self._need = _CHUNK, 8

    def _on_header(self, header: bytes) -> None:
        start = self._offset - len(header)
        if self._state == _RIFF:
            self._on_riff(header, start)
        elif self._state == _CHUNK:
            self._on_chunk(header, start)
        elif self._state == _FMT:
            self._on_fmt(header, start)
        elif header == b"RIFF":  # AFTER: another file follows
            self._start_file()
            self._hdr += header
        else:
            self._state = _IGNORE

    def _on_riff(self, header: bytes, start: int) -> None:
        if header[:4] != b"RIFF" or header[8:12] != b"WAVE":
            raise self._error(f"expected a RIFF/WAVE header, got {header!r}", start)
        (size,) = struct.unpack_from("<I", header, 4)
        self._riff_end = None if size in _UNKNOWN_SIZES else start + 8 + size
        self._file_has_data = False
        self._state, self._need = _CHUNK, 8

    def _on_chunk(self, header: bytes, start: int) -> None:
        chunk_id, size = struct.unpack("<4sI", header)
        if chunk_id == b"fmt ":
            if size < 16:
                raise self._error(f"fmt chunk too short: expected at least 16 bytes, got {size}", start)
            if size > _FMT_MAX:  # it is buffered whole: a corrupt size would buffer the stream
                raise self._error(
                    f"fmt chunk too large: expected at most {_FMT_MAX} bytes (18 + a 16-bit cbSize), "
                    f"got {size}",
                    start,
                )
            self._state, self._need = _FMT, size + (size & 1)
        elif chunk_id == b"data":
            if self._fmt is None:
                raise self._error("data chunk before the fmt chunk", start)
            self._framer = Framer(self._sink, self._fmt, "wav", self._format)
            self._data_left = None if size in _UNKNOWN_SIZES else size
            self._data_pad = size & 1 if self._data_left is not None else 0
            self._file_has_data = True
            self._state = _DATA
        else:
            self._skip = size + (size & 1)
            self._state = _SKIP
            if self._skip == 0:
                self._next_chunk()

    def _on_fmt(self, body: bytes, start: int) -> None:
        tag, channels, rate, _byte_rate, _align, bits = struct.unpack_from("<HHIIHH", body)
        if tag == _EXTENSIBLE:
            if len(body) < 40:
                raise self._error(f"WAVE_FORMAT_EXTENSIBLE fmt chunk needs 40 bytes, got {len(body)}", start)
            (tag,) = struct.unpack_from("<H", body, 24)  # the sub-format GUID's first two bytes
        encoding = _ENCODINGS.get((tag, bits))
        if encoding is None:
            raise self._error(
                f"unsupported WAV encoding: format tag 0x{tag:04x} with {bits} bits per sample "
                "(expected PCM 8/16/24/32-bit, IEEE float 32/64-bit, A-law or µ-law)",
                start,
            )
        if channels == 0 or rate == 0:
            raise self._error(f"invalid fmt chunk: {channels} channels at {rate} Hz", start)
        self._fmt = PcmFormat(encoding, rate, channels)
        self._next_chunk()

    def _read_data(self, view: memoryview, pos: int) -> int:
        assert self._framer is not None
        n = len(view) - pos if self._data_left is None else min(self._data_left, len(view) - pos)
        self._framer.feed(view[pos : pos + n])
        self._offset += n
        pos += n
        if self._data_left is not None:
            self._data_left -= n
            if self._data_left == 0:
                self._framer.check_complete(self._offset)
                self._skip, self._state = self._data_pad, _SKIP
                if self._skip == 0:
                    self._next_chunk()
        return pos
