"""The numpy batch forms: arrays in and out, robustness to mixed magnitudes, every code path."""

from __future__ import annotations

import importlib
import math
import re

import pytest
from hypothesis import given, strategies as st

from agentutils_filters import ExpFilter, moving_average
from agentutils_filters.moving_average import _moving_average_py

np = pytest.importorskip("numpy")
_same_sign_moving_average = importlib.import_module(
    "agentutils_filters._moving_average_np"
)._same_sign_moving_average

pytestmark = pytest.mark.needs_numpy

SAMPLE = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
POSITIVE = st.builds(
    lambda mantissa, exponent: mantissa * 10.0**exponent,
    st.floats(min_value=1.0, max_value=9.99),
    st.integers(min_value=-3, max_value=5),
)
ALPHA = st.floats(min_value=0.0, max_value=1.0, exclude_min=True)


def streaming_filter(f, samples, exp=1.0):
    return [f.apply(exp, sample) for sample in samples]


def assert_arrays_close(actual, expected, *, rel=1e-12, floor=0.0):
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape
    tolerance = rel * np.maximum(np.abs(expected), floor)
    bad = np.flatnonzero(np.abs(actual - expected) > tolerance)
    assert bad.size == 0, f"first mismatch at {bad[0]}: {actual[bad[0]]!r} != {expected[bad[0]]!r}"


def assert_within(actual, expected, scale, *, rel):
    """Element by element, to ``rel`` of a per-element scale (the window's magnitude)."""
    actual, expected, scale = np.asarray(actual), np.asarray(expected), np.asarray(scale)
    bad = np.flatnonzero(np.abs(actual - expected) > rel * scale)
    assert bad.size == 0, f"first mismatch at {bad[0]}: {actual[bad[0]]!r} != {expected[bad[0]]!r}"


@given(samples=st.lists(SAMPLE, max_size=300), window=st.integers(1, 300))
def test_moving_average_array_equals_the_streaming_filter(samples, window, recent_magnitude):
    result = moving_average(np.array(samples, dtype=np.float64), window)
    assert isinstance(result, np.ndarray)
    assert result.dtype == np.float64
    expected = _moving_average_py(samples, window)
    assert_within(result, expected, recent_magnitude(samples, window), rel=1e-9)


@given(samples=st.lists(POSITIVE, min_size=1, max_size=300), window=st.integers(1, 300))
def test_moving_average_array_is_relatively_exact(samples, window, exact_means):
    assert_arrays_close(moving_average(np.array(samples), window), exact_means(samples, window))


@pytest.mark.parametrize(
    ("n", "window"),
    [
        (140_000, 1),  # many blocks of 2048 per chunk, several chunks and a partial last one
        (140_000, 7),
        (140_000, 2048),  # block == window
        (140_000, 2049),  # block == window, not a divisor of the chunk
        (140_000, 70_001),  # one block per chunk, larger than a chunk
        (1000, 1000),  # the whole signal is one window
        (1000, 5000),  # shorter than one window: partial means only
    ],
)
def test_moving_average_long_signals(n, window, exact_running_means, recent_magnitude):
    rng = np.random.default_rng(n + window)
    samples = rng.standard_normal(n) * 10.0 ** rng.uniform(-3, 6, n)
    got = moving_average(samples, window)
    # Both signs, so sums that cancel: the exact means and the streaming filter, to 1e-9 of
    # the window's magnitude (signals the kernels hand to the streaming path are as
    # accurate as it is).
    scale = recent_magnitude(samples.tolist(), window)
    assert_within(got, exact_running_means(samples.tolist(), window), scale, rel=1e-9)
    assert_within(got, _moving_average_py(samples.tolist(), window), scale, rel=1e-9)


def test_moving_average_is_robust_to_mixed_magnitudes(exact_means):
    """Huge samples next to tiny ones: a plain cumulative sum loses the tiny ones, and its
    differences cancel catastrophically; the blocked, error-free split does not."""
    rng = np.random.default_rng(7)
    n, window, run = 60_000, 50, 200
    # Alternating runs of huge (1e6..1e9) and tiny (1e-3..1e-2) samples, longer than a window.
    huge = (np.arange(n) // run) % 2 == 0
    samples = np.where(huge, 10.0 ** rng.uniform(6, 9, n), 10.0 ** rng.uniform(-3, -2, n))
    got = moving_average(samples, window)
    exact = np.array(exact_means(samples.tolist(), window))
    assert_arrays_close(got, exact, rel=1e-13)
    cumulative = np.concatenate(([0.0], np.cumsum(samples)))
    naive = (cumulative[window:] - cumulative[:-window]) / window
    assert np.max(np.abs(naive - exact[window - 1 :]) / exact[window - 1 :]) > 1e-3


def test_moving_average_mixed_signs_against_the_exact_means(exact_means):
    rng = np.random.default_rng(11)
    n, window = 30_000, 300
    samples = rng.choice([-1.0, 1.0], n) * 10.0 ** rng.uniform(-3, 9, n)
    got = moving_average(samples, window)
    exact = np.array(exact_means(samples.tolist(), window))
    # Relative to the window's magnitude: the exact sum itself may cancel to ~0.
    scale = np.array([np.abs(samples[max(0, i - window + 1) : i + 1]).max() for i in range(n)])
    assert np.all(np.abs(got - exact) <= 1e-12 * np.abs(exact) + 1e-16 * scale / window)


def test_moving_average_of_integer_and_boolean_arrays():
    assert moving_average(np.array([1, 2, 3, 4], dtype=np.int16), 2).tolist() == [1.0, 1.5, 2.5, 3.5]
    assert moving_average(np.array([True, False]), 2).tolist() == [1.0, 0.5]
    assert moving_average(np.array([], dtype=np.float32), 3).shape == (0,)


def test_moving_average_of_a_long_list_returns_a_list():
    samples = [float(i % 17) for i in range(1000)]
    result = moving_average(samples, 10)
    assert isinstance(result, list)
    assert result == pytest.approx(_moving_average_py(samples, 10), rel=1e-14)


@pytest.mark.parametrize("bad", [math.inf, -math.inf, math.nan, 1e305])
def test_moving_average_non_finite_or_huge_samples_take_the_exact_path(bad):
    samples = np.arange(5000, dtype=np.float64)
    samples[2500] = bad
    got = moving_average(samples, 10)
    assert isinstance(got, np.ndarray)
    expected = _moving_average_py(samples.tolist(), 10)
    assert [repr(x) for x in got.tolist()] == [repr(x) for x in expected]


@given(
    alpha=ALPHA,
    exp=st.floats(0.0, 3.0),
    samples=st.lists(SAMPLE, max_size=300),
    initial=st.none() | SAMPLE,
    bounds=st.tuples(st.none() | SAMPLE, st.none() | SAMPLE),
)
def test_apply_many_array_equals_apply(alpha, exp, samples, initial, bounds):
    low, high = bounds
    if low is not None and high is not None and low > high:
        low, high = high, low
    kwargs = {"alpha": alpha, "min_val": low, "max_val": high}
    if initial is not None:
        kwargs["initial"] = initial
    batch, stream = ExpFilter(**kwargs), ExpFilter(**kwargs)
    result = batch.apply_many(np.array(samples, dtype=np.float64), exp)
    assert isinstance(result, np.ndarray)
    expected = streaming_filter(stream, samples, exp)
    scale = max((abs(s) for s in [*samples, initial or 0.0]), default=0.0)
    assert_arrays_close(result, np.array(expected).reshape(-1), floor=scale)
    assert (batch.value is None) == (stream.value is None)
    if stream.value is not None:
        assert abs(batch.value - stream.value) <= 1e-12 * max(abs(stream.value), scale)


@given(alpha=ALPHA, exp=st.floats(0.0, 3.0), samples=st.lists(POSITIVE, min_size=1, max_size=300))
def test_apply_many_array_is_relatively_exact(alpha, exp, samples):
    batch, stream = ExpFilter(alpha), ExpFilter(alpha)
    assert_arrays_close(batch.apply_many(np.array(samples), exp), streaming_filter(stream, samples, exp))
    assert batch.value == pytest.approx(stream.value, rel=1e-12)


@pytest.mark.parametrize("alpha", [1e-300, 1e-5, 0.5, 0.999, 1.0])
def test_apply_many_long_signal_any_alpha(alpha):
    # 300_000 samples: three levels of the blocked recursion.
    rng = np.random.default_rng(3)
    samples = rng.uniform(1.0, 2.0, 300_000)
    batch, stream = ExpFilter(alpha, initial=1.5), ExpFilter(alpha, initial=1.5)
    expected = stream._apply_py(samples.tolist(), alpha)
    assert_arrays_close(batch.apply_many(samples), expected)
    assert batch.value == pytest.approx(stream.value, rel=1e-12)


def test_apply_many_with_clamps_that_keep_activating():
    # A noisy sine around the bounds: thousands of clamped stretches, both sides.
    rng = np.random.default_rng(5)
    t = np.arange(50_000)
    samples = 3.0 * np.sin(t / 40.0) + rng.standard_normal(t.size)
    batch = ExpFilter(0.7, min_val=-1.5, max_val=2.0)
    stream = ExpFilter(0.7, min_val=-1.5, max_val=2.0)
    result = batch.apply_many(samples)
    expected = streaming_filter(stream, samples.tolist())
    assert np.sum(np.array(expected) == 2.0) > 1000
    assert np.sum(np.array(expected) == -1.5) > 1000
    assert_arrays_close(result, expected, floor=3.0)
    assert batch.value == pytest.approx(stream.value, rel=1e-12, abs=1e-12)


def test_apply_many_array_first_sample_is_taken_as_is():
    f = ExpFilter(0.5, max_val=10.0)
    assert f.apply_many(np.array([20.0, 0.0, 4.0])).tolist() == [10.0, 5.0, 4.5]
    assert f.value == 4.5


def test_apply_many_array_non_finite_samples_take_the_exact_path():
    samples = np.ones(1000)
    samples[500] = math.inf
    batch, stream = ExpFilter(0.5), ExpFilter(0.5)
    got = batch.apply_many(samples)
    assert [repr(x) for x in got.tolist()] == [repr(x) for x in streaming_filter(stream, samples.tolist())]
    assert batch.value == stream.value == math.inf


def test_apply_many_empty_array_keeps_the_state():
    f = ExpFilter(0.5, initial=3.0)
    assert f.apply_many(np.array([])).shape == (0,)
    assert f.value == 3.0


@pytest.mark.parametrize("call", [lambda s: moving_average(s, 2), lambda s: ExpFilter(0.5).apply_many(s)])
def test_two_dimensional_array(call):
    with pytest.raises(
        ValueError, match=r"samples must be a one-dimensional array, got an array of shape \(2, 2\)"
    ):
        call(np.ones((2, 2)))


@pytest.mark.parametrize("dtype", ["complex128", "U3", "object", "datetime64[s]"])
@pytest.mark.parametrize("call", [lambda s: moving_average(s, 2), lambda s: ExpFilter(0.5).apply_many(s)])
def test_array_of_non_real_numbers(call, dtype):
    with pytest.raises(
        TypeError, match=re.escape(f"samples must hold real numbers, got an array of dtype {np.dtype(dtype)}")
    ):
        call(np.zeros(3, dtype=dtype))


# Same-sign signals take the doubling kernel (no splitting): magnitudes over 15 orders, zeros.
ONE_SIGN = st.one_of(
    st.just(0.0),
    st.builds(
        lambda mantissa, exponent: mantissa * 10.0**exponent,
        st.floats(min_value=1.0, max_value=9.99),
        st.integers(min_value=-6, max_value=9),
    ),
)


@given(
    samples=st.lists(ONE_SIGN, max_size=600),
    window=st.integers(1, 300) | st.sampled_from((256, 257, 511)),
    negative=st.booleans(),
)
def test_same_sign_signals_are_relatively_exact(samples, window, negative, exact_means):
    if negative:
        samples = [-s for s in samples]
    got = moving_average(np.array(samples, dtype=np.float64), window)
    # The bound of the kernel: (depth + 2) * u, depth <= 18, plus the divisions.
    assert_arrays_close(got, exact_means(samples, window), rel=1e-14)


@pytest.mark.parametrize("window", [1, 2, 7, 63, 64, 1000, 3000, 4096, 5000, 33_333, 70_001])
@pytest.mark.parametrize("sign", [1.0, -1.0])
def test_same_sign_long_signals_across_chunks(window, sign, exact_running_means):
    # 100_000 samples: several chunks (of 32768 outputs, or of blocks), a partial last one,
    # halos or the previous block between chunks; odd and even windows, with and without
    # runs in the blocks' prefix sums. Magnitudes over 4 orders (the blocks kernel falls
    # back to splitting when large samples just before a window dwarf it).
    rng = np.random.default_rng(window)
    samples = sign * 10.0 ** rng.uniform(-2, 2, 100_000)
    expected = exact_running_means(samples.tolist(), window)
    assert_arrays_close(moving_average(samples, window), expected, rel=1e-13)
    x = np.ascontiguousarray(samples)
    assert _same_sign_moving_average(x, window, np.empty_like(x))


@pytest.mark.parametrize(
    ("samples", "window", "taken"),
    [
        ([1.0, 2.0, 0.0], 2, True),
        ([-1.0, -2.0, 0.0], 2, True),
        ([0.0, 0.0], 5, True),
        ([1.0, -2.0], 2, False),  # both signs: the split kernel
        ([1.0, math.nan], 2, False),
        ([1.0, math.inf], 2, False),
        ([1.0, 1e300], 2, False),  # above 2**900
        ([1.0, 2.0], 4096, True),  # by blocks
        ([1.0, 2.0], 8191, True),
        ([1e9] * 1500 + [1e-3] * 3000, 1000, False),  # the blocks' bound refuses it
        ([1e9] * 1500 + [1e-3] * 3000, 10, True),  # doubling: no cancellation at all
    ],
)
def test_same_sign_kernel_selection(samples, window, taken):
    x = np.array(samples, dtype=np.float64)
    out = np.empty_like(x)
    assert _same_sign_moving_average(x, window, out) is taken
    if taken:
        expected = [
            math.fsum(samples[max(0, i - window + 1) : i + 1]) / min(i + 1, window)
            for i in range(len(samples))
        ]
        assert out.tolist() == pytest.approx(expected, rel=1e-15)


@pytest.mark.parametrize("window", [10, 1000, 70_001])
@pytest.mark.parametrize("layout", ["sign_flips_late", "zeros_then_positive", "zeros_then_negative"])
def test_one_sign_kernels_across_sign_changes(window, layout, exact_running_means):
    """The sign is checked chunk by chunk: a late flip hands the whole signal to the split
    kernel, leading zeros go with either sign."""
    rng = np.random.default_rng(window)
    n = 150_000
    samples = rng.uniform(1.0, 2.0, n)
    if layout == "sign_flips_late":
        samples[120_000:] *= -1.0
    else:
        samples[:70_000] = 0.0
        if layout == "zeros_then_negative":
            samples = -samples
    x = np.ascontiguousarray(samples)
    assert _same_sign_moving_average(x, window, np.empty_like(x)) is (layout != "sign_flips_late")
    expected = exact_running_means(samples.tolist(), window)
    assert_arrays_close(moving_average(samples, window), expected, rel=1e-13, floor=1e-12)


@pytest.mark.parametrize("window", [10, 100, 1000])
def test_mixed_signs_and_magnitudes_are_relatively_exact(window):
    """Both signs, runs of 1e6..1e9 next to runs of 1e-3..1e-2 in the same rows of the split
    kernel: the windows of small samples (which cancel to ~1e-8) have low parts whose
    rounding errors are not negligible. Relative to each window's mean, to 1e-12."""
    rng = np.random.default_rng(window)
    n = 40_000
    sign = rng.choice([-1.0, 1.0], n)
    huge = (np.arange(n) // 3000) % 2 == 0
    samples = sign * np.where(huge, 10.0 ** rng.uniform(6, 9, n), 10.0 ** rng.uniform(-3, -2, n))
    assert_arrays_close(moving_average(samples, window), _moving_average_py(samples.tolist(), window))


@pytest.mark.parametrize("window", [2, 1000])
def test_both_signs_with_exactly_cancelling_windows(window, exact_means):
    # Integer-valued samples: many windows sum to exactly 0, which must come out as 0.
    rng = np.random.default_rng(window)
    samples = rng.choice([-1.0, 1.0], 50_000) * rng.integers(1, 4, 50_000)
    got = moving_average(samples, window)
    assert got.tolist() == exact_means(samples.tolist(), window)
    assert np.count_nonzero(got == 0.0) > 100
