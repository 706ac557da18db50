"""Batch forms against the streaming filters, on any backend; the pure-Python kernels exactly."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

from agentutils_filters import ExpFilter, MovingAverage, moving_average
from agentutils_filters.moving_average import _moving_average_py

SAMPLE = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
POSITIVE = st.builds(
    lambda mantissa, exponent: mantissa * 10.0**exponent,
    st.floats(min_value=1.0, max_value=9.99),
    st.integers(min_value=-3, max_value=5),
)
ALPHA = st.floats(min_value=0.0, max_value=1.0, exclude_min=True)
# Long enough for the numpy path (lists of 256 samples or more go through numpy when present).
SIGNAL = st.lists(SAMPLE, max_size=400)


def streaming_averages(samples, window):
    avg = MovingAverage(window)
    out = []
    for sample in samples:
        avg.add_sample(sample)
        out.append(avg.get_avg())
    return out


def streaming_filter(f, samples, exp):
    return [f.apply(exp, sample) for sample in samples]


def magnitude(samples):
    return max((abs(s) for s in samples), default=0.0)


@given(samples=SIGNAL, window=st.integers(1, 40))
def test_python_moving_average_is_the_streaming_filter_exactly(samples, window):
    assert _moving_average_py(samples, window) == streaming_averages(samples, window)


@given(samples=SIGNAL, window=st.integers(1, 40))
def test_moving_average_equals_the_streaming_filter(samples, window, assert_scaled, recent_magnitude):
    result = moving_average(samples, window)
    assert isinstance(result, list)
    # Relative to the window's magnitude (the streaming filter's running sum is exact to
    # ~1e-13 of the recent samples), even where a window sum cancels.
    assert_scaled(result, streaming_averages(samples, window), recent_magnitude(samples, window), rel=1e-9)


@given(samples=st.lists(POSITIVE, max_size=400), window=st.integers(1, 40))
def test_moving_average_is_the_exact_mean_on_the_windows_scale(
    samples, window, assert_scaled, exact_means, recent_magnitude
):
    expected = exact_means(samples, window)
    assert_scaled(moving_average(samples, window), expected, recent_magnitude(samples, window), rel=1e-12)


def test_moving_average_accepts_any_iterable():
    expected = [1.0, 1.5, 2.5]
    assert moving_average((1, 2, 3), 2) == expected
    assert moving_average(iter([1.0, 2.0, 3.0]), 2) == expected
    assert moving_average((float(x) for x in range(1, 4)), 2) == expected
    assert moving_average([], 3) == []


@given(
    alpha=ALPHA,
    exp=st.floats(0.0, 3.0),
    samples=SIGNAL,
    initial=st.none() | SAMPLE,
    bounds=st.tuples(st.none() | SAMPLE, st.none() | SAMPLE),
)
def test_apply_many_equals_apply_and_leaves_the_same_state(
    alpha, exp, samples, initial, bounds, assert_close
):
    low, high = bounds
    if low is not None and high is not None and low > high:
        low, high = high, low
    kwargs = {"alpha": alpha, "min_val": low, "max_val": high}
    if initial is not None:
        kwargs["initial"] = initial
    batch, stream = ExpFilter(**kwargs), ExpFilter(**kwargs)
    result = batch.apply_many(samples, exp)
    expected = streaming_filter(stream, samples, exp)
    assert isinstance(result, list)
    scale = magnitude([*samples, initial or 0.0])
    assert_close(result, expected, floor=scale)
    assert_close([batch.value or 0.0], [stream.value or 0.0], floor=scale)
    assert (batch.value is None) == (stream.value is None)


@given(alpha=ALPHA, exp=st.floats(0.0, 3.0), samples=st.lists(POSITIVE, max_size=400))
def test_apply_many_equals_apply_relatively(alpha, exp, samples, assert_close):
    batch, stream = ExpFilter(alpha), ExpFilter(alpha)
    assert_close(batch.apply_many(samples, exp), streaming_filter(stream, samples, exp))
    assert_close([batch.value or 0.0], [stream.value or 0.0])


@given(alpha=ALPHA, samples=st.lists(SAMPLE, max_size=100), initial=st.none() | SAMPLE)
def test_python_apply_many_is_apply_exactly(alpha, samples, initial):
    kwargs = {} if initial is None else {"initial": initial}
    batch, stream = ExpFilter(alpha, max_val=1e5, **kwargs), ExpFilter(alpha, max_val=1e5, **kwargs)
    # Fewer than 256 samples: the pure-Python path, whether or not numpy is installed.
    assert batch.apply_many(samples, 1.5) == streaming_filter(stream, samples, 1.5)
    assert batch.value == stream.value


def test_apply_many_empty_keeps_the_state():
    f = ExpFilter(0.5)
    assert f.apply_many([]) == []
    assert f.value is None
    f.apply(1.0, 2.0)
    assert f.apply_many(()) == []
    assert f.value == 2.0


def test_apply_many_continues_from_the_current_value():
    f = ExpFilter(0.5)
    f.apply(1.0, 4.0)
    assert f.apply_many([8.0, 8.0]) == [6.0, 7.0]
    assert f.value == 7.0


@pytest.mark.parametrize("window", [0, -3])
def test_moving_average_window_below_one(window):
    with pytest.raises(ValueError, match=f"window must be >= 1, got {window}"):
        moving_average([1.0], window)


@pytest.mark.parametrize(("window", "name"), [(2.5, "float"), ("2", "str"), (False, "bool")])
def test_moving_average_window_not_an_int(window, name):
    with pytest.raises(TypeError, match=f"window must be an int, got {name}"):
        moving_average([1.0], window)


@pytest.mark.parametrize("call", [lambda s: moving_average(s, 2), lambda s: ExpFilter(0.5).apply_many(s)])
def test_samples_not_iterable(call):
    with pytest.raises(TypeError, match="samples must be an iterable of real numbers, got int"):
        call(5)


@pytest.mark.parametrize("size", [3, 300])
def test_moving_average_non_numeric_sample(size):
    samples = [1.0] * (size - 1) + ["x"]
    with pytest.raises(TypeError, match="samples must be real numbers, got str: 'x'"):
        moving_average(samples, 2)


@pytest.mark.parametrize("size", [3, 300])
def test_apply_many_non_numeric_sample_keeps_the_samples_before_it(size):
    f = ExpFilter(0.5)
    with pytest.raises(TypeError, match="samples must be real numbers, got NoneType: None"):
        f.apply_many([*[2.0] * (size - 1), None])
    assert f.value == 2.0


@pytest.mark.parametrize(
    ("exp", "error", "message"),
    [
        (-0.5, ValueError, "exp must be >= 0, got -0.5"),
        (math.nan, ValueError, "exp must be a number, got nan"),
        ("1", TypeError, "exp must be a real number, got str"),
    ],
)
def test_apply_many_bad_exp(exp, error, message):
    f = ExpFilter(0.5, initial=1.0)
    with pytest.raises(error, match=message):
        f.apply_many([1.0, 2.0], exp)
    assert f.value == 1.0


def test_non_finite_samples_match_the_streaming_filter():
    samples = [1.0, math.inf, 2.0, 3.0, 4.0, math.nan, 5.0, 6.0, 7.0, -math.inf, math.inf] + [1.0] * 300
    got = moving_average(samples, 3)
    expected = streaming_averages(samples, 3)
    assert [repr(x) for x in got] == [repr(x) for x in expected]
    f, g = ExpFilter(0.5), ExpFilter(0.5)
    got = f.apply_many(samples)
    expected = streaming_filter(g, samples, 1.0)
    assert [repr(x) for x in got] == [repr(x) for x in expected]


@pytest.mark.parametrize(
    ("bad", "error", "message"),
    [
        (1j, TypeError, "samples must be real numbers, got complex: 1j"),
        (10**400, ValueError, "samples must be within the range of a float, got an int too large"),
    ],
)
@pytest.mark.parametrize("size", [3, 300])
def test_batch_forms_refuse_what_the_streaming_filters_refuse(bad, error, message, size):
    samples = [*[2.0] * (size - 1), bad]
    with pytest.raises(error, match=message):
        moving_average(samples, 2)
    f = ExpFilter(0.5)
    with pytest.raises(error, match=message):
        f.apply_many(samples)
    assert f.value == 2.0
    with pytest.raises(error, match=message):
        ExpFilter(0.5).apply_many([bad])


@settings(max_examples=150, deadline=None)
@given(
    samples=st.lists(
        st.one_of(
            st.floats(min_value=-1.7976931348623157e308, max_value=1.7976931348623157e308),
            st.sampled_from((1.7976931348623157e308, -1.7976931348623157e308, 1e308, 1.0)),
        ),
        min_size=1,
        max_size=300,
    ),
    window=st.integers(1, 12),
    repeat=st.sampled_from((1, 2)),
)
def test_moving_average_of_huge_finite_samples(samples, window, repeat, recent_magnitude):
    """Sums that overflow, means that do not: no OverflowError, the exact means (to 1e-12 of
    the recent samples' magnitude), lists long enough for numpy included."""
    samples = samples * repeat
    got = moving_average(samples, window)
    for i, (g, scale) in enumerate(zip(got, recent_magnitude(samples, window), strict=True)):
        current = samples[max(0, i - window + 1) : i + 1]
        exact = float(sum(map(Fraction, current)) / len(current))
        assert abs(g - exact) <= 1e-12 * scale
