"""Moving average over a fixed window: a streaming class and a batch function.

:class:`MovingAverage` keeps a plain running sum, so that adding a sample costs no more
than in ``livekit.agents.utils`` (two float additions and a comparison), and makes every
average accurate on demand: ``get_avg()`` checks a rigorous bound on the rounding error the
running sum may have gathered since it was last computed exactly, and when that bound could
exceed ``rel_tol`` (default 1e-13) of the sum, it recomputes the sum exactly with
:func:`math.fsum` first. So the sum never drifts, however many samples go through, and
the check costs a few float operations.

The error bound
---------------
Let ``u = 2**-53`` (the unit roundoff of float64), ``S_j`` the exact sum of the window after
the ``j``-th sample and ``s_j`` the running sum. A sample ``x_j`` replacing ``o_j`` (the sample
that leaves the window, 0.0 while the window fills up) updates the sum as
``s_j = fl(s_{j-1} + fl(x_j - o_j))``. With round-to-nearest, ``|fl(a +- b) - (a +- b)|`` is at
most ``u * |fl(a +- b)|`` (also for subnormal results, which are exact), so with
``d_j = fl(x_j - o_j)``::

    |s_j - S_j| <= |s_{j-1} - S_{j-1}| + u * |d_j| + u * |s_j|

and, since ``d_j = s_j - s_{j-1}`` up to the second rounding, ``|d_j| <= (1 + u) |s_j| + |s_{j-1}|``,
so each sample adds at most ``u * (3 + u) * P`` where ``P`` is the largest ``|s_j|`` since the
last exact computation (tracked in ``add_sample`` by comparing ``s_j`` with ``P`` and ``-P``). After
``k`` samples from an exact point ``r`` where the sum is known as ``hi + lo`` to within
``err``, and ``s_r = hi``::

    |s - S| <= |lo| + err + k * u * (3 + u) * P

``|lo| + err`` is counted as ``v = ceil((|lo| + err) / (3u * |hi|) * (1 + 2**-40))`` extra samples
(``P >= |hi|``; whole samples keep the positions exact integers), so the fast path of
``get_avg()`` is the single test ``(k + v)**2 * P**2 <= K * s**2`` with
``K = (rel_tol / (3u))**2 * (1 - 2**-40)``: the margins cover the ``u/3`` dropped from ``3 + u``
and the dozen roundings of the test and of ``err``, each below ``u`` relative. When it holds,
``s`` is within ``rel_tol * |s|`` of the exact sum, and the average within ``rel_tol`` relative
(of the running sum, so ``rel_tol / (1 - rel_tol)`` of the exact one) of the exact mean,
give or take the rounding of the division. A sum that is not finite, or too large
(above ~1e154) or too small (below ``2**-450``, ~3e-136) for the squares to be normal
floats, or not a double (numpy float32 samples make the running sum single precision),
always takes the exact path. When the exact sum is 0, ``P`` is 0 until a running sum is
not: the fast path then holds exactly as long as the running sum stays exactly 0 (every
sample equals the one it replaces).

The exact recomputation
-----------------------
The samples are kept in a ring of at least twice the window (and 256 slots), so the samples
that left the window recently are still there. From an exact point ``hi + lo`` taken ``k``
samples ago, ``fsum`` of ``hi``, ``lo`` and the ``k`` samples added, and ``fsum`` of the ``k``
samples that left, each with its rounding residual (a second ``fsum`` with the sum
subtracted, exact to ``u * |residual|``, which adds to ``err``), combine into the new exact
point in O(k). When the window is shorter than ``3k``, the exact point is not finite, or
its error grew past two samples' worth (sums that shrank by ~16 orders), the window itself
is summed (O(window), ``err`` restarts from ``u * |lo|``). Either way the cost is
O(samples since the previous exact point), so ``get_avg()`` is O(1) amortised; on ordinary
signals (a sum not much smaller than its recent values) the exact path runs about once
every ``rel_tol / 3.3e-16`` samples (300 by default).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, overload

from . import _batch, _validate

if TYPE_CHECKING:
    from collections.abc import Iterable

    import numpy as np
    from numpy.typing import NDArray

__all__ = ["MovingAverage", "moving_average"]

_fsum = math.fsum
_INF = math.inf
_U = 2.0**-53
"""Unit roundoff of float64: the relative error of one rounded addition."""
_STEP = _U * 3.0
"""The error bound gained per sample, per unit of the largest running sum (``u * (3 + u)``;
the ``u**2`` is covered by the margin of the fast test)."""
_MARGIN = 1.0 - 2.0**-40
"""Slack for the roundings of the fast test itself and of ``u**2`` terms (a few ``u``)."""
_UP = 1.0 + 2.0**-40
"""The same slack, upwards, for the error of the exact point."""
_PEAK_FLOOR = 2.0**-450
"""Below this peak the fast test is not used (the exact path is): its squares, down to
``2**-900 / K`` with ``K < 2**103``, then stay normal floats, with relative roundings."""
_RING_MIN = 256
"""Minimum ring length: short windows then wrap around rarely."""

_DEFAULT_REL_TOL = 1e-13


class MovingAverage:
    """Mean of the last ``window_size`` samples, updated one sample at a time.

    Compatible with ``livekit.agents.utils.MovingAverage``: ``add_sample``, ``get_avg``,
    ``reset`` and ``size``, and as cheap per sample. The running sum does not drift: each
    average is within ``rel_tol`` (relative) of the exact mean of the window, the sum
    being recomputed exactly with :func:`math.fsum` whenever a rigorous bound on its
    rounding error says it is needed (see the module docstring). A window size below 1 is
    refused, and a non-finite sample (inf, NaN) only affects the averages of the windows
    that contain it.

    Args:
        window_size: How many of the latest samples are averaged (>= 1).
        rel_tol: Largest error of the window sum behind an average, relative to that sum,
            in [0, 1) (default 1e-13; the average is then within ``rel_tol / (1 - rel_tol)``
            of the exact mean, plus the rounding of the division). With 0, every average is
            the exact window sum rounded once, divided by the size (slower: most reads then
            recompute the sum).

    Raises:
        TypeError: ``window_size`` is not an int, or ``rel_tol`` not a real number.
        ValueError: ``window_size`` is < 1, or ``rel_tol`` outside [0, 1).

    Example:
        >>> avg = MovingAverage(3)
        >>> for sample in (1.0, 2.0, 3.0, 4.0):
        ...     avg.add_sample(sample)
        >>> avg.get_avg()
        3.0

    """

    __slots__ = (
        "_err",
        "_exact_at",
        "_full",
        "_hi",
        "_hist",
        "_index",
        "_inv_k2",
        "_lo",
        "_neg_peak",
        "_origin",
        "_peak",
        "_rel_tol",
        "_scaled_peak2",
        "_start",
        "_sum",
        "_window",
    )

    _hist: list[float]  # the ring of samples (see reset)
    _start: int  # where the first window starts in the ring
    _index: int  # where the next sample goes (len(_hist) stands for 0, before wrapping)
    _full: int  # window_size once the window has been filled, else 0
    _sum: float  # the running sum
    _peak: float  # P: the largest |running sum| since the exact point
    _neg_peak: float  # -P
    _scaled_peak2: float  # P**2 / K (0 for P == 0, inf for P too small to square)
    _origin: float  # _index - _origin: samples since the exact point, plus its own error
    _exact_at: float  # where the exact point was taken (-inf: none)
    _hi: float  # the exact point: the window's sum is hi + lo ...
    _lo: float
    _err: float  # ... within err (NaN hi: not finite, no exact point)

    def __init__(self, window_size: int, *, rel_tol: float = _DEFAULT_REL_TOL) -> None:
        self._window = _validate.window("window_size", window_size)
        self._rel_tol = _validate.tolerance("rel_tol", rel_tol)
        # 1 / K: inf for rel_tol 0, so that the fast test fails unless nothing has changed.
        k2 = (self._rel_tol / _STEP) ** 2 * _MARGIN
        self._inv_k2 = 1.0 / k2 if k2 > 0.0 else _INF
        self.reset()

    @property
    def window_size(self) -> int:
        """How many of the latest samples are averaged."""
        return self._window

    @property
    def rel_tol(self) -> float:
        """Largest error of the window sum behind an average, relative to that sum."""
        return self._rel_tol

    def add_sample(self, sample: float) -> None:
        """Add a sample, dropping the oldest one once the window is full.

        Raises:
            TypeError: ``sample`` is not a real number.
            ValueError: ``sample`` is an int too large for a float.

        """
        i = self._index
        hist = self._hist
        try:
            # The sample as a float (ints, numpy integers too): the difference below is then
            # one rounded float subtraction (two numpy integers would wrap around).
            x = sample + 0.0
            # The sample that leaves is window_size slots back (negative indices wrap).
            s = self._sum + (x - hist[i - self._window])
            # |s| against the peak P (not squares, which underflow for tiny sums); False for
            # NaN: get_avg() checks the sum itself.
            if s > self._peak or s < self._neg_peak:
                p = s if s > 0.0 else -s
                self._peak = p
                self._neg_peak = -p
                self._scaled_peak2 = p * p * self._inv_k2 if p > _PEAK_FLOOR else _INF
        except (TypeError, ValueError, OverflowError):
            _validate.sample(sample)  # raises the specific error
            raise
        try:
            hist[i] = x
        except IndexError:  # past the end of the ring (cheaper than testing every time)
            i = self._wrap(x)
        self._sum = s
        self._index = i + 1

    def _wrap(self, sample: float) -> int:
        """Store ``sample`` at the start of the ring, shifting the recorded positions."""
        end = len(self._hist)
        self._hist[0] = sample
        self._full = self._window
        self._origin -= end
        self._exact_at -= end
        return 0

    def get_avg(self) -> float:
        """Mean of the samples in the window (0.0 when there are none)."""
        s = self._sum
        k = self._index - self._origin
        # (k * P)**2 <= K * s**2, see the module docstring; False for NaN, inf and huge sums.
        # The bound holds for double precision: a sum that samples such as numpy float32
        # turned into single precision is recomputed at every read.
        if k * k * self._scaled_peak2 <= s * s < _INF and isinstance(s, float):
            return s / (self._full or self._index - self._start)
        return self._refresh()

    def reset(self) -> None:
        """Forget every sample."""
        ring = max(2 * self._window, _RING_MIN)
        self._hist = [0.0] * ring
        # The first window fills the end of the ring, after zeros that stand for the
        # samples leaving it: the first wrap-around is when the window is full.
        self._start = self._index = ring - self._window
        self._full = 0
        self._sum = 0.0
        self._peak = self._scaled_peak2 = _INF  # no exact point yet: the first read takes one
        self._neg_peak = -_INF
        self._origin = self._start
        self._exact_at = -_INF
        self._hi = math.nan
        self._lo = self._err = 0.0

    def size(self) -> int:
        """How many samples are in the window (at most ``window_size``)."""
        return self._full or self._index - self._start

    def __repr__(self) -> str:
        return f"MovingAverage(window_size={self._window}, size={self.size()}, avg={self.get_avg()!r})"

    def _ring(self, first: int, stop: int) -> list[float]:
        """The samples of ring positions ``first .. stop - 1`` (negative ones wrap around)."""
        hist = self._hist
        if stop <= 0:
            first += len(hist)
            stop += len(hist)
        if first >= 0:
            return hist[first:stop]
        return hist[first:] + hist[:stop]

    def _refresh(self) -> float:
        """Recompute the sum exactly, record the exact point and return the mean."""
        i = self._index
        n = self._full or i - self._start
        if n == 0:
            return 0.0
        hi = self._hi
        elapsed = i - self._exact_at
        if hi - hi == 0.0 and 3.0 * elapsed <= n:
            if elapsed == 0:  # nothing added since the exact point: it is the best there is
                return hi / n
            # The exact point plus the samples added since, minus those that left: the two
            # sides summed apart (faster than negating one), then combined.
            r = int(self._exact_at)
            w = self._window
            added = self._ring(r, i)
            added += (hi, self._lo)
            plus = _exact_pair(added)
            minus = _exact_pair(self._ring(r - w, i - w))
            if plus is not None and minus is not None:
                exact = _exact_pair([plus[0], plus[1], -minus[0], -minus[1]])
                if exact is not None:
                    # Each residual is within u * |residual| of the exact one.
                    err = self._err + _U * (abs(plus[1]) + abs(minus[1]) + abs(exact[1]))
                    if self._record(i, exact[0], exact[1], err) <= 2.0:
                        return exact[0] / n
        # The window itself: exact to u * |lo|, whatever came before.
        window = self._ring(i - n, i)
        exact = _exact_pair(window)
        if exact is not None:
            self._record(i, exact[0], exact[1], _U * abs(exact[1]))
            return exact[0] / n
        # Not finite: inf or NaN in the window, or a sum that overflows. The state makes
        # every read come back here until the window is finite again.
        self._hi = self._sum = math.nan
        self._peak = self._scaled_peak2 = _INF
        self._neg_peak = -_INF
        return _exact_mean(window, n)

    def _record(self, i: int, hi: float, lo: float, err: float) -> float:
        """Make ``hi + lo`` (within ``err``) the exact point at ``i``; return its extra samples ``v``."""
        self._hi = self._sum = hi
        self._lo = lo
        self._err = err
        p = abs(hi)
        self._peak = p
        self._neg_peak = -p
        # P == 0 (an exact zero sum) passes the fast test while the sum stays exactly 0.
        self._scaled_peak2 = p * p * self._inv_k2 if p > _PEAK_FLOOR else 0.0 if p == 0.0 else _INF
        self._exact_at = i
        # |s - S| right now, as a whole number of samples' worth of error (rounded up, with
        # a margin for the roundings of err and of this division), so that the positions
        # stay exact integers.
        bound = abs(lo) + err
        extra: float = 0
        if bound != 0.0:
            scale = _STEP * abs(hi)  # 0 for subnormal sums as well as for 0
            ratio = bound / scale * _UP if scale != 0.0 else _INF
            extra = math.ceil(ratio) if ratio < 2.0**53 else _INF
        self._origin = i - extra
        return extra


def _exact_pair(values: list[float]) -> tuple[float, float] | None:
    """``fsum(values)`` and its rounding residual (also correctly rounded), or None if not finite.

    ``values`` gets one more item: the negated sum.
    """
    try:
        total = _fsum(values)
        if total - total != 0.0:
            return None
        values.append(-total)
        return total, _fsum(values)
    except (OverflowError, ValueError):
        return None


def _exact_mean(window: list[float], size: int) -> float:
    """Mean of a window whose sum is not finite (inf, NaN, or too large for a float)."""
    try:
        try:
            return _fsum(window) / size
        except OverflowError:
            # The sum overflows but the mean may not. Scaled by a power of two below
            # 1 / size (exact, but for samples below 2**-1022 * scale), no partial sum of fsum
            # can overflow; scaling back after dividing rounds once more at most.
            scale = 2.0 ** -(size.bit_length() + 1)
            return _fsum([value * scale for value in window]) / size / scale
    except ValueError:  # inf and -inf in the same window (found by either sum)
        return math.nan


def _moving_average_py(values: list[Any], window: int) -> list[float]:
    """The pure-Python batch form: a :class:`MovingAverage` read after every sample."""
    avg = MovingAverage(window)
    add = avg.add_sample
    get = avg.get_avg
    out: list[float] = []
    append = out.append
    for sample in values:
        add(sample)
        append(get())
    return out


@overload
def moving_average(samples: NDArray[Any], window: int) -> NDArray[np.float64]: ...
@overload
def moving_average(samples: Iterable[float], window: int) -> list[float]: ...
def moving_average(samples: Iterable[float] | NDArray[Any], window: int) -> list[float] | NDArray[np.float64]:
    """Moving average of a whole signal: element ``i`` is the mean of samples ``i-window+1 .. i``.

    The same values, to 1e-12 relative, as feeding the samples one by one to a
    :class:`MovingAverage` and reading ``get_avg()`` after each (the first ``window - 1``
    averages are over the samples seen so far). Vectorised with numpy when it is installed
    (signals of one sign by plain additions, which cannot cancel; others with a blocked,
    error-free split of the cumulative sums, so mixed magnitudes do not cancel either; each
    with a checked error bound, windows it cannot vouch for being summed exactly), pure
    Python otherwise.

    Args:
        samples: The signal: a 1-D numpy array, or any iterable of real numbers.
        window: How many of the latest samples each average covers (>= 1).

    Returns:
        A float64 numpy array when ``samples`` is a numpy array, else a list of floats.

    Raises:
        TypeError: ``window`` is not an int, ``samples`` is not iterable, or an array's dtype
            is not a real number type.
        ValueError: ``window`` is < 1, or the array is not one-dimensional.

    Example:
        >>> moving_average([1.0, 2.0, 3.0, 4.0], 2)
        [1.0, 1.5, 2.5, 3.5]

    """
    window = _validate.window("window", window)
    if _batch.is_array(samples):
        from ._kernels import moving_average_np

        array = _batch.array_input(samples)
        result = moving_average_np(array, window)
        if result is not None:
            return result
        import numpy as np

        return np.array(_moving_average_py(array.tolist(), window), dtype=np.float64)
    values = _batch.as_list(samples)
    converted = _batch.list_as_array(values)
    if converted is not None:
        from ._kernels import moving_average_np

        result = moving_average_np(converted, window)
        if result is not None:
            out: list[float] = result.tolist()
            return out
    return _moving_average_py(values, window)
