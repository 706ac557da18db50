"""Fixtures shared by the agentutils-filters tests: exact oracles and tolerant comparisons."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Sequence

import pytest


@pytest.fixture(scope="session")
def exact_means() -> Callable[[Sequence[float], int], list[float]]:
    """The oracle of the moving average: each window's mean from its correctly rounded sum."""

    def means(samples: Sequence[float], window: int) -> list[float]:
        return [
            math.fsum(samples[max(0, i - window + 1) : i + 1]) / min(i + 1, window)
            for i in range(len(samples))
        ]

    return means


@pytest.fixture(scope="session")
def assert_close() -> Callable[..., None]:
    """Compare two sequences element by element, to ``rel`` of ``max(|expected|, floor)``.

    ``floor`` (default 0: purely relative) is for signals whose results may cancel to ~0,
    where only an error relative to the magnitude of the samples is meaningful.
    """

    def check(
        actual: Sequence[float], expected: Sequence[float], *, rel: float = 1e-12, floor: float = 0.0
    ) -> None:
        assert len(actual) == len(expected)
        for i, (a, b) in enumerate(zip(actual, expected, strict=False)):
            tolerance = rel * max(abs(b), floor)
            assert abs(a - b) <= tolerance, f"element {i}: {a!r} != {b!r} (tolerance {tolerance:.3g})"

    return check


def _exact_units(x: float) -> int:
    """``x`` as an exact integer multiple of 2**-1074 (every finite double is one)."""
    num, den = float(x).as_integer_ratio()
    return num << (1074 - den.bit_length() + 1)


@pytest.fixture(scope="session")
def exact_running_means() -> Callable[[Sequence[float], int], list[float]]:
    """The exact oracle in O(n) for long signals: an integer running sum, rounded once per mean
    (then divided by the size, as :func:`exact_means` does)."""

    def means(samples: Sequence[float], window: int) -> list[float]:
        units = [_exact_units(x) for x in samples]
        total = 0
        out = []
        scale = 1 << 1074
        for i, u in enumerate(units):
            total += u
            if i >= window:
                total -= units[i - window]
            out.append((total / scale) / min(i + 1, window))
        return out

    return means


@pytest.fixture(scope="session")
def recent_magnitude() -> Callable[[Sequence[float], int], list[float]]:
    """For each position, the largest |sample| among those the streaming average's error
    scales with: the samples since its sum was last recomputed exactly, and the window
    before (see the agentutils_filters.moving_average docstring)."""
    from agentutils_filters.moving_average import RESYNC

    def magnitudes(samples: Sequence[float], window: int) -> list[float]:
        span = window * -(-RESYNC // window) + window
        values = [abs(float(x)) for x in samples]
        kept: deque[int] = deque()  # indices of decreasing magnitude
        out = []
        for i, value in enumerate(values):
            while kept and values[kept[-1]] <= value:
                kept.pop()
            kept.append(i)
            if kept[0] <= i - span:
                kept.popleft()
            out.append(values[kept[0]])
        return out

    return magnitudes


@pytest.fixture(scope="session")
def assert_scaled() -> Callable[..., None]:
    """Compare element by element, to ``rel`` of a per-element ``scale`` (e.g. the window's magnitude)."""

    def check(
        actual: Sequence[float], expected: Sequence[float], scale: Sequence[float], *, rel: float
    ) -> None:
        assert len(actual) == len(expected) == len(scale)
        for i, (a, b, m) in enumerate(zip(actual, expected, scale, strict=True)):
            assert abs(a - b) <= rel * m, f"element {i}: {a!r} != {b!r} (tolerance {rel * m:.3g})"

    return check
