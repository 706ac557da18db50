"""Fixtures shared by the agentutils-filters tests: exact oracles and tolerant comparisons."""

from __future__ import annotations

import math
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
