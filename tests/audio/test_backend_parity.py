"""The python and numpy backends give identical results on every input, or refuse it alike."""

from __future__ import annotations

import sys
from array import array

import pytest
from hypothesis import given, settings, strategies as st
from tests.conftest import require

from agentutils_audio import AudioFrame, NumpyBackend, PythonBackend, apply_gain, mix_frames, remix_frame

MAX_GAIN_SUM = 2.0**1000

extreme_sample = st.sampled_from([-32768, -32767, -1, 0, 1, 32766, 32767]) | st.integers(-32768, 32767)
any_gain = (
    st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from([1e308, -1e308, 1.7976931348623157e308, 2.0**1000, -(2.0**999), 5e-324, -0.0])
    | st.floats(-4, 4)
)
any_db = st.floats(allow_nan=False, allow_infinity=False) | st.sampled_from(
    [6020.0, 6100.0, 6200.0, 1e308, -1e308]
)


def _pcm(samples: list[int]) -> bytes:
    return array("h", samples).tobytes()


def _outcome(call):
    try:
        result = call()
    except (ValueError, OverflowError, TypeError) as exc:
        return type(exc), str(exc)
    return bytes(result) if not hasattr(result, "rms_dbfs") else result


def _both(op: str, *args: object) -> tuple[object, object]:
    require("numpy")
    return (
        _outcome(lambda: getattr(PythonBackend(), op)(*args)),
        _outcome(lambda: getattr(NumpyBackend(), op)(*args)),
    )


@st.composite
def mix_inputs(draw):
    n = draw(st.integers(1, 5))
    length = draw(st.integers(0, 24))
    blocks = [_pcm(draw(st.lists(extreme_sample, min_size=length, max_size=length))) for _ in range(n)]
    gains = draw(st.none() | st.lists(any_gain, min_size=n, max_size=n))
    return blocks, gains


@settings(max_examples=300)
@given(mix_inputs())
def test_mix_is_identical_on_both_backends(case):
    blocks, gains = case
    python, numpy = _both("mix", blocks, gains)
    assert python == numpy


@settings(max_examples=300)
@given(st.lists(extreme_sample, max_size=40), any_db)
def test_apply_gain_is_identical_on_both_backends(samples, db):
    python, numpy = _both("apply_gain", _pcm(samples), db)
    assert python == numpy
    assert isinstance(python, bytes)  # every finite gain has a result


@settings(max_examples=150)
@given(st.integers(1, 9).flatmap(lambda c: st.tuples(st.just(c), st.lists(extreme_sample, max_size=10 * c))))
def test_remix_and_levels_are_identical_on_both_backends(case):
    channels, samples = case
    samples = samples[: len(samples) - len(samples) % channels]
    data = _pcm(samples)
    for out in sorted({1, channels}):
        python, numpy = _both("remix", data, channels, out)
        assert python == numpy
    python, numpy = _both("levels", data)
    assert python == numpy


def test_mixing_more_than_65536_frames_does_not_wrap():
    """65,537 x -32768 overflows int32: the sum must saturate, not wrap to a positive value."""
    frames = [AudioFrame(_pcm([-32768, 32767]), 8000, 1, 2)] * 70_000
    for backend in ("python", "numpy"):
        require("numpy") if backend == "numpy" else None
        assert mix_frames(frames, backend=backend).data.tolist() == [-32768, 32767]


def test_remix_of_more_than_65536_channels_does_not_wrap():
    channels = 70_000
    frame = AudioFrame(_pcm([-32768] * channels), 8000, channels, 1)
    for backend in ("python", "numpy"):
        require("numpy") if backend == "numpy" else None
        assert remix_frame(frame, 1, backend=backend).data.tolist() == [-32768]


@pytest.mark.parametrize("db", [6100.0, 6200.0, 1e308])
def test_huge_finite_gains_saturate(db):
    frame = AudioFrame(_pcm([0, 1, -1, 32767, -32768]), 8000, 1, 5)
    for backend in ("python", "numpy"):
        require("numpy") if backend == "numpy" else None
        assert apply_gain(frame, db, backend=backend).data.tolist() == [0, 32767, -32768, 32767, -32768]


def test_tiny_gains_give_silence():
    frame = AudioFrame(_pcm([32767, -32768]), 8000, 1, 2)
    for backend in ("python", "numpy"):
        require("numpy") if backend == "numpy" else None
        assert apply_gain(frame, -1e308, backend=backend).data.tolist() == [0, 0]


def test_opposite_huge_gains_within_the_limit_cancel_exactly():
    a = AudioFrame(_pcm([32767, -32768, 5]), 8000, 1, 3)
    for backend in ("python", "numpy"):
        require("numpy") if backend == "numpy" else None
        assert mix_frames([a, a], gains=[1e300, -1e300], backend=backend).data.tolist() == [0, 0, 0]
        assert mix_frames([a, a], gains=[1e300, -1e300 * (1 - 2**-52)], backend=backend).data.tolist() == [
            32767,
            -32768,
            32767,
        ]


@pytest.mark.parametrize(
    "gains",
    [
        [1e308, 1e308],
        [1e308, -1e308],
        [sys.float_info.max, 0.0],
        [MAX_GAIN_SUM, 2.0**990],
        [2.0**999, -(2.0**999) * 1.5],
    ],
)
def test_gains_whose_sum_could_overflow_are_refused_alike(gains):
    a = AudioFrame(_pcm([32767, -32768]), 8000, 1, 2)
    for backend in ("python", "numpy"):
        require("numpy") if backend == "numpy" else None
        with pytest.raises(
            ValueError, match=r"gains are too large: their absolute values must sum to at most 2\*\*1000"
        ):
            mix_frames([a, a], gains=gains, backend=backend)
    python, numpy = _both("mix", [_pcm([1]), _pcm([1])], gains)
    assert python == numpy
    assert python[0] is ValueError


def test_the_gain_limit_itself_is_accepted():
    a = AudioFrame(_pcm([1, 0]), 8000, 1, 2)
    for backend in ("python", "numpy"):
        require("numpy") if backend == "numpy" else None
        assert mix_frames(
            [a, a], gains=[MAX_GAIN_SUM / 2, MAX_GAIN_SUM / 2], backend=backend
        ).data.tolist() == [
            32767,
            0,
        ]


@settings(max_examples=50)
@given(st.lists(extreme_sample, max_size=40), st.integers(1, 7))
def test_levels_summed_in_chunks_equal_the_python_backend(samples, chunk):
    """numpy sums the squares in chunks (an int64 dot of 2**33 samples would wrap): any chunking agrees."""
    require("numpy")
    from agentutils_audio.backends import numpy_backend

    data = _pcm(samples)
    original = numpy_backend._DOT_CHUNK
    numpy_backend._DOT_CHUNK = chunk
    try:
        assert NumpyBackend().levels(data) == PythonBackend().levels(data)
    finally:
        numpy_backend._DOT_CHUNK = original
