"""numpy kernels of ``moving_average``. Imported only when numpy is installed and a batch runs."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import NDArray

__all__ = ["moving_average_np"]

_BLOCK = 8192
"""Minimum block length of the moving average (a block is also at least 4 windows long)."""
_CHUNK = 1 << 16
"""Samples processed per step, so that the temporaries stay in the CPU cache."""
_DOUBLING_MAX_OPS = 6
"""Windows summed by doubling when that takes at most this many vector additions."""
_U = 2.0**-53
"""Unit roundoff of float64."""
_SPLIT_TOL = 2.0**-41
"""Largest relative error the split kernel accepts for a window sum (its bound is checked)."""
_SPLIT_ERROR_FACTOR = _U * (2.0 + 2.0**-10)
"""Times ``width * L``: the error bound of the split kernel's low window sums, ``(2 * width + 4)
* u * L`` (with ``width >= 8192``, the ``4 * u * L`` fits in ``2**-11 * width * u * L``, and the
roundings of the bound itself in the rest of the margin)."""
_MAX_MAGNITUDE = 2.0**900
"""Above this, the split constants could overflow: such signals take the pure-Python path."""


_SAME_SIGN_CHUNK = 1 << 15
"""Outputs per step of the same-sign kernel: its temporaries then stay in the CPU cache."""
_SAME_SIGN_MAX_OPS = 12
"""Windows summed by doubling when the signal has one sign and that takes at most this many
vector additions (``floor(log2(window)) + popcount(window) - 1``); longer ones by blocks."""
_SUB_BLOCK = 512
"""Length of the runs of the blocks kernel's prefix sums (even: they run on complex pairs)."""
_BLOCKS_TOL = 2.0**-41
"""Largest relative error the blocks kernel accepts (its bound is checked on every window)."""


def _same_sign_moving_average(x: NDArray[np.float64], window: int, out: NDArray[np.float64]) -> bool:
    """Moving average of a signal whose samples all have the same sign; False if it does not apply.

    No splitting is needed then: each window sum is a tree of additions of same-sign values
    (sums of 2, 4, 8... neighbours, then one per binary digit of the window), whose error is
    at most ``depth * u * |exact sum|`` (``u = 2**-53``, ``depth = floor(log2(window)) +
    popcount(window)`` additions on any path): a relative error below ``4e-15`` for
    every window this path takes, whatever the magnitudes, since nothing cancels. Long
    windows go by blocks instead (:func:`_same_sign_blocks`). The sign is checked chunk by
    chunk, in the cache: a signal with both signs (or a NaN, an infinity, a huge sample)
    returns False as soon as it shows, for the split kernel to start over.
    """
    if window.bit_length() + window.bit_count() - 2 > _SAME_SIGN_MAX_OPS:
        return _same_sign_blocks(x, window, out)
    n = x.size
    halo = window - 1
    chunk = min(max(_SAME_SIGN_CHUNK, 4 * window), n)
    # seg: the chunk's samples after a halo (zeros before the signal). Reused buffers.
    seg = np.zeros(halo + chunk)
    scratch = np.empty(halo + chunk)
    spare = np.empty(halo + chunk)
    third = np.empty(halo + chunk)
    sign = 0.0
    for start in range(0, n, chunk):
        stop = min(start + chunk, n)
        size = stop - start
        m = halo + size
        if start:
            seg[:halo] = seg[chunk : chunk + halo]  # the previous chunk's last samples
        seg[halo:m] = x[start:stop]
        sign = _sign(seg[halo:m], sign)
        if math.isnan(sign):  # not of one sign
            return False
        _forward_window_sums(seg[:m], window, out[start:stop], scratch, spare, third)
        _divide(out, start, stop, window)
    return True


def _sign(values: NDArray[np.float64], sign: float) -> float:
    """The sign of ``values`` and the ``sign`` of the samples before (0: only zeros so far).

    NaN if they have both signs, or if a value is NaN, infinite or above 2**900.
    """
    low, high = float(np.min(values)), float(np.max(values))
    if not (low >= -_MAX_MAGNITUDE and high <= _MAX_MAGNITUDE):
        return math.nan
    if low >= 0.0 and high > 0.0:
        return 1.0 if sign >= 0.0 else math.nan
    if high <= 0.0 and low < 0.0:
        return -1.0 if sign <= 0.0 else math.nan
    return sign if low == high == 0.0 else math.nan


def _divide(out: NDArray[np.float64], start: int, stop: int, window: int) -> None:
    """Turn the window sums ``out[start:stop]`` into means (in place, while in the cache).

    The first ``window - 1`` means are over the samples so far. Dividing the sums (rather
    than scaling the samples) keeps subnormal samples exact, as in the streaming filter.
    """
    head = min(max(window - 1 - start, 0), stop - start)
    if head:
        np.divide(
            out[start : start + head],
            np.arange(start + 1, start + head + 1, dtype=np.float64),
            out=out[start : start + head],
        )
    rest = out[start + head : stop]
    if window & (window - 1) == 0:  # a power of two: multiplying by its inverse is exact
        np.multiply(rest, 1.0 / window, out=rest)
    else:
        np.divide(rest, window, out=rest)


def _same_sign_blocks(x: NDArray[np.float64], window: int, out: NDArray[np.float64]) -> bool:
    """Moving average of a one-sign signal by blocks of ``window`` samples; False if not accurate.

    With block ``k`` of the signal (block 0: zeros before it), its prefix sums ``PRE_k`` and
    its sum ``T_k``, the window ending at position ``j`` of block ``k`` covers the end of block
    ``k - 1`` and the start of block ``k``: its sum is ``T_{k-1} - PRE_{k-1}[j] + PRE_k[j]``, a
    constant number of vector operations whatever the window. Prefix sums run over runs of
    ``sub`` samples, on complex pairs (two independent chains): ``PRE_k = L_k + O_k`` with ``L``
    the prefix sums within a run and ``O`` the run's offset in its block, so the window sum
    is ``(L_k[j] - L_{k-1}[j]) + C`` with ``C = (T_{k-1} - O_{k-1}) + O_k``, one value per run.

    Every prefix sum is at most ``sub/2 + runs + 2`` additions of same-sign values deep,
    hence within that many ``u`` (``2**-53``) of its exact value, relative. The subtractions
    are the only cancellations: the error of a window sum ``S`` is at most
    ``(2 * c * |T_{k-1}| + (c + 4) * |S|) * u`` with ``c = sub/2 + runs + 4`` (a margin for
    the last roundings). That bound is checked against the smallest window of every
    block: False (for the split kernel) if it exceeds ``_BLOCKS_TOL`` anywhere, e.g. large
    samples just before a window of tiny ones.
    """
    n = x.size
    w = window
    sub = _run_length(w)
    width = -(-w // sub) * sub  # a block and its zero padding: a whole number of runs
    runs = width // sub
    depth = sub // 2 + runs + 4
    limit = _BLOCKS_TOL / _U
    direct = width == w  # the blocks are rows of the signal itself: no copy, no padding
    rows = max(1, _SAME_SIGN_CHUNK // width)
    local = np.empty((rows, width))
    # The block before the chunk (zeros before the signal): L, O and T.
    before = np.zeros((1, width))
    offsets = np.zeros((rows + 1, runs))
    totals = np.zeros(rows + 1)
    scratch = np.empty((rows, width))
    sign = 0.0
    for first in range(0, -(-n // w), rows):
        start = first * w
        stop = min(start + rows * w, n)
        sign = _sign(x[start:stop], sign)
        if math.isnan(sign):  # not of one sign
            return False
        negative = sign < 0.0
        full, rem = divmod(stop - start, w)
        k = full + (rem > 0)
        chunk = local[:k]
        if full:
            if direct:
                source = x[start : start + full * w]
            else:
                chunk[:full, :w] = x[start : start + full * w].reshape(full, w)
                chunk[:full, w:] = 0.0
                source = chunk[:full]
            _run_prefix_sums(
                source.reshape(-1, sub), scratch[:full].reshape(-1, sub), chunk[:full].reshape(-1, sub)
            )
        if rem:
            row = chunk[full]
            row[:rem] = x[start + full * w : stop]
            row[rem:] = 0.0
            _run_prefix_sums(row.reshape(-1, sub), scratch[full].reshape(-1, sub), row.reshape(-1, sub))
        by_run = chunk.reshape(k, runs, sub)
        run_sums = by_run[:, :, -1]
        offsets[1 : k + 1, 0] = 0.0
        np.cumsum(run_sums[:, :-1], axis=1, out=offsets[1 : k + 1, 1:])
        np.add(offsets[1 : k + 1, -1], run_sums[:, -1], out=totals[1 : k + 1])
        consts = (totals[:k, None] - offsets[:k]) + offsets[1 : k + 1]
        # (L_k - L_{k-1}) + C, straight into out for whole blocks of a direct layout.
        into_out = direct and not rem
        target = out[start:stop].reshape(k, runs, sub) if into_out else scratch[:k].reshape(k, runs, sub)
        np.subtract(by_run[0], before.reshape(runs, sub), out=target[0])
        np.subtract(by_run[1:], by_run[:-1], out=target[1:])
        np.add(target, consts[:, :, None], out=target)
        if not into_out:
            out[start : start + full * w].reshape(full, w)[:] = scratch[:full, :w]
            if rem:
                out[start + full * w : stop] = scratch[full, :rem]
        smallest = _smallest_per_block(out[start:stop], w, full, rem, negative)
        largest = np.abs(totals[:k])
        if not np.all(2 * depth * largest + (depth + 4) * smallest <= limit * smallest):
            return False
        _divide(out, start, stop, w)
        if rows == 1:  # swap rather than copy a long block
            local, before = before, local
        else:
            before[0] = local[k - 1]
        offsets[0] = offsets[k]
        totals[0] = totals[k]
    return True


def _smallest_per_block(
    sums: NDArray[np.float64], w: int, full: int, rem: int, negative: bool
) -> NDArray[np.float64]:
    """The smallest |window sum| of each of the ``full`` blocks of ``w`` sums, and of the ``rem`` after."""
    smallest = np.empty(full + (rem > 0))
    if full:
        block_sums = sums[: full * w].reshape(full, w)
        if negative:
            np.negative(np.max(block_sums, axis=1), out=smallest[:full])
        else:
            np.min(block_sums, axis=1, out=smallest[:full])
    if rem:
        smallest[full] = -np.max(sums[full * w :]) if negative else np.min(sums[full * w :])
    return smallest


def _run_length(window: int) -> int:
    """An even run length for blocks of ``window`` samples.

    The window itself when it is even and at most 1024, else an even divisor between 256
    and 1024 (no padding: the blocks are rows of the signal), else 512 (or the window plus
    one, for short odd windows).
    """
    if window <= 2 * _SUB_BLOCK and window % 2 == 0:
        return window
    for run in range(2 * _SUB_BLOCK, _SUB_BLOCK // 2 - 1, -2):
        if window % run == 0:
            return run
    return min(window + 1, _SUB_BLOCK) if window <= _SUB_BLOCK else _SUB_BLOCK


def _run_prefix_sums(
    source: NDArray[np.float64], pairs: NDArray[np.float64], out: NDArray[np.float64]
) -> None:
    """Prefix sums of each row of ``source`` (even length) into ``out``; ``pairs`` is scratch.

    ``F``: the even and odd samples cumulated apart (a cumulative sum of the complex view, two
    independent addition chains); the prefix sum at ``j`` is ``F[j] + F[j-1]``.
    """
    np.cumsum(source.view(np.complex128), axis=1, out=pairs.view(np.complex128))
    np.add(pairs[:, 1:], pairs[:, :-1], out=out[:, 1:])
    out[:, 0] = pairs[:, 0]


def _forward_window_sums(
    seg: NDArray[np.float64],
    window: int,
    out: NDArray[np.float64],
    scratch: NDArray[np.float64],
    spare: NDArray[np.float64],
    third: NDArray[np.float64],
) -> None:
    """``out[j] = sum(seg[j : j + window])`` for every ``j < out.size``, by binary doubling.

    ``T_2s[i] = T_s[i] + T_s[i + s]`` (the sums of ``2s`` samples from ``i``); the window is the
    sum of the ``T`` of its binary digits, end to end (the first two added in one operation).
    ``scratch``, ``spare`` and ``third`` (at least as long as ``seg``) hold the ``T``; ``seg`` is
    left untouched.
    """
    m = seg.size
    size = out.size
    power: NDArray[np.float64] = seg
    span, covered = 1, 0
    pending: NDArray[np.float64] | None = None  # the first digit's sums, added with the second's
    buffers = [scratch, spare]
    remaining = window
    while True:
        if remaining & 1:
            terms = power[covered : covered + size]
            if pending is None and covered == 0:
                if remaining == 1:  # a single digit: a power of two
                    np.copyto(out, terms)
                    return
                pending = terms
                if power is not seg:  # keep its buffer out of the rotation
                    buffers = [third if buffer is power else buffer for buffer in buffers]
            elif pending is not None:
                np.add(pending, terms, out=out)
                pending = None
            else:
                np.add(out, terms, out=out)
            covered += span
        remaining >>= 1
        if not remaining:
            return
        following = buffers[0]
        buffers.reverse()
        # Only the sums still needed: the digits above this one start at covered or later.
        length = m - 2 * span + 1
        np.add(power[:length], power[span : span + length], out=following[:length])
        power, span = following, span * 2


def moving_average_np(x: NDArray[np.float64], window: int) -> NDArray[np.float64] | None:
    """Moving average of ``x`` (see ``moving_average``), or None to ask for the Python path.

    A signal whose samples all have one sign (checked with one min/max pass) cannot cancel:
    it takes :func:`_same_sign_moving_average` (binary doubling for short windows, blocks of
    the window for long ones), within 5e-13 relative (usually ~1e-15). Otherwise (or when
    the blocks' error bound refuses the signal):

    The signal is cut into blocks, each extended on the left by the ``window + 1`` samples
    before it (zeros before the signal), so every window sum of a block is a difference of
    prefix sums of its extended row. A plain prefix sum would lose the small samples next
    to large ones and cancel catastrophically in the differences; instead each sample is
    split without error into a high part on a per-row grid (``(x + sigma) - sigma``, with
    ``sigma`` a power of two large enough that every partial sum of high parts in the row is
    exact) and the low remainder. Sums and differences of high parts are then exact, and
    the low parts are so small that their rounding errors are negligible unless the
    magnitudes within a row span many orders, or the window sum cancels. So the error is
    bounded, per row: a prefix sum of low parts is at most ``width / 2 + 1`` additions deep
    (the doubling sums are shallower), so each is within ``(width / 2 + 1) * u * L`` of
    its exact value, ``L`` the sum of the row's ``|low|``, and a window sum, their
    difference, within ``(2 * width + 4) * u * L`` (the last roundings counted in);
    adding the exact high sum rounds once more, ``u`` relative. Every window whose sum
    that bound does not put within ``_SPLIT_TOL`` (relative) is summed exactly with
    :func:`math.fsum` instead, so the result is within ``_SPLIT_TOL + u`` of the exact
    means, like the streaming filter; when those windows are too many (more samples to
    sum than twice the signal), None hands the signal to the exact streaming path.

    Speed: prefix sums are taken on the complex view of each row, which runs two addition
    chains (even and odd samples) at once; the prefix sum at ``j`` is then
    ``F[j] + F[j-1]`` of that view read as floats.

    Returns None for non-finite or huge (> 2**900) samples, which the pure-Python path
    handles exactly as the streaming filter does.
    """
    n = x.size
    out = np.empty(n, dtype=np.float64)
    if n == 0:
        return out
    # A window longer than the signal averages every prefix, as a window of the signal's
    # length does: the buffers below then follow the signal, not the window.
    window = min(window, n)
    if _same_sign_moving_average(x, window, out):
        return out
    halo = window + 1 + (window + 1) % 2  # even, so that rows split into complex pairs
    block = max(_BLOCK, 4 * halo)
    width = halo + block
    per_chunk = max(1, min(_CHUNK // width, -(-n // block)))  # no more rows than the signal fills
    step = per_chunk * block
    # One reused buffer: the chunk's samples after the halo (the samples just before the
    # chunk, zeros before the signal); its rows overlap by the halo (a strided view).
    buffer = np.zeros(halo + step)
    rows = np.lib.stride_tricks.sliding_window_view(buffer, width)[::block]
    # The high parts of the chunk's rows, then their low parts: one array, so that each
    # vector operation below handles both.
    parts = np.empty((2 * per_chunk, width))
    scratch = np.empty((2 * per_chunk, width))
    spare = np.empty((2 * per_chunk, width))
    sums = np.empty((2 * per_chunk, block))
    # Short windows: sums of 2, 4, 8... neighbours (one vector addition each) beat prefix sums.
    doubling = window.bit_length() + window.bit_count() <= _DOUBLING_MAX_OPS + 2
    # 1/window * s equals s / window when window is a power of two (and is faster).
    reciprocal = 1.0 / window if window & (window - 1) == 0 else None
    budget = 2 * n + _CHUNK  # samples the exact repairs may sum in all
    for start in range(0, n, step):
        stop = min(start + step, n)
        size = stop - start
        k = -(-size // block)
        if start:
            buffer[:halo] = x[start - halo : start]
        buffer[halo : halo + size] = x[start:stop]
        buffer[halo + size : halo + k * block] = 0.0
        ext = rows[:k]
        magnitude = np.maximum(ext.max(axis=1), -ext.min(axis=1))
        if not np.isfinite(magnitude).all() or magnitude.max() > _MAX_MAGNITUDE:
            return None
        # sigma = 2**e >= 2 * width * max|x| puts every partial sum of high parts (at most
        # width * (max|x| + ulp)) on the grid ulp(sigma)/2, below sigma: exact in float64.
        _, exponents = np.frexp(magnitude * (2.0 * width))
        sigma = np.ldexp(1.0, exponents)[:, None]
        both, h, low = parts[: 2 * k], parts[:k], parts[k : 2 * k]
        np.add(ext, sigma, out=h)
        np.subtract(h, sigma, out=h)
        np.subtract(ext, h, out=low)
        # The error bound of the low sums of each row (see the docstring), before the window
        # sums overwrite the parts.
        low_error = np.abs(low, out=scratch[:k]).sum(axis=1)
        low_error *= _SPLIT_ERROR_FACTOR * width
        window_sums = sums[: 2 * k]
        if doubling:
            _window_sums_doubling(both, window, halo, window_sums, scratch[: 2 * k], spare[: 2 * k])
        else:
            _window_sums(both, window, halo, scratch[: 2 * k], window_sums)
        # The high sums are exact, the low ones tiny: one rounding here.
        total = window_sums[:k]
        np.add(total, window_sums[k:], out=total)
        flat = total.reshape(-1)[:size]
        if reciprocal is None:
            np.divide(flat, window, out=out[start:stop])
        else:
            np.multiply(flat, reciprocal, out=out[start:stop])
        if start == 0:  # the first window - 1 means are over the samples so far
            head = min(window, n)
            np.divide(total[0, :head], np.arange(1, head + 1, dtype=np.float64), out=out[:head])
        # Windows the bound cannot vouch for to _SPLIT_TOL of their sum (small sums in rows of
        # large samples, sums that cancel) are summed exactly, unless there are so many
        # that the exact streaming path is cheaper.
        check = np.abs(total, out=scratch[:k, :block])
        check *= _SPLIT_TOL
        doubtful = np.flatnonzero((check < low_error[:, None]).reshape(-1)[:size])
        if doubtful.size:
            budget -= doubtful.size * window
            if budget < 0:
                return None
            for index in (doubtful + start).tolist():
                first = max(0, index - window + 1)
                out[index] = math.fsum(x[first : index + 1].tolist()) / (index + 1 - first)
    return out


def _window_sums_doubling(
    parts: NDArray[np.float64],
    window: int,
    halo: int,
    out: NDArray[np.float64],
    scratch: NDArray[np.float64],
    spare: NDArray[np.float64],
) -> None:
    """Like :func:`_window_sums`, by binary doubling rather than prefix sums.

    ``T2[j] = T1[j] + T1[j-1]``, ``T4`` from ``T2``, ...; the window is the sum of the ``T``
    of its binary digits, end to end.

    Every value is a sum of at most ``window`` entries, so sums of high parts stay exact.
    ``parts`` is left untouched; ``scratch`` and ``spare`` are alternated for the ``T``.
    """
    width = parts.shape[1]
    power, span, covered, started = parts, 1, 0, False
    buffers = [scratch, spare]
    remaining = window
    while True:
        if remaining & 1:
            # The T of this digit, ending just before the samples already covered.
            ending = power[:, halo - covered : width - covered]
            if started:
                np.add(out, ending, out=out)
            else:
                np.copyto(out, ending)
                started = True
            covered += span
        remaining >>= 1
        if not remaining:
            return
        following = buffers[0]
        buffers.reverse()
        # Entries before index 2 * span - 1 are never read (the halo is > window).
        np.add(power[:, span:], power[:, :-span], out=following[:, span:])
        power, span = following, span * 2


def _window_sums(
    parts: NDArray[np.float64], window: int, halo: int, prefix: NDArray[np.float64], out: NDArray[np.float64]
) -> None:
    """Sums of the last ``window`` entries of each row, for the positions after the ``halo``.

    ``parts`` (rows of even length) is overwritten with the prefix sums of its complex view
    (even and odd entries cumulated separately, ``F``); ``prefix`` is scratch space.
    """
    pairs = parts.view(np.complex128)
    np.cumsum(pairs, axis=1, out=pairs)
    # Prefix sum at j: F[j] + F[j-1] (F[j] holds the sum of one parity up to j, F[j-1] the other).
    np.add(parts[:, 1:], parts[:, :-1], out=prefix[:, 1:])
    width = parts.shape[1]
    np.subtract(prefix[:, halo:], prefix[:, halo - window : width - window], out=out)
