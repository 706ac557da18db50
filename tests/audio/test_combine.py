from __future__ import annotations

import importlib.util
from array import array
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from hypothesis import given, settings, strategies as st

from agentutils_audio import (
    AudioFrame,
    FormatMismatchError,
    calculate_audio_duration,
    combine_frames,
    merge_frames,
)


@pytest.fixture(params=["python", "numpy"])
def backend(request, builtin_backends):
    if request.param not in builtin_backends:
        pytest.importorskip("numpy")
    return request.param


def test_documented_example(backend):
    # The reference docstring gives each stereo sample 2 bytes, which its own AudioFrame
    # rejects; one stereo int16 sample is 4 bytes.
    a = AudioFrame(b"\x01\x02\x03\x04", 48000, 2, 1)
    b = AudioFrame(b"\x05\x06\x07\x08", 48000, 2, 1)
    out = combine_frames([a, b], backend=backend)
    assert type(out) is AudioFrame
    assert bytes(out.data) == b"\x01\x02\x03\x04\x05\x06\x07\x08"
    assert (out.sample_rate, out.num_channels, out.samples_per_channel) == (48000, 2, 2)


def test_merge_frames_is_an_alias():
    assert merge_frames is combine_frames


def test_single_frame_is_returned_as_is():
    frame = AudioFrame(b"\x01\x02", 48000, 1, 1)
    assert combine_frames(frame) is frame


def test_single_item_list_gives_a_new_frame_with_the_same_samples():
    frame = AudioFrame(b"\x01\x02", 48000, 1, 1)
    out = combine_frames([frame])
    assert out is not frame
    assert bytes(out.data) == b"\x01\x02"


@pytest.mark.parametrize("empty", [[], (), iter([])])
def test_empty_buffer(empty):
    with pytest.raises(ValueError, match=r"^buffer is empty$"):
        combine_frames(empty)


def test_sample_rate_mismatch_names_both_values():
    frames = [AudioFrame(b"\x00\x00", 48000, 1, 1), AudioFrame(b"\x00\x00", 16000, 1, 1)]
    with pytest.raises(FormatMismatchError, match=r"^sample rate mismatch: expected 48000, got 16000$"):
        combine_frames(frames)


def test_channel_mismatch_names_both_values():
    frames = [AudioFrame(bytes(4), 48000, 2, 1), AudioFrame(b"\x00\x00", 48000, 1, 1)]
    with pytest.raises(ValueError, match=r"^channel count mismatch: expected 2, got 1$") as info:
        combine_frames(frames)
    assert isinstance(info.value, FormatMismatchError)


def test_tuple_and_generator_are_accepted(make_frame):
    frames = [make_frame([1, 2]), make_frame([3]), make_frame([4, 5, 6])]
    assert combine_frames(tuple(frames)).data.tolist() == [1, 2, 3, 4, 5, 6]
    assert combine_frames(f for f in frames).data.tolist() == [1, 2, 3, 4, 5, 6]


def test_longer_buffers_contribute_only_their_declared_samples(backend):
    a = AudioFrame(array("h", [1, 2, 99, 99]).tobytes(), 8000, 1, 2)
    b = AudioFrame(array("h", [3, 98]).tobytes(), 8000, 1, 1)
    out = combine_frames([a, b], backend=backend)
    assert out.data.tolist() == [1, 2, 3]
    assert out.samples_per_channel == 3


def _resized(grow: bool) -> AudioFrame:
    """A frame over a bytearray that its owner resized after building the frame."""
    buf = bytearray(array("h", [1, 2]).tobytes())
    frame = AudioFrame(buf, 48000, 1, 2)
    if grow:
        buf.extend(array("h", [99]).tobytes())
    else:
        del buf[2:]
    return frame


def test_bytearray_grown_after_the_frame_was_built_gives_only_its_declared_samples(backend, make_frame):
    out = combine_frames([_resized(grow=True), make_frame([3])], backend=backend)
    assert list(out.data) == [1, 2, 3]
    assert out.samples_per_channel == 3


def test_bytearray_shrunk_after_the_frame_was_built_is_too_short(backend, make_frame):
    with pytest.raises(ValueError, match=r"frame data is too short: expected at least 4 bytes .* got 2"):
        combine_frames([_resized(grow=False), make_frame([3])], backend=backend)
    with pytest.raises(ValueError, match=r"frame data is too short: expected at least 4 bytes .* got 2"):
        combine_frames([make_frame([3]), _resized(grow=False)], backend=backend)


def test_mixed_exact_and_longer_buffers(make_frame):
    long = AudioFrame(array("h", [5, 6, 7, 8]).tobytes(), 48000, 2, 1)
    out = combine_frames([make_frame([1, 2], num_channels=2), long, make_frame([3, 4], num_channels=2)])
    assert out.data.tolist() == [1, 2, 5, 6, 3, 4]
    assert out.samples_per_channel == 3


def test_result_is_writable_and_independent(make_frame):
    a, b = make_frame([1]), make_frame([2])
    out = combine_frames([a, b], backend="python")
    out.data[0] = 100
    assert a.data.tolist() == [1]


def test_subclass_in_gives_subclass_out():
    class Mine(AudioFrame):
        __slots__ = ()

    out = combine_frames([Mine(b"\x01\x00", 8000, 1, 1), Mine(b"\x02\x00", 8000, 1, 1)])
    assert type(out) is Mine
    assert out.data.tolist() == [1, 2]


@dataclass
class PlainFrame:
    data: bytes
    sample_rate: int
    num_channels: int
    samples_per_channel: int


def test_any_frame_like_object_in_and_out(backend):
    frames = [PlainFrame(b"\x01\x00\x02\x00", 8000, 1, 2), PlainFrame(b"\x03\x00\x09\x00", 8000, 1, 1)]
    out = combine_frames(frames, backend=backend)
    assert type(out) is PlainFrame
    assert bytes(out.data) == b"\x01\x00\x02\x00\x03\x00"
    assert out.samples_per_channel == 3


def test_simple_namespace_frames():
    frames = [
        SimpleNamespace(data=bytearray(b"\x01\x00"), sample_rate=8000, num_channels=1, samples_per_channel=1)
    ] * 2
    out = combine_frames(frames)
    assert type(out) is SimpleNamespace
    assert bytes(out.data) == b"\x01\x00\x01\x00"


def test_mixed_frame_types_take_the_type_of_the_first(make_frame):
    out = combine_frames([PlainFrame(b"\x01\x00", 48000, 1, 1), make_frame([2])])
    assert type(out) is PlainFrame
    assert bytes(out.data) == b"\x01\x00\x02\x00"


def test_frame_like_with_short_data():
    with pytest.raises(
        ValueError,
        match=r"frame data is too short: expected at least 4 bytes for 1 channel\(s\) x 2 samples, got 2",
    ):
        combine_frames([PlainFrame(b"\x01\x00", 8000, 1, 2), PlainFrame(b"\x01\x00", 8000, 1, 1)])


def test_frame_like_with_non_buffer_data():
    frames = [PlainFrame("ab", 8000, 1, 1), PlainFrame("cd", 8000, 1, 1)]  # type: ignore[arg-type]
    with pytest.raises(
        TypeError, match=r"the data of a PlainFrame must be a bytes-like object \(.*\), got str$"
    ):
        combine_frames(frames)


def test_item_that_is_not_a_frame(make_frame):
    with pytest.raises(
        TypeError,
        match=r"expected an audio frame .*got int "
        r"\(missing data, sample_rate, num_channels, samples_per_channel\)",
    ):
        combine_frames([make_frame([1]), 5])


def test_first_item_that_is_not_a_frame():
    with pytest.raises(TypeError, match=r"expected an audio frame .*got str"):
        combine_frames(["x", "y"])


@pytest.mark.parametrize(("value", "name"), [(5, "int"), (b"\x00\x00", "bytes"), ("ab", "str")])
def test_buffer_that_is_neither_frame_nor_iterable(value, name):
    with pytest.raises(TypeError, match=f"expected an audio frame or an iterable of frames, got {name}"):
        combine_frames(value)


def test_result_type_that_cannot_be_built():
    class Odd:
        def __init__(self, blob: bytes) -> None:
            self.data = blob
            self.sample_rate = 8000
            self.num_channels = 1
            self.samples_per_channel = len(blob) // 2

    with pytest.raises(TypeError, match="cannot build a Odd result: expected a constructor accepting data"):
        combine_frames([Odd(b"\x00\x00"), Odd(b"\x00\x00")])


chunks = st.lists(st.lists(st.integers(-32768, 32767), max_size=12), min_size=1, max_size=8)


@settings(max_examples=60)
@given(chunks, st.sampled_from([1, 2, 3]), st.booleans())
def test_combine_equals_concatenation(blocks, channels, longer):
    frames, expected = [], []
    for block in blocks:
        usable = block[: len(block) - len(block) % channels]
        data = array("h", usable + ([7] * channels if longer else [])).tobytes()
        frames.append(AudioFrame(data, 24000, channels, len(usable) // channels))
        expected += usable
    for backend in ("python",):
        out = combine_frames(frames, backend=backend)
        assert out.data.tolist() == expected
        assert out.samples_per_channel == len(expected) // channels


BACKENDS = ["python"] + (["numpy"] if importlib.util.find_spec("numpy") is not None else [])
STORAGE = {"bytes": bytes, "bytearray": bytearray, "memoryview": lambda b: memoryview(bytearray(b))}


@settings(max_examples=60)
@given(
    st.lists(
        st.tuples(
            st.lists(st.integers(-32768, 32767), max_size=12),
            st.sampled_from(sorted(STORAGE)),
            st.booleans(),
        ),
        min_size=1,
        max_size=8,
    ),
    st.sampled_from([1, 2]),
)
def test_combine_of_mixed_storage_equals_concatenation(blocks, channels):
    # Every fast path (stored buffers, checked bytearrays) and its fallbacks, per frame.
    frames, expected = [], []
    for block, storage, longer in blocks:
        usable = block[: len(block) - len(block) % channels]
        data = array("h", usable + ([7] * channels if longer else [])).tobytes()
        frames.append(AudioFrame(STORAGE[storage](data), 24000, channels, len(usable) // channels))
        expected += usable
    for backend in BACKENDS:
        out = combine_frames(frames, backend=backend)
        assert out.data.tolist() == expected
        assert out.samples_per_channel == len(expected) // channels


def test_calculate_audio_duration(make_frame):
    a = make_frame([0] * 480)
    b = make_frame([0] * 960)
    assert calculate_audio_duration(a) == 0.01
    assert calculate_audio_duration([a, b]) == pytest.approx(0.03)
    assert calculate_audio_duration(f for f in (a, b)) == pytest.approx(0.03)
    assert calculate_audio_duration([]) == 0.0
    assert type(calculate_audio_duration([])) is float
    assert calculate_audio_duration([PlainFrame(b"", 8000, 1, 8000)]) == 1.0


def test_calculate_audio_duration_bad_input(make_frame):
    with pytest.raises(TypeError, match="expected an audio frame or an iterable of frames, got int"):
        calculate_audio_duration(3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"expected an audio frame .*got str"):
        calculate_audio_duration([make_frame([1]), "x"])  # type: ignore[list-item]
