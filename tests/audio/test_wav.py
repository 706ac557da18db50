from __future__ import annotations

import io
import wave
from array import array
from dataclasses import dataclass

import pytest

from agentutils_audio import AudioFrame, FormatMismatchError, WavFormatError, read_wav, write_wav


def wav_bytes(samples: list[int] | bytes, *, channels: int = 1, rate: int = 16000, width: int = 2) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(width)
        wav.setframerate(rate)
        wav.writeframes(samples if isinstance(samples, bytes) else array("h", samples).tobytes())
    return out.getvalue()


def test_round_trip_through_a_path(tmp_path):
    frames = [
        AudioFrame(array("h", [1, -1, 2, -2]).tobytes(), 22050, 2, 2),
        AudioFrame(array("h", [3, -3]).tobytes(), 22050, 2, 1),
    ]
    path = tmp_path / "out.wav"
    write_wav(path, frames)
    [frame] = read_wav(path)
    assert (frame.sample_rate, frame.num_channels, frame.samples_per_channel) == (22050, 2, 3)
    assert frame.data.tolist() == [1, -1, 2, -2, 3, -3]
    assert not frame.data.readonly


def test_read_in_chunks_from_a_file_object():
    frames = read_wav(io.BytesIO(wav_bytes(list(range(10)))), samples_per_channel=4)
    assert [f.data.tolist() for f in frames] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert all(f.sample_rate == 16000 for f in frames)


def test_read_str_path(tmp_path):
    path = tmp_path / "a.wav"
    path.write_bytes(wav_bytes([5, 6]))
    assert read_wav(str(path))[0].data.tolist() == [5, 6]


def test_empty_file_gives_no_frames():
    assert read_wav(io.BytesIO(wav_bytes([]))) == []


def test_write_one_frame_to_a_file_object_equals_to_wav_bytes():
    frame = AudioFrame(array("h", [1, 2, 3, 99]).tobytes(), 8000, 1, 3)
    out = io.BytesIO()
    write_wav(out, frame)
    assert out.getvalue() == frame.to_wav_bytes()


@dataclass
class PlainFrame:
    data: bytes
    sample_rate: int
    num_channels: int
    samples_per_channel: int


def test_write_frame_like_objects():
    out = io.BytesIO()
    write_wav(out, [PlainFrame(b"\x01\x00\x02\x00", 8000, 1, 1)])
    out.seek(0)
    assert read_wav(out)[0].data.tolist() == [1]


class TestBadInput:
    def test_eight_bit_file(self):
        with pytest.raises(
            WavFormatError, match=r"expected 16-bit PCM \(sample width 2 bytes\), got 8-bit samples"
        ):
            read_wav(io.BytesIO(wav_bytes(b"\x80\x80", width=1)))

    def test_twenty_four_bit_file(self, tmp_path):
        path = tmp_path / "deep.wav"
        path.write_bytes(wav_bytes(bytes(6), width=3))
        with pytest.raises(WavFormatError, match=rf"^{path}: expected 16-bit PCM .*got 24-bit samples"):
            read_wav(path)

    def test_not_a_wav_file(self):
        with pytest.raises(
            WavFormatError,
            match=r"BytesIO: not a valid 16-bit PCM WAV file \(file does not start with RIFF id\)",
        ):
            read_wav(io.BytesIO(b"definitely not audio"))

    def test_empty_input(self):
        with pytest.raises(WavFormatError, match=r"not a valid 16-bit PCM WAV file \(EOFError\)"):
            read_wav(io.BytesIO(b""))

    def test_float_wav(self):
        data = bytearray(wav_bytes([0, 0]))
        data[20:22] = (3).to_bytes(2, "little")  # WAVE_FORMAT_IEEE_FLOAT
        with pytest.raises(WavFormatError, match=r"not a valid 16-bit PCM WAV file .*unknown format: 3"):
            read_wav(io.BytesIO(bytes(data)))

    def test_truncated_data(self):
        data = wav_bytes(list(range(100)))
        with pytest.raises(
            WavFormatError, match="truncated: the header declares 100 samples per channel, the data holds 40"
        ):
            read_wav(io.BytesIO(data[:-120]))

    def test_missing_file(self, tmp_path):
        with pytest.raises(FileNotFoundError):
            read_wav(tmp_path / "missing.wav")

    def test_bad_chunk_size(self):
        with pytest.raises(ValueError, match="samples_per_channel must be greater than 0, got 0"):
            read_wav(io.BytesIO(wav_bytes([1])), samples_per_channel=0)
        with pytest.raises(TypeError, match="samples_per_channel must be an int or None, got float"):
            read_wav(io.BytesIO(wav_bytes([1])), samples_per_channel=1.5)  # type: ignore[arg-type]

    def test_write_not_frames(self):
        with pytest.raises(TypeError, match="write_wav expects an iterable of frames, got int"):
            write_wav(io.BytesIO(), 3)  # type: ignore[arg-type]

    def test_write_nothing(self):
        with pytest.raises(ValueError, match="write_wav needs at least one frame, got none"):
            write_wav(io.BytesIO(), [])

    def test_write_mismatched_frames(self):
        frames = [AudioFrame(b"\x00\x00", 8000, 1, 1), AudioFrame(b"\x00\x00", 16000, 1, 1)]
        with pytest.raises(FormatMismatchError, match="sample rate mismatch: expected 8000, got 16000"):
            write_wav(io.BytesIO(), frames)
        frames = [AudioFrame(b"\x00\x00", 8000, 1, 1), AudioFrame(bytes(4), 8000, 2, 1)]
        with pytest.raises(FormatMismatchError, match="channel count mismatch: expected 1, got 2"):
            write_wav(io.BytesIO(), frames)
