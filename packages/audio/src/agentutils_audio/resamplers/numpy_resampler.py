"""The ``numpy`` resampler: the shared polyphase filter, vectorised.

numpy is imported when a stream is opened, never when this module is imported.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from ._design import design
from ._stream import PolyphaseStream

if TYPE_CHECKING:
    from ..backend import BytesLike
    from ._design import FilterDesign

__all__ = ["NumpyResampler", "NumpyResamplerStream"]


@functools.lru_cache(maxsize=64)
def _cycle_matrix(input_rate: int, output_rate: int, quality: str) -> Any:
    """The filter as one matrix per cycle of ``up`` outputs, transposed: ``(span, up)``.

    Output ``c * up + p`` weighs the inputs from ``c * down - lead`` on, in a window of
    ``span`` samples where phase ``p``'s coefficients sit at offset ``p * down // up``.
    A whole block of outputs is then one matrix product of strided input windows.
    """
    import numpy as np

    d = design(input_rate, output_rate, quality)
    span = (d.up - 1) * d.down // d.up + d.taps
    matrix = np.zeros((span, d.up), dtype=np.float32)
    for p in range(d.up):
        offset = p * d.down // d.up
        matrix[offset : offset + d.taps, p] = d.table[p * d.down % d.up]
    matrix.flags.writeable = False
    return matrix


class NumpyResamplerStream(PolyphaseStream):
    """One stream of the ``numpy`` resampler: a float32 array of (channels, samples).

    float32 is plenty for int16 output (its rounding errors stay below 0.05 LSB) and
    halves the work of float64; each channel's samples are contiguous, so the windows
    of a block are one strided view of them.
    """

    def __init__(self, design: FilterDesign, num_channels: int, matrix: Any) -> None:
        import numpy as np

        self._np = np
        self._matrix = matrix
        self._span = matrix.shape[0]
        self._buffer: Any = None
        super().__init__(design, num_channels)

    def _clear_buffer(self, zeros: int) -> None:
        self._buffer = self._np.zeros((self._num_channels, zeros), dtype=self._np.float32)

    def _append(self, data: BytesLike, count: int) -> None:
        np = self._np
        new = np.frombuffer(data, dtype=np.int16, count=count * self._num_channels)
        self._buffer = np.concatenate((self._buffer, new.reshape(count, self._num_channels).T), axis=1)

    def _append_zeros(self, count: int) -> None:
        np = self._np
        zeros = np.zeros((self._num_channels, count), dtype=np.float32)
        self._buffer = np.concatenate((self._buffer, zeros), axis=1)

    def _drop(self, count: int) -> None:
        self._buffer = self._buffer[:, count:]

    def _compute(self, first: int, count: int) -> bytes:
        np = self._np
        d, nch = self._design, self._num_channels
        # Whole cycles from the one holding ``first`` (the stream keeps first < up); the
        # outputs of the last cycle past ``count`` may read past the input: zeros there.
        cycle = first // d.up
        cycles = (first + count + d.up - 1) // d.up - cycle
        start = cycle * d.down - d.lead - self._origin
        buffer = self._buffer
        short = start + (cycles - 1) * d.down + self._span - buffer.shape[1]
        if short > 0:
            buffer = np.concatenate((buffer, np.zeros((nch, short), dtype=np.float32)), axis=1)
        skip = first - cycle * d.up
        out = np.empty((count, nch), dtype=np.float32)
        for c in range(nch):
            row = buffer[c]
            if d.up == 1:  # one output per window: a batch of dot products, no copy
                windows = np.ndarray((cycles, 1, self._span), np.float32, row, start * 4, (d.down * 4, 4, 4))
            else:  # overlapping windows copied once, then one matrix product (faster)
                windows = np.ndarray((cycles, self._span), np.float32, row, start * 4, (d.down * 4, 4))
                windows = np.ascontiguousarray(windows)
            out[:, c] = (windows @ self._matrix).reshape(-1)[skip : skip + count]
        np.rint(out, out=out)
        np.clip(out, -32768, 32767, out=out)
        return bytes(out.astype(np.int16).data)


class NumpyResampler:
    """Resampler backend on numpy: the ``python`` backend's filter, vectorised.

    Available when numpy imports (extra ``agentutils-audio[numpy]``).

    Attributes:
        name: ``"numpy"``.
        priority: ``10`` (preferred over ``python``).

    """

    name = "numpy"
    priority = 10

    def is_available(self) -> bool:
        """Whether numpy imports."""
        return self.unavailable_reason() is None

    def unavailable_reason(self) -> str | None:
        """Why the backend cannot run here, or ``None`` when it can."""
        try:
            import numpy  # noqa: F401
        except ImportError as exc:
            return f"numpy is not installed ({exc}); install agentutils-audio[numpy]"
        return None

    def open(
        self, input_rate: int, output_rate: int, num_channels: int, quality: str
    ) -> NumpyResamplerStream:
        """Return a new stream converting ``input_rate`` to ``output_rate``."""
        return NumpyResamplerStream(
            design(input_rate, output_rate, quality),
            num_channels,
            _cycle_matrix(input_rate, output_rate, quality),
        )
