"""The polyphase windowed-sinc filter shared by the ``numpy`` and ``python`` resamplers.

Written once, in pure Python, so that both backends run the same coefficients; a design
is cached per (input rate, output rate, quality).

The conversion is ``input_rate -> output_rate = input_rate * up / down`` with ``up/down``
the reduced ratio. Output sample ``n`` sits at input position ``t = n * down / up``; its
value is ``sum(x[m] * g(t - m))`` over the ``taps`` input samples around ``t``, where ``g``
is a Kaiser-windowed sinc (cut-off between the passband edge and the lower Nyquist
frequency). Since ``t``'s fractional part takes ``up`` values, ``g`` is tabulated once
per *phase*: ``table[phase][j]`` weighs ``x[floor(t) - lead + j]``. Each row is scaled to
sum to 1, so DC passes with unit gain at every phase. Samples before the stream's start
are zeros, so output sample 0 is aligned with input sample 0 (no delay in the output).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

__all__ = [
    "MAX_COEFFICIENTS",
    "QUALITIES",
    "FilterDesign",
    "QualitySpec",
    "design",
    "output_length",
    "ready_count",
]


@dataclass(frozen=True)
class QualitySpec:
    """The targets a quality designs for.

    Attributes:
        passband: passband edge, as a fraction of the lower of the two Nyquist frequencies.
        attenuation_db: stopband attenuation (and, with a Kaiser window, the passband
            ripple: ``10 ** (-attenuation_db / 20)``), in dB.

    """

    passband: float
    attenuation_db: float


# The stopband starts at the lower Nyquist frequency, so nothing aliases: the transition
# band (passband edge to Nyquist) is all below it.
QUALITIES: dict[str, QualitySpec] = {
    "quick": QualitySpec(0.75, 70.0),
    "low": QualitySpec(0.80, 85.0),
    "medium": QualitySpec(0.85, 95.0),
    "high": QualitySpec(0.90, 110.0),
    "very_high": QualitySpec(0.95, 140.0),
}


MAX_COEFFICIENTS = 2_000_000
"""The largest filter table (phases x taps) designed: about 10 s of pure Python. Common
rates need far fewer (44.1 -> 16 kHz at ``"very_high"``: 160 x 1024)."""


@dataclass(frozen=True)
class FilterDesign:
    """A polyphase filter for one ratio and quality.

    Attributes:
        up: the output rate's share of the reduced ratio (``L``).
        down: the input rate's share of the reduced ratio (``M``).
        taps: input samples weighed per output sample (even).
        lead: input samples before ``floor(t)`` in a window (``taps // 2 - 1``).
        table: ``up`` rows (one per phase ``(n * down) % up``) of ``taps`` coefficients.

    """

    up: int
    down: int
    taps: int
    lead: int
    table: tuple[tuple[float, ...], ...]


def _bessel_i0(x: float) -> float:
    """The modified Bessel function of the first kind, order 0 (power series)."""
    half_sq = x * x / 4.0
    term = total = 1.0
    k = 1
    while term > total * 1e-17:
        term *= half_sq / (k * k)
        total += term
        k += 1
    return total


def _kaiser_beta(attenuation_db: float) -> float:
    """Kaiser's window parameter for a stopband attenuation (dB)."""
    if attenuation_db > 50:
        return 0.1102 * (attenuation_db - 8.7)
    if attenuation_db >= 21:
        return 0.5842 * math.pow(attenuation_db - 21, 0.4) + 0.07886 * (attenuation_db - 21)
    return 0.0


def _kernel(u: float, bandwidth: float, half: float, beta: float, norm: float) -> float:
    """The Kaiser-windowed sinc at ``u`` input samples from its centre (0 beyond ``half``)."""
    r = u / half
    if abs(r) >= 1.0:
        return 0.0
    window = _bessel_i0(beta * math.sqrt(1.0 - r * r)) / norm
    arg = bandwidth * u
    sinc = 1.0 if arg == 0.0 else math.sin(math.pi * arg) / (math.pi * arg)
    return bandwidth * sinc * window


SMALL_DESIGN = 65_536
"""Designs of at most this many coefficients are cached 64 at a time; larger ones 2 at a
time (a design of 2M coefficients holds ~64 MB of floats: 64 of them would be 4 GB)."""


def design(input_rate: int, output_rate: int, quality: str) -> FilterDesign:
    """Return the filter converting ``input_rate`` to ``output_rate`` at ``quality`` (cached).

    The rates are positive ints and ``quality`` one of :data:`QUALITIES` (the caller has
    checked them).
    """
    up = output_rate // math.gcd(input_rate, output_rate)
    cached = _design_small if up * _taps(input_rate, output_rate, quality) <= SMALL_DESIGN else _design_large
    return cached(input_rate, output_rate, quality)


def _taps(input_rate: int, output_rate: int, quality: str) -> int:
    """Return the filter's length: Kaiser's estimate for 1 dB more than the target.

    Kaiser's estimate falls short by up to ~1 dB; the length is rounded up to an even
    number of taps.
    """
    spec = QUALITIES[quality]
    nyquist = min(input_rate, output_rate) / 2.0
    width = nyquist * (1.0 - spec.passband) / input_rate  # in cycles per input sample
    return 2 * math.ceil(((spec.attenuation_db + 1.0 - 7.95) / (14.36 * width) + 1.0) / 2.0)


def _design(input_rate: int, output_rate: int, quality: str) -> FilterDesign:
    spec = QUALITIES[quality]
    common = math.gcd(input_rate, output_rate)
    up, down = output_rate // common, input_rate // common
    nyquist = min(input_rate, output_rate) / 2.0
    # In cycles per input sample.
    cutoff = nyquist * (1.0 + spec.passband) / 2.0 / input_rate
    attenuation = spec.attenuation_db + 1.0
    taps = _taps(input_rate, output_rate, quality)
    if up * taps > MAX_COEFFICIENTS:
        raise ValueError(
            f"cannot resample {input_rate} Hz to {output_rate} Hz at {quality!r} with the numpy or python "
            f"resampler: expected a ratio whose reduced form ({up}/{down}) needs at most "
            f"{MAX_COEFFICIENTS} filter coefficients, got {up} phases x {taps} taps; use the soxr backend "
            "(agentutils-audio[soxr]), which handles any ratio"
        )
    beta = _kaiser_beta(attenuation)
    shape = (2.0 * cutoff, taps / 2.0, beta, _bessel_i0(beta))
    lead = taps // 2 - 1
    # Coefficient j of a phase sits ``(phase + up * (lead - j)) / up`` input samples from the
    # output position; the kernel is even, so each distance is computed once for +/-.
    kernel: dict[int, float] = {}
    rows = []
    for phase in range(up):
        row = []
        for j in range(taps):
            key = abs(phase + up * (lead - j))
            value = kernel.get(key)
            if value is None:
                value = kernel[key] = _kernel(key / up, *shape)
            row.append(value)
        total = math.fsum(row)
        rows.append(tuple(c / total for c in row))
    return FilterDesign(up, down, taps, lead, tuple(rows))


_design_small = functools.lru_cache(maxsize=64)(_design)
_design_large = functools.lru_cache(maxsize=2)(_design)


def ready_count(design: FilterDesign, next_output: int, received: int) -> int:
    """How many outputs from ``next_output`` on have their whole window in the input.

    ``received`` counts input samples from the stream's start (index 0). Output ``n``
    needs inputs up to ``floor(n * down / up) + taps // 2``.
    """
    last_center = received - 1 - design.taps // 2
    if last_center < 0:
        return 0
    end = ((last_center + 1) * design.up + design.down - 1) // design.down
    return max(0, end - next_output)


def output_length(design: FilterDesign, received: int) -> int:
    """Outputs of a whole stream of ``received`` inputs: those at positions before its end."""
    return (received * design.up + design.down - 1) // design.down
