"""The ``python`` audio backend: standard library only, always available."""

from __future__ import annotations

from array import array
from typing import TYPE_CHECKING

from ..levels import AudioLevels
from ._common import check_gains, gain_factor

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..backend import BytesLike

__all__ = ["PythonBackend"]

_MIN = -32768
_MAX = 32767


def _samples(buffer: BytesLike) -> array[int]:
    samples = array("h")
    samples.frombytes(buffer)
    return samples


def _saturate(values: Sequence[int]) -> bytes:
    return array("h", [_MIN if v < _MIN else _MAX if v > _MAX else v for v in values]).tobytes()


class PythonBackend:
    """Pure-Python backend (``array`` and list comprehensions), the always-available fallback.

    Attributes:
        name: ``"python"``.
        priority: ``0``.

    """

    name = "python"
    priority = 0

    def is_available(self) -> bool:
        """Always ``True``: only the standard library is used."""
        return True

    def combine(self, buffers: Sequence[BytesLike]) -> BytesLike:
        """Concatenate ``buffers`` (one C-level join; the result is a writable bytearray)."""
        return bytearray().join(buffers)

    def mix(self, buffers: Sequence[BytesLike], gains: Sequence[float] | None) -> BytesLike:
        """Sum equal-length buffers, saturating (see :meth:`AudioBackend.mix`)."""
        arrays = [_samples(b) for b in buffers]
        if gains is None:
            if len(arrays) == 1:
                return arrays[0].tobytes()
            return _saturate(list(map(sum, zip(*arrays, strict=True))))
        check_gains(gains)
        acc = [x * gains[0] for x in arrays[0]]
        for samples, gain in zip(arrays[1:], gains[1:], strict=True):
            # Left to right, one addition at a time, as the numpy backend does (sum()
            # would use compensated summation on Python 3.12+ and round differently).
            acc = [s + x * gain for s, x in zip(acc, samples, strict=True)]
        return _saturate([round(s) for s in acc])

    def apply_gain(self, buffer: BytesLike, gain_db: float) -> BytesLike:
        """Scale by ``10 ** (gain_db / 20)``, round half to even, saturate."""
        factor = gain_factor(gain_db)
        return _saturate([round(x * factor) for x in _samples(buffer)])

    def remix(self, buffer: BytesLike, in_channels: int, out_channels: int) -> BytesLike:
        """Copy (N→N), duplicate (1→N) or average with floor division (N→1)."""
        if in_channels == out_channels:
            return bytes(buffer)
        if in_channels == 1:
            src = bytes(buffer)
            out = bytearray(len(src) * out_channels)
            step = 2 * out_channels
            low, high = src[0::2], src[1::2]
            for ch in range(out_channels):  # extended-slice copies: C loops, byte order agnostic
                out[2 * ch :: step] = low
                out[2 * ch + 1 :: step] = high
            return out
        if out_channels == 1:
            samples = _samples(buffer)
            channels = [samples[ch::in_channels] for ch in range(in_channels)]
            return array("h", [s // in_channels for s in map(sum, zip(*channels, strict=True))]).tobytes()
        raise ValueError(
            f"unsupported remix: expected 1→N, N→1 or N→N channels, got {in_channels}→{out_channels}"
        )

    def levels(self, buffer: BytesLike) -> AudioLevels:
        """RMS and peak in dBFS, from exact integer sums."""
        samples = _samples(buffer)
        if not samples:
            return AudioLevels.from_stats(0, 0, 0)
        from operator import mul

        sum_squares = sum(map(mul, samples, samples))
        peak = max(-min(samples), max(samples))
        return AudioLevels.from_stats(sum_squares, len(samples), peak)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name!r} priority={self.priority}>"
