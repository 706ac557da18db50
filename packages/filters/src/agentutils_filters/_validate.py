"""Argument checks shared by the filters: one specific exception and message per bad input."""

from __future__ import annotations

import math
import numbers
from typing import Any

__all__: list[str] = []


def real(name: str, value: object) -> float:
    """Return ``value`` as a float, or raise if it is not a real number (NaN is refused).

    Raises:
        TypeError: ``value`` is not a real number (``bool`` is refused too).
        ValueError: ``value`` is NaN.

    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    try:
        result = float(value)
    except OverflowError:
        raise ValueError(_too_large(name, value)) from None
    if math.isnan(result):
        raise ValueError(f"{name} must be a number, got nan")
    return result


def alpha(value: object) -> float:
    """Return a valid smoothing factor: a real number in (0, 1].

    Raises:
        TypeError: ``value`` is not a real number.
        ValueError: ``value`` is outside (0, 1].

    """
    result = real("alpha", value)
    if not 0.0 < result <= 1.0:
        raise ValueError(f"alpha must be in (0, 1], got {value!r}")
    return result


def exponent(value: object) -> float:
    """Return a valid exponent for ``alpha ** exp``: a real number >= 0.

    Raises:
        TypeError: ``value`` is not a real number.
        ValueError: ``value`` is negative or NaN.

    """
    result = real("exp", value)
    if not result >= 0.0:
        raise ValueError(f"exp must be >= 0, got {value!r}")
    return result


def bounds(min_val: float | None, max_val: float | None) -> None:
    """Check that the clamp bounds are ordered.

    Raises:
        ValueError: both are set and ``min_val > max_val``.

    """
    if min_val is not None and max_val is not None and min_val > max_val:
        raise ValueError(f"min_val must be <= max_val, got min_val={min_val!r} > max_val={max_val!r}")


def window(name: str, value: object) -> int:
    """Return a valid window size: an integer >= 1.

    Raises:
        TypeError: ``value`` is not an integer (``bool`` is refused too).
        ValueError: ``value`` is < 1.

    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    result = int(value)
    if result < 1:
        raise ValueError(f"{name} must be >= 1, got {result}")
    return result


def tolerance(name: str, value: object) -> float:
    """Return a valid relative tolerance: a real number in [0, 1).

    Raises:
        TypeError: ``value`` is not a real number.
        ValueError: ``value`` is NaN or outside [0, 1).

    """
    result = real(name, value)
    if not 0.0 <= result < 1.0:
        raise ValueError(f"{name} must be in [0, 1), got {value!r}")
    return result


def sample(value: Any) -> float:
    """Return a sample as a float, or raise the error that says why it is not one.

    Real numbers are accepted: floats, ints and bools, fractions, numpy scalars (numpy
    booleans too, as in the arrays of the batch forms). The streaming filters call this
    only when their arithmetic on the sample failed or did not give a float.

    Raises:
        TypeError: ``value`` is not a real number (a string, None, a complex, a Decimal, an array...).
        ValueError: ``value`` is an int too large for a float.

    """
    try:
        result = value + 0.0
    except OverflowError:
        raise ValueError(_too_large("samples", value)) from None
    except TypeError:
        raise not_a_sample(value) from None
    if not isinstance(result, numbers.Real):
        raise not_a_sample(value)
    return float(result)


def not_a_sample(sample: object) -> TypeError:
    """The error for a sample that is not a number (raised by the caller, from the arithmetic's)."""
    return TypeError(f"samples must be real numbers, got {type(sample).__name__}: {sample!r:.40}")


def _too_large(name: str, value: object) -> str:
    # No repr: an int of more than 4300 digits cannot be converted to a string.
    return f"{name} must be within the range of a float, got an {type(value).__name__} too large to convert"
