"""Sample encodings of uncompressed audio and their conversion to int16, with a carry for partial frames."""

from __future__ import annotations

from array import array
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import DecodeError
from ..g711 import alaw_decode, ulaw_decode

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..decoder_registry import DecodeSink

__all__: list[str] = []

_XOR80 = bytes(b ^ 0x80 for b in range(256))
# Encoding -> bytes per sample.
WIDTHS = {"u8": 1, "s16": 2, "s16be": 2, "s24": 3, "s32": 4, "f32": 4, "f64": 8, "alaw": 1, "ulaw": 1}
_NUMPY_MIN = 256  # samples below which numpy's call overhead outweighs the loop


def _numpy() -> Any:
    try:
        import numpy
    except ImportError:
        return None
    return numpy


def _floats_to_s16(data: bytes, code: str, use_numpy: bool | None = None) -> bytes:
    """IEEE float samples (full scale +-1.0) to int16: ``x * 32768`` rounded half to even, saturated.

    numpy does it when installed and the input is large (``use_numpy=None``), or as told.
    """
    big = len(data) >= _NUMPY_MIN * 4
    np = _numpy() if use_numpy or (use_numpy is None and big) else None
    if np is not None:
        values = np.frombuffer(data, dtype="<f4" if code == "f" else "<f8").astype(np.float64)
        # Clipped to [-1, 32767/32768] before scaling (exact: 32768 is a power of two), so a
        # huge finite sample saturates instead of overflowing (a RuntimeWarning) to inf.
        finite = np.nan_to_num(values, nan=0.0, posinf=1.0, neginf=-1.0)
        scaled = np.rint(np.clip(finite, -1.0, 32767.0 / 32768.0) * 32768.0)
        return bytes(scaled.astype("<i2").tobytes())
    out = array("h")
    for x in array(code, data):
        v = x * 32768.0
        if v != v:  # NaN
            out.append(0)
        else:
            out.append(round(min(max(v, -32768.0), 32767.0)))
    return out.tobytes()


def to_s16(data: bytes, encoding: str) -> bytes:
    """Convert whole samples of ``encoding`` to int16 little-endian."""
    if encoding == "s16":
        return data
    if encoding in ("u8", "s16be", "s24", "s32"):
        size = len(data) // WIDTHS[encoding]
        out = bytearray(2 * size)
        if encoding == "u8":
            out[1::2] = data.translate(_XOR80)
        elif encoding == "s16be":
            out[0::2], out[1::2] = data[1::2], data[0::2]
        else:  # the two most significant bytes: an arithmetic shift right, as libswresample
            width = WIDTHS[encoding]
            out[0::2], out[1::2] = data[width - 2 :: width], data[width - 1 :: width]
        return bytes(out)
    if encoding == "f32":
        return _floats_to_s16(data, "f")
    if encoding == "f64":
        return _floats_to_s16(data, "d")
    return alaw_decode(data) if encoding == "alaw" else ulaw_decode(data)


@dataclass(frozen=True)
class PcmFormat:
    """An uncompressed sample format: encoding, rate and channel count."""

    encoding: str
    sample_rate: int
    num_channels: int

    @property
    def frame_bytes(self) -> int:
        """Bytes in one sample frame (one sample of every channel)."""
        return WIDTHS[self.encoding] * self.num_channels


class Framer:
    """Cut a byte stream into whole sample frames, convert them and emit them to a sink.

    Args:
        sink: where samples go.
        fmt: the stream's sample format.
        decoder: the decoder's name, for errors.
        format_name: the stream's format, for errors.

    """

    def __init__(self, sink: DecodeSink, fmt: PcmFormat, decoder: str, format_name: str) -> None:
        self.sink = sink
        self.fmt = fmt
        self._decoder = decoder
        self._format = format_name
        self._carry = b""
        self._frame = fmt.frame_bytes
        raw_sink = getattr(sink, "raw_sink", None) if fmt.encoding == "s16" else None
        # Where whole samples go with no conversion (the output is in the source's format).
        self.raw: Callable[[bytes, int, int], None] | None = (
            raw_sink(fmt.sample_rate, fmt.num_channels) if raw_sink is not None else None
        )

    @property
    def carry(self) -> int:
        """Bytes of a partial sample frame waiting for the rest."""
        return len(self._carry)

    def feed(self, data: bytes | memoryview) -> None:
        """Emit every whole sample frame of the carry and ``data``; keep the rest."""
        buf = self._carry + data if self._carry else bytes(data)
        whole = len(buf) - len(buf) % self._frame
        if whole and self.raw is not None:
            self.raw(buf[:whole] if whole < len(buf) else buf, self.fmt.sample_rate, self.fmt.num_channels)
        elif whole:
            self.sink.emit(
                to_s16(buf[:whole] if whole < len(buf) else buf, self.fmt.encoding),
                self.fmt.sample_rate,
                self.fmt.num_channels,
            )
        self._carry = buf[whole:]

    def check_complete(self, offset: int) -> None:
        """Raise if a partial sample frame is left at ``offset`` (the end of the stream).

        Raises:
            DecodeError: bytes of an incomplete sample frame remain.

        """
        if self._carry:
            raise DecodeError(
                f"truncated: the stream ends inside a sample frame ({len(self._carry)} of "
                f"{self._frame} bytes)",
                decoder=self._decoder,
                format=self._format,
                offset=offset - len(self._carry),
            )
