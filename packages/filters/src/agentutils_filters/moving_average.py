"""Moving average over a fixed window: a streaming class and a batch function.

The running sum is kept exact to within a few units in the last place: every update is
compensated (each addition's rounding error is recovered with an error-free TwoSum and
carried in a second float), and each time the window has been replaced by new samples the
sum is recomputed from the window with :func:`math.fsum`. So, unlike a plain running sum,
it does not drift however many samples go through. Each average is the window sum
rounded once, give or take about 1e-32 of the largest magnitude among the samples of the
last two windows (so, to the last digit, unless samples more than ~16 orders of magnitude
apart meet in a window whose sum cancels).
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


def _resync(hist: list[float]) -> tuple[float, float]:
    """The window's sum as an unevaluated pair ``(sum, residual)``, exact to ~1e-32 relative.

    ``hist`` is the window plus one spare slot (0.0) at the end, used here for the residual
    without allocating. NaN when the sum is undefined (inf and -inf) or overflows.
    """
    try:
        total = _fsum(hist)
    except (OverflowError, ValueError):
        return math.nan, 0.0
    if total - total != 0.0:  # inf or nan: no residual to speak of
        return total, 0.0
    # fsum is correctly rounded but still rounded: keep what it rounded away, or that error
    # (up to half an ulp of a sum that may include huge samples) would stay in the sum of
    # the small samples that remain once the huge ones have left the window.
    hist[-1] = -total
    residual = _fsum(hist)
    hist[-1] = 0.0
    return total, residual


def _exact_mean(window: list[float], size: int) -> float:
    """Mean of the window computed from scratch (the slow path, for non-finite running sums)."""
    try:
        return _fsum(window) / size
    except OverflowError:
        # The sum overflows but the mean may not: average the scaled samples instead.
        return _fsum(value / size for value in window)
    except ValueError:  # inf and -inf in the same window
        return math.nan


class MovingAverage:
    """Mean of the last ``window_size`` samples, updated one sample at a time.

    Compatible with ``livekit.agents.utils.MovingAverage``: ``add_sample``, ``get_avg``,
    ``reset`` and ``size``. The running sum does not drift (see the module docstring), a
    window size below 1 is refused, and a non-finite sample (inf, NaN) only affects the
    averages of the windows that contain it.

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

    __slots__ = ("_comp", "_full", "_hist", "_index", "_sum", "_window")

    def __init__(self, window_size: int) -> None:
        self._window = _validate.window("window_size", window_size)
        self._hist: list[float] = [0.0] * (self._window + 1)  # + a spare slot, see _resync
        self._index = 0  # where the next sample goes; also the size until the window is full
        self._full = False
        self._sum = 0.0  # running sum of the window ...
        self._comp = 0.0  # ... and the rounding error it has not absorbed yet

    @property
    def window_size(self) -> int:
        """How many of the latest samples are averaged."""
        return self._window

    def add_sample(self, sample: float) -> None:
        """Add a sample, dropping the oldest one once the window is full."""
        hist = self._hist
        i = self._index
        old = hist[i]
        # s + sample - old, with both roundings recovered exactly (Knuth's TwoSum) into comp.
        s = self._sum
        try:
            t = s + sample
        except TypeError:
            raise _validate.not_a_sample(sample) from None
        hist[i] = sample
        z = t - s
        comp = self._comp + (s - (t - z)) + (sample - z)
        s = t - old
        z = s - t
        comp = comp + (t - (s - z)) - (old + z)
        i += 1
        if i == self._window:
            # The whole window has been replaced: restart from its exact sum, so the
            # compensated errors never accumulate past one window.
            i = 0
            self._full = True
            s, comp = _resync(hist)
        self._index = i
        self._sum = s
        self._comp = comp

    def get_avg(self) -> float:
        """Mean of the samples in the window (0.0 when there are none)."""
        size = self._window if self._full else self._index
        if size == 0:
            return 0.0
        total = self._sum + self._comp
        if total - total == 0.0:  # finite
            return total / size
        return _exact_mean(self._hist, size)

    def reset(self) -> None:
        """Forget every sample."""
        self._hist = [0.0] * (self._window + 1)
        self._index = 0
        self._full = False
        self._sum = 0.0
        self._comp = 0.0

    def size(self) -> int:
        """How many samples are in the window (at most ``window_size``)."""
        return self._window if self._full else self._index

    def __repr__(self) -> str:
        return f"MovingAverage(window_size={self._window}, size={self.size()}, avg={self.get_avg()!r})"


def _moving_average_py(values: list[Any], window: int) -> list[float]:
    """The pure-Python batch form: exactly the operations of :class:`MovingAverage`."""
    out: list[float] = []
    append = out.append
    hist: list[float] = [0.0] * (window + 1)
    i = 0
    full = False
    s = 0.0
    comp = 0.0
    for sample in values:
        old = hist[i]
        try:
            t = s + sample
        except TypeError:
            raise _validate.not_a_sample(sample) from None
        hist[i] = sample
        z = t - s
        comp = comp + (s - (t - z)) + (sample - z)
        s = t - old
        z = s - t
        comp = comp + (t - (s - z)) - (old + z)
        i += 1
        if i == window:
            i = 0
            full = True
            s, comp = _resync(hist)
        size = window if full else i
        total = s + comp
        append(total / size if total - total == 0.0 else _exact_mean(hist, size))
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
    (with a blocked, error-free split of the cumulative sums, so mixed magnitudes do not
    cancel), pure Python otherwise.

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
