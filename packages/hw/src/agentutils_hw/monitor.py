"""``CPUMonitor``: the interface of every CPU monitor, and the load computation they share.

A monitor reports how many CPUs it may use (:meth:`CPUMonitor.cpu_count`) and a
cumulative counter of CPU time used (:meth:`CPUMonitor.usage_seconds`). The load over an
interval is the counter's delta divided by the elapsed time (``time.monotonic()``) times
the count, clamped to 0..1. A delta the machine cannot have produced (the counter went
backwards, or grew by more than the elapsed time times the host's CPUs: a torn or
non-monotonic read of ``cpu.stat``) is discarded with a warning, and the last valid
reading is returned instead.
"""

from __future__ import annotations

import asyncio
import logging
import math
import os
import time
from abc import ABC, abstractmethod

from agentutils_core import check_seconds

__all__ = ["NUM_CPUS_ENV_VAR", "CPUMonitor", "CPUUsageError", "host_cpu_count"]

logger = logging.getLogger("agentutils.hw")

NUM_CPUS_ENV_VAR = "NUM_CPUS"
"""Environment variable that overrides every monitor's CPU count (a positive number)."""

# The counter and the clock are read at slightly different moments, and kernels account
# CPU time in ticks (10 ms at 100 Hz): a saturated machine can show a delta a little over
# elapsed x CPUs. This much slack per CPU keeps such readings; torn reads are far larger.
_SKEW_SECONDS = 0.02

_warned_num_cpus: set[str] = set()


class CPUUsageError(RuntimeError):
    """The CPU usage counter of a monitor cannot be read (missing file, malformed content)."""


def host_cpu_count() -> int:
    """Return the number of logical CPUs of the machine (``os.cpu_count()``, at least 1)."""
    return os.cpu_count() or 1


def cpu_count_from_env() -> float | None:
    """Return the CPU count set by ``NUM_CPUS``, or None when it is unset, blank or invalid.

    An invalid value (not a number, not finite, zero or negative) is logged as a warning
    once per distinct value and ignored; it never raises.
    """
    raw = os.environ.get(NUM_CPUS_ENV_VAR)
    if raw is None or not raw.strip():
        return None
    try:
        count = float(raw)
    except ValueError:
        count = math.nan
    if math.isfinite(count) and count > 0:
        return count
    if raw not in _warned_num_cpus:
        _warned_num_cpus.add(raw)
        logger.warning(
            "ignoring %s=%r: expected a positive number of CPUs; using the detected count",
            NUM_CPUS_ENV_VAR,
            raw,
        )
    return None


def _check_interval(interval: object) -> float:
    seconds = check_seconds(interval, "interval", positive=True)
    if math.isinf(seconds):
        raise ValueError(f"interval must be a finite number of seconds > 0, got {interval!r}")
    return seconds


class CPUMonitor(ABC):
    """CPU count and load of what a monitor watches (a cgroup, or the host).

    Subclasses implement :meth:`cpu_count` and :meth:`usage_seconds`; the load methods are
    shared. A monitor keeps its last valid reading, returned when a delta is discarded.
    """

    def __init__(self) -> None:
        self._last_percent = 0.0

    @abstractmethod
    def cpu_count(self) -> float:
        """Return the number of CPUs available, possibly fractional (a cgroup quota).

        ``NUM_CPUS``, when set to a positive number, overrides what is detected.
        """

    @abstractmethod
    def usage_seconds(self) -> float:
        """Return the CPU time used so far, in seconds summed over all CPUs (a counter).

        Raises:
            CPUUsageError: the counter cannot be read.

        """

    def cpu_percent(self, interval: float = 0.5) -> float:
        """Return the CPU load over the next ``interval`` seconds, from 0 to 1 (blocks).

        Raises:
            TypeError: ``interval`` is not a number (a ``bool`` included).
            ValueError: ``interval`` is not a finite number of seconds > 0.
            CPUUsageError: the usage counter cannot be read.

        """
        seconds = _check_interval(interval)
        start = self._sample()
        time.sleep(seconds)
        return self._percent_since(start)

    async def cpu_percent_async(self, interval: float = 0.5) -> float:
        """Return the CPU load over the next ``interval`` seconds, without blocking the loop.

        Same result and errors as :meth:`cpu_percent`; the wait is ``asyncio.sleep``.
        """
        seconds = _check_interval(interval)
        start = self._sample()
        await asyncio.sleep(seconds)
        return self._percent_since(start)

    def _sample(self) -> tuple[float, float]:
        usage = self.usage_seconds()
        return usage, time.monotonic()

    def _percent_since(self, start: tuple[float, float]) -> float:
        usage, now = self._sample()
        used, elapsed = usage - start[0], now - start[1]
        ceiling = (elapsed + _SKEW_SECONDS) * host_cpu_count()
        if not (elapsed > 0 and 0 <= used <= ceiling):
            logger.warning(
                "discarding an impossible CPU usage delta of %.6f s over %.6f s (ceiling %.6f s); "
                "returning the last valid reading",
                used,
                elapsed,
                ceiling,
            )
            return self._last_percent
        # Divided one factor at a time: elapsed x a tiny count (NUM_CPUS=1e-320) is 0.0,
        # while a quotient that large is inf, which the clamp makes 1.
        self._last_percent = min(used / elapsed / self.cpu_count(), 1.0)
        return self._last_percent
