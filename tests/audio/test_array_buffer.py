"""AudioArrayBuffer: upstream's behaviours, checked against a list model and (full leg) upstream itself."""

from __future__ import annotations

import math
import re
import sys
from array import array

import pytest
from hypothesis import given, settings, strategies as st
from tests.conftest import require

from agentutils_audio import (
    RESAMPLER_ENV_VAR,
    AudioArrayBuffer,
    AudioFrame,
    AudioResampler,
    FormatMismatchError,
)


@pytest.fixture(autouse=True)
def _numpy_and_no_resampler_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(RESAMPLER_ENV_VAR, raising=False)


@pytest.fixture
def np():
    return require("numpy")


def frame(values: list[int], rate: int = 16000, channels: int = 1) -> AudioFrame:
    return AudioFrame(array("h", values).tobytes(), rate, channels, len(values) // channels)


def tone(rate: int, count: int, channels: int = 1) -> list[int]:
    return [
        round(12000 * math.sin(2 * math.pi * 440 * i / rate + c))
        for i in range(count)
        for c in range(channels)
    ]


# ---------------------------------------------------------------- upstream behaviours


def test_defaults(np):
    buf = AudioArrayBuffer(buffer_size=8)
    assert (buf.sample_rate, buf.buffer_size, buf.dtype, len(buf)) == (16000, 8, np.dtype(np.int16), 0)
    empty = buf.read()
    assert empty.dtype == np.int16
    assert empty.shape == (0,)
    assert repr(buf) == "AudioArrayBuffer(buffer_size=8, dtype=int16, sample_rate=16000, len=0)"


def test_push_and_read_a_copy(np):
    buf = AudioArrayBuffer(buffer_size=8)
    assert buf.push_frame(frame([1, 2, 3])) == 3
    assert buf.push_frame(frame([4, -5])) == 2
    out = buf.read()
    assert out.tolist() == [1, 2, 3, 4, -5]
    out[:] = 0
    assert buf.read().tolist() == [1, 2, 3, 4, -5]
    assert len(buf) == 5


def test_dtype_keeps_int16_values(np):
    buf = AudioArrayBuffer(buffer_size=4, dtype=np.float32)
    buf.push_frame(frame([1000, -2000, 32767]))
    out = buf.read()
    assert out.dtype == np.float32
    assert out.tolist() == [1000.0, -2000.0, 32767.0]


def test_overflow_shifts_the_oldest_out(np):
    buf = AudioArrayBuffer(buffer_size=5)
    buf.push_frame(frame([1, 2, 3]))
    assert buf.push_frame(frame([4, 5, 6, 7])) == 4
    assert buf.read().tolist() == [3, 4, 5, 6, 7]
    buf.push_frame(frame([8, 9, 10, 11, 12]))
    assert buf.read().tolist() == [8, 9, 10, 11, 12]


def test_a_frame_larger_than_the_buffer(np):
    buf = AudioArrayBuffer(buffer_size=5)
    with pytest.raises(ValueError, match=re.escape("frame samples (6) are greater than the buffer size (5)")):
        buf.push_frame(frame([0] * 6))
    assert len(buf) == 0


def test_a_frame_larger_than_the_buffer_after_resampling(np):
    buf = AudioArrayBuffer(buffer_size=100, sample_rate=16000)
    with pytest.raises(
        ValueError,
        match=r"frame samples \(\d+ after resampling 48000Hz to 16000Hz\) are greater than "
        r"the buffer size \(100\)",
    ):
        buf.push_frame(frame(tone(48000, 4800), rate=48000))  # 100 ms: more than any delay


def test_stereo_is_down_mixed_by_the_mean(np):
    buf = AudioArrayBuffer(buffer_size=8)
    buf.push_frame(frame([1, 2, -1, -2, 3, 4, -32768, -32768, 32767, 32767], channels=2))
    assert buf.read().tolist() == [1, -2, 3, -32768, 32767]  # floor division, as upstream


@pytest.mark.parametrize("channels", [1, 2])
def test_frames_of_another_rate_are_resampled(np, channels):
    buf = AudioArrayBuffer(buffer_size=16000, sample_rate=16000)
    reference = AudioResampler(48000, 16000, num_channels=channels, quality="quick")
    expected: list[int] = []
    signal = tone(48000, 48000 // 2, channels)
    step = 480 * channels
    for start in range(0, len(signal), step):
        chunk = frame(signal[start : start + step], rate=48000, channels=channels)
        written = buf.push_frame(chunk)
        out = [v for f in reference.push(chunk) for v in f.data.tolist()]
        mixed = [sum(out[i : i + channels]) // channels for i in range(0, len(out), channels)]
        assert written == len(mixed)
        expected += mixed
    assert buf.read().tolist() == expected
    assert 0 <= 8000 - len(buf) < 400  # less only the resampler's delay (soxr's is the longest)


def test_inconsistent_rates_once_resampling(np):
    buf = AudioArrayBuffer(buffer_size=1000)
    buf.push_frame(frame([0] * 480, rate=48000))
    for rate in (44100, 16000):  # the buffer's own rate too, as upstream
        with pytest.raises(
            ValueError, match=rf"^frame sample rates are inconsistent: expected 48000 .*, got {rate}"
        ):
            buf.push_frame(frame([0] * 441, rate=rate))
    with pytest.raises(FormatMismatchError, match="channel count mismatch: expected 1, got 2"):
        buf.push_frame(frame([0] * 960, rate=48000, channels=2))


def test_shift(np):
    buf = AudioArrayBuffer(buffer_size=6)
    buf.push_frame(frame([1, 2, 3, 4]))
    buf.shift(1)
    assert buf.read().tolist() == [2, 3, 4]
    buf.shift(0)
    assert len(buf) == 3
    buf.shift(10)
    assert (len(buf), buf.read().tolist()) == (0, [])
    with pytest.raises(ValueError, match="size must be an int >= 0, got -1"):
        buf.shift(-1)
    with pytest.raises(TypeError, match=re.escape("size must be an int, got float: 1.0")):
        buf.shift(1.0)  # type: ignore[arg-type]


def test_reset_forgets_the_samples_and_the_resampler(np):
    buf = AudioArrayBuffer(buffer_size=4000)
    buf.push_frame(frame(tone(48000, 4800), rate=48000))
    buf.reset()
    assert (len(buf), buf.read().tolist()) == (0, [])
    assert buf.push_frame(frame(tone(44100, 4410), rate=44100)) > 0  # another rate is fine now
    buf.reset()
    assert buf.push_frame(frame([7, 8])) == 2
    assert buf.read().tolist() == [7, 8]


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"buffer_size": 0}, ValueError, "buffer_size must be an int >= 1, got 0"),
        ({"buffer_size": 2.5}, TypeError, "buffer_size must be an int, got float: 2.5"),
        ({"buffer_size": 4, "sample_rate": 0}, ValueError, "sample_rate must be a positive int (Hz), got 0"),
        (
            {"buffer_size": 4, "dtype": "no such dtype"},
            TypeError,
            "dtype must be a numpy dtype, got 'no such dtype'",
        ),
    ],
)
def test_bad_arguments(np, kwargs, error, message):
    with pytest.raises(error, match=re.escape(message)):
        AudioArrayBuffer(**kwargs)


def test_push_of_something_else(np):
    buf = AudioArrayBuffer(buffer_size=4)
    with pytest.raises(TypeError, match="expected an audio frame"):
        buf.push_frame(b"\x00\x00")  # type: ignore[arg-type]


def test_without_numpy(monkeypatch):
    monkeypatch.setitem(sys.modules, "numpy", None)  # `import numpy` raises ImportError
    with pytest.raises(
        ImportError, match=r"AudioArrayBuffer needs numpy .*install agentutils-audio\[numpy\]"
    ):
        AudioArrayBuffer(buffer_size=4)


# ---------------------------------------------------------------- against a model and upstream

_ops = st.lists(
    st.one_of(
        st.tuples(
            st.just("push"), st.integers(1, 2), st.lists(st.integers(-32768, 32767), min_size=0, max_size=12)
        ),
        st.tuples(st.just("shift"), st.integers(0, 12)),
        st.tuples(st.just("reset")),
    ),
    max_size=25,
)


def _apply(buf: object, op: tuple, frame_type: type) -> object:
    """Run one operation; return its result, or the error's type and text."""
    try:
        if op[0] == "push":
            _, channels, values = op
            values = values[: len(values) // channels * channels]
            data = array("h", values).tobytes()
            made = frame_type(
                data=bytearray(data),
                sample_rate=16000,
                num_channels=channels,
                samples_per_channel=len(values) // channels,
            )
            return buf.push_frame(made)  # type: ignore[attr-defined]
        if op[0] == "shift":
            return buf.shift(op[1])  # type: ignore[attr-defined]
        return buf.reset()  # type: ignore[attr-defined]
    except ValueError as exc:
        return ("ValueError", str(exc))


class _Model:
    """The window as a plain list, written from upstream's description."""

    def __init__(self, size: int) -> None:
        self.size, self.items = size, []

    def push_frame(self, f: AudioFrame) -> int:
        values, channels = f.data.tolist(), f.num_channels
        mono = [sum(values[i : i + channels]) // channels for i in range(0, len(values), channels)]
        if not mono:
            return 0
        if len(mono) > self.size:
            raise ValueError(f"frame samples ({len(mono)}) are greater than the buffer size ({self.size})")
        self.items = (self.items + mono)[-self.size :]
        return len(mono)

    def shift(self, n: int) -> None:
        self.items = self.items[n:]

    def reset(self) -> None:
        self.items = []


@settings(max_examples=40)
@given(size=st.integers(1, 10), ops=_ops)
def test_matches_a_list_model(size, ops):
    require("numpy")
    ours, model = AudioArrayBuffer(buffer_size=size), _Model(size)
    for op in ops:
        assert _apply(ours, op, AudioFrame) == _apply(model, op, AudioFrame)
        assert ours.read().tolist() == model.items
        assert len(ours) == len(model.items)


@settings(max_examples=40)
@given(size=st.integers(1, 10), ops=_ops)
def test_matches_upstream(size, ops):
    """livekit-agents' own AudioArrayBuffer as the oracle: same results, errors, windows."""
    require("numpy")
    upstream = require("livekit.agents.utils.audio")
    rtc = require("livekit.rtc")
    ours, theirs = AudioArrayBuffer(buffer_size=size), upstream.AudioArrayBuffer(buffer_size=size)
    for op in ops:
        assert _apply(ours, op, rtc.AudioFrame) == _apply(theirs, op, rtc.AudioFrame)
        assert ours.read().tolist() == theirs.read().tolist()
        assert len(ours) == len(theirs)


def test_resampling_matches_upstream_in_length(np):
    """Both resample 48 kHz to the buffer's 16 kHz; the counts differ only by the filters' delays."""
    upstream = require("livekit.agents.utils.audio")
    rtc = require("livekit.rtc")
    ours, theirs = AudioArrayBuffer(buffer_size=20000), upstream.AudioArrayBuffer(buffer_size=20000)
    signal = tone(48000, 48000)
    for start in range(0, len(signal), 960):
        data = bytearray(array("h", signal[start : start + 960]).tobytes())
        ours.push_frame(rtc.AudioFrame(data, 48000, 1, 960))
        theirs.push_frame(rtc.AudioFrame(data, 48000, 1, 960))
    assert 0 <= 16000 - len(ours) < 400
    assert 0 <= 16000 - len(theirs) < 400
    a, b = ours.read()[1000:15000].astype(float), theirs.read()[1000:15000].astype(float)
    assert np.max(np.abs(a)) > 11000  # the tone is there
    assert np.max(np.abs(b)) > 11000
