"""Differential tests: the reference (livekit-agents) filters as the oracle, where installed."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from agentutils_filters import ExpFilter, MovingAverage
from agentutils_filters.moving_average import RESYNC

reference_exp = pytest.importorskip("livekit.agents.utils.exp_filter")
reference_avg = pytest.importorskip("livekit.agents.utils.moving_average")

pytestmark = pytest.mark.needs_livekit

SAMPLE = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
ALPHA = st.floats(min_value=0.0, max_value=1.0, exclude_min=True)
EXP = st.floats(min_value=0.0, max_value=4.0)

EXP_OPS = st.lists(
    st.one_of(
        st.tuples(st.just("apply"), EXP, SAMPLE),
        st.tuples(st.just("apply_keep"), EXP),
        st.tuples(st.just("reset_alpha"), ALPHA),
        st.tuples(st.just("reset_initial"), SAMPLE),
        st.tuples(st.just("reset_min_val"), SAMPLE),
        st.tuples(st.just("reset_max_val"), SAMPLE),
        st.tuples(st.just("update_base"), ALPHA),
    ),
    max_size=40,
)


def close(ours, theirs, scale):
    # The same formula on both sides; only apply() without a sample differs (the reference
    # recomputes a * v + (1 - a) * v, we keep v), by an ulp or so of the magnitudes involved.
    return abs(ours - theirs) <= 1e-12 * max(abs(theirs), scale)


@given(
    alpha=ALPHA,
    bounds=st.tuples(st.none() | SAMPLE, st.none() | SAMPLE),
    initial=st.none() | SAMPLE,
    ops=EXP_OPS,
)
def test_exp_filter_matches_the_reference(alpha, bounds, initial, ops):
    low, high = bounds
    if low is not None and high is not None and low > high:
        low, high = high, low
    kwargs = {"alpha": alpha}
    for name, value in (("min_val", low), ("max_val", high), ("initial", initial)):
        if value is not None:
            kwargs[name] = value
    ours, theirs = ExpFilter(**kwargs), reference_exp.ExpFilter(**kwargs)
    scale = max(abs(v) for v in (low or 0.0, high or 0.0, initial or 0.0))
    for op, *args in ops:
        if op == "apply":
            scale = max(scale, abs(args[1]))
            assert close(ours.apply(*args), theirs.apply(*args), scale)
        elif op == "apply_keep":
            if theirs.value is None:
                with pytest.raises(ValueError, match="sample or initial value must be given"):
                    theirs.apply(*args)
                with pytest.raises(ValueError, match="needs a sample"):
                    ours.apply(*args)
            else:
                assert close(ours.apply(*args), theirs.apply(*args), scale)
        elif op == "update_base":
            ours.update_base(args[0])
            theirs.update_base(args[0])
        else:
            name = op.removeprefix("reset_")
            if name in ("min_val", "max_val"):
                other = ours.max_val if name == "min_val" else ours.min_val
                if other is not None and (args[0] > other if name == "min_val" else args[0] < other):
                    continue  # the reference accepts min_val > max_val; we refuse it (tested elsewhere)
            scale = max(scale, abs(args[0]))
            ours.reset(**{name: args[0]})
            theirs.reset(**{name: args[0]})
        assert (ours.value is None) == (theirs.value is None)
        if theirs.value is not None:
            assert close(ours.value, theirs.value, scale)


AVG_OPS = st.lists(
    st.one_of(st.tuples(st.just("add"), SAMPLE), st.tuples(st.just("reset"))),
    max_size=80,
)


@given(window=st.integers(1, 12), ops=AVG_OPS)
def test_moving_average_matches_the_reference(window, ops):
    ours, theirs = MovingAverage(window), reference_avg.MovingAverage(window)
    scale = 0.0
    for op, *args in ops:
        if op == "add":
            scale = max(scale, abs(args[0]))
            ours.add_sample(args[0])
            theirs.add_sample(args[0])
        else:
            ours.reset()
            theirs.reset()
        assert ours.size() == theirs.size()
        # The reference's plain running sum is only accurate relative to the samples'
        # magnitude (and so is ours, which does not drift): compare on that scale.
        assert abs(ours.get_avg() - theirs.get_avg()) <= 1e-12 * max(abs(theirs.get_avg()), scale)


def test_moving_average_fixes_the_reference_drift():
    ours, theirs = MovingAverage(2), reference_avg.MovingAverage(2)
    for sample in (1e16, *[1.0] * RESYNC):
        ours.add_sample(sample)
        theirs.add_sample(sample)
    assert ours.get_avg() == 1.0  # recomputed exactly since
    assert theirs.get_avg() == 0.5  # the 1.0 added next to 1e16 was lost, for good


def test_exp_filter_reference_defects_fixed():
    with pytest.raises(AssertionError):
        reference_exp.ExpFilter(0.5).reset(alpha=2.0)
    with pytest.raises(ValueError, match=r"alpha must be in \(0, 1\]"):
        ExpFilter(0.5).reset(alpha=2.0)
    theirs = reference_exp.ExpFilter(0.5, min_val=2.0, max_val=1.0)  # accepted, min wins
    assert theirs.apply(1.0, 5.0) == 2.0
    with pytest.raises(ValueError, match="min_val must be <= max_val"):
        ExpFilter(0.5, min_val=2.0, max_val=1.0)
