"""The ``numpy`` audio backend: vectorised, available when numpy imports.

numpy is imported on first use, never when this module is imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..levels import AudioLevels
from ._common import check_gains, gain_factor

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..backend import BytesLike

__all__ = ["NumpyBackend"]

_np: Any = None
# An int64 dot product of 2**33 full-scale samples (2**30 each when squared) would wrap
# around: the squares are summed in chunks that cannot (2**32 x 2**30 = 2**62), then exactly.
_DOT_CHUNK = 1 << 32
_import_error: str | None = None


def _numpy() -> Any:
    global _np, _import_error
    if _np is None:
        try:
            import numpy
        except ImportError as exc:
            _import_error = f"{type(exc).__name__}: {exc}"
            raise
        _np = numpy
    return _np


class NumpyBackend:
    """Vectorised backend; results are identical to the ``python`` backend's.

    Attributes:
        name: ``"numpy"``.
        priority: ``10`` (preferred over ``python`` when numpy is installed).

    """

    name = "numpy"
    priority = 10

    def is_available(self) -> bool:
        """Whether numpy imports."""
        try:
            _numpy()
        except ImportError:
            return False
        return True

    @property
    def unavailable_reason(self) -> str | None:
        """Why the backend cannot be used, or ``None`` when it can."""
        if self.is_available():
            return None
        return f"numpy is not installed ({_import_error}); install agentutils-audio[numpy]"

    def combine(self, buffers: Sequence[BytesLike]) -> BytesLike:
        """Concatenate ``buffers``: a plain join is the memcpy bound, numpy cannot beat it."""
        return bytearray().join(buffers)

    def mix(self, buffers: Sequence[BytesLike], gains: Sequence[float] | None) -> BytesLike:
        """Sum equal-length buffers, saturating (see :meth:`AudioBackend.mix`)."""
        np = _numpy()
        if gains is None:
            # int64: 2**48 inputs cannot overflow it (int32 wrapped beyond 65,536 of them).
            acc = np.frombuffer(buffers[0], dtype=np.int16).astype(np.int64)
            for buffer in buffers[1:]:
                acc += np.frombuffer(buffer, dtype=np.int16)
            return bytes(np.clip(acc, -32768, 32767).astype(np.int16).tobytes())
        check_gains(gains)
        acc = np.frombuffer(buffers[0], dtype=np.int16) * np.float64(gains[0])
        for buffer, gain in zip(buffers[1:], gains[1:], strict=True):
            acc += np.frombuffer(buffer, dtype=np.int16) * np.float64(gain)
        return bytes(np.clip(np.rint(acc), -32768, 32767).astype(np.int16).tobytes())

    def apply_gain(self, buffer: BytesLike, gain_db: float) -> BytesLike:
        """Scale by ``10 ** (gain_db / 20)``, round half to even, saturate."""
        np = _numpy()
        factor = np.float64(gain_factor(gain_db))
        scaled = np.frombuffer(buffer, dtype=np.int16) * factor
        return bytes(np.clip(np.rint(scaled), -32768, 32767).astype(np.int16).tobytes())

    def remix(self, buffer: BytesLike, in_channels: int, out_channels: int) -> BytesLike:
        """Copy (N→N), duplicate (1→N) or average with floor division (N→1)."""
        np = _numpy()
        if in_channels == out_channels:
            return bytes(buffer)
        samples = np.frombuffer(buffer, dtype=np.int16)
        if in_channels == 1:
            return bytes(np.repeat(samples, out_channels).tobytes())
        if out_channels == 1:
            summed = samples.reshape(-1, in_channels).sum(axis=1, dtype=np.int64)
            return bytes((summed // in_channels).astype(np.int16).tobytes())
        raise ValueError(
            f"unsupported remix: expected 1→N, N→1 or N→N channels, got {in_channels}→{out_channels}"
        )

    def levels(self, buffer: BytesLike) -> AudioLevels:
        """RMS and peak in dBFS, from exact integer sums."""
        np = _numpy()
        samples = np.frombuffer(buffer, dtype=np.int16)
        if samples.size == 0:
            return AudioLevels.from_stats(0, 0, 0)
        wide = samples.astype(np.int64)
        step = _DOT_CHUNK
        sum_squares = sum(
            int(np.dot(wide[i : i + step], wide[i : i + step])) for i in range(0, wide.size, step)
        )
        peak = int(np.abs(wide).max())
        return AudioLevels.from_stats(sum_squares, int(samples.size), peak)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name!r} priority={self.priority}>"
