"""numpy kernels of the batch forms. Imported only when numpy is installed and a batch runs."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import NDArray

__all__: list[str] = []

_BLOCK = 2048
"""Minimum block length of the moving average (blocks are at least one window long)."""
_CHUNK = 1 << 16
"""Samples processed per step, so that the temporaries stay in the CPU cache."""
_MAX_MAGNITUDE = 2.0**900
"""Above this, the split constants could overflow: such signals take the pure-Python path."""


def moving_average_np(x: NDArray[np.float64], window: int) -> NDArray[np.float64] | None:
    """Moving average of ``x`` (see ``moving_average``), or None to ask for the Python path.

    Window sums are taken as differences of cumulative sums restarted at every block (a
    block is at least one window long, so a window spans at most two blocks). A plain
    cumulative sum would lose the small samples next to large ones and cancel
    catastrophically in the differences; instead each sample is split, without error, into
    a high part on a per-block grid (``(x + sigma) - sigma``, with ``sigma`` a power of two
    large enough that every partial sum of high parts in the block is exact) and the low
    remainder. Differences of high-part sums are then exact, and the low parts are so small
    that their rounding errors are negligible unless the magnitudes within a block span more
    than about 12 orders: the result is then accurate to a few units in the last place
    relative to the window sum, like the compensated streaming filter.

    Returns None for non-finite or huge (> 2**900) samples, which the pure-Python path
    handles exactly as the streaming filter does.
    """
    n = x.size
    out = np.empty(n, dtype=np.float64)
    if n == 0:
        return out
    block = n if window >= n else max(window, _BLOCK)
    rows = max(1, min(_CHUNK // block, -(-n // block)))
    # Work buffers, reused for every chunk of rows x block samples (they stay in cache). The
    # high and low parts travel together as the real and imaginary parts of one complex
    # array: one cumulative sum then does both additions chains for the price of one.
    parts = np.empty((rows, block), dtype=np.complex128)
    sums = np.empty((rows, block), dtype=np.complex128)
    tail = np.empty((rows, 2 * min(window, block)))
    total = np.empty((rows, block))
    prev: NDArray[np.float64] | None = None  # the previous chunk's last block, cumulated
    step = rows * block
    for start in range(0, n, step):
        stop = min(start + step, n)
        if stop - start == step:
            chunk = x[start:stop].reshape(rows, block)
        else:  # the final chunk, zero-padded to whole blocks
            chunk = np.zeros((-(-(stop - start) // block), block))
            chunk.reshape(-1)[: stop - start] = x[start:stop]
        k = chunk.shape[0]
        magnitude = np.maximum(chunk.max(axis=1), -chunk.min(axis=1))
        if not np.isfinite(magnitude).all() or magnitude.max() > _MAX_MAGNITUDE:
            return None
        # sigma = 2**e >= 2 * block * max|x| puts every partial sum of high parts (at most
        # block * (max|x| + ulp)) on the grid ulp(sigma)/2, below sigma: exact in float64.
        _, exponents = np.frexp(magnitude * (2.0 * block))
        sigma = np.ldexp(1.0, exponents)[:, None]
        z = parts[:k]
        np.add(chunk, sigma, out=z.real)
        np.subtract(z.real, sigma, out=z.real)
        np.subtract(chunk, z.real, out=z.imag)
        np.cumsum(z, axis=1, out=z)
        # Window sums of (high, low) pairs, as interleaved floats: the high ones are exact.
        zf = z.view(np.float64)
        sf = sums[:k].view(np.float64)
        _window_sums(zf, prev, window, sf, tail)
        # The low parts' sums are rounded: add them to the exact high ones once, at the end.
        t = total[:k]
        np.add(sf[:, 0::2], sf[:, 1::2], out=t)
        flat = t.reshape(-1)[: stop - start]
        if start == 0:
            head = min(window, n)
            np.divide(flat[:head], np.arange(1, head + 1, dtype=np.float64), out=out[:head])
            np.multiply(flat[head:], 1.0 / window, out=out[head:stop])
        else:
            np.multiply(flat, 1.0 / window, out=out[start:stop])
        prev = zf[-1].copy()
    return out


def _window_sums(
    cum: NDArray[np.float64],
    prev: NDArray[np.float64] | None,
    window: int,
    out: NDArray[np.float64],
    tail: NDArray[np.float64],
) -> None:
    """Write into ``out`` the window sums of (high, low) pairs from their per-block cumulative sums.

    ``cum`` holds one block per row as interleaved pairs (``2 * block`` floats: the float
    view of the complex cumulative sums), ``window`` counts pairs. ``prev`` is the row of the
    block before the first one (None at the start of the signal, where the first window - 1
    sums are partial); ``tail`` a scratch buffer of at least ``rows - 1`` rows. Blocks are at
    least one window long, except a single block holding a whole signal shorter than one
    window, which only has partial sums.
    """
    rows, width = cum.shape
    span = 2 * min(window, width // 2)  # floats per window
    # Windows inside one block.
    np.subtract(cum[:, span:], cum[:, :-span], out=out[:, span:])
    # Windows that start in the previous block: that block's tail, then this one's head.
    head = cum[:, :span]
    if rows > 1:
        t = tail[: rows - 1, :span]
        np.subtract(
            cum[:-1, None, -2:],  # each block's final (high, low) sums
            cum[:-1, width - span :].reshape(rows - 1, -1, 2),
            out=t.reshape(rows - 1, -1, 2),
        )
        np.add(head[1:], t, out=out[1:, :span])
    if prev is None:
        out[0, :span] = head[0]
    else:
        np.subtract(prev[None, -2:], prev[width - span :].reshape(-1, 2), out=tail[-1, :span].reshape(-1, 2))
        np.add(head[0], tail[-1, :span], out=out[0, :span])


_IIR_BLOCK = 64
"""Block length of the first-order recursion: one (blocks x 64) @ (64 x 64) product a level."""
_TINY = 2.0**-960
"""Powers of the decay below this are dropped: they are negligible, and subnormals are slow."""
_FIRST_RUN = 64
"""Samples filtered in Python after a clamp activates (doubling while clamps keep activating)."""


def first_order(u: NDArray[np.float64], a: float, y0: float) -> NDArray[np.float64]:
    """The recursion ``y[i] = a * y[i-1] + u[i]`` from ``y[-1] = y0``, vectorised.

    The signal is cut into blocks of 64: each block's response to its own inputs is one
    matrix product with the lower-triangular matrix of powers of ``a``; the blocks' final
    states follow the same recursion with ``a ** 64`` (solved recursively), and each block
    then adds the decayed state it starts from. Only non-negative powers of ``a`` appear,
    so nothing overflows whatever ``a`` is in [0, 1].
    """
    n = u.size
    if n <= _IIR_BLOCK:
        ys: list[float] = []
        y = y0
        for value in u.tolist():
            y = a * y + value
            ys.append(y)
        return np.array(ys, dtype=np.float64)
    size = _IIR_BLOCK
    n_blocks = -(-n // size)
    inputs = np.zeros((n_blocks, size))
    inputs.reshape(-1)[:n] = u
    powers = a ** np.arange(size + 1, dtype=np.float64)
    powers[powers < _TINY] = 0.0
    steps = np.arange(size)
    lag = steps[None, :] - steps[:, None]  # lag[m, k] = k - m: input m's weight at output k
    weights = np.where(lag >= 0, powers[np.clip(lag, 0, size)], 0.0)
    zero_state = inputs @ weights
    ends = first_order(zero_state[:, -1], float(powers[size]), y0)
    starts = np.concatenate(([y0], ends[:-1]))
    response = zero_state + starts[:, None] * powers[None, 1:]
    return response.reshape(-1)[:n]


def exp_filter_np(
    x: NDArray[np.float64], a: float, y0: float | None, lo: float | None, hi: float | None
) -> NDArray[np.float64] | None:
    """``ExpFilter.apply`` over every sample of ``x`` with decay ``a``; None for the Python path.

    ``y0`` is the filter's value before the first sample (None: the first sample is taken
    as is), ``lo``/``hi`` the clamp bounds. Without bounds the whole signal is one linear
    recursion. With bounds, stretches are filtered vectorised and checked: up to the first
    sample that a bound would clamp, the unclamped result is the result; from there a short
    stretch runs in Python (clamps tend to stay active for a while), then vectorised again.

    Returns None when a sample is not finite: the Python path then reproduces the streaming
    filter exactly (inf and NaN would spread through the matrix products).
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
    chunk = _IIR_BLOCK
    run = _FIRST_RUN
    while start < n:
        stop = min(start + chunk, n)
        segment = first_order(u[start:stop], a, y)
        clamped = (segment > high) | (segment < low)
        if not clamped.any():
            out[start:stop] = segment
            y = float(segment[-1])
            start = stop
            chunk = min(chunk * 2, _CHUNK)
            run = _FIRST_RUN
            continue
        first = int(clamped.argmax())
        out[start : start + first] = segment[:first]
        if first:
            y = float(segment[first - 1])
        start += first
        stop = min(start + run, n)
        ys: list[float] = []
        for sample in x[start:stop].tolist():
            y = a * y + (1.0 - a) * sample
            if hi is not None and y > hi:
                y = hi
            if lo is not None and y < lo:
                y = lo
            ys.append(y)
        out[start:stop] = ys
        start = stop
        run = min(run * 2, _CHUNK)
        chunk = _IIR_BLOCK
    return out


def _clamp(value: float, lo: float | None, hi: float | None) -> float:
    if hi is not None and value > hi:
        value = hi
    if lo is not None and value < lo:
        value = lo
    return value
