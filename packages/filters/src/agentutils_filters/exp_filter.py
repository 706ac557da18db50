"""Exponential smoothing filter with optional clamping, streaming and batch."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, overload

from agentutils_core import NOT_GIVEN, NotGiven, NotGivenOr, is_given

from . import _batch, _validate

if TYPE_CHECKING:
    from collections.abc import Iterable

    import numpy as np
    from numpy.typing import NDArray

__all__ = ["ExpFilter"]


def _bound(name: str, value: NotGivenOr[float | None]) -> float | None:
    return _validate.real(name, value) if is_given(value) and value is not None else None


class ExpFilter:
    """Exponential smoothing: ``value = a * value + (1 - a) * sample`` with ``a = alpha ** exp``.

    ``alpha`` weights the previous value (as in ``livekit.agents.utils.ExpFilter``): close
    to 1 smooths heavily, 1 freezes the value. ``exp`` scales the step, e.g. the time
    elapsed since the previous sample in units of the nominal period. The first sample is
    taken as is, unless an ``initial`` value was given. Every result is clamped to
    ``max_val``, then to ``min_val``.

    Args:
        alpha: Smoothing factor in (0, 1].
        max_val: Upper clamp (None or omitted: none).
        min_val: Lower clamp (None or omitted: none).
        initial: Value before the first sample (omitted: the first sample is the value).

    Raises:
        TypeError: an argument is not a real number.
        ValueError: ``alpha`` is outside (0, 1], a number is NaN, or ``min_val > max_val``.

    Example:
        >>> f = ExpFilter(alpha=0.5)
        >>> f.apply(1.0, 10.0), f.apply(1.0, 20.0)
        (10.0, 15.0)

    """

    __slots__ = ("_alpha", "_max", "_min", "_value")

    def __init__(
        self,
        alpha: float,
        max_val: NotGivenOr[float | None] = NOT_GIVEN,
        min_val: NotGivenOr[float | None] = NOT_GIVEN,
        initial: NotGivenOr[float] = NOT_GIVEN,
    ) -> None:
        self._alpha = _validate.alpha(alpha)
        self._max = _bound("max_val", max_val)
        self._min = _bound("min_val", min_val)
        _validate.bounds(self._min, self._max)
        self._value = _validate.real("initial", initial) if is_given(initial) else None

    @property
    def alpha(self) -> float:
        """The smoothing factor: the weight of the previous value for ``exp == 1``."""
        return self._alpha

    @property
    def max_val(self) -> float | None:
        """The upper clamp, or None."""
        return self._max

    @property
    def min_val(self) -> float | None:
        """The lower clamp, or None."""
        return self._min

    @property
    def value(self) -> float | None:
        """The current value; None before the first sample when no initial value was given."""
        return self._value

    def filtered(self) -> float:
        """The current value.

        Raises:
            ValueError: the filter has no value yet (no sample and no initial value).

        """
        value = self._value
        if value is None:
            raise ValueError("the filter has no value yet: apply a sample first or give an initial value")
        return value

    def apply(self, exp: float, sample: NotGivenOr[float] = NOT_GIVEN) -> float:
        """Feed one sample and return the new (clamped) value.

        Args:
            exp: Exponent of ``alpha`` for this step (>= 0; 1.0 for one nominal period).
            sample: The new sample. Omitted: the current value is kept, clamped to the
                current bounds.

        Returns:
            The new value.

        Raises:
            TypeError: ``exp`` or ``sample`` is not a real number (``exp`` not a bool either).
            ValueError: ``exp`` is negative or NaN, ``sample`` is omitted while the filter
                has no value yet, or one of them is an int too large for a float.

        """
        if exp.__class__ is not float or not exp >= 0.0:  # not a float, negative or NaN
            exp = _validate.exponent(exp)  # raises the specific error, or gives a float
        value = self._value
        if isinstance(sample, NotGiven):
            if value is None:
                raise ValueError(
                    "apply() needs a sample: the filter has no value yet "
                    "(no sample applied and no initial value)"
                )
        elif value is None:
            value = _validate.sample(sample)
        else:
            a = self._alpha**exp
            try:
                new = a * value + (1.0 - a) * sample
            except (TypeError, OverflowError):
                new = None
            if new.__class__ is not float:
                # numpy scalars (whose arithmetic may be single precision), or not a real
                # number: check the sample and compute again with it as a float.
                new = a * value + (1.0 - a) * _validate.sample(sample)
            value = new
        bound = self._max
        if bound is not None and value > bound:
            value = bound
        bound = self._min
        if bound is not None and value < bound:
            value = bound
        self._value = value
        return value

    @overload
    def apply_many(self, samples: NDArray[Any], exp: float = 1.0) -> NDArray[np.float64]: ...
    @overload
    def apply_many(self, samples: Iterable[float], exp: float = 1.0) -> list[float]: ...
    def apply_many(
        self, samples: Iterable[float] | NDArray[Any], exp: float = 1.0
    ) -> list[float] | NDArray[np.float64]:
        """Apply every sample in turn (same ``exp`` for each) and return every new value.

        Equal, to 1e-12 relative, to calling :meth:`apply` on each sample, and leaves the
        filter in the same state. A numpy array is filtered vectorised (blocked doubling
        scans of the linear recursion, see ``_exp_filter_np.first_order``); any other iterable in
        pure Python, which is faster than converting it to an array and back.

        Args:
            samples: A 1-D numpy array, or any iterable of real numbers.
            exp: Exponent of ``alpha`` for every step (>= 0).

        Returns:
            A float64 numpy array when ``samples`` is a numpy array, else a list of floats.

        Raises:
            TypeError: ``exp`` is not a real number, ``samples`` is not iterable, a sample
                is not a real number, or an array's dtype is not a real number type.
            ValueError: ``exp`` is negative or NaN, a sample is an int too large for a
                float, or the array is not one-dimensional.

        """
        exp = _validate.exponent(exp)
        a = self._alpha**exp
        if _batch.is_array(samples):
            array = _batch.array_input(samples)
            from ._exp_filter_np import exp_filter_np

            result = exp_filter_np(array, a, self._value, self._min, self._max)
            if result is None:
                import numpy as np

                result = np.array(self._apply_py(array.tolist(), a), dtype=np.float64)
            elif result.size:
                self._value = float(result[-1])
            return result
        # A list stays in Python: converting it to an array and back costs more than the
        # vectorised filter saves (measured: benchmarks/bench_filters.py).
        values = _batch.as_list(samples)
        return self._apply_py(values, a)

    def _apply_py(self, values: list[Any], a: float) -> list[float]:
        """The pure-Python batch form: exactly the operations of :meth:`apply`."""
        out: list[float] = []
        append = out.append
        value = self._value
        hi = self._max
        lo = self._min
        b = 1.0 - a
        samples = iter(values)
        sample: Any = None
        try:
            if value is None:  # the first sample is taken as is
                for sample in samples:
                    value = _validate.sample(sample)
                    if hi is not None and value > hi:
                        value = hi
                    if lo is not None and value < lo:
                        value = lo
                    append(value)
                    break
            for sample in samples:
                new = a * value + b * sample  # type: ignore[operator]
                if new.__class__ is not float:  # numpy scalars: as in apply()
                    new = a * value + b * _validate.sample(sample)  # type: ignore[operator]
                if hi is not None and new > hi:
                    new = hi
                if lo is not None and new < lo:
                    new = lo
                append(new)
                value = new
        except (TypeError, OverflowError):
            _validate.sample(sample)  # raises the specific error
            raise
        finally:
            # A bad sample raises midway: keep the state of the samples applied before it,
            # as a loop of apply() would.
            if out:
                self._value = out[-1]
        return out

    def reset(
        self,
        alpha: NotGivenOr[float] = NOT_GIVEN,
        initial: NotGivenOr[float] = NOT_GIVEN,
        min_val: NotGivenOr[float | None] = NOT_GIVEN,
        max_val: NotGivenOr[float | None] = NOT_GIVEN,
    ) -> None:
        """Change the settings that are given; the others, and the value, are kept.

        As in ``livekit.agents.utils.ExpFilter.reset``: giving ``initial`` replaces the
        current value. A bound of None removes that clamp. Nothing changes if an argument is
        invalid.

        Raises:
            TypeError: an argument is not a real number.
            ValueError: ``alpha`` is outside (0, 1], a number is NaN, or the resulting
                ``min_val > max_val``.

        """
        new_alpha = _validate.alpha(alpha) if is_given(alpha) else self._alpha
        new_min = _bound("min_val", min_val) if is_given(min_val) else self._min
        new_max = _bound("max_val", max_val) if is_given(max_val) else self._max
        _validate.bounds(new_min, new_max)
        new_value = _validate.real("initial", initial) if is_given(initial) else self._value
        self._alpha, self._min, self._max, self._value = new_alpha, new_min, new_max, new_value

    def update_base(self, alpha: float) -> None:
        """Change the smoothing factor, keeping the value.

        Raises:
            TypeError: ``alpha`` is not a real number.
            ValueError: ``alpha`` is outside (0, 1].

        """
        self._alpha = _validate.alpha(alpha)

    def __repr__(self) -> str:
        return (
            f"ExpFilter(alpha={self._alpha!r}, max_val={self._max!r}, "
            f"min_val={self._min!r}, value={self._value!r})"
        )
