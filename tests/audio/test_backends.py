from __future__ import annotations

import math
import struct
import sys
from array import array

import pytest
from hypothesis import given, settings, strategies as st

import agentutils_audio as au
from agentutils_audio import (
    AudioFrame,
    AudioLevels,
    FormatMismatchError,
    NumpyBackend,
    PythonBackend,
    apply_gain,
    audio_backends,
    frame_levels,
    get_backend,
    mix_frames,
    remix_frame,
)
from agentutils_core import (
    PluginManager,
    PluginWarning,
    ProviderRegistry,
    ProviderUnavailableError,
    UnknownProviderError,
    hookimpl,
)


def frame_of(samples: list[int], channels: int = 1, rate: int = 16000) -> AudioFrame:
    return AudioFrame(array("h", samples).tobytes(), rate, channels, len(samples) // channels)


def values(frame: AudioFrame) -> list[int]:
    return frame.data.tolist()


# ---------------------------------------------------------------- naive references
# Written sample by sample with struct, independently of both backends.


def unpack(data: bytes) -> list[int]:
    return list(struct.unpack(f"<{len(data) // 2}h", data))


def clamp(v: int) -> int:
    return max(-32768, min(32767, v))


def naive_mix(blocks: list[list[int]], gains: list[float] | None) -> list[int]:
    out = []
    for i in range(len(blocks[0])):
        if gains is None:
            out.append(clamp(sum(b[i] for b in blocks)))
        else:
            acc = blocks[0][i] * gains[0]
            for b, g in zip(blocks[1:], gains[1:], strict=True):
                acc = acc + b[i] * g
            out.append(clamp(round(acc)))
    return out


def naive_gain(samples: list[int], db: float) -> list[int]:
    factor = 10.0 ** (db / 20.0)
    return [clamp(round(s * factor)) for s in samples]


def naive_remix(samples: list[int], cin: int, cout: int) -> list[int]:
    if cin == cout:
        return list(samples)
    if cin == 1:
        return [s for s in samples for _ in range(cout)]
    return [math.floor(sum(samples[i : i + cin]) / cin) for i in range(0, len(samples), cin)]


def naive_levels(samples: list[int]) -> AudioLevels:
    if not samples or not any(samples):
        return AudioLevels(-math.inf, -math.inf)
    rms = math.sqrt(sum(s * s for s in samples) / len(samples))
    peak = max(abs(s) for s in samples)
    return AudioLevels(20 * math.log10(rms / 32768), 20 * math.log10(peak / 32768))


# ---------------------------------------------------------------- strategies

sample = st.integers(-32768, 32767)
edgy = st.one_of(sample, st.sampled_from([-32768, 32767, 0, -1, 1]))
gain_factor = st.floats(-4, 4, allow_nan=False, allow_infinity=False) | st.sampled_from([0.5, 1.5, -1.0])


@st.composite
def mix_case(draw):
    n = draw(st.integers(1, 4))
    length = draw(st.integers(0, 40))
    blocks = [draw(st.lists(edgy, min_size=length, max_size=length)) for _ in range(n)]
    gains = draw(st.none() | st.lists(gain_factor, min_size=n, max_size=n))
    return blocks, gains


def _backends() -> list[object]:
    found: list[object] = [PythonBackend()]
    if NumpyBackend().is_available():
        found.append(NumpyBackend())
    return found


# ---------------------------------------------------------------- properties


@settings(max_examples=80)
@given(mix_case())
def test_mix_matches_the_naive_reference_on_every_backend(case):
    blocks, gains = case
    expected = naive_mix(blocks, gains)
    for backend in _backends():
        out = mix_frames([frame_of(b) for b in blocks], gains=gains, backend=backend)
        assert values(out) == expected, backend


@settings(max_examples=80)
@given(st.lists(edgy, max_size=60), st.floats(-60, 40, allow_nan=False) | st.sampled_from([6.0, -6.0, 0.0]))
def test_gain_matches_the_naive_reference_on_every_backend(samples, db):
    expected = naive_gain(samples, db)
    for backend in _backends():
        assert values(apply_gain(frame_of(samples), db, backend=backend)) == expected, backend


@st.composite
def remix_case(draw):
    cin, cout = draw(st.sampled_from([(1, 1), (1, 2), (2, 1), (1, 3), (3, 1), (2, 2), (6, 1)]))
    n = draw(st.integers(0, 15))
    samples = draw(st.lists(edgy, min_size=n * cin, max_size=n * cin))
    return samples, cin, cout


@settings(max_examples=80)
@given(remix_case())
def test_remix_matches_the_naive_reference_on_every_backend(case):
    samples, cin, cout = case
    expected = naive_remix(samples, cin, cout)
    for backend in _backends():
        out = remix_frame(frame_of(samples, cin), cout, backend=backend)
        assert values(out) == expected, backend
        assert out.num_channels == cout
        assert out.samples_per_channel == len(samples) // cin


@settings(max_examples=80)
@given(st.lists(edgy, max_size=60))
def test_levels_match_the_naive_reference_on_every_backend(samples):
    expected = naive_levels(samples)
    results = {type(b).__name__: frame_levels(frame_of(samples), backend=b) for b in _backends()}
    # Both backends compute from exact integer sums, so they agree exactly ...
    assert len(set(results.values())) == 1
    got = next(iter(results.values()))
    # ... and the naive float reference agrees to rounding.
    for name in ("rms_dbfs", "peak_dbfs"):
        want, have = getattr(expected, name), getattr(got, name)
        assert have == want or math.isclose(have, want, rel_tol=1e-12, abs_tol=1e-12)


# ---------------------------------------------------------------- examples


def test_mix_saturates():
    out = mix_frames([frame_of([30000, -30000, 5]), frame_of([30000, -30000, 6])], backend="python")
    assert values(out) == [32767, -32768, 11]


def test_mix_of_one_frame_copies_it():
    assert values(mix_frames([frame_of([1, -2])])) == [1, -2]


def test_gain_examples():
    assert values(apply_gain(frame_of([1000, -1000, 32767]), 0.0)) == [1000, -1000, 32767]
    assert values(apply_gain(frame_of([16384, -16384]), 20.0)) == [32767, -32768]
    assert values(apply_gain(frame_of([3, -3]), -6.020599913279624)) == [2, -2]  # 1.5 → 2 (half to even)


def test_levels_examples():
    assert frame_levels(frame_of([])) == AudioLevels(-math.inf, -math.inf)
    assert frame_levels(frame_of([0, 0])) == AudioLevels(-math.inf, -math.inf)
    full = frame_levels(frame_of([-32768, -32768]))
    assert full == AudioLevels(0.0, 0.0)
    half = frame_levels(frame_of([16384, -16384]))
    assert half.peak_dbfs == pytest.approx(-6.0206, abs=1e-4)
    assert half.rms_dbfs == pytest.approx(-6.0206, abs=1e-4)


def test_remix_examples():
    assert values(remix_frame(frame_of([1, 2]), 2)) == [1, 1, 2, 2]
    assert values(remix_frame(frame_of([1, 2, -3, 0], 2), 1)) == [1, -2]  # floor(-1.5) = -2


@pytest.mark.parametrize("backend", ["python", "numpy"])
def test_ops_read_only_the_declared_samples_of_a_resized_bytearray(backend, builtin_backends):
    if backend not in builtin_backends:
        pytest.importorskip("numpy")
    buf = bytearray(array("h", [1000, -1000]).tobytes())
    frame = au.AudioFrame(buf, 48000, 1, 2)
    buf.extend(array("h", [32767]).tobytes())  # grown by its owner after the frame was built
    assert list(au.apply_gain(frame, 0.0, backend=backend).data) == [1000, -1000]
    assert au.frame_levels(frame, backend=backend).peak_dbfs < -30
    del buf[2:]  # and shrunk
    with pytest.raises(ValueError, match=r"frame data is too short: expected at least 4 bytes .* got 2"):
        au.apply_gain(frame, 0.0, backend=backend)


def test_ops_keep_the_type_and_format(make_frame):
    frame = make_frame([1, 2, 3, 4], sample_rate=8000, num_channels=2)
    for out in (apply_gain(frame, 1.0), mix_frames([frame, frame]), remix_frame(frame, 2)):
        assert type(out) is AudioFrame
        assert (out.sample_rate, out.num_channels, out.samples_per_channel) == (8000, 2, 2)


def test_silence_helpers():
    silent = au.silence_frame(0.01, 48000, 2)
    assert (silent.samples_per_channel, silent.num_channels) == (480, 2)
    assert not any(silent.data)
    like = au.silence_frame_like(frame_of([5, 6, 7], rate=8000))
    assert (like.sample_rate, like.samples_per_channel, values(like)) == (8000, 3, [0, 0, 0])


class TestBadInput:
    def test_mix_without_frames(self):
        with pytest.raises(ValueError, match="mix_frames needs at least one frame, got none"):
            mix_frames([])

    @pytest.mark.parametrize(
        ("value", "name"), [(frame_of([1]), "AudioFrame"), (3, "int"), (b"\x00\x00", "bytes")]
    )
    def test_mix_not_an_iterable_of_frames(self, value, name):
        with pytest.raises(TypeError, match=f"mix_frames expects an iterable of frames, got {name}"):
            mix_frames(value)

    def test_mix_length_mismatch(self):
        with pytest.raises(FormatMismatchError, match="samples_per_channel mismatch: expected 2, got 1"):
            mix_frames([frame_of([1, 2]), frame_of([1])])

    def test_mix_rate_mismatch(self):
        with pytest.raises(FormatMismatchError, match="sample rate mismatch: expected 16000, got 8000"):
            mix_frames([frame_of([1]), frame_of([1], rate=8000)])

    def test_mix_channel_mismatch(self):
        with pytest.raises(FormatMismatchError, match="channel count mismatch: expected 1, got 2"):
            mix_frames([frame_of([1, 2]), frame_of([1, 2, 3, 4], channels=2)])

    def test_mix_gain_count(self):
        with pytest.raises(ValueError, match=r"expected one gain per frame \(2\), got 1"):
            mix_frames([frame_of([1]), frame_of([1])], gains=[1.0])

    @pytest.mark.parametrize("gain", [math.nan, math.inf])
    def test_mix_gain_not_finite(self, gain):
        with pytest.raises(ValueError, match=f"gain must be finite, got {gain}"):
            mix_frames([frame_of([1])], gains=[gain])

    def test_mix_gain_not_a_number(self):
        with pytest.raises(TypeError, match="gain must be a real number, got str"):
            mix_frames([frame_of([1])], gains=["1"])  # type: ignore[list-item]

    def test_gain_db_not_finite(self):
        with pytest.raises(ValueError, match="gain_db must be finite, got -inf"):
            apply_gain(frame_of([1]), -math.inf)

    def test_gain_db_not_a_number(self):
        with pytest.raises(TypeError, match="gain_db must be a real number, got NoneType"):
            apply_gain(frame_of([1]), None)  # type: ignore[arg-type]

    def test_remix_unsupported(self):
        with pytest.raises(ValueError, match="unsupported remix: expected 1→N, N→1 or N→N channels, got 2→3"):
            remix_frame(frame_of([1, 2], channels=2), 3)

    @pytest.mark.parametrize("backend", [PythonBackend(), NumpyBackend()])
    def test_backend_remix_unsupported(self, backend):
        if not backend.is_available():
            pytest.skip("numpy is not installed")
        with pytest.raises(ValueError, match="got 2→3"):
            backend.remix(b"\x00" * 4, 2, 3)

    def test_remix_bad_channel_count(self):
        with pytest.raises(ValueError, match="num_channels must be a positive int, got 0"):
            remix_frame(frame_of([1]), 0)
        with pytest.raises(TypeError, match="num_channels must be a positive int, got float"):
            remix_frame(frame_of([1]), 2.0)  # type: ignore[arg-type]

    def test_not_a_frame(self):
        with pytest.raises(TypeError, match=r"expected an audio frame .*got bytes"):
            frame_levels(b"\x00\x00")  # type: ignore[arg-type]

    def test_silence_bad_duration(self):
        with pytest.raises(ValueError, match="duration must be 0 or more, got -1"):
            au.silence_frame(-1, 8000)
        with pytest.raises(TypeError, match="sample_rate must be a positive int \\(Hz\\), got float"):
            au.silence_frame(1, 8000.0)  # type: ignore[arg-type]


# ---------------------------------------------------------------- selection


def test_builtin_backends_are_registered_through_the_entry_point(builtin_backends):
    for name in ("python", "numpy"):
        entry = next(e for e in audio_backends.entries() if e.name == name)
        assert entry.plugin.distribution == "agentutils-audio"
        assert entry.plugin.value == "agentutils_audio.hooks"
    assert get_backend().name == builtin_backends[-1]  # numpy wins by priority when present


def test_argument_then_environment_then_priority(monkeypatch, builtin_backends):
    monkeypatch.setenv(au.BACKEND_ENV_VAR, "python")
    assert get_backend().name == "python"
    assert audio_backends.select().reason == "environment"
    assert get_backend("python").name == "python"
    assert audio_backends.select("python").reason == "argument"
    monkeypatch.delenv(au.BACKEND_ENV_VAR)
    assert audio_backends.select().reason == "priority"


def test_backend_object_is_used_directly():
    class Recording(PythonBackend):
        name = "recording"

        def __init__(self) -> None:
            self.seen: list[str] = []

        def combine(self, buffers):
            self.seen.append("combine")
            return super().combine(buffers)

    backend = Recording()
    out = au.combine_frames([frame_of([1]), frame_of([2])], backend=backend)
    assert values(out) == [1, 2]
    assert backend.seen == ["combine"]


def test_unknown_backend_lists_the_known_ones():
    with pytest.raises(UnknownProviderError, match=r"unknown audio backend 'nope'; known: .*numpy, python"):
        au.combine_frames([frame_of([1]), frame_of([2])], backend="nope")


def test_unknown_backend_from_the_environment(monkeypatch):
    monkeypatch.setenv(au.BACKEND_ENV_VAR, "nope")
    with pytest.raises(
        UnknownProviderError, match=r"'nope' \(from environment variable AGENTUTILS_AUDIO_BACKEND\)"
    ):
        mix_frames([frame_of([1])])


def test_backend_argument_of_the_wrong_type():
    with pytest.raises(TypeError, match=r"backend must be an audio backend name .*, got int"):
        apply_gain(frame_of([1]), 1.0, backend=3)  # type: ignore[arg-type]


def test_backend_object_missing_operations():
    class Half:
        name = "half"
        priority = 0

        def is_available(self) -> bool:
            return True

        def combine(self, buffers):
            return b"".join(buffers)

    with pytest.raises(TypeError, match="audio backend 'half' must implement mix, apply_gain, remix, levels"):
        apply_gain(frame_of([1]), 1.0, backend=Half())  # type: ignore[arg-type]


def test_unavailable_backend_object(monkeypatch):
    monkeypatch.setattr(NumpyBackend, "is_available", lambda self: False)
    monkeypatch.setattr(
        NumpyBackend, "unavailable_reason", "numpy is not installed; install agentutils-audio[numpy]"
    )
    with pytest.raises(
        ProviderUnavailableError, match=r"audio backend 'numpy' is not available: numpy is not installed"
    ):
        apply_gain(frame_of([1]), 1.0, backend=NumpyBackend())


# Both of the member's kinds, checked the same way: the valid built-in is kept, the object
# that is no provider is skipped with a warning naming what it lacks.
KINDS = {
    "audio backend": (
        "agentutils_audio_backends",
        au.BACKEND_ENV_VAR,
        au.backend._check_backend,
        PythonBackend,
    ),
    "audio resampler": (
        "agentutils_audio_resamplers",
        au.RESAMPLER_ENV_VAR,
        au.resampler_registry._check_resampler,
        au.PythonResampler,
    ),
}


@pytest.mark.parametrize("kind", KINDS)
def test_invalid_providers_from_a_plugin_are_skipped_with_a_warning(kind):
    hook, env_var, check, provider = KINDS[kind]

    class Plugin:
        @hookimpl(specname=hook)
        def provide(self):
            return [provider(), object()]

    manager = PluginManager(entry_points=[], strict=False)
    manager.register(Plugin(), "test-plugin")
    registry = ProviderRegistry(hook, kind=kind, env_var=env_var, check=check, manager=manager)
    with pytest.warns(PluginWarning, match=f"{kind} must have a non-empty str 'name', got None"):
        assert registry.names() == ["python"]


def test_numpy_backend_without_numpy(monkeypatch):
    """With numpy not importable, the numpy backend reports itself unavailable, and why."""
    from agentutils_audio.backends import numpy_backend

    monkeypatch.setitem(sys.modules, "numpy", None)  # makes `import numpy` raise ImportError
    monkeypatch.setattr(numpy_backend, "_np", None)
    backend = NumpyBackend()
    assert backend.is_available() is False
    assert "install agentutils-audio[numpy]" in (backend.unavailable_reason or "")
    with pytest.raises(
        ProviderUnavailableError,
        match=r"'numpy' is not available: numpy is not installed .*agentutils-audio\[numpy\]",
    ):
        get_backend(NumpyBackend())


def test_without_numpy_the_default_is_python(monkeypatch):
    pytest.importorskip("numpy")  # in the minimal leg the default is python anyway (test below)
    from agentutils_audio.backends import numpy_backend

    monkeypatch.setitem(sys.modules, "numpy", None)
    monkeypatch.setattr(numpy_backend, "_np", None)
    registry = ProviderRegistry(
        "agentutils_audio_backends",
        kind="audio backend",
        env_var=au.BACKEND_ENV_VAR,
        check=au.backend._check_backend,
    )
    assert registry.select().name == "python"
    with pytest.raises(
        ProviderUnavailableError, match=r"audio backend 'numpy' is not available: numpy is not installed"
    ):
        registry.select("numpy")


def test_minimal_environment_runs_on_python():
    if NumpyBackend().is_available():
        pytest.skip("numpy is installed")
    assert get_backend().name == "python"
    assert "agentutils-audio[numpy]" in (NumpyBackend().unavailable_reason or "")
    with pytest.raises(ProviderUnavailableError, match=r"agentutils-audio\[numpy\]"):
        get_backend("numpy")
