from __future__ import annotations

import io
import wave
from array import array

import pytest

from agentutils_audio import AudioFrame, FrameLike


def test_fields_and_duration():
    frame = AudioFrame(array("h", [1, -2, 3, -4]).tobytes(), 16000, 2, 2, userdata={"k": 1})
    assert frame.sample_rate == 16000
    assert frame.num_channels == 2
    assert frame.samples_per_channel == 2
    assert frame.duration == 2 / 16000
    assert frame.userdata == {"k": 1}
    assert frame.data.format == "h"
    assert frame.data.tolist() == [1, -2, 3, -4]
    assert isinstance(frame, FrameLike)
    assert (
        repr(frame) == "AudioFrame(sample_rate=16000, num_channels=2, samples_per_channel=2, duration=0.000)"
    )


def test_userdata_defaults_to_a_new_dict():
    a = AudioFrame(b"", 8000, 1, 0)
    b = AudioFrame(b"", 8000, 1, 0)
    a.userdata["x"] = 1
    assert b.userdata == {}


def test_data_is_shared_and_writable_for_a_bytearray():
    buf = bytearray(4)
    frame = AudioFrame(buf, 8000, 1, 2)
    frame.data[1] = -1
    assert buf == b"\x00\x00\xff\xff"


def test_read_only_buffer_gives_read_only_data():
    frame = AudioFrame(b"\x00\x00", 8000, 1, 1)
    assert frame.data.readonly
    with pytest.raises(TypeError):
        frame.data[0] = 1


@pytest.mark.parametrize(
    "data",
    [
        memoryview(array("h", [7, 8])),  # a memoryview of another format
        array("h", [7, 8]),  # any buffer
        memoryview(b"\x07\x00\x08\x00"),
    ],
)
def test_accepts_any_contiguous_buffer(data):
    assert AudioFrame(data, 8000, 1, 2).data.tolist() == [7, 8]


def test_longer_buffer_is_kept_whole_as_in_livekit():
    frame = AudioFrame(bytes(8), 8000, 1, 2)
    assert len(frame.data) == 4
    assert frame.samples_per_channel == 2


def test_to_wav_bytes_of_a_bytearray_shrunk_after_the_frame_was_built():
    buf = bytearray(8)
    frame = AudioFrame(buf, 16000, 1, 4)
    del buf[4:]
    with pytest.raises(ValueError, match=r"data is too short: expected at least 8 bytes .* got 4"):
        frame.to_wav_bytes()


def test_create_is_zeroed_and_writable():
    frame = AudioFrame.create(48000, 2, 480)
    assert type(frame) is AudioFrame
    assert bytes(frame.data) == bytes(480 * 2 * 2)
    assert not frame.data.readonly


def test_create_keeps_the_subclass():
    class Mine(AudioFrame):
        __slots__ = ()

    assert type(Mine.create(8000, 1, 1)) is Mine


def test_to_wav_bytes_writes_only_the_declared_samples():
    frame = AudioFrame(array("h", [1, 2, 3, 4, 9, 9]).tobytes(), 22050, 2, 2)
    with wave.open(io.BytesIO(frame.to_wav_bytes()), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (2, 2, 22050)
        assert wav.getnframes() == 2
        assert wav.readframes(2) == array("h", [1, 2, 3, 4]).tobytes()


class TestBadInput:
    def test_data_too_short(self):
        with pytest.raises(
            ValueError,
            match=r"data is too short: expected at least 8 bytes "
            r"\(num_channels 2 \* samples_per_channel 2 \* 2\), got 6",
        ):
            AudioFrame(bytes(6), 8000, 2, 2)

    def test_odd_length(self):
        with pytest.raises(ValueError, match=r"multiple of 2 \(whole int16 samples\), got 5 bytes"):
            AudioFrame(bytes(5), 8000, 1, 2)

    @pytest.mark.parametrize("value", [0, -8000])
    def test_sample_rate_not_positive(self, value):
        with pytest.raises(ValueError, match=rf"sample_rate must be a positive int \(Hz\), got {value}"):
            AudioFrame(b"", value, 1, 0)

    @pytest.mark.parametrize("value", [0, -1])
    def test_num_channels_not_positive(self, value):
        with pytest.raises(ValueError, match=rf"num_channels must be a positive int, got {value}"):
            AudioFrame(b"", 8000, value, 0)

    def test_negative_samples_per_channel(self):
        with pytest.raises(ValueError, match="samples_per_channel must be an int >= 0, got -1"):
            AudioFrame(b"", 8000, 1, -1)

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"sample_rate": 8000.0}, "sample_rate must be a positive int \\(Hz\\), got float"),
            ({"num_channels": True}, "num_channels must be a positive int, got bool"),
            ({"samples_per_channel": "2"}, "samples_per_channel must be an int, got str"),
        ],
    )
    def test_counts_not_int(self, kwargs, message):
        args = {"data": bytes(4), "sample_rate": 8000, "num_channels": 1, "samples_per_channel": 2, **kwargs}
        with pytest.raises(TypeError, match=message):
            AudioFrame(**args)

    @pytest.mark.parametrize(
        ("data", "name"), [("abcd", "str"), ([0, 0], "list"), (None, "NoneType"), (4, "int")]
    )
    def test_non_buffer_data(self, data, name):
        with pytest.raises(TypeError, match=rf"data must be a bytes-like object .*, got {name}$"):
            AudioFrame(data, 8000, 1, 0)

    def test_strided_memoryview(self):
        view = memoryview(bytes(8)).cast("h")[::2]
        with pytest.raises(
            ValueError,
            match=r"data must be a C-contiguous buffer .*, got a non-contiguous memoryview of shape \(2,\)",
        ):
            AudioFrame(view, 8000, 1, 1)

    def test_userdata_not_a_dict(self):
        with pytest.raises(TypeError, match="userdata must be a dict or None, got list"):
            AudioFrame(b"", 8000, 1, 0, userdata=[])  # type: ignore[arg-type]

    def test_create_validates(self):
        with pytest.raises(ValueError, match="sample_rate must be a positive int \\(Hz\\), got 0"):
            AudioFrame.create(0, 1, 1)
