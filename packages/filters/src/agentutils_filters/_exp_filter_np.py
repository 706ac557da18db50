"""numpy kernels of ``ExpFilter.apply_many``. Imported only when numpy is installed and a batch runs."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import NDArray

__all__ = ["exp_filter_np", "first_order"]

_IIR_BLOCK = 64
"""Block length of the first-order recursion (a scan of log2(64) = 6 doubling steps)."""
_TINY = 2.0**-960
"""Powers of the decay below this are dropped: they are negligible, and subnormals are slow."""
_CLAMP_CHUNK = 4096
"""Samples filtered per step when clamps are set (each clamp corrects the rest of the step)."""
_DENSE = 16
"""Clamps closer than this: the rest of the step runs in Python (it is clamped most of the time)."""


def _powers(a: float, count: int) -> NDArray[np.float64]:
    """``a ** [0, 1, ..., count - 1]``, with negligible powers flushed to 0."""
    powers = a ** np.arange(count, dtype=np.float64)
    powers[powers < _TINY] = 0.0
    return powers


def first_order(u: NDArray[np.float64], a: float, y0: float) -> NDArray[np.float64]:
    """The recursion ``y[i] = a * y[i-1] + u[i]`` from ``y[-1] = y0``, vectorised.

    The signal is cut into blocks of 64. Within each block a doubling scan (Hillis-Steele)
    accumulates the decayed inputs: after the step of shift ``s``, entry ``j`` holds
    ``sum(a**(j-m) * u[m])`` over the last ``2s`` inputs of its block. The blocks' final
    states follow the same recursion with ``a ** 64`` (solved recursively), and each block
    then adds the decayed state it starts from. Only non-negative powers of ``a`` appear,
    so nothing overflows whatever ``a`` is in [0, 1].
    """
    n = u.size
    size = _IIR_BLOCK
    if n <= size:
        ys: list[float] = []
        y = y0
        for value in u.tolist():
            y = a * y + value
            ys.append(y)
        return np.array(ys, dtype=np.float64)
    n_blocks = -(-n // size)
    response = np.zeros((n_blocks, size))
    response.reshape(-1)[:n] = u
    shifted = np.empty((n_blocks, size))
    powers = _powers(a, size + 1)
    shift = 1
    while shift < size:
        # Read before writing: entries j >= shift take the decayed entries j - shift.
        np.multiply(response[:, :-shift], powers[shift], out=shifted[:, :-shift])
        np.add(response[:, shift:], shifted[:, :-shift], out=response[:, shift:])
        shift *= 2
    ends = first_order(response[:, -1].copy(), float(powers[size]), y0)
    starts = np.empty(n_blocks)
    starts[0] = y0
    starts[1:] = ends[:-1]
    np.multiply(starts[:, None], powers[None, 1:], out=shifted)
    np.add(response, shifted, out=response)
    return response.reshape(-1)[:n]


def exp_filter_np(
    x: NDArray[np.float64], a: float, y0: float | None, lo: float | None, hi: float | None
) -> NDArray[np.float64] | None:
    """``ExpFilter.apply`` over every sample of ``x`` with decay ``a``; None for the Python path.

    ``y0`` is the filter's value before the first sample (None: the first sample is taken
    as is), ``lo``/``hi`` the clamp bounds. Without bounds the whole signal is one linear
    recursion. With bounds, steps of 4096 samples are filtered unclamped, then corrected
    at each sample a bound clamps: from there on the clamped and unclamped filters differ by
    ``delta * a**k`` (the same linear recursion, fed the same samples). Where clamps follow
    each other closely, the rest of the step runs in Python.

    Returns None when a sample is not finite: the Python path then reproduces the streaming
    filter exactly (inf and NaN would spread through the vector operations).
    """
    n = x.size
    out = np.empty(n, dtype=np.float64)
    if n == 0:
        return out
    if not np.isfinite(x).all():
        return None
    start = 0
    if y0 is None:
        y = _clamp(float(x[0]), lo, hi)
        out[0] = y
        start = 1
    else:
        y = y0
    u = (1.0 - a) * x
    if lo is None and hi is None:
        out[start:] = first_order(u[start:], a, y)
        return out
    low = -np.inf if lo is None else lo
    high = np.inf if hi is None else hi
    powers = _powers(a, _CLAMP_CHUNK + 1)
    while start < n:
        stop = min(start + _CLAMP_CHUNK, n)
        segment = first_order(u[start:stop], a, y)
        position = 0
        previous = -_DENSE
        while position < segment.size:
            rest = segment[position:]
            clamped = (rest > high) | (rest < low)
            if not clamped.any():
                break
            i = position + int(np.argmax(clamped))
            value = min(max(float(segment[i]), low), high)
            delta = value - float(segment[i])
            segment[i] = value
            if i - previous < _DENSE:
                # Clamps follow each other: finish the step the streaming way.
                y = value
                b = 1.0 - a
                tail: list[float] = []
                for sample in x[start + i + 1 : stop].tolist():
                    y = a * y + b * sample
                    if y > high:
                        y = high
                    if y < low:
                        y = low
                    tail.append(y)
                segment[i + 1 :] = tail
                position = segment.size
                break
            segment[i + 1 :] += delta * powers[1 : segment.size - i]
            previous = i
            position = i + 1
        out[start:stop] = segment
        y = float(segment[-1])
        start = stop
    return out


def _clamp(value: float, lo: float | None, hi: float | None) -> float:
    if hi is not None and value > hi:
        value = hi
    if lo is not None and value < lo:
        value = lo
    return value
