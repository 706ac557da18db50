"""``AudioLevels``: RMS and peak level of PCM audio, in dBFS."""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["FULL_SCALE", "AudioLevels"]

FULL_SCALE = 32768
"""The magnitude that is 0 dBFS: ``-32768`` peaks at 0 dBFS, ``32767`` just below."""


@dataclass(frozen=True)
class AudioLevels:
    """Levels of a block of 16-bit samples, relative to full scale (:data:`FULL_SCALE`).

    Silence (or no samples) is ``-inf`` dBFS. RMS is the plain root mean square of every
    sample of every channel (no +3 dB sine correction).

    Attributes:
        rms_dbfs: ``20 * log10(rms / 32768)``.
        peak_dbfs: ``20 * log10(max(|sample|) / 32768)``.

    """

    rms_dbfs: float
    peak_dbfs: float

    @classmethod
    def from_stats(cls, sum_squares: int, count: int, peak: int) -> AudioLevels:
        """Build levels from exact integer statistics, so every backend rounds alike.

        Args:
            sum_squares: the sum of the squared samples (an exact integer).
            count: how many samples were summed.
            peak: the largest absolute sample value.

        """
        if count <= 0 or sum_squares <= 0:
            rms = -math.inf
        else:
            rms = 20.0 * math.log10(math.sqrt(sum_squares / count) / FULL_SCALE)
        peak_db = 20.0 * math.log10(peak / FULL_SCALE) if peak > 0 else -math.inf
        return cls(rms_dbfs=rms, peak_dbfs=peak_db)
