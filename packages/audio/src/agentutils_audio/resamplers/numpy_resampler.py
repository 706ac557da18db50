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


_MATRIX_LIMIT = 1 << 20
"""The largest cycle matrix (``span x up`` float32 entries, 4 MB) used. Beyond it (ratios
near 1 in lowest terms, such as 4000 -> 4001 Hz: a window of ``down + taps`` inputs per
output for ``taps`` coefficients) the outputs weigh their own windows, phase by phase."""

_BLOCK = 1 << 18
"""Input values copied at once into windows (1 MB of float32): a push of any length takes
memory in proportion to its samples, not to its samples times the filter's length."""


def _uses_matrix(d: FilterDesign) -> bool:
    return _span(d) * d.up <= _MATRIX_LIMIT


def _span(d: FilterDesign) -> int:
    """Inputs read by one cycle of ``up`` outputs."""
    return (d.up - 1) * d.down // d.up + d.taps


@functools.lru_cache(maxsize=16)  # each at most 4 MB
def _cycle_matrix(input_rate: int, output_rate: int, quality: str) -> Any:
    """The filter as one matrix per cycle of ``up`` outputs, transposed: ``(span, up)``.

    Output ``c * up + p`` weighs the inputs from ``c * down - lead`` on, in a window of
    ``span`` samples where phase ``p``'s coefficients sit at offset ``p * down // up``.
    A block of outputs is then one matrix product of strided input windows.
    """
    import numpy as np

    d = design(input_rate, output_rate, quality)
    matrix = np.zeros((_span(d), d.up), dtype=np.float32)
    for p in range(d.up):
        offset = p * d.down // d.up
        matrix[offset : offset + d.taps, p] = d.table[p * d.down % d.up]
    matrix.flags.writeable = False
    return matrix


@functools.lru_cache(maxsize=2)  # only for ratios whose filter is large
def _phase_table(input_rate: int, output_rate: int, quality: str) -> Any:
    """The filter's rows as a float32 ``(up, taps)`` array, for ratios too fine for a cycle matrix."""
    import numpy as np

    table = np.array(design(input_rate, output_rate, quality).table, dtype=np.float32)
    table.flags.writeable = False
    return table


class NumpyResamplerStream(PolyphaseStream):
    """One stream of the ``numpy`` resampler: a float32 array of (channels, samples).

    float32 is plenty for int16 output (its rounding errors stay below 0.05 LSB) and
    halves the work of float64; each channel's samples are contiguous, so the windows
    of a block are one strided view of them. ``weights`` is the cycle matrix
    (:func:`_cycle_matrix`) or, for ratios too fine for one, the phase table
    (:func:`_phase_table`).
    """

    def __init__(self, design: FilterDesign, num_channels: int, weights: Any) -> None:
        import numpy as np

        self._np = np
        self._weights = weights
        self._by_cycle = _uses_matrix(design)
        self._spare: Any = np.empty(0, dtype=np.float32)
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

    def _scratch(self, size: int) -> Any:
        """A float32 array of ``size`` values, kept for the next block.

        A fresh allocation of 100+ kB per push costs more in page faults than the copy into it.
        """
        if self._spare.size < size:
            self._spare = self._np.empty(size, dtype=self._np.float32)
        return self._spare[:size]

    def _padded(self, end: int) -> Any:
        """The buffer, with zeros after it up to index ``end`` if it is shorter."""
        np = self._np
        short = end - self._buffer.shape[1]
        if short <= 0:
            return self._buffer
        return np.concatenate((self._buffer, np.zeros((self._num_channels, short), dtype=np.float32)), axis=1)

    def _compute(self, first: int, count: int) -> bytes:
        np = self._np
        out = self._by_cycles(first, count) if self._by_cycle else self._by_phases(first, count)
        np.rint(out, out=out)
        np.clip(out, -32768, 32767, out=out)
        return bytes(out.astype(np.int16).data)

    def _by_cycles(self, first: int, count: int) -> Any:
        """Outputs ``first .. first+count-1`` as ``(count, channels)`` float32, cycle matrix by blocks."""
        np = self._np
        d, matrix = self._design, self._weights
        span = matrix.shape[0]
        # Whole cycles from the one holding ``first`` (the stream keeps first < up); the
        # outputs of the last cycle past ``count`` may read past the input: zeros there.
        cycle = first // d.up
        cycles = (first + count + d.up - 1) // d.up - cycle
        start = cycle * d.down - d.lead - self._origin
        buffer = self._padded(start + (cycles - 1) * d.down + span)
        skip = first - cycle * d.up
        step = max(1, _BLOCK // span)
        out = np.empty((cycles * d.up, self._num_channels), dtype=np.float32)
        for c in range(self._num_channels):
            row = buffer[c]
            for b in range(0, cycles, step):
                n, at = min(step, cycles - b), (start + b * d.down) * 4
                if d.up == 1:  # one output per window: a batch of dot products, no copy
                    windows = np.ndarray((n, 1, span), np.float32, row, at, (d.down * 4, 4, 4))
                else:  # overlapping windows copied once, then one matrix product (faster)
                    windows = self._scratch(n * span).reshape(n, span)
                    np.copyto(windows, np.ndarray((n, span), np.float32, row, at, (d.down * 4, 4)))
                out[b * d.up : (b + n) * d.up, c] = (windows @ matrix).reshape(-1)
        return out[skip : skip + count]

    def _by_phases(self, first: int, count: int) -> Any:
        """Outputs ``first .. first+count-1`` as ``(count, channels)`` float32, each its own window."""
        np = self._np
        d, table = self._design, self._weights
        position = np.arange(first, first + count, dtype=np.int64) * d.down
        starts = position // d.up - (d.lead + self._origin)
        phases = position % d.up
        buffer = self._padded(int(starts[-1]) + d.taps)
        taps = np.arange(d.taps, dtype=np.int64)
        step = max(1, _BLOCK // d.taps)
        out = np.empty((count, self._num_channels), dtype=np.float32)
        for b in range(0, count, step):
            index = starts[b : b + step, None] + taps
            rows = table[phases[b : b + step]]
            for c in range(self._num_channels):
                out[b : b + step, c] = np.einsum("ij,ij->i", buffer[c][index], rows)
        return out


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
        d = design(input_rate, output_rate, quality)
        make = _cycle_matrix if _uses_matrix(d) else _phase_table
        return NumpyResamplerStream(d, num_channels, make(input_rate, output_rate, quality))
