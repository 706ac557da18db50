"""The shared argument vocabulary: one meaning of seconds, timeouts, counts and rates."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, strategies as st

from agentutils_core import (
    MAX_SAMPLE_RATE,
    check_count,
    check_delay,
    check_int,
    check_num_channels,
    check_sample_rate,
    check_seconds,
    check_timeout,
)


@given(st.one_of(st.none(), st.just(math.inf)))
def test_no_limit_is_none_or_inf(value):
    assert check_timeout(value) is None


@given(st.floats(min_value=0, allow_infinity=False) | st.integers(min_value=0, max_value=10**6))
def test_a_finite_timeout_is_its_float(value):
    assert check_timeout(value) == float(value)
    assert isinstance(check_timeout(value), float)


def test_zero_means_do_not_wait():
    assert check_timeout(0) == 0.0


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        (-1, ValueError, r"^timeout must be >= 0 seconds, got -1$"),
        (-math.inf, ValueError, r"^timeout must be >= 0 seconds, got -inf$"),
        (math.nan, ValueError, r"^timeout must be a number of seconds, got nan$"),
        (True, TypeError, r"^timeout must be a number of seconds or None, got bool: True$"),
        ("5", TypeError, r"^timeout must be a number of seconds or None, got str: '5'$"),
    ],
)
def test_bad_timeouts(value, error, message):
    with pytest.raises(error, match=message):
        check_timeout(value)


@pytest.mark.parametrize(
    ("value", "positive", "error", "message"),
    [
        (None, False, TypeError, r"^interval must be a number of seconds, got NoneType: None$"),
        (False, False, TypeError, r"^interval must be a number of seconds, got bool: False$"),
        (-0.5, False, ValueError, r"^interval must be >= 0 seconds, got -0.5$"),
        (0, True, ValueError, r"^interval must be > 0 seconds, got 0$"),
        (math.nan, True, ValueError, r"^interval must be a number of seconds, got nan$"),
    ],
)
def test_bad_seconds(value, positive, error, message):
    with pytest.raises(error, match=message):
        check_seconds(value, "interval", positive=positive)


def test_delays_at_or_below_zero_mean_now_and_read_back_unchanged():
    assert check_delay(-3) == -3.0
    assert check_delay(0) == 0.0
    with pytest.raises(ValueError, match=r"^delay must be a number of seconds, got nan$"):
        check_delay(math.nan)
    with pytest.raises(TypeError, match=r"^delay must be a number of seconds, got bool: True$"):
        check_delay(True)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: check_int(2.0, "n"), TypeError, r"^n must be an int, got float: 2.0$"),
        (lambda: check_count(True, "size"), TypeError, r"^size must be an int, got bool: True$"),
        (lambda: check_count(0, "size", minimum=1), ValueError, r"^size must be an int >= 1, got 0$"),
        (
            lambda: check_sample_rate(48000.0),
            TypeError,
            r"^sample_rate must be a positive int \(Hz\), got float",
        ),
        (lambda: check_sample_rate(0), ValueError, r"^sample_rate must be a positive int \(Hz\), got 0$"),
        (
            lambda: check_sample_rate(10**20, "rate"),
            ValueError,
            rf"^rate must be at most {MAX_SAMPLE_RATE} Hz, got 100000000000000000000$",
        ),
        (lambda: check_num_channels(-1), ValueError, r"^num_channels must be a positive int, got -1$"),
        (lambda: check_num_channels("2"), TypeError, r"^num_channels must be a positive int, got str: '2'$"),
    ],
)
def test_bad_counts_and_rates(call, error, message):
    with pytest.raises(error, match=message):
        call()


@given(st.integers(min_value=1, max_value=MAX_SAMPLE_RATE))
def test_every_rate_a_wav_header_can_state_is_accepted(rate):
    assert check_sample_rate(rate) == rate
