from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given, settings, strategies as st
from tests.conftest import require

from agentutils_audio import AudioByteStream, AudioFrame


def test_default_frame_is_100_ms():
    stream = AudioByteStream(16000, 1)
    assert stream.samples_per_channel == 1600
    frames = stream.push(bytes(3200 * 2 + 10))
    assert [f.samples_per_channel for f in frames] == [1600, 1600]
    assert all(type(f) is AudioFrame and f.sample_rate == 16000 and f.num_channels == 1 for f in frames)
    assert stream.buffered_duration == 5 / 16000


def test_write_is_push():
    assert AudioByteStream.write is AudioByteStream.push


def test_flush_returns_whole_samples_and_keeps_a_partial_one():
    stream = AudioByteStream(8000, 2, samples_per_channel=4)
    assert stream.push(b"\x01\x00\x02\x00\x03\x00\x04\x00\x05") == []
    flushed = stream.flush()
    assert len(flushed) == 1
    assert flushed[0].data.tolist() == [1, 2, 3, 4]
    assert flushed[0].samples_per_channel == 2
    # the trailing byte of sample 5 waits, so what follows stays aligned
    [frame] = stream.push(b"\x00\x06\x00" + bytes(12))
    assert frame.data.tolist()[:2] == [5, 6]
    assert stream.flush() == []


def test_flush_of_nothing_or_of_less_than_a_sample():
    stream = AudioByteStream(8000, 2, samples_per_channel=4)
    assert stream.flush() == []
    stream.push(b"\x01\x00\x02")
    assert stream.flush() == []


def test_clear_drops_everything():
    stream = AudioByteStream(8000, 1, samples_per_channel=2)
    stream.push(b"\x01\x00\x02")
    stream.clear()
    assert stream.buffered_duration == 0
    assert stream.flush() == []
    assert stream.push(b"\x07\x00\x08\x00")[0].data.tolist() == [7, 8]


def test_progressive_frames_double_up_to_the_target():
    stream = AudioByteStream(16000, 1, samples_per_channel=3200, progressive=True)
    frames = stream.push(bytes(2 * 16000))
    assert [f.samples_per_channel for f in frames][:6] == [320, 640, 1280, 2560, 3200, 3200]
    stream.reset_progressive()
    assert stream.push(bytes(2 * 320))[0].samples_per_channel == 320
    stream.clear()
    assert stream.push(bytes(2 * 320))[0].samples_per_channel == 320


def test_progressive_never_exceeds_a_small_target():
    stream = AudioByteStream(16000, 1, samples_per_channel=100, progressive=True)
    assert [f.samples_per_channel for f in stream.push(bytes(400))] == [100, 100]


def test_accepts_any_bytes_like_chunk():
    stream = AudioByteStream(8000, 1, samples_per_channel=2)
    frames = stream.push(memoryview(bytearray(b"\x01\x00\x02\x00")).cast("h"))
    assert frames[0].data.tolist() == [1, 2]


@dataclass
class PlainFrame:
    data: bytearray
    sample_rate: int
    num_channels: int
    samples_per_channel: int


def test_frame_type():
    stream = AudioByteStream(8000, 1, samples_per_channel=1, frame_type=PlainFrame)
    [frame] = stream.push(b"\x05\x00")
    assert frame == PlainFrame(bytearray(b"\x05\x00"), 8000, 1, 1)


class TestBadInput:
    @pytest.mark.parametrize(
        ("args", "kwargs", "error", "message"),
        [
            ((0, 1), {}, ValueError, "sample_rate must be a positive int \\(Hz\\), got 0"),
            ((8000, -2), {}, ValueError, "num_channels must be a positive int, got -2"),
            ((8000, 1, 0), {}, ValueError, "samples_per_channel must be an int >= 1, got 0"),
            ((8000.0, 1), {}, TypeError, "sample_rate must be a positive int \\(Hz\\), got float"),
            ((8000, 1), {"frame_type": 3}, TypeError, "frame_type must be callable, got int"),
        ],
    )
    def test_constructor(self, args, kwargs, error, message):
        with pytest.raises(error, match=message):
            AudioByteStream(*args, **kwargs)

    @pytest.mark.parametrize(("data", "name"), [("abc", "str"), (5, "int"), ([1, 2], "list")])
    def test_push_non_bytes(self, data, name):
        stream = AudioByteStream(8000, 1)
        with pytest.raises(TypeError, match=rf"data must be a bytes-like object .*, got {name}$"):
            stream.push(data)


@st.composite
def split_case(draw):
    channels = draw(st.integers(1, 3))
    per_frame = draw(st.integers(1, 9))
    payload = draw(st.binary(max_size=300))
    cuts = sorted(draw(st.lists(st.integers(0, len(payload)), max_size=12)))
    chunks = [payload[a:b] for a, b in zip([0, *cuts], [*cuts, len(payload)], strict=True)]
    flush_points = draw(st.sets(st.integers(0, len(chunks)), max_size=3))
    return channels, per_frame, payload, chunks, flush_points


@settings(max_examples=150)
@given(split_case())
def test_any_split_yields_the_original_bytes_in_whole_frames(case):
    channels, per_frame, payload, chunks, flush_points = case
    stream = AudioByteStream(8000, channels, samples_per_channel=per_frame)
    frame_bytes = per_frame * channels * 2
    out = bytearray()
    for i, chunk in enumerate(chunks):
        for frame in stream.push(chunk):
            assert frame.samples_per_channel == per_frame
            assert len(frame.data) * 2 == frame_bytes
            out += frame.data
        if i in flush_points:
            for frame in stream.flush():
                assert frame.samples_per_channel > 0
                assert len(frame.data) * 2 == frame.samples_per_channel * channels * 2
                out += frame.data
    for frame in stream.flush():
        out += frame.data
    whole = len(payload) - len(payload) % (2 * channels)
    assert bytes(out) == payload[:whole]
    if not flush_points:
        # without intermediate flushes, every frame but the last flushed one is full-size
        assert len(out) // frame_bytes == whole // frame_bytes


def test_linear_time_many_tiny_pushes():
    """A byte at a time through a large stream: every byte comes out (O(n), no re-slicing)."""
    stream = AudioByteStream(48000, 2, samples_per_channel=4800)
    payload = bytes(range(256)) * 300
    out = bytearray()
    view = memoryview(payload)
    for i in range(len(payload)):
        for frame in stream.push(view[i : i + 1]):
            out += frame.data
    assert bytes(out) == payload[: len(payload) // 19200 * 19200]


@pytest.mark.parametrize("shape", [(6,), (3, 2), (1, 6)])
def test_push_of_a_numpy_int16_array_appends_its_bytes(shape):
    """A buffer-protocol object is appended as bytes, never added to the buffer by numpy."""
    np = require("numpy")
    samples = np.arange(1, 7, dtype=np.int16).reshape(shape)
    stream = AudioByteStream(8000, 1, samples_per_channel=4)
    frames = stream.push(samples)  # 12 bytes: one frame of 4 samples, 2 samples buffered
    assert [f.data.tolist() for f in frames] == [[1, 2, 3, 4]]
    assert [f.data.tolist() for f in stream.push(samples[..., :0]) + stream.flush()] == [[5, 6]]


def test_full_frames_are_the_frames_the_constructor_builds():
    """The stream's unchecked builder fills every field as AudioFrame(...) would."""
    stream = AudioByteStream(16000, 2, samples_per_channel=2)
    frames = stream.push(bytes(range(1, 17)))
    for frame in frames:
        built = AudioFrame(bytearray(frame.data), 16000, 2, 2)
        assert type(frame) is AudioFrame
        assert repr(frame) == repr(built)
        assert frame._key is built._key  # the interned key the combine fast path compares
        assert frame.userdata == {}
        assert frame.userdata is frame.userdata
        assert bytes(frame.data) == bytes(built.data)
        frame.data[0] = -1  # writable, and its own buffer
    assert frames[0].data[0] == frames[1].data[0] == -1
    assert stream.push(bytes(8))[0].data.tolist() == [0, 0, 0, 0]
