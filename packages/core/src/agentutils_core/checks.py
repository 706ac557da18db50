"""Argument checks shared by every member: one vocabulary for seconds, counts and rates.

Each check returns the value in its canonical form or raises an error that names the
argument, what was expected and what was received: ``TypeError`` for a value of the wrong
type (``True`` and ``False`` are never numbers here), ``ValueError`` for a value of the
right type out of range (NaN included).

Timeouts have one meaning everywhere (the pool, the room waiters, the aio helpers):

========================  =======================================================
``timeout=``              meaning
========================  =======================================================
``None``                  no limit: wait as long as it takes
``math.inf``              the same as ``None`` (normalised to ``None``)
``0``                     do not wait: succeed only if the result is ready now
a positive number         wait at most that many seconds
negative, NaN             ``ValueError``
``True``/``False``, str   ``TypeError``
========================  =======================================================
"""

from __future__ import annotations

import math

__all__ = [
    "MAX_SAMPLE_RATE",
    "check_count",
    "check_delay",
    "check_int",
    "check_num_channels",
    "check_sample_rate",
    "check_seconds",
    "check_timeout",
]


def _got(value: object) -> str:
    return f"{type(value).__name__}: {value!r}"


def check_int(value: object, name: str) -> int:
    """Return ``value`` if it is an ``int`` (``bool`` excluded).

    Raises:
        TypeError: ``value`` is not an ``int``, or is a ``bool``.

    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {_got(value)}")
    return value


def check_count(value: object, name: str, *, minimum: int = 0) -> int:
    """Return ``value`` if it is an ``int`` of at least ``minimum``.

    Raises:
        TypeError: ``value`` is not an ``int`` (a ``bool`` or a float such as ``2.0`` included).
        ValueError: ``value`` is below ``minimum``.

    """
    count = check_int(value, name)
    if count < minimum:
        raise ValueError(f"{name} must be an int >= {minimum}, got {count!r}")
    return count


MAX_SAMPLE_RATE = 2**32 - 1
"""The largest sample rate accepted: the most a WAV header (and most codecs) can state."""


def check_sample_rate(value: object, name: str = "sample_rate") -> int:
    """Return a sample rate in Hz: a positive ``int`` of at most :data:`MAX_SAMPLE_RATE`.

    Raises:
        TypeError: ``value`` is not an ``int`` (``48000.0`` included).
        ValueError: ``value`` is not positive, or is above :data:`MAX_SAMPLE_RATE` (a
            resampler asked for 10**20 Hz would otherwise work forever).

    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be a positive int (Hz), got {_got(value)}")
    if value <= 0:
        raise ValueError(f"{name} must be a positive int (Hz), got {value!r}")
    if value > MAX_SAMPLE_RATE:
        raise ValueError(f"{name} must be at most {MAX_SAMPLE_RATE} Hz, got {value!r}")
    return value


def check_num_channels(value: object, name: str = "num_channels") -> int:
    """Return a channel count: a positive ``int``.

    Raises:
        TypeError: ``value`` is not an ``int``.
        ValueError: ``value`` is not positive.

    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be a positive int, got {_got(value)}")
    if value <= 0:
        raise ValueError(f"{name} must be a positive int, got {value!r}")
    return value


def check_seconds(value: object, name: str, *, positive: bool = False) -> float:
    """Return a duration in seconds as a ``float``.

    Args:
        value: the argument.
        name: its name, for messages.
        positive: require ``value > 0``; otherwise ``value >= 0``.

    Raises:
        TypeError: ``value`` is not an ``int`` or ``float`` (a ``bool`` included).
        ValueError: ``value`` is NaN, negative, or ``0`` when ``positive`` is set.

    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number of seconds, got {_got(value)}")
    seconds = float(value)
    if math.isnan(seconds):
        raise ValueError(f"{name} must be a number of seconds, got nan")
    if positive and not seconds > 0:
        raise ValueError(f"{name} must be > 0 seconds, got {value!r}")
    if seconds < 0:
        raise ValueError(f"{name} must be >= 0 seconds, got {value!r}")
    return seconds


def check_delay(value: object, name: str = "delay") -> float:
    """Return a delay in seconds from now as a ``float``.

    A delay of ``0`` or less means "now", as with :func:`asyncio.sleep`; the value is
    returned as given (not clamped), so it reads back unchanged.

    Raises:
        TypeError: ``value`` is not an ``int`` or ``float`` (a ``bool`` included).
        ValueError: ``value`` is NaN.

    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number of seconds, got {_got(value)}")
    seconds = float(value)
    if math.isnan(seconds):
        raise ValueError(f"{name} must be a number of seconds, got nan")
    return seconds


def check_timeout(value: object, name: str = "timeout") -> float | None:
    """Return a timeout: ``None`` for no limit (``None`` or ``math.inf``), else seconds >= 0.

    ``0`` means "do not wait" (see the module's table).

    Raises:
        TypeError: ``value`` is not ``None``, an ``int`` or a ``float`` (``bool`` included).
        ValueError: ``value`` is negative or NaN.

    """
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number of seconds or None, got {_got(value)}")
    seconds = check_seconds(value, name)
    return None if math.isinf(seconds) else seconds
