"""Argument checks shared by the aio primitives (private)."""

from __future__ import annotations

import math

__all__: list[str] = []


def check_int(value: object, name: str) -> int:
    """Return ``value`` if it is an ``int`` (not a ``bool``), else raise ``TypeError``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}: {value!r}")
    return value


def check_seconds(value: object, name: str, *, positive: bool = False) -> float:
    """Return ``value`` as a float of seconds.

    Raises:
        TypeError: ``value`` is not a real number (``bool`` included).
        ValueError: ``value`` is NaN, or not > 0 when ``positive`` is set.

    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number of seconds, got {type(value).__name__}: {value!r}")
    seconds = float(value)
    if math.isnan(seconds):
        raise ValueError(f"{name} must be a number of seconds, got nan")
    if positive and not seconds > 0:
        raise ValueError(f"{name} must be > 0 seconds, got {value!r}")
    return seconds
