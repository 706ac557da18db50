"""What the built-in backends share, so that they agree on every input, extremes included."""

from __future__ import annotations

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs milliseconds
if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["MAX_GAIN_SUM", "check_gains", "gain_factor"]

MAX_GAIN_SUM = 2.0**1000
"""The largest sum of absolute mix gains: with samples of at most 2**15, no float64 sum overflows."""

# From 100 dB on (a factor of 1e5 > 65536), every non-zero sample saturates and zero stays
# zero, so the factor is capped there: the results are exact, and x * factor never
# overflows to infinity (which one backend would saturate and the other could not round).
_SATURATING_DB = 100.0


def gain_factor(gain_db: float) -> float:
    """The linear factor of a finite gain in dB, capped where every non-zero sample saturates anyway."""
    return float(10.0 ** (min(gain_db, _SATURATING_DB) / 20.0))


def check_gains(gains: Sequence[float]) -> None:
    """Refuse mix gains whose float64 sum could overflow, the same way in every backend.

    Raises:
        ValueError: the absolute gains sum to more than :data:`MAX_GAIN_SUM` (2**1000), or
            a gain is not finite.

    """
    total = 0.0
    for gain in gains:
        total += abs(gain)
    if not total <= MAX_GAIN_SUM:  # also NaN
        raise ValueError(
            "gains are too large: their absolute values must sum to at most 2**1000 (about 1.07e+301) "
            f"so that the float64 mix cannot overflow, got a sum of {total:.4g}"
        )
