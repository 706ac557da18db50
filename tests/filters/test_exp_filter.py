"""ExpFilter, streaming: behaviour against closed-form expectations, and every bad input."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from agentutils_core import NOT_GIVEN
from agentutils_filters import ExpFilter

SAMPLE = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
ALPHA = st.floats(min_value=0.0, max_value=1.0, exclude_min=True)


def test_first_sample_is_taken_as_is_then_alpha_weights_the_previous_value():
    f = ExpFilter(alpha=0.8)
    assert f.value is None
    assert f.apply(1.0, 10.0) == 10.0
    assert f.apply(1.0, 20.0) == pytest.approx(0.8 * 10.0 + 0.2 * 20.0)
    assert f.value == f.filtered() == pytest.approx(12.0)


def test_exp_scales_the_step():
    f = ExpFilter(alpha=0.5, initial=0.0)
    # a = 0.5 ** 2 = 0.25: the new sample weighs 0.75.
    assert f.apply(2.0, 8.0) == pytest.approx(6.0)
    g = ExpFilter(alpha=0.5, initial=0.0)
    assert g.apply(0.0, 8.0) == 0.0  # exp 0: a = 1, the sample is ignored


def test_initial_value_is_blended_with_the_first_sample():
    f = ExpFilter(alpha=0.9, initial=100.0)
    assert f.value == 100.0
    assert f.apply(1.0, 0.0) == pytest.approx(90.0)


def test_minus_one_is_an_ordinary_sample():
    # Older references used -1.0 as "no value yet", so a -1.0 sample restarted the filter.
    f = ExpFilter(alpha=0.5)
    assert f.apply(1.0, -1.0) == -1.0
    assert f.apply(1.0, 3.0) == pytest.approx(1.0)
    g = ExpFilter(alpha=0.5, max_val=-1.0)
    assert g.apply(1.0, 5.0) == -1.0  # a max_val of -1.0 clamps, it does not mean "no bound"


@given(alpha=ALPHA, samples=st.lists(SAMPLE, min_size=1, max_size=30), exp=st.floats(0.0, 4.0))
def test_matches_the_closed_form(alpha, samples, exp):
    f = ExpFilter(alpha=alpha)
    a = alpha**exp
    expected = samples[0]
    assert f.apply(exp, samples[0]) == expected
    for sample in samples[1:]:
        expected = a * expected + (1 - a) * sample
        assert f.apply(exp, sample) == expected


def test_clamps_to_max_then_min():
    f = ExpFilter(alpha=0.5, max_val=10.0, min_val=-10.0)
    assert f.apply(1.0, 100.0) == 10.0
    assert f.apply(1.0, -100.0) == -10.0  # 0.5 * 10 - 50 = -45, clamped
    assert f.apply(1.0, 0.0) == -5.0
    g = ExpFilter(alpha=0.5, min_val=2.0, max_val=2.0)
    assert g.apply(1.0, 7.0) == 2.0


def test_apply_without_sample_keeps_the_value_and_applies_new_bounds():
    f = ExpFilter(alpha=0.5, initial=5.0)
    assert f.apply(1.0) == 5.0
    f.reset(max_val=3.0)
    assert f.value == 5.0  # bounds apply at the next apply()
    assert f.apply(1.0, NOT_GIVEN) == 3.0


def test_apply_without_sample_or_value_raises():
    f = ExpFilter(alpha=0.5)
    with pytest.raises(ValueError, match=r"apply\(\) needs a sample: the filter has no value yet"):
        f.apply(1.0)
    assert f.value is None


def test_filtered_without_value_raises():
    with pytest.raises(ValueError, match="the filter has no value yet"):
        ExpFilter(alpha=0.5).filtered()


def test_samples_become_floats():
    f = ExpFilter(alpha=0.5)
    result = f.apply(1.0, 3)
    assert result == 3.0
    assert type(result) is float


def test_reset_changes_only_what_is_given():
    f = ExpFilter(alpha=0.5, max_val=10.0)
    f.apply(1.0, 4.0)
    f.reset()
    assert (f.alpha, f.max_val, f.min_val, f.value) == (0.5, 10.0, None, 4.0)
    f.reset(alpha=0.25, min_val=1.0)
    assert (f.alpha, f.max_val, f.min_val, f.value) == (0.25, 10.0, 1.0, 4.0)
    f.reset(initial=2.0, max_val=None)
    assert (f.alpha, f.max_val, f.min_val, f.value) == (0.25, None, 1.0, 2.0)
    assert f.apply(1.0, 6.0) == pytest.approx(0.25 * 2.0 + 0.75 * 6.0)


def test_update_base_changes_alpha_and_keeps_the_value():
    f = ExpFilter(alpha=0.5, initial=1.0)
    f.update_base(1.0)
    assert f.alpha == 1.0
    assert f.apply(1.0, 100.0) == 1.0  # alpha 1 freezes the value


def test_repr():
    assert (
        repr(ExpFilter(alpha=0.5, initial=1.0))
        == "ExpFilter(alpha=0.5, max_val=None, min_val=None, value=1.0)"
    )


@pytest.mark.parametrize("alpha", [0.0, -0.1, 1.5, math.inf, -math.inf])
def test_alpha_out_of_range(alpha):
    with pytest.raises(ValueError, match=r"alpha must be in \(0, 1\], got"):
        ExpFilter(alpha=alpha)
    f = ExpFilter(alpha=0.5, initial=1.0)
    with pytest.raises(ValueError, match=r"alpha must be in \(0, 1\], got"):
        f.reset(alpha=alpha)
    with pytest.raises(ValueError, match=r"alpha must be in \(0, 1\], got"):
        f.update_base(alpha)
    assert f.alpha == 0.5


def test_alpha_nan():
    with pytest.raises(ValueError, match="alpha must be a number, got nan"):
        ExpFilter(alpha=math.nan)


@pytest.mark.parametrize("alpha", ["0.5", None, True, 1j])
def test_alpha_not_a_real_number(alpha):
    with pytest.raises(TypeError, match="alpha must be a real number, got"):
        ExpFilter(alpha=alpha)
    with pytest.raises(TypeError, match="alpha must be a real number, got"):
        ExpFilter(alpha=0.5).update_base(alpha)


def test_min_above_max_raises_at_construction():
    with pytest.raises(ValueError, match=r"min_val must be <= max_val, got min_val=2.0 > max_val=1.0"):
        ExpFilter(alpha=0.5, min_val=2.0, max_val=1.0)


def test_reset_to_inconsistent_bounds_raises_and_changes_nothing():
    f = ExpFilter(alpha=0.5, max_val=5.0, initial=1.0)
    with pytest.raises(ValueError, match=r"min_val must be <= max_val, got min_val=6.0 > max_val=5.0"):
        f.reset(alpha=0.9, min_val=6.0, initial=3.0)
    assert (f.alpha, f.min_val, f.max_val, f.value) == (0.5, None, 5.0, 1.0)


@pytest.mark.parametrize("name", ["max_val", "min_val", "initial"])
def test_bounds_and_initial_must_be_real_numbers(name):
    with pytest.raises(TypeError, match=f"{name} must be a real number, got str"):
        ExpFilter(alpha=0.5, **{name: "1"})
    with pytest.raises(ValueError, match=f"{name} must be a number, got nan"):
        ExpFilter(alpha=0.5, **{name: math.nan})
    with pytest.raises(TypeError, match=f"{name} must be a real number, got str"):
        ExpFilter(alpha=0.5).reset(**{name: "1"})


@pytest.mark.parametrize(
    ("exp", "message"),
    [
        (-1.0, "exp must be >= 0, got -1.0"),
        (-1e-300, "exp must be >= 0, got"),
        (math.nan, "exp must be a number, got nan"),
    ],
)
def test_exp_must_be_non_negative(exp, message):
    f = ExpFilter(alpha=0.5, initial=1.0)
    with pytest.raises(ValueError, match=message):
        f.apply(exp, 2.0)
    assert f.value == 1.0


def test_exp_must_be_a_real_number():
    with pytest.raises(TypeError, match="exp must be a real number, got str"):
        ExpFilter(alpha=0.5).apply("1", 2.0)  # type: ignore[arg-type]


def test_sample_must_be_a_number():
    f = ExpFilter(alpha=0.5)
    with pytest.raises(TypeError, match="samples must be real numbers, got str: '2'"):
        f.apply(1.0, "2")  # type: ignore[arg-type]
    assert f.value is None
    f.apply(1.0, 1.0)
    with pytest.raises(TypeError, match="samples must be real numbers, got NoneType: None"):
        f.apply(1.0, None)  # type: ignore[arg-type]
    assert f.value == 1.0


@pytest.mark.parametrize("sample", [1j, Decimal(1), "2", None, [1.0]])
def test_non_real_samples_are_refused_first_or_later(sample):
    f = ExpFilter(alpha=0.5)
    with pytest.raises(TypeError, match=f"samples must be real numbers, got {type(sample).__name__}"):
        f.apply(1.0, sample)
    assert f.value is None
    f.apply(1.0, 1.0)
    with pytest.raises(TypeError, match=f"samples must be real numbers, got {type(sample).__name__}"):
        f.apply(1.0, sample)
    assert f.value == 1.0


def test_int_too_large_for_a_float():
    f = ExpFilter(alpha=0.5)
    message = "samples must be within the range of a float, got an int too large to convert"
    with pytest.raises(ValueError, match=message):
        f.apply(1.0, 10**400)
    f.apply(1.0, 1.0)
    with pytest.raises(ValueError, match=message):
        f.apply(1.0, 10**400)
    assert f.value == 1.0
    assert f.apply(1.0, 2**64) == 0.5 + 0.5 * 2.0**64


@pytest.mark.parametrize("name", ["alpha", "max_val", "min_val", "initial"])
def test_settings_too_large_for_a_float(name):
    message = f"{name} must be within the range of a float, got an int too large to convert"
    kwargs = {"alpha": 0.5, name: 10**400}
    with pytest.raises(ValueError, match=message):
        ExpFilter(**kwargs)
    with pytest.raises(ValueError, match=message):
        ExpFilter(alpha=0.5).reset(**{name: 10**400})


def test_exp_too_large_for_a_float():
    f = ExpFilter(alpha=0.5, initial=1.0)
    with pytest.raises(ValueError, match="exp must be within the range of a float, got an int too large"):
        f.apply(10**400, 2.0)
    assert f.value == 1.0
    assert f.apply(2, 2.0) == 1.75  # an int exp is fine


@pytest.mark.parametrize(("exp", "name"), [(True, "bool"), (Decimal(1), "Decimal"), (1j, "complex")])
def test_exp_not_a_real_number(exp, name):
    # As in apply_many: bools are refused, and a Decimal is not taken for a bad sample.
    f = ExpFilter(alpha=0.5, initial=1.0)
    with pytest.raises(TypeError, match=f"exp must be a real number, got {name}"):
        f.apply(exp, 2.0)
    assert f.value == 1.0


@pytest.mark.parametrize("dtype", ["float32", "float16", "int16", "float64", "bool_"])
def test_numpy_scalar_samples_are_filtered_in_double_precision(dtype):
    """Results are floats, computed from the samples' exact values as doubles (float32
    arithmetic would be 1e-7 off the batch form, which works on float64 arrays)."""
    np = pytest.importorskip("numpy")
    raw = np.array([0.1, 0.7, 0.3, 1.0, 0.2])
    samples = raw.astype(dtype)
    f, g = ExpFilter(alpha=0.3, min_val=0.15), ExpFilter(alpha=0.3, min_val=0.15)
    for sample in samples:
        got, expected = f.apply(1.0, sample), g.apply(1.0, float(sample))
        assert type(got) is float
        assert got == expected
    assert f.apply_many(samples.tolist()) == g.apply_many([float(x) for x in samples])
    assert list(f.apply_many(list(samples))) == g.apply_many([float(x) for x in samples])
