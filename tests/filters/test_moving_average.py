"""MovingAverage, streaming: behaviour, exactness (no drift over 10**7 samples), bad inputs."""

from __future__ import annotations

import math
import random
from collections import deque
from itertools import accumulate, chain, cycle, islice, repeat
from operator import sub

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agentutils_filters import MovingAverage

# Both signs, zero, and magnitudes over twelve orders (1e-6 to 1e6). The running sum is
# exact to about 1e-32 of the largest magnitude in recent windows, so samples many more
# orders apart (1.0 next to 1e-205) are outside what "exact to the last digit" can promise.
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
def test_equals_the_exact_window_mean(samples, window, exact_means):
    # The running sum is exact (compensated, resynchronised from fsum): every average is the
    # correctly rounded window sum divided by the size, to one rounding of the division.
    avg = MovingAverage(window)
    got = []
    for sample in samples:
        avg.add_sample(sample)
        got.append(avg.get_avg())
    for g, e in zip(got, exact_means(samples, window), strict=False):
        assert g == pytest.approx(e, rel=1e-15, abs=1e-300)


@pytest.mark.slow
def test_no_drift_over_ten_million_samples_of_mixed_magnitude():
    """After 10**7 samples from 1e-3 to 1e9 (both signs), the mean of a window of small
    samples is exact to 1e-9, where a plain running sum has drifted far from it."""
    rng = random.Random(20240611)
    window = 1000
    pattern = [rng.choice((-1.0, 1.0)) * 10.0 ** rng.uniform(-3.0, 9.0) for _ in range(9973)]
    tail = [10.0 ** rng.uniform(-3.0, -2.0) for _ in range(window)]
    total = 10**7

    def stream(total: int = total):
        return chain(islice(cycle(pattern), total - window), tail)

    avg = MovingAverage(window)
    deque(map(avg.add_sample, stream()), maxlen=0)
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
