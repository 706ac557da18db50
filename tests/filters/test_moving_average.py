"""MovingAverage, streaming: behaviour, exactness (no drift over 10**7 samples), bad inputs."""

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
from hypothesis import given, settings
from hypothesis import strategies as st

from agentutils_filters import MovingAverage

moving_average_module = importlib.import_module("agentutils_filters.moving_average")

U = 2.0**-53

# Both signs, zero, and magnitudes over twelve orders (1e-6 to 1e6). With rel_tol=0 the
# sum is exact to about 1e-32 of the largest magnitude in recent windows, so samples many
# more orders apart (1.0 next to 1e-205) are outside what "exact to the last digit" can promise.
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
    for sample in (3.0, -7.5, 1e300, 0.1):
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
def test_exact_mode_equals_the_exact_window_mean(samples, window, exact_means):
    # rel_tol=0: every average is the correctly rounded window sum divided by the size, to
    # one rounding of the division (the sum is recomputed exactly whenever it may be off).
    avg = MovingAverage(window, rel_tol=0.0)
    got = []
    for sample in samples:
        avg.add_sample(sample)
        got.append(avg.get_avg())
    for g, e in zip(got, exact_means(samples, window), strict=False):
        assert g == pytest.approx(e, rel=1e-15, abs=1e-300)


@given(samples=st.lists(SAMPLE, max_size=60), window=st.integers(1, 12))
def test_default_mode_is_within_rel_tol_of_the_exact_window_mean(samples, window, exact_means):
    avg = MovingAverage(window)
    assert avg.rel_tol == 1e-13
    got = []
    for sample in samples:
        avg.add_sample(sample)
        got.append(avg.get_avg())
    for g, e in zip(got, exact_means(samples, window), strict=False):
        # rel_tol on the sum, plus the roundings of both divisions.
        assert g == pytest.approx(e, rel=1e-13 + 3 * U, abs=1e-300)


# Signals that stress the running sum: magnitudes over 24 orders, exact cancellations (the
# same value with both signs), and runs long enough to wrap the ring (256 slots or more).
WILD = st.one_of(
    SAMPLE,
    st.builds(
        lambda sign, mantissa, exponent: sign * mantissa * 10.0**exponent,
        st.sampled_from((-1.0, 1.0)),
        st.floats(min_value=1.0, max_value=9.99),
        st.integers(min_value=-12, max_value=12),
    ),
)
# (sample, replace it by minus the previous sample, how many reads after it). A pattern of
# up to 40 steps repeated up to 40 times: runs long enough to wrap the ring (256 slots or
# more) while the shrinker keeps examples readable.
STEPS = st.lists(st.tuples(WILD, st.booleans(), st.sampled_from((0, 0, 0, 1, 2))), min_size=1, max_size=40)
TOLERANCES = st.sampled_from((0.0, 1e-15, 1e-13, 1e-9, 1e-3, 0.5))


# Powers of two keep the signal's roundings, and move it where the squares of the fast test
# underflow (2**-560: sums around 1e-170) or overflow (2**480).
SCALES = st.sampled_from((1.0, 1.0, 2.0**-560, 2.0**480))


@settings(max_examples=80, deadline=None)
@given(
    window=st.integers(1, 300), pattern=STEPS, repeats=st.integers(1, 40), rel_tol=TOLERANCES, scale=SCALES
)
def test_error_bound_holds_against_an_exact_oracle(window, pattern, repeats, rel_tol, scale):
    """The bound of the module docstring, |s - S| <= k * u * (3 + u) * P, checked with exact
    rationals after every sample, whatever path get_avg() takes (reads are sporadic, so
    the bound is also checked far from any exact point); and every average is within
    rel_tol of the exact mean."""
    pattern = [(sample * scale, negate, reads) for sample, negate, reads in pattern]
    avg = MovingAverage(window, rel_tol=rel_tol)
    samples: list[float] = []
    exact = Fraction(0)  # the window's sum, exactly
    step = Fraction(U) * (3 + Fraction(U))
    rel = Fraction(rel_tol) / (1 - Fraction(rel_tol))  # rel_tol is relative to the running sum
    peak = Fraction(0)  # P: the largest |running sum| since the exact point
    for sample, negate_previous, reads in pattern * repeats:
        if negate_previous and samples:
            sample = -samples[-1]  # exact cancellation
        samples.append(sample)
        exact += Fraction(sample)
        if len(samples) > window:
            exact -= Fraction(samples[-window - 1])
        avg.add_sample(sample)
        running, hi = avg._sum, avg._hi
        if math.isfinite(running) and math.isfinite(hi):  # there is an exact point
            peak = max(peak, abs(Fraction(running)))
            k = Fraction(avg._index) - Fraction(avg._origin)  # samples since, plus |lo| + err
            assert abs(Fraction(running) - exact) <= k * step * peak
        mean = exact / min(len(samples), window)
        for _ in range(reads):
            got = Fraction(avg.get_avg())
            assert abs(got - mean) <= (rel * (1 + Fraction(1, 10**9)) + 3 * Fraction(U) * (1 + rel)) * abs(
                mean
            )
            if avg._index == avg._exact_at:  # this read took a new exact point: P restarts
                peak = abs(Fraction(avg._hi))


@pytest.mark.parametrize("window", [5, 100, 3000])
def test_ordinary_signal_reads_are_cheap(window, monkeypatch):
    """On a signal whose sum is not much smaller than its recent values, get_avg() recomputes
    the sum rarely (every ~300 samples at the default tolerance), and sums O(1) values per
    sample when it does, whatever the window."""
    summed = []
    monkeypatch.setattr(
        moving_average_module, "_fsum", lambda values: summed.append(len(values)) or math.fsum(values)
    )
    rng = random.Random(window)
    avg = MovingAverage(window)
    total = 30_000
    for _ in range(total):
        avg.add_sample(rng.uniform(0.0, 1.0))
        avg.get_avg()
    refreshes = len(summed) // 2  # two sums per exact point (the sum and its residual)
    assert refreshes <= total // 100
    assert sum(summed) <= 6 * total


@pytest.mark.parametrize(("dtype", "fast"), [("float64", True), ("float32", False), ("int16", True)])
def test_numpy_scalar_samples(dtype, fast, monkeypatch):
    """numpy float64 (a float) and integer samples keep a double running sum; float32 ones
    make it single precision, beyond the bound, so every read recomputes it exactly."""
    np = pytest.importorskip("numpy")
    samples = (np.arange(2000) % 7 * 0.1 + 1).astype(dtype)
    avg = MovingAverage(10)
    summed = []
    monkeypatch.setattr(
        moving_average_module, "_fsum", lambda values: summed.append(len(values)) or math.fsum(values)
    )
    for i, sample in enumerate(samples):
        avg.add_sample(sample)
        got = avg.get_avg()
        assert type(got) in (float, np.float64)
        assert got == pytest.approx(
            math.fsum(map(float, samples[max(0, i - 9) : i + 1])) / min(i + 1, 10), rel=1e-13
        )
    refreshes = len(summed) // 2
    assert (refreshes < 100) == fast


def test_silence_needs_no_recomputation(monkeypatch):
    avg = MovingAverage(50)
    avg.add_sample(0.0)
    assert avg.get_avg() == 0.0  # the first read takes an exact point
    summed = []
    monkeypatch.setattr(
        moving_average_module, "_fsum", lambda values: summed.append(len(values)) or math.fsum(values)
    )
    for _ in range(1000):
        avg.add_sample(0.0)
        assert avg.get_avg() == 0.0
    assert summed == []


def test_large_windows_recompute_from_the_samples_that_changed(monkeypatch):
    """A window of 10**5 read every sample: each exact recomputation sums the samples added
    and removed since the previous one, not the whole window."""
    rng = random.Random(3)
    window = 100_000
    avg = MovingAverage(window)
    samples = [rng.uniform(1.0, 2.0) for _ in range(window + 5000)]
    for sample in samples[:window]:
        avg.add_sample(sample)
    avg.get_avg()
    summed = []
    monkeypatch.setattr(
        moving_average_module, "_fsum", lambda values: summed.append(len(values)) or math.fsum(values)
    )
    for sample in samples[window:]:
        avg.add_sample(sample)
        avg.get_avg()
    assert summed, "5000 samples at the default tolerance need exact points"
    assert max(summed) < 1000
    assert avg.get_avg() == pytest.approx(math.fsum(samples[-window:]) / window, rel=1e-13)


@pytest.mark.slow
def test_no_drift_over_ten_million_samples_of_mixed_magnitude():
    """Over 10**7 samples from 1e-3 to 1e9 (both signs), the averages are the exact window
    means to 1e-9, and so is the mean of a final window of small samples, where a plain
    running sum has drifted far from it."""
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
    # A read every 97 samples all along (exact points from the samples added and removed
    # since the previous one, or the fast path), one in ten against the exact mean.
    for _ in range((total - window) // 970):
        for _ in range(10):
            chunk = list(islice(samples, 97))
            deque(map(add, chunk), maxlen=0)
            last.extend(chunk)
            got = avg.get_avg()
        exact = math.fsum(last) / len(last)
        assert abs(got - exact) <= 1e-9 * abs(exact)
    for sample in samples:  # and every sample at the end, through the window of small ones
        add(sample)
        last.append(sample)
        exact = math.fsum(last) / len(last)
        assert abs(avg.get_avg() - exact) <= 1e-9 * abs(exact)
    exact = math.fsum(tail) / window
    assert avg.size() == window
    assert abs(avg.get_avg() - exact) <= 1e-9 * exact

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
                # relative to the largest sample.
                scale = max(abs(expected), max(abs(x) for x in samples[-window:]))
                assert abs(got - expected) <= 1e-13 * scale


@pytest.mark.parametrize(
    ("rel_tol", "error", "message"),
    [
        (-1e-9, ValueError, r"rel_tol must be in \[0, 1\), got -1e-09"),
        (1.0, ValueError, r"rel_tol must be in \[0, 1\), got 1.0"),
        (math.nan, ValueError, "rel_tol must be a number, got nan"),
        ("0.1", TypeError, "rel_tol must be a real number, got str"),
        (None, TypeError, "rel_tol must be a real number, got NoneType"),
    ],
)
def test_bad_rel_tol(rel_tol, error, message):
    with pytest.raises(error, match=message):
        MovingAverage(3, rel_tol=rel_tol)


def test_rel_tol_is_keyword_only_and_kept_by_reset():
    with pytest.raises(TypeError):
        MovingAverage(3, 1e-9)  # type: ignore[misc]
    avg = MovingAverage(3, rel_tol=0.0)
    avg.add_sample(0.1)
    avg.reset()
    assert avg.rel_tol == 0.0
    for sample in (0.1, 0.2, 0.3):
        avg.add_sample(sample)
    assert avg.get_avg() == math.fsum((0.1, 0.2, 0.3)) / 3


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
        assert avg.get_avg() == pytest.approx(expected, rel=1e-13, abs=0.0)


def test_sample_too_large_for_a_float():
    avg = MovingAverage(2)
    avg.add_sample(1.0)
    with pytest.raises(ValueError, match="samples must be within the range of a float, got an int too large"):
        avg.add_sample(10**400)
    assert (avg.get_avg(), avg.size()) == (1.0, 1)


@pytest.mark.parametrize("silence_first", [False, True])
def test_tiny_sums_whose_squares_underflow(silence_first):
    """Sums below ~1e-154 have squares that underflow: the fast test must not take them for
    an exact zero. 1e-160 + b loses b; 1e-160 leaving then loses the next b."""
    a = 1e-160
    b = a * 2.0**-60
    avg = MovingAverage(2)
    if silence_first:
        avg.add_sample(0.0)
        assert avg.get_avg() == 0.0  # an exact point at an exact zero sum
    avg.add_sample(a)
    assert avg.get_avg() == (a / 2 if silence_first else a)
    avg.add_sample(b)
    avg.add_sample(b)
    assert avg.get_avg() == b


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


@settings(max_examples=200, deadline=None)
@given(
    window=st.integers(1, 4),
    steps=st.lists(
        st.tuples(st.sampled_from((1.0, -1.0, 2.0**-60, -(2.0**-60), 2.0**-30, 0.0)), st.booleans()),
        max_size=30,
    ),
    scale=st.sampled_from((2.0**-560, 2.0**-700, 1.0)),
)
def test_rounding_losses_at_any_magnitude(window, steps, scale, exact_means):
    """Additions that lose a whole sample (1 + 2**-60), read at random, at magnitudes where
    the squares of the fast test are normal, underflow (1e-169) or are 0 (1e-211)."""
    avg = MovingAverage(window)
    samples = []
    for sample, read in steps:
        samples.append(sample * scale)
        avg.add_sample(sample * scale)
        if read:
            expected = exact_means(samples, window)[-1]
            assert avg.get_avg() == pytest.approx(expected, rel=1e-13 + 3 * U, abs=0.0)


# Finite samples up to the largest double: the window's sum may overflow while its mean,
# at most the largest |sample|, never does.
HUGE = st.one_of(
    st.floats(min_value=-1.7976931348623157e308, max_value=1.7976931348623157e308),
    st.sampled_from((1.7976931348623157e308, -1.7976931348623157e308, 1e308, 0.0, 1.0, 5e-324)),
)


@settings(max_examples=300, deadline=None)
@given(samples=st.lists(HUGE, min_size=1, max_size=40), window=st.integers(1, 12))
def test_windows_of_huge_finite_samples_have_their_mean(samples, window):
    """No OverflowError: each average is the exact mean, to 1e-15 of the window's largest |sample|."""
    avg = MovingAverage(window)
    for i, sample in enumerate(samples):
        avg.add_sample(sample)
        got = avg.get_avg()
        current = samples[max(0, i - window + 1) : i + 1]
        exact = float(sum(map(Fraction, current)) / len(current))
        assert abs(got - exact) <= 1e-15 * max(map(abs, current))
