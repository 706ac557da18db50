"""The streaming bookkeeping shared by the ``numpy`` and ``python`` resamplers.

A stream holds the input samples that future outputs still need, the index of the next
output, and how many inputs it has received. Indices are relative to the stream's start
and are moved back by whole filter cycles (``up`` outputs, ``down`` inputs) as the stream
advances, so they stay small however long it runs. Nothing depends on the signal, so a
long silence is processed like any other input and never resets the state.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._design import FilterDesign, output_length, ready_count

if TYPE_CHECKING:
    from ..backend import BytesLike

__all__ = ["PolyphaseStream"]


class PolyphaseStream:
    """Base of the polyphase streams; subclasses hold the buffer and compute outputs.

    Subclasses implement ``_clear_buffer(zeros)``, ``_append(data, count)``,
    ``_append_zeros(count)``, ``_drop(count)`` and ``_compute(first, count)``, where
    ``_compute`` returns the interleaved int16 bytes of outputs ``first .. first+count-1``
    and buffer index ``i`` holds input sample ``i + self._origin``.
    """

    def __init__(self, design: FilterDesign, num_channels: int) -> None:
        self._design = design
        self._num_channels = num_channels
        self._frame_bytes = 2 * num_channels
        self._next = 0  # the next output to compute
        self._received = 0  # inputs received
        self._origin = 0  # input index of buffer index 0
        self._reset()

    def _reset(self) -> None:
        self._next = 0
        self._received = 0
        # The first window starts ``lead`` samples before the stream: they are zeros.
        self._origin = -self._design.lead
        self._clear_buffer(self._design.lead)

    def push(self, data: BytesLike) -> bytes:
        """Take whole interleaved int16 samples; return the outputs now complete."""
        count = len(data) // self._frame_bytes
        if count == 0:
            return b""
        self._append(data, count)
        self._received += count
        ready = ready_count(self._design, self._next, self._received)
        if ready == 0:
            return b""
        out = self._compute(self._next, ready)
        self._advance(ready)
        return out

    def flush(self) -> bytes:
        """Return the remaining outputs (zeros after the end), then start a new stream."""
        remaining = output_length(self._design, self._received) - self._next
        out = b""
        if remaining > 0:
            self._append_zeros(self._design.taps // 2 + 1)
            out = self._compute(self._next, remaining)
        self._reset()
        return out

    def _advance(self, count: int) -> None:
        d = self._design
        self._next += count
        cycles = self._next // d.up
        if cycles:
            self._next -= cycles * d.up
            self._origin -= cycles * d.down
            self._received -= cycles * d.down
        # Keep the inputs from the start of the current cycle of ``up`` outputs on (the
        # numpy backend computes whole cycles); ``self._next < up`` here, so that is -lead.
        drop = -d.lead - self._origin
        if drop > 0:
            self._drop(drop)
            self._origin += drop

    # Implemented by the backends.
    def _clear_buffer(self, zeros: int) -> None:
        raise NotImplementedError

    def _append(self, data: BytesLike, count: int) -> None:
        raise NotImplementedError

    def _append_zeros(self, count: int) -> None:
        raise NotImplementedError

    def _drop(self, count: int) -> None:
        raise NotImplementedError

    def _compute(self, first: int, count: int) -> bytes:
        raise NotImplementedError
