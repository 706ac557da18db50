"""Moving average over a fixed window: a streaming class and a batch function.

:class:`MovingAverage` keeps a plain running sum, so that adding a sample costs no more
than in ``livekit.agents.utils`` (two float additions and a comparison). A running sum
gathers rounding errors, and the reference's keeps every one of them (after 10**7 samples
of mixed magnitudes, its mean of a window of small samples is 0.6% off). Here the sum is
recomputed exactly, with :func:`math.fsum` over the window, every ``max(window_size, 256)``
samples or so (when the
ring of samples wraps around for the ``ceil(256 / window_size)``-th time), so the error never
builds up: the O(window) recomputation costs O(1) per sample, amortised.

Between two recomputations, ``P`` samples apart at most (``P = window_size * ceil(256 /
window_size)``), each addition rounds once, by ``u = 2**-53`` of a sum whose magnitude is at
most the window's ``n * M`` (``M``: the largest ``|sample|`` of the last ``P + window_size``
samples), and each difference ``sample - leaving`` once more, by ``u * 2M``. So an average is
within ``P * (n + 2) * u * M / n <= 3 * P * u * M`` of the exact mean: relative to the
window's magnitude, below ``1.7e-13`` for windows up to 256 (``P < 512``), ``3.4e-16 *
window_size`` above (``P = window_size``).
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
RESYNC = 256
"""The running sum is recomputed exactly at least every this many samples (or every window)."""


class MovingAverage:
    """Mean of the last ``window_size`` samples, updated one sample at a time.

    Compatible with ``livekit.agents.utils.MovingAverage``: ``add_sample``, ``get_avg``,
    ``reset`` and ``size``, and as cheap per sample. The running sum does not drift: it is
    recomputed exactly every ``max(window_size, 256)`` samples or so, so each average is
    within ``3 * P * 2**-53`` of the largest recent ``|sample|`` of the exact mean (see the
    module docstring), however many samples go through. It holds the window's samples
    only, allocated as they arrive. A window size below 1 is refused, and a non-finite
    sample (inf, NaN) only affects the averages of the windows that contain it.

    Args:
        window_size: How many of the latest samples are averaged (>= 1).

    Raises:
        TypeError: ``window_size`` is not an int.
        ValueError: ``window_size`` is < 1.

    Example:
        >>> avg = MovingAverage(3)
        >>> for sample in (1.0, 2.0, 3.0, 4.0):
        ...     avg.add_sample(sample)
        >>> avg.get_avg()
        3.0

    """

    __slots__ = ("_hist", "_index", "_laps", "_resync_laps", "_sum", "_window")

    _hist: list[float]  # the window: filled by appending, then a ring
    _index: int  # the oldest sample, which the next replaces (len(_hist) until full)
    _laps: int  # full turns of the ring since the sum was last computed exactly
    _sum: float  # the running sum

    def __init__(self, window_size: int) -> None:
        self._window = _validate.window("window_size", window_size)
        self._resync_laps = -(-RESYNC // self._window)
        self.reset()

    @property
    def window_size(self) -> int:
        """How many of the latest samples are averaged."""
        return self._window

    def add_sample(self, sample: float) -> None:
        """Add a sample, dropping the oldest one once the window is full.

        Raises:
            TypeError: ``sample`` is not a real number.
            ValueError: ``sample`` is an int too large for a float.

        """
        i = self._index
        hist = self._hist
        try:
            # The sample as a float (ints, numpy scalars too): the difference below is then one
            # rounded double subtraction (two numpy integers would wrap around, two float32
            # would round in single precision).
            x = sample + 0.0
            if x.__class__ is not float:  # numpy scalars, complex...: a double, or the error
                x = float(_validate.sample(sample))
            s = self._sum + (x - hist[i])  # IndexError while the window fills up
        except IndexError:
            self._fill(sample)
            return
        except (TypeError, ValueError, OverflowError):
            _validate.sample(sample)  # raises the specific error
            raise
        hist[i] = x
        i += 1
        if i == self._window:  # a full turn of the ring
            i = 0
            self._laps += 1
            if self._laps >= self._resync_laps:
                s = self._exact_sum(s)
        self._sum = s
        self._index = i

    def _fill(self, sample: float) -> None:
        """Append ``sample`` to a window that is not full yet."""
        x = float(_validate.sample(sample))
        hist = self._hist
        hist.append(x)
        s = self._sum + x
        # Until the window is full, the next index is one past the end (add_sample's
        # IndexError); then the ring starts at its oldest sample.
        self._index = len(hist)
        if self._index == self._window:
            self._index = 0
            self._laps = 1
            if self._laps >= self._resync_laps:
                s = self._exact_sum(s)
        self._sum = s

    def _exact_sum(self, running: float) -> float:
        """The window's sum, computed exactly and rounded once (``running`` if not finite)."""
        self._laps = 0
        try:
            return _fsum(self._hist)
        except (OverflowError, ValueError):  # it overflows, or inf and -inf in the window
            return running

    def get_avg(self) -> float:
        """Mean of the samples in the window (0.0 when there are none)."""
        s = self._sum
        hist = self._hist
        # A finite sum: the common case. Not finite (inf, NaN, or a sum that overflows):
        # the window decides.
        if s - s == 0.0 and hist:
            return s / len(hist)
        return self._exact_mean()

    def _exact_mean(self) -> float:
        hist = self._hist
        if not hist:
            return 0.0
        try:
            total = _fsum(hist)
        except (OverflowError, ValueError):
            return _exact_mean(hist, len(hist))
        self._sum = total  # finite again (an inf has left the window): resume from here
        self._laps = 0
        return total / len(hist)

    def reset(self) -> None:
        """Forget every sample."""
        self._hist = []
        self._index = 0
        self._laps = 0
        self._sum = 0.0

    def size(self) -> int:
        """How many samples are in the window (at most ``window_size``)."""
        return len(self._hist)

    def __repr__(self) -> str:
        return f"MovingAverage(window_size={self._window}, size={self.size()}, avg={self.get_avg()!r})"


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

    The same values, to 1e-9 of the window's magnitude, as feeding the samples one by one
    to a :class:`MovingAverage` and reading ``get_avg()`` after each (the first
    ``window - 1`` averages are over the samples seen so far). Vectorised with numpy when it
    is installed (signals of one sign by plain additions, which cannot cancel, to ~1e-15
    relative; others with a blocked, error-free split of the cumulative sums, each with a
    checked error bound, windows it cannot vouch for to 2**-41 being summed exactly, or
    the signal handed to the streaming filter when they are too many), pure Python
    otherwise.

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
        from ._moving_average_np import moving_average_np

        array = _batch.array_input(samples)
        result = moving_average_np(array, window)
        if result is not None:
            return result
        import numpy as np

        return np.array(_moving_average_py(array.tolist(), window), dtype=np.float64)
    values = _batch.as_list(samples)
    converted = _batch.list_as_array(values)
    if converted is not None:
        from ._moving_average_np import moving_average_np

        result = moving_average_np(converted, window)
        if result is not None:
            out: list[float] = result.tolist()
            return out
    return _moving_average_py(values, window)
