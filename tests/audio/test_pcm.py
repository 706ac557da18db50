"""Audio data enters through one path: buffers measured in bytes, only bytes or int16 items."""

from __future__ import annotations

import io
import sys
from array import array
from types import SimpleNamespace

import pytest
from hypothesis import given, strategies as st
from tests.conftest import require

from agentutils_audio import (
    AudioByteStream,
    AudioFrame,
    apply_gain,
    combine_frames,
    frame_levels,
    mix_frames,
    read_wav,
    to_pcm16,
    write_wav,
)

SAMPLES = [1, -2, 300, -32768, 32767, 0, 5, -6]
PAYLOAD = array("h", SAMPLES).tobytes()  # 16 bytes, native int16


def _frame_like(data: object, size: int) -> SimpleNamespace:
    return SimpleNamespace(data=data, sample_rate=8000, num_channels=1, samples_per_channel=size // 2)


def _via_frame(data: object, size: int) -> bytes:
    return bytes(AudioFrame(data, 8000, 1, size // 2).data)


def _via_stream(data: object, size: int) -> bytes:
    stream = AudioByteStream(8000, 1, samples_per_channel=3)
    return b"".join(bytes(f.data) for f in stream.push(data) + stream.flush())


def _via_combine(data: object, size: int) -> bytes:
    frame = _frame_like(data, size)
    return bytes(combine_frames([frame, frame]).data)[:size]


def _via_mix(data: object, size: int) -> bytes:
    return bytes(mix_frames([_frame_like(data, size)], backend="python").data)


def _via_gain(data: object, size: int) -> bytes:
    return bytes(apply_gain(_frame_like(data, size), 0.0, backend="python").data)


def _via_levels(data: object, size: int) -> bytes:
    frame_levels(_frame_like(data, size))
    return bytes(data)[:size]  # type: ignore[call-overload]


def _via_wav(data: object, size: int) -> bytes:
    out = io.BytesIO()
    write_wav(out, _frame_like(data, size))
    out.seek(0)
    return b"".join(bytes(f.data) for f in read_wav(out))


# Every API that takes audio data, directly or as a frame-like object's ``data``.
INGEST = {
    "AudioFrame": _via_frame,
    "AudioByteStream.push": _via_stream,
    "combine_frames": _via_combine,
    "mix_frames": _via_mix,
    "apply_gain": _via_gain,
    "frame_levels": _via_levels,
    "write_wav": _via_wav,
}


def _accepted_stdlib() -> list[object]:
    byte_view = memoryview(PAYLOAD)
    return [
        PAYLOAD,
        bytearray(PAYLOAD),
        byte_view,
        byte_view.cast("b"),
        byte_view.cast("c"),
        byte_view.cast("h"),
        byte_view.cast("h", (4, 2)),  # 2-D: len() is 4 rows, the size is 16 bytes
        byte_view.cast("B", (2, 8)),
        array("h", SAMPLES),
        array("b", PAYLOAD),
        array("B", PAYLOAD),
    ]


@pytest.mark.parametrize("api", INGEST)
@pytest.mark.parametrize("data", _accepted_stdlib(), ids=lambda d: f"{type(d).__name__}")
def test_bytes_and_int16_buffers_of_any_shape_are_measured_in_bytes(api, data):
    assert INGEST[api](data, len(PAYLOAD)) == PAYLOAD


@pytest.mark.parametrize("api", INGEST)
@pytest.mark.parametrize("dtype", ["int8", "uint8", "int16", "=i2"])
@pytest.mark.parametrize("shape", [(-1,), (-1, 2), (1, -1), (2, 2, -1)])
def test_numpy_arrays_of_bytes_or_int16_of_any_shape(api, dtype, shape):
    np = require("numpy")
    flat = np.frombuffer(PAYLOAD, dtype=dtype)
    assert INGEST[api](flat.reshape(shape), len(PAYLOAD)) == PAYLOAD


def _refused_stdlib() -> list[tuple[object, str]]:
    return [
        (array("f", [0.5] * 4), "32-bit float items"),
        (array("d", [0.5] * 2), "64-bit float items"),
        (array("i", [1] * 4), "signed 32-bit integer items"),
        (array("q", [1] * 2), "signed 64-bit integer items"),
        (array("H", [1] * 8), "unsigned 16-bit integer items"),
        (array("I", [1] * 4), "unsigned 32-bit integer items"),
        (memoryview(PAYLOAD).cast("f"), "32-bit float items"),
        (memoryview(PAYLOAD).cast("H", (2, 4)), "unsigned 16-bit integer items"),
    ]


@pytest.mark.parametrize("api", INGEST)
@pytest.mark.parametrize(("data", "kind"), _refused_stdlib(), ids=lambda v: str(v)[:20])
def test_other_items_are_not_pcm16(api, data, kind):
    with pytest.raises(TypeError, match=rf"must hold 16-bit PCM.*got {kind}.*not PCM16.*to_pcm16\(\)"):
        INGEST[api](data, 16)


@pytest.mark.parametrize("api", INGEST)
@pytest.mark.parametrize(
    ("dtype", "kind"),
    [
        ("float32", "32-bit float"),
        ("float64", "64-bit float"),
        ("float16", "16-bit float"),
        ("int32", "signed 32-bit integer"),
        ("int64", "signed 64-bit integer"),
        ("uint16", "unsigned 16-bit integer"),
        (">i2" if sys.byteorder == "little" else "<i2", "int16 items of the other byte order"),
    ],
)
def test_numpy_arrays_that_are_not_pcm16(api, dtype, kind):
    np = require("numpy")
    data = np.zeros((4, 2), dtype=dtype)
    with pytest.raises(TypeError, match=rf"must hold 16-bit PCM.*got {kind}.*not PCM16.*to_pcm16\(\)"):
        INGEST[api](data, data.nbytes)


@pytest.mark.parametrize("api", INGEST)
def test_non_contiguous_buffers_are_refused(api):
    strided = memoryview(array("h", SAMPLES * 2))[::2]
    with pytest.raises(ValueError, match=r"must be a C-contiguous buffer .*non-contiguous memoryview"):
        INGEST[api](strided, len(PAYLOAD))


@pytest.mark.parametrize("api", INGEST)
@pytest.mark.parametrize("kind", ["strided", "fortran"])
def test_non_contiguous_numpy_arrays_are_refused(api, kind):
    np = require("numpy")
    base = np.arange(16, dtype=np.int16).reshape(4, 4)
    data = base[:, ::2] if kind == "strided" else np.asfortranarray(base[:, :2])
    with pytest.raises(ValueError, match=r"must be a C-contiguous buffer .*non-contiguous ndarray"):
        INGEST[api](data, 16)


@pytest.mark.parametrize("api", INGEST)
def test_empty_arrays_of_any_shape(api):
    np = require("numpy")
    assert INGEST[api](np.zeros((3, 0), dtype=np.int16), 0) == b""


class TestToPcm16:
    def test_floats_are_scaled_rounded_half_to_even_and_saturated(self):
        values = [0.0, 0.5, -0.5, 1.0, -1.0, 2.0, -2.0, 1.5 / 32767, 2.5 / 32767, float("inf"), -float("inf")]
        expected = [0, 16384, -16384, 32767, -32767, 32767, -32768, 2, 2, 32767, -32768]
        assert array("h", to_pcm16(values)).tolist() == expected
        assert to_pcm16(array("d", values)) == to_pcm16(values)
        assert to_pcm16(memoryview(array("f", [0.25, -0.25]))) == array("h", [8192, -8192]).tobytes()

    def test_wider_integers_keep_their_full_scale(self):
        data = array("i", [2**31 - 1, -(2**31), 65536, -1, 0])
        assert array("h", to_pcm16(data)).tolist() == [32767, -32768, 1, -1, 0]
        assert array("h", to_pcm16(array("q", [2**63 - 1, -(2**48)]))).tolist() == [32767, -1]

    def test_pcm16_passes_through(self):
        assert to_pcm16(array("h", SAMPLES)) == PAYLOAD
        assert to_pcm16(PAYLOAD) == PAYLOAD

    @pytest.mark.parametrize("dtype", ["float16", "float32", "float64", "int32", "int64", "int16"])
    def test_numpy_agrees_with_the_stdlib_path(self, dtype):
        np = require("numpy")
        if dtype.startswith("float"):
            values = [0.0, 0.5, -0.5, 1.0, -1.0, 2.0, -2.0, 0.123, -0.777]
        else:
            info = np.iinfo(dtype)
            values = [0, 1, -1, int(info.max), int(info.min), 12345, -54321 % int(info.max)]
        arr = np.array(values, dtype=dtype)
        assert to_pcm16(arr.reshape(-1, 1)) == to_pcm16(memoryview(arr.copy()))
        assert AudioFrame(to_pcm16(arr), 8000, 1, len(values)).samples_per_channel == len(values)

    @given(st.lists(st.floats(allow_nan=False, width=32), max_size=50))
    def test_any_float32_signal_converts_within_range(self, values):
        out = array("h", to_pcm16(array("f", values))).tolist()
        assert len(out) == len(values)
        for x, y in zip(values, out, strict=True):
            assert y == max(-32768, min(32767, round(x * 32767.0))) if abs(x) < 2 else abs(y) >= 32767

    def test_nan_is_refused(self):
        with pytest.raises(ValueError, match="to_pcm16: a float sample is NaN"):
            to_pcm16([0.0, float("nan")])

    @pytest.mark.parametrize(
        ("value", "message"),
        [
            (array("H", [1]), r"converts float or signed integer samples, got items of format 'H'"),
            ([1, 2], r"expects float samples in a sequence, got int; pass int16 samples as array\('h'"),
            ("abc", r"expects a buffer .* or a sequence of floats, got str"),
        ],
    )
    def test_bad_input(self, value, message):
        with pytest.raises(TypeError, match=message):
            to_pcm16(value)

    def test_non_contiguous_is_refused(self):
        with pytest.raises(ValueError, match="to_pcm16 expects a C-contiguous buffer, got a non-contiguous"):
            to_pcm16(memoryview(array("d", [0.0] * 4))[::2])
