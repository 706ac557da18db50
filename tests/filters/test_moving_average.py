"""MovingAverage, streaming: behaviour, the error bound (no drift over 10**7 samples), bad inputs."""

from __future__ import annotations

import importlib
import math
import random
from collections import deque
from decimal import Decimal
from fractions import Fraction
from itertools import accumulate, chain, cycle, islice, repeat
from operator import sub

import pytest
from hypothesis import given, settings, strategies as st

from agentutils_filters import MovingAverage
from agentutils_filters.moving_average import RESYNC

moving_average_module = importlib.import_module("agentutils_filters.moving_average")

U = 2.0**-53

# Both signs, zero, and magnitudes over twelve orders (1e-6 to 1e6).
SAMPLE = st.one_of(
    st.just(0.0),
    st.builds(
        lambda sign, mantissa, exponent: sign * mantissa * 10.0**exponent,
        st.sampled_from((-1.0, 1.0)),
        st.floats(min_value=1.0, max_value=9.99),
        st.integers(min_value=-6, max_value=6),
    ),
)


def test_empty_average_is_zero():
    avg = MovingAverage(3)
    assert avg.get_avg() == 0.0
    assert type(avg.get_avg()) is float
    assert avg.size() == 0


def test_partial_then_full_window():
    avg = MovingAverage(3)
    expected = [(1.0, 1), (1.5, 2), (2.0, 3), (3.0, 3), (4.0, 3)]
    for sample, (mean, size) in zip([1.0, 2.0, 3.0, 4.0, 5.0], expected, strict=False):
        avg.add_sample(sample)
        assert (avg.get_avg(), avg.size()) == (mean, size)
    assert avg.window_size == 3


def test_window_of_one_is_the_last_sample():
    avg = MovingAverage(1)
    for sample in (3.0, -7.5, 1e3, 0.1):
        avg.add_sample(sample)
        assert avg.get_avg() == pytest.approx(sample, abs=3 * period(1) * U * 1e3)
    avg.reset()
    for sample in (3.0, -7.5, 0.5, 0.25):  # no rounding anywhere
        avg.add_sample(sample)
        assert avg.get_avg() == sample


def test_reset_clears_the_history():
    avg = MovingAverage(2)
    for sample in (10.0, 20.0, 30.0):
        avg.add_sample(sample)
    avg.reset()
    assert (avg.get_avg(), avg.size()) == (0.0, 0)
    avg.add_sample(4.0)
    assert (avg.get_avg(), avg.size()) == (4.0, 1)
    avg.add_sample(6.0)
    avg.add_sample(8.0)
    assert avg.get_avg() == 7.0


def test_repr():
    avg = MovingAverage(4)
    avg.add_sample(2.0)
    assert repr(avg) == "MovingAverage(window_size=4, size=1, avg=2.0)"


@given(samples=st.lists(SAMPLE, max_size=60), window=st.integers(1, 12))
def test_averages_are_the_exact_means_on_the_windows_scale(samples, window, exact_means, recent_magnitude):
    avg = MovingAverage(window)
    got = []
    for sample in samples:
        avg.add_sample(sample)
        got.append(avg.get_avg())
    for g, e, m in zip(got, exact_means(samples, window), recent_magnitude(samples, window), strict=True):
        assert abs(g - e) <= 3 * period(window) * U * m + U * abs(e)


# Signals that stress the running sum: magnitudes over 24 orders, exact cancellations (the
# same value with both signs), whole samples lost in additions (1 + 2**-60), and runs long
# enough for several exact recomputations.
WILD = st.one_of(
    SAMPLE,
    st.builds(
        lambda sign, mantissa, exponent: sign * mantissa * 10.0**exponent,
        st.sampled_from((-1.0, 1.0)),
        st.floats(min_value=1.0, max_value=9.99),
        st.integers(min_value=-12, max_value=12),
    ),
    st.sampled_from((1.0, -1.0, 2.0**-60, -(2.0**-60))),
)
# (sample, replace it by minus the previous sample, whether to read after it). A pattern of
# up to 40 steps repeated up to 40 times, so the shrinker keeps examples readable.
STEPS = st.lists(st.tuples(WILD, st.booleans(), st.booleans()), min_size=1, max_size=40)
# Powers of two keep the signal's roundings and move it to tiny or huge magnitudes.
SCALES = st.sampled_from((1.0, 1.0, 2.0**-700, 2.0**480))


def period(window: int) -> int:
    """Samples between two exact recomputations of the sum, at most."""
    return window * -(-RESYNC // window)


@settings(max_examples=80, deadline=None)
@given(window=st.integers(1, 300), pattern=STEPS, repeats=st.integers(1, 40), scale=SCALES)
def test_error_bound_holds_against_an_exact_oracle(window, pattern, repeats, scale):
    """The bound of the module docstring, checked with exact rationals at random reads: an
    average is within 3 * P * u * M of the exact mean (M: the largest |sample| since the
    period before the window), plus the rounding of the division; so the running sum never
    drifts, and once a period has passed without large samples, neither does the error."""
    avg = MovingAverage(window)
    samples: list[float] = []
    exact = Fraction(0)  # the window's sum, exactly
    bound = 3 * period(window) * Fraction(U)
    for sample, negate_previous, read in pattern * repeats:
        sample *= scale
        if negate_previous and samples:
            sample = -samples[-1]  # exact cancellation
        samples.append(sample)
        exact += Fraction(sample)
        if len(samples) > window:
            exact -= Fraction(samples[-window - 1])
        avg.add_sample(sample)
        if read:
            mean = exact / min(len(samples), window)
            recent = max(abs(x) for x in samples[-(period(window) + window) :])
            assert abs(Fraction(avg.get_avg()) - mean) <= bound * Fraction(recent) + Fraction(U) * abs(mean)


@pytest.mark.parametrize("window", [1, 5, 100, 3000, 100_000])
def test_exact_recomputation_is_o1_per_sample(window, monkeypatch):
    """The sum is recomputed exactly once per period, over the window alone: O(1) amortised,
    whatever the window, and reads never recompute a finite sum."""
    summed = []
    monkeypatch.setattr(
        moving_average_module, "_fsum", lambda values: summed.append(len(values)) or math.fsum(values)
    )
    rng = random.Random(window)
    avg = MovingAverage(window)
    total = 3 * max(window, 30_000)
    for _ in range(total):
        avg.add_sample(rng.uniform(-1.0, 1.0))
        avg.get_avg()
    assert len(summed) == total // period(window)
    assert set(summed) == {window}
    assert sum(summed) <= total


def test_drift_is_corrected_by_the_next_recomputation():
    """A sample lost next to a huge one (1 + 1e16) is back once the period has passed: the
    reference's plain running sum keeps the error forever."""
    avg = MovingAverage(2)
    avg.add_sample(1e16)
    for _ in range(period(2)):
        avg.add_sample(1.0)
    assert avg.get_avg() == 1.0


@pytest.mark.parametrize("dtype", ["float64", "float32", "int16"])
def test_numpy_scalar_samples(dtype):
    """numpy scalars are taken as doubles (float32 ones would make the running sum single
    precision, 1e-7 off)."""
    np = pytest.importorskip("numpy")
    samples = (np.arange(2000) % 7 * 0.1 + 1).astype(dtype)
    avg = MovingAverage(10)
    for i, sample in enumerate(samples):
        avg.add_sample(sample)
        got = avg.get_avg()
        assert type(got) is float
        assert got == pytest.approx(
            math.fsum(map(float, samples[max(0, i - 9) : i + 1])) / min(i + 1, 10), rel=1e-13
        )


def test_memory_is_the_window_at_most():
    avg = MovingAverage(10)
    for i in range(1000):
        avg.add_sample(float(i))
    assert avg.size() == 10
    assert len(avg._hist) == 10


@pytest.mark.slow
def test_no_drift_over_ten_million_samples_of_mixed_magnitude():
    """Over 10**7 samples from 1e-3 to 1e9 (both signs), every read is within the bound of the
    exact window mean, and after a final window of small samples the mean of that window is
    exact, where a plain running sum has drifted far from it."""
    rng = random.Random(20240611)
    window = 1000
    pattern = [rng.choice((-1.0, 1.0)) * 10.0 ** rng.uniform(-3.0, 9.0) for _ in range(9973)]
    tail = [10.0 ** rng.uniform(-3.0, -2.0) for _ in range(window)]
    total = 10**7

    def stream(total: int = total):
        return chain(islice(cycle(pattern), total - window), tail)

    avg = MovingAverage(window)
    add = avg.add_sample
    samples = stream()
    last: deque[float] = deque(maxlen=window)
    bound = 3 * period(window) * U * 1e9
    # A read every 97 samples all along, one in ten against the exact mean.
    for _ in range((total - window) // 970):
        for _ in range(10):
            chunk = list(islice(samples, 97))
            deque(map(add, chunk), maxlen=0)
            last.extend(chunk)
            got = avg.get_avg()
        exact = math.fsum(last) / len(last)
        assert abs(got - exact) <= bound
    for sample in samples:  # and every sample at the end, through the window of small ones
        add(sample)
        last.append(sample)
        exact = math.fsum(last) / len(last)
        assert abs(avg.get_avg() - exact) <= bound
    exact = math.fsum(tail) / window
    assert avg.size() == window
    # 10**7 samples: a whole number of periods, so the sum has just been recomputed.
    assert avg.get_avg() == pytest.approx(exact, rel=4 * U)

    # The same kind of stream (10**6 samples suffice) through a plain running sum (the
    # reference's algorithm), at C speed: it must be far off, or this data would not test
    # drift at all.
    short = 10**6
    naive_sum = deque(
        accumulate(map(sub, stream(short), chain(repeat(0.0, window), stream(short)))), maxlen=1
    )[0]
    assert abs(naive_sum / window - exact) > 1e-6 * exact


def test_infinity_only_affects_the_windows_that_contain_it():
    avg = MovingAverage(3)
    for sample in (1.0, math.inf, 2.0, 3.0):
        avg.add_sample(sample)
        assert avg.get_avg() == (1.0 if sample == 1.0 else math.inf)
    avg.add_sample(4.0)  # inf has left the window
    assert avg.get_avg() == 3.0
    for sample in (5.0, 6.0, 7.0, 8.0):
        avg.add_sample(sample)
        assert avg.get_avg() == sample - 1.0


def test_nan_and_opposite_infinities_give_nan_while_in_the_window():
    avg = MovingAverage(2)
    for sample in (math.inf, -math.inf):
        avg.add_sample(sample)
    assert math.isnan(avg.get_avg())
    avg.add_sample(math.nan)
    assert math.isnan(avg.get_avg())
    avg.add_sample(1.0)
    assert math.isnan(avg.get_avg())
    avg.add_sample(3.0)
    assert avg.get_avg() == 2.0


def test_mean_of_huge_samples_whose_sum_overflows():
    avg = MovingAverage(2)
    avg.add_sample(1.5e308)
    avg.add_sample(1.5e308)
    assert avg.get_avg() == 1.5e308


def expected_mean(window: list[float]) -> float:
    """The mean of a window by definition: NaN, an infinity, or the exact mean rounded once."""
    if any(math.isnan(x) for x in window) or (math.inf in window and -math.inf in window):
        return math.nan
    if math.inf in window or -math.inf in window:
        return math.inf if math.inf in window else -math.inf
    return float(sum(map(Fraction, window)) / len(window))


@settings(max_examples=60, deadline=None)
@given(
    window=st.integers(1, 20),
    steps=st.lists(
        st.tuples(
            st.sampled_from((1.0, 2.5, -3.0, 1e-3, math.inf, -math.inf, math.nan, 1.7e308, -1e308)),
            st.booleans(),
        ),
        max_size=400,
    ),
)
def test_non_finite_and_huge_samples_only_affect_their_windows(window, steps):
    avg = MovingAverage(window)
    samples = []
    for sample, read in steps:
        avg.add_sample(sample)
        samples.append(sample)
        if read:
            got, expected = avg.get_avg(), expected_mean(samples[-window:])
            if math.isnan(expected) or math.isinf(expected):
                assert repr(got) == repr(expected)
            else:
                # Windows whose sum overflows are averaged from scaled samples: accurate
                # relative to the largest sample; the running sum, to the recent ones.
                recent = [abs(x) for x in samples[-(period(window) + window) :] if math.isfinite(x)]
                assert abs(got - expected) <= 3 * period(window) * U * max(recent) + U * abs(expected)


@pytest.mark.parametrize("size", [0, -1])
def test_window_size_below_one(size):
    with pytest.raises(ValueError, match=f"window_size must be >= 1, got {size}"):
        MovingAverage(size)


@pytest.mark.parametrize(("size", "name"), [(2.0, "float"), ("3", "str"), (True, "bool"), (None, "NoneType")])
def test_window_size_not_an_int(size, name):
    with pytest.raises(TypeError, match=f"window_size must be an int, got {name}"):
        MovingAverage(size)


def test_sample_must_be_a_number():
    avg = MovingAverage(2)
    avg.add_sample(1.0)
    with pytest.raises(TypeError, match="samples must be real numbers, got str: 'x'"):
        avg.add_sample("x")  # type: ignore[arg-type]
    assert (avg.get_avg(), avg.size()) == (1.0, 1)


@pytest.mark.parametrize("dtype", ["int16", "uint8", "int64"])
def test_numpy_integer_samples_do_not_wrap(dtype):
    """The sample leaving the window is subtracted from the new one: two numpy integers
    would wrap around (int16 audio: 30000 - (-30000) is -5536 in int16)."""
    np = pytest.importorskip("numpy")
    info = np.iinfo(dtype)
    samples = np.array([info.max, info.min, info.max, info.min, info.max, 0, info.min], dtype=dtype)
    floats = [float(x) for x in samples]
    for window in (1, 2, 3):
        avg = MovingAverage(window)
        for i, sample in enumerate(samples):
            avg.add_sample(sample)
            expected = math.fsum(floats[max(0, i - window + 1) : i + 1]) / min(i + 1, window)
            assert avg.get_avg() == pytest.approx(expected, rel=1e-13)


@pytest.mark.parametrize("window", [1, 2, 3])
def test_int_samples_are_averaged_as_floats(window):
    """Python ints beyond 2**53 are taken as the nearest float, in the running sum as in
    the exact recomputation."""
    samples = [2**53 + 1, -(2**60) - 1, 2**60 + 3, 3, 10**300 + 1, -(10**300), 7, 2**70 + 1]
    floats = [float(x) for x in samples]
    avg = MovingAverage(window)
    for i, sample in enumerate(samples):
        avg.add_sample(sample)
        expected = math.fsum(floats[max(0, i - window + 1) : i + 1]) / min(i + 1, window)
        recent = max(abs(x) for x in floats[: i + 1])
        assert abs(avg.get_avg() - expected) <= 3 * period(window) * U * recent


def test_sample_too_large_for_a_float():
    avg = MovingAverage(2)
    avg.add_sample(1.0)
    with pytest.raises(ValueError, match="samples must be within the range of a float, got an int too large"):
        avg.add_sample(10**400)
    assert (avg.get_avg(), avg.size()) == (1.0, 1)


@pytest.mark.parametrize("sample", [1j, Decimal(1), [1.0], "1"])
def test_non_real_samples(sample):
    avg = MovingAverage(2)
    avg.add_sample(1.0)
    with pytest.raises(TypeError, match=f"samples must be real numbers, got {type(sample).__name__}"):
        avg.add_sample(sample)
    assert (avg.get_avg(), avg.size()) == (1.0, 1)


def test_numpy_array_sample_is_refused():
    np = pytest.importorskip("numpy")
    avg = MovingAverage(2)
    with pytest.raises(TypeError, match="samples must be real numbers, got ndarray"):
        avg.add_sample(np.array([1.0, 2.0]))
    assert avg.size() == 0


# Finite samples up to the largest double: the window's sum may overflow while its mean,
# at most the largest |sample|, never does.
HUGE = st.one_of(
    st.floats(min_value=-1.7976931348623157e308, max_value=1.7976931348623157e308),
    st.sampled_from((1.7976931348623157e308, -1.7976931348623157e308, 1e308, 0.0, 1.0, 5e-324)),
)


@settings(max_examples=300, deadline=None)
@given(samples=st.lists(HUGE, min_size=1, max_size=40), window=st.integers(1, 12))
def test_windows_of_huge_finite_samples_have_their_mean(samples, window, recent_magnitude):
    """No OverflowError: each average is the exact mean, to 1e-12 of the recent samples' magnitude."""
    avg = MovingAverage(window)
    scales = recent_magnitude(samples, window)
    for i, sample in enumerate(samples):
        avg.add_sample(sample)
        got = avg.get_avg()
        current = samples[max(0, i - window + 1) : i + 1]
        exact = float(sum(map(Fraction, current)) / len(current))
        assert abs(got - exact) <= 1e-12 * scales[i]
