"""AudioResampler and resample(): the API, bad input, backend selection, chunking properties.

Signal quality (SNR, stopband, agreement between backends) is in test_resampler_quality.py.
"""

from __future__ import annotations

import doctest
import importlib
import itertools
import math
import re
import sys
import tracemalloc
from array import array
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from tests.conftest import loaded_after, require

import agentutils_audio as au
from agentutils_audio import (
    RESAMPLER_ENV_VAR,
    AudioFrame,
    AudioResampler,
    FormatMismatchError,
    NumpyResampler,
    PythonResampler,
    ResamplerClosedError,
    SoxrResampler,
    audio_resamplers,
    get_resampler_backend,
    resample,
)
from agentutils_core import (
    PluginManager,
    ProviderRegistry,
    ProviderUnavailableError,
    UnknownProviderError,
)

README = Path(__file__).resolve().parents[2] / "packages" / "audio" / "README.md"


@pytest.fixture(autouse=True)
def _no_resampler_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests start without AGENTUTILS_AUDIO_RESAMPLER, whatever the calling shell sets."""
    monkeypatch.delenv(RESAMPLER_ENV_VAR, raising=False)


def backend_names() -> list[str]:
    """Every built-in backend; those that cannot run here are skipped (failed in the full leg)."""
    return ["soxr", "numpy", "python"]


def need(backend: str) -> None:
    """Skip (or fail, in the full leg) when the backend's dependencies are missing."""
    if backend == "soxr":
        require("soxr")
        require("numpy")
    elif backend == "numpy":
        require("numpy")


def pcm(values: list[int]) -> bytes:
    return array("h", values).tobytes()


def ints(data: bytes) -> list[int]:
    out = array("h")
    out.frombytes(data)
    return out.tolist()


def noise(count: int, seed: int = 1) -> list[int]:
    """Deterministic pseudo-random int16 samples (a linear congruential generator)."""
    state, out = seed, []
    for _ in range(count):
        state = (state * 1103515245 + 12345) % (1 << 31)
        out.append((state >> 8) % 20001 - 10000)
    return out


def run_chunks(resampler: AudioResampler, data: bytes, cuts: list[int]) -> bytes:
    """Push ``data`` split at the byte offsets ``cuts``, then flush; return all output bytes."""
    out = b""
    bounds = [0, *cuts, len(data)]
    for start, end in itertools.pairwise(bounds):
        for frame in resampler.push(data[start:end]):
            out += bytes(frame.data)
    for frame in resampler.flush():
        out += bytes(frame.data)
    return out


def max_diff(a: bytes, b: bytes) -> int:
    assert len(a) == len(b)
    return max((abs(x - y) for x, y in zip(ints(a), ints(b), strict=True)), default=0)


# ---------------------------------------------------------------- the API


@pytest.mark.parametrize("backend", backend_names())
def test_bytes_in_agentutils_frames_out(backend):
    need(backend)
    resampler = AudioResampler(48000, 16000, backend=backend)
    frames = resampler.push(pcm(noise(4800))) + resampler.flush()
    assert frames
    assert all(type(f) is AudioFrame for f in frames)
    assert all((f.sample_rate, f.num_channels) == (16000, 1) for f in frames)
    assert sum(f.samples_per_channel for f in frames) == 1600


@pytest.mark.parametrize("backend", backend_names())
def test_frames_of_the_input_type_come_out(backend):
    need(backend)

    class MyFrame(AudioFrame):
        def __init__(self, data, sample_rate, num_channels, samples_per_channel):
            super().__init__(data, sample_rate, num_channels, samples_per_channel)

    resampler = AudioResampler(16000, 24000, num_channels=2, backend=backend)
    pushed = [f for _ in range(5) for f in resampler.push(MyFrame(pcm(noise(640)), 16000, 2, 320))]
    flushed = resampler.flush()
    assert pushed
    assert flushed
    assert all(
        type(f) is MyFrame and f.num_channels == 2 and f.sample_rate == 24000 for f in pushed + flushed
    )
    assert sum(f.samples_per_channel for f in pushed + flushed) == 5 * 480


@pytest.mark.parametrize("backend", backend_names())
def test_livekit_frames_in_livekit_frames_out(backend):
    need(backend)
    rtc = require("livekit.rtc")
    resampler = AudioResampler(24000, 48000, num_channels=2, backend=backend)
    frame = rtc.AudioFrame(bytearray(pcm(noise(960))), 24000, 2, 480)
    out = resampler.push(frame) + resampler.flush()
    assert out
    assert all(type(f) is rtc.AudioFrame for f in out)
    assert sum(f.samples_per_channel for f in out) == 960
    expected = resample(AudioFrame(pcm(noise(960)), 24000, 2, 480), 48000, backend=backend)
    assert b"".join(bytes(f.data) for f in out) == bytes(expected.data)


def test_livekit_quality_enum_is_accepted():
    rtc = require("livekit.rtc")
    resampler = AudioResampler(48000, 16000, quality=rtc.AudioResamplerQuality.VERY_HIGH, backend="python")
    assert resampler.quality == "very_high"


@pytest.mark.parametrize("backend", backend_names())
@pytest.mark.parametrize("num_channels", [1, 2])
def test_equal_rates_pass_samples_through(backend, num_channels):
    need(backend)
    data = pcm(noise(882 * num_channels))
    resampler = AudioResampler(44100, 44100, num_channels=num_channels, backend=backend)
    [frame] = resampler.push(bytearray(data))
    assert bytes(frame.data) == data
    assert frame.samples_per_channel == 882
    assert resampler.flush() == []
    one = resample(AudioFrame(data, 44100, num_channels, 882), 44100, backend=backend)
    assert bytes(one.data) == data


@pytest.mark.parametrize("backend", backend_names())
def test_flush_then_reuse_gives_the_same_output(backend):
    need(backend)
    data = pcm(noise(1600, seed=3))
    resampler = AudioResampler(16000, 48000, backend=backend)
    first = run_chunks(resampler, data, [320, 960])
    second = run_chunks(resampler, data, [])
    assert len(first) == 3 * len(data)
    assert max_diff(first, second) <= 1


def test_flush_of_an_empty_stream_and_empty_pushes():
    resampler = AudioResampler(48000, 16000, backend="python")
    assert resampler.flush() == []
    assert resampler.push(b"") == []
    assert resampler.push(AudioFrame(b"", 48000, 1, 0)) == []
    assert resampler.flush() == []


def test_push_accepts_int16_buffers():
    samples = noise(480)
    resampler = AudioResampler(48000, 16000, backend="python")
    out = run_chunks(resampler, bytes(memoryview(array("h", samples))), [])
    again = AudioResampler(48000, 16000, backend="python")
    assert out == b"".join(bytes(f.data) for f in again.push(array("h", samples)) + again.flush())


def test_properties_and_repr():
    resampler = AudioResampler(8000, 16000, num_channels=2, quality="low", backend="python")
    assert (resampler.input_rate, resampler.output_rate, resampler.num_channels) == (8000, 16000, 2)
    assert resampler.quality == "low"
    assert resampler.backend.name == "python"
    assert repr(resampler) == (
        "AudioResampler(input_rate=8000, output_rate=16000, num_channels=2, quality='low', backend='python')"
    )
    assert au.RESAMPLER_QUALITIES == ("quick", "low", "medium", "high", "very_high")


def test_close_and_context_manager():
    with AudioResampler(16000, 8000, backend="python") as resampler:
        assert sum(f.samples_per_channel for f in resampler.push(pcm([0] * 160))) < 80
    with pytest.raises(
        ResamplerClosedError, match="cannot push: expected an open resampler, got a closed one"
    ):
        resampler.push(pcm([0] * 160))
    with pytest.raises(
        ResamplerClosedError, match="cannot flush: expected an open resampler, got a closed one"
    ):
        resampler.flush()
    assert issubclass(ResamplerClosedError, RuntimeError)


@pytest.mark.parametrize("backend", backend_names())
@pytest.mark.parametrize(
    ("rates", "count"), [((48000, 16000), 4801), ((16000, 48000), 333), ((44100, 16000), 2205)]
)
def test_flush_length_rule(backend, rates, count):
    need(backend)
    input_rate, output_rate = rates
    resampler = AudioResampler(input_rate, output_rate, backend=backend)
    out = run_chunks(resampler, pcm(noise(count)), [2 * (count // 3)])
    assert abs(len(out) // 2 - round(count * output_rate / input_rate)) <= 1


@pytest.mark.parametrize("backend", backend_names())
@pytest.mark.parametrize("num_channels", [1, 2])
def test_resample_of_an_empty_frame(backend, num_channels):
    need(backend)
    out = resample(AudioFrame(b"", 48000, num_channels, 0), 16000, backend=backend)
    assert type(out) is AudioFrame
    assert (out.sample_rate, out.num_channels, out.samples_per_channel, bytes(out.data)) == (
        16000,
        num_channels,
        0,
        b"",
    )


def test_resample_is_push_then_flush():
    frame = AudioFrame(pcm(noise(441 * 2)), 44100, 2, 441)
    out = resample(frame, 16000, quality="medium", backend="python")
    stream = AudioResampler(44100, 16000, num_channels=2, quality="medium", backend="python")
    expected = b"".join(bytes(f.data) for f in stream.push(frame) + stream.flush())
    assert type(out) is AudioFrame
    assert bytes(out.data) == expected
    assert (out.sample_rate, out.num_channels, out.samples_per_channel) == (16000, 2, 160)


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"input_rate": 0}, ValueError, "input_rate must be a positive int (Hz), got 0"),
        ({"input_rate": 48000.0}, TypeError, "input_rate must be a positive int (Hz), got float: 48000.0"),
        ({"input_rate": True}, TypeError, "input_rate must be a positive int (Hz), got bool: True"),
        ({"output_rate": -16000}, ValueError, "output_rate must be a positive int (Hz), got -16000"),
        ({"output_rate": "16000"}, TypeError, "output_rate must be a positive int (Hz), got str: '16000'"),
        ({"num_channels": 0}, ValueError, "num_channels must be a positive int, got 0"),
        ({"num_channels": 2.0}, TypeError, "num_channels must be a positive int, got float: 2.0"),
        (
            {"quality": "best"},
            ValueError,
            "quality must be one of 'quick', 'low', 'medium', 'high', 'very_high', got 'best'",
        ),
        (
            {"quality": 3},
            TypeError,
            "quality must be one of 'quick', 'low', 'medium', 'high', 'very_high', got int",
        ),
    ],
)
def test_bad_arguments(kwargs, error, message):
    args = {"input_rate": 48000, "output_rate": 16000, **kwargs}
    input_rate, output_rate = args.pop("input_rate"), args.pop("output_rate")
    with pytest.raises(error, match=re.escape(message)):
        AudioResampler(input_rate, output_rate, **args)


@pytest.mark.parametrize("backend", ["numpy", "python"])
def test_a_ratio_too_fine_for_the_polyphase_filter(backend):
    need(backend)
    with pytest.raises(
        ValueError,
        match=re.escape(
            "cannot resample 48000 Hz to 47999 Hz at 'high' with the numpy or python resampler: expected "
            "a ratio whose reduced form (47999/48000) needs at most 2000000 filter coefficients, "
            "got 47999 phases"
        ),
    ):
        AudioResampler(48000, 47999, backend=backend)


def test_frame_of_another_rate_or_channel_count():
    resampler = AudioResampler(48000, 16000, backend="python")
    with pytest.raises(FormatMismatchError, match="sample rate mismatch: expected 48000, got 16000"):
        resampler.push(AudioFrame(pcm([0] * 160), 16000, 1, 160))
    with pytest.raises(FormatMismatchError, match="channel count mismatch: expected 1, got 2"):
        resampler.push(AudioFrame(pcm([0] * 960), 48000, 2, 480))
    assert issubclass(FormatMismatchError, ValueError)


def test_odd_length_bytes():
    resampler = AudioResampler(48000, 16000, backend="python")
    with pytest.raises(
        ValueError,
        match=re.escape("whole int16 samples for 1 channel(s): expected a multiple of 2 bytes, got 3"),
    ):
        resampler.push(b"\x00\x01\x02")
    stereo = AudioResampler(48000, 16000, num_channels=2, backend="python")
    with pytest.raises(
        ValueError,
        match=re.escape("whole int16 samples for 2 channel(s): expected a multiple of 4 bytes, got 6"),
    ):
        stereo.push(bytes(6))


def test_not_audio_data():
    resampler = AudioResampler(48000, 16000, backend="python")
    with pytest.raises(TypeError, match=r"data must be a bytes-like object .* got int"):
        resampler.push(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"data must hold 16-bit PCM: .* got 64-bit float items"):
        resampler.push(array("d", [0.5]))  # type: ignore[arg-type]


def test_resample_bad_arguments():
    frame = AudioFrame(pcm([0] * 10), 16000, 1, 10)
    with pytest.raises(ValueError, match=re.escape("output_rate must be a positive int (Hz), got 0")):
        resample(frame, 0)
    with pytest.raises(TypeError, match="expected an audio frame"):
        resample(b"\x00\x00", 16000)  # type: ignore[type-var]


# ---------------------------------------------------------------- backend selection


def test_builtins_are_registered_in_priority_order():
    assert audio_resamplers.names()[:3] == ["soxr", "numpy", "python"]
    assert [audio_resamplers.get(n).priority for n in ("soxr", "numpy", "python")] == [20, 10, 0]


def test_default_is_the_available_backend_of_highest_priority():
    expected = next(n for n in ("soxr", "numpy", "python") if audio_resamplers.availability(n)[0])
    assert get_resampler_backend().name == expected
    assert AudioResampler(48000, 16000).backend.name == expected
    assert audio_resamplers.select().reason == "priority"


def test_environment_variable_then_argument(monkeypatch):
    monkeypatch.setenv(RESAMPLER_ENV_VAR, "python")
    assert AudioResampler(48000, 16000).backend.name == "python"
    assert audio_resamplers.select().reason == "environment"
    need("numpy")
    assert AudioResampler(48000, 16000, backend="numpy").backend.name == "numpy"


def test_unknown_backend_name(monkeypatch):
    with pytest.raises(
        UnknownProviderError, match=r"unknown audio resampler 'fast'; known: .*numpy, python, soxr"
    ):
        AudioResampler(48000, 16000, backend="fast")
    monkeypatch.setenv(RESAMPLER_ENV_VAR, "fast")
    with pytest.raises(
        UnknownProviderError, match=f"'fast' \\(from environment variable {RESAMPLER_ENV_VAR}\\)"
    ):
        AudioResampler(48000, 16000)


def test_backend_of_a_wrong_type():
    with pytest.raises(TypeError, match=r"backend must be an audio resampler name .* got int"):
        AudioResampler(48000, 16000, backend=42)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="audio resampler 'half' must implement open"):
        AudioResampler(
            48000, 16000, backend=type("Half", (), {"name": "half", "priority": 0, "is_available": bool})()
        )  # type: ignore[arg-type]


def test_unavailable_backend_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "soxr", None)  # `import soxr` raises ImportError
    reason = SoxrResampler().unavailable_reason()
    assert reason is not None
    assert "install agentutils-audio[soxr]" in reason
    with pytest.raises(
        ProviderUnavailableError,
        match=r"audio resampler 'soxr' is not available: soxr is not installed .*agentutils-audio\[soxr\]",
    ):
        AudioResampler(48000, 16000, backend=SoxrResampler())
    monkeypatch.setitem(sys.modules, "numpy", None)
    assert NumpyResampler().is_available() is False
    assert "install agentutils-audio[numpy]" in (NumpyResampler().unavailable_reason() or "")
    registry = ProviderRegistry(
        "agentutils_audio_resamplers",
        kind="audio resampler",
        env_var=RESAMPLER_ENV_VAR,
        extra="agentutils-audio[soxr]",
        manager=PluginManager(entry_points=[], strict=False),
    )
    registry.manager.register(importlib.import_module("agentutils_audio.hooks"), "audio-hooks")
    assert registry.select().name == "python"  # the last resort, always there


def test_a_backend_object_is_used_directly():
    class Counting(PythonResampler):
        name = "counting"
        opened = 0

        def open(self, input_rate, output_rate, num_channels, quality):
            Counting.opened += 1
            return super().open(input_rate, output_rate, num_channels, quality)

    resampler = AudioResampler(16000, 8000, backend=Counting())
    assert resampler.backend.name == "counting"
    assert Counting.opened == 1


def test_a_plugin_provides_a_resampler(make_plugin):
    make_plugin(
        "halving",
        """
        from agentutils_core import hookimpl
        from agentutils_audio import PythonResampler

        class Halving(PythonResampler):
            name = "halving"
            priority = 5

        @hookimpl
        def agentutils_audio_resamplers():
            return [Halving()]
        """,
    )
    assert "halving" in audio_resamplers.names()
    resampler = AudioResampler(16000, 8000, backend="halving")
    assert type(resampler.backend).__name__ == "Halving"
    assert sum(f.samples_per_channel for f in resampler.push(pcm([0] * 1600)) + resampler.flush()) == 800


# ---------------------------------------------------------------- chunking properties


def _cuts(data: st.DataObject, size: int, frame_bytes: int) -> list[int]:
    points = data.draw(st.lists(st.integers(0, size // frame_bytes), max_size=12), label="cuts")
    return sorted({p * frame_bytes for p in points} - {0, size})


@settings(max_examples=15)
@given(data=st.data())
@pytest.mark.parametrize("backend", backend_names())
@pytest.mark.parametrize(
    ("rates", "num_channels"), [((8000, 16000), 1), ((48000, 16000), 2), ((44100, 16000), 1)]
)
def test_any_chunking_gives_the_one_shot_samples(backend, rates, num_channels, data):
    need(backend)
    count = 300 if backend == "python" else 2000
    samples = data.draw(
        st.sampled_from([noise(count * num_channels, seed=s) for s in (1, 2)]), label="signal"
    )
    raw = pcm(samples)
    whole = run_chunks(
        AudioResampler(*rates, num_channels=num_channels, quality="low", backend=backend), raw, []
    )
    cuts = _cuts(data, len(raw), 2 * num_channels)
    chunked = run_chunks(
        AudioResampler(*rates, num_channels=num_channels, quality="low", backend=backend), raw, cuts
    )
    assert max_diff(whole, chunked) <= 1


@pytest.mark.parametrize("backend", backend_names())
def test_long_silence_never_resets_the_state(backend):
    """A tone, 1.5 s of silence in 20 ms pushes, a tone: what one push of it all gives."""
    need(backend)
    rate = 16000
    quality = "quick" if backend == "python" else "high"  # the python backend is slow
    tone = [round(16384 * math.sin(2 * math.pi * 1000 * i / rate)) for i in range(1600)]
    raw = pcm(tone + [0] * (3 * rate // 2) + tone)
    resampler = AudioResampler(rate, 48000, quality=quality, backend=backend)
    streamed = run_chunks(resampler, raw, list(range(640, len(raw), 640)))
    whole = run_chunks(AudioResampler(rate, 48000, quality=quality, backend=backend), raw, [])
    assert max_diff(streamed, whole) <= 1
    # The second tone comes out as loud as the first: nothing was reset or muted.
    out = ints(streamed)
    first, second = out[600:4200], out[-4200:-600]
    assert max(first) > 16000
    assert max(second) > 16000


class ResamplerLifecycle(RuleBasedStateMachine):
    """push, flush, close in any order: each stream between flushes gives its one-shot samples."""

    def __init__(self) -> None:
        super().__init__()
        self.resampler = AudioResampler(16000, 24000, num_channels=2, quality="quick", backend="python")
        self.pushed = b""  # input since the last flush
        self.output = b""  # output since the last flush
        self.closed = False

    @precondition(lambda self: not self.closed)
    @rule(count=st.integers(0, 200), seed=st.integers(1, 5), as_frame=st.booleans())
    def push(self, count, seed, as_frame):
        data = pcm(noise(2 * count, seed=seed))
        item = AudioFrame(data, 16000, 2, count) if as_frame else data
        self.output += b"".join(bytes(f.data) for f in self.resampler.push(item))
        self.pushed += data

    @precondition(lambda self: not self.closed)
    @rule()
    def flush(self):
        self.output += b"".join(bytes(f.data) for f in self.resampler.flush())
        frames = len(self.pushed) // 4
        assert abs(len(self.output) // 4 - round(frames * 24000 / 16000)) <= 1
        if frames:
            whole = resample(
                AudioFrame(self.pushed, 16000, 2, frames), 24000, quality="quick", backend="python"
            )
            assert max_diff(self.output, bytes(whole.data)) <= 1
        self.pushed, self.output = b"", b""

    @rule()
    def close(self):
        self.resampler.close()
        self.closed = True

    @precondition(lambda self: self.closed)
    @rule()
    def use_after_close(self):
        with pytest.raises(ResamplerClosedError, match="expected an open resampler, got a closed one"):
            self.resampler.push(b"")
        with pytest.raises(ResamplerClosedError, match="expected an open resampler, got a closed one"):
            self.resampler.flush()

    @invariant()
    def output_never_runs_ahead(self):
        # Outputs come out only once their whole window is in: never more than the input holds.
        assert len(self.output) // 4 <= round(len(self.pushed) // 4 * 24000 / 16000) + 1


TestResamplerLifecycle = ResamplerLifecycle.TestCase
TestResamplerLifecycle.settings = settings(max_examples=40, stateful_step_count=15)


# ---------------------------------------------------------------- resources


def _peak_bytes(call: object) -> int:
    """The peak of memory traced (numpy's arrays included) while ``call()`` runs."""
    tracemalloc.start()
    try:
        call()  # type: ignore[operator]
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize(
    ("rates", "num_channels"), [((8000, 16000), 1), ((16000, 48000), 2), ((44100, 16000), 1)]
)
def test_numpy_memory_of_a_long_push_is_proportional_to_its_samples(rates, num_channels):
    """One push of 10 s (resample() of a whole clip) holds a few copies of its samples, not samples x taps.

    Copying every output's window of inputs at once took 300 bytes per input byte at
    8 -> 16 kHz (an hour of audio: tens of gigabytes).
    """
    need("numpy")
    resampler = AudioResampler(*rates, num_channels=num_channels, backend="numpy")
    data = bytes(2 * num_channels * rates[0] * 10)
    out_bytes = len(data) * rates[1] // rates[0]
    peak = _peak_bytes(lambda: resampler.push(data))
    assert peak < 8 * (len(data) + out_bytes) + (4 << 20)


def test_python_memory_of_a_long_push_is_proportional_to_its_samples():
    """The python backend holds one block of windows at a time, not a list of every output's.

    Its samples are floats in lists (16 bytes per input byte); the windows and values of
    all outputs at once took about 130 bytes per input byte.
    """
    resampler = AudioResampler(8000, 16000, quality="quick", backend="python")
    data = bytes(2 * 8000)  # 16000 outputs: 4 blocks
    peak = _peak_bytes(lambda: resampler.push(data))
    assert peak < 24 * len(data) + (1 << 20)
    # Stereo outputs of many blocks interleave as those of small pushes do.
    stereo = pcm(noise(2 * 3000, seed=4))
    blocks = run_chunks(
        AudioResampler(16000, 24000, num_channels=2, quality="quick", backend="python"), stereo, []
    )
    small = run_chunks(
        AudioResampler(16000, 24000, num_channels=2, quality="quick", backend="python"),
        stereo,
        list(range(400, len(stereo), 400)),
    )
    assert len(blocks) == 4 * 4500
    assert blocks == small


def test_numpy_memory_of_a_ratio_near_one():
    """4000 -> 4001 Hz (4001 phases of 36 taps): the filter, not a 4001 x 4036 matrix of it."""
    need("numpy")
    from agentutils_audio.resamplers._design import design

    d = design(4000, 4001, "quick")  # the python design, cached: not what is measured
    peak = _peak_bytes(lambda: AudioResampler(4000, 4001, quality="quick", backend="numpy").push(bytes(160)))
    assert peak < 8 * d.up * d.taps + (2 << 20)
    # The same samples as the python backend's, in any chunking.
    data = pcm(noise(2 * 3000, seed=5))
    args = (4000, 4001)
    kwargs = {"num_channels": 2, "quality": "quick"}
    numpy_out = run_chunks(AudioResampler(*args, **kwargs, backend="numpy"), data, [4, 2220, 5000])
    python_out = run_chunks(AudioResampler(*args, **kwargs, backend="python"), data, [])
    assert len(numpy_out) // 4 == 3001
    assert max_diff(numpy_out, python_out) <= 1


@pytest.mark.parametrize("backend", ["numpy", "python"])
@pytest.mark.parametrize("rates", [(48000, 16000), (44100, 48000), (16000, 44100), (7, 3)])
def test_held_input_stays_bounded_over_a_long_stream(backend, rates):
    """The stream keeps at most one filter window and one cycle of inputs, however long it runs."""
    need(backend)
    resampler = AudioResampler(*rates, quality="quick", backend=backend)
    stream = resampler._stream
    held = []
    for size in itertools.islice(itertools.cycle([1, 37, 3, 441, 2, 1000]), 120):
        resampler.push(bytes(2 * size))
        buffer = stream._buffer.shape[1] if backend == "numpy" else len(stream._channels[0])  # type: ignore[union-attr]
        held.append((buffer, stream._received, stream._next))  # type: ignore[union-attr]
    d = stream._design  # type: ignore[union-attr]
    assert max(h[0] for h in held) <= d.taps + d.down
    assert max(h[1] for h in held) <= d.taps + d.down
    assert max(h[2] for h in held) < d.up


# ---------------------------------------------------------------- docs


@pytest.mark.parametrize("module", ["resampler", "array_buffer"])
def test_docstring_examples(module):
    if module == "array_buffer":
        require("numpy")
    mod = importlib.import_module(f"agentutils_audio.{module}")
    result = doctest.testmod(mod, extraglobs={"AudioFrame": AudioFrame}, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


def test_importing_the_kind_module_imports_no_optional_dependency():
    code = "import agentutils_audio.resampler_registry, agentutils_audio.resamplers"
    assert loaded_after(code, ["numpy", "soxr", "livekit"]) == []


def test_large_filter_designs_are_cached_two_at_a_time():
    # A design of ~2M coefficients holds ~64 MB of floats: the small-design cache's 64
    # entries would hold GBs of them. Large designs get a cache of their own, of 2.
    from agentutils_audio.resamplers import _design

    _design._design_large.cache_clear()
    small_before = _design._design_small.cache_info().currsize
    for output_rate in (8001, 8003, 8009):  # coprime with 8000: thousands of phases each
        table = _design.design(8000, output_rate, "quick")
        assert table.up * table.taps > _design.SMALL_DESIGN
    assert _design._design_large.cache_info().currsize == 2
    assert _design._design_small.cache_info().currsize == small_before
    assert (
        _design.design(8000, 16000, "quick").up * _design.design(8000, 16000, "quick").taps
        <= _design.SMALL_DESIGN
    )
