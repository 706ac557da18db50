from __future__ import annotations

import io
import struct
import wave
from array import array
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

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
            match=r"BytesIO: not a valid 16-bit PCM WAV file \(the file does not start with a RIFF/WAVE",
        ):
            read_wav(io.BytesIO(b"definitely not audio"))

    def test_empty_input(self):
        with pytest.raises(
            WavFormatError, match=r"BytesIO: not a valid 16-bit PCM WAV file \(an empty file\)"
        ):
            read_wav(io.BytesIO(b""))

    def test_float_wav(self):
        data = bytearray(wav_bytes([0, 0]))
        data[20:22] = (3).to_bytes(2, "little")  # WAVE_FORMAT_IEEE_FLOAT
        with pytest.raises(
            WavFormatError, match=r"expected integer PCM \(format tag 1\), got format tag 3, IEEE float"
        ):
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
        with pytest.raises(ValueError, match="samples_per_channel must be an int >= 1, got 0"):
            read_wav(io.BytesIO(wav_bytes([1])), samples_per_channel=0)
        with pytest.raises(TypeError, match="samples_per_channel must be an int, got float"):
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


WRITE_LIMIT_CASES = (
    # (sample_rate, num_channels, message)
    (8000, 32768, r"32768 channels: a WAV header holds at most 32767 channels of 16-bit samples"),
    (2**31, 2, r"byte rate 2147483648 Hz x 2 channel\(s\) x 2 bytes = 8589934592: .* at most 4294967295"),
)


class TestWriteLimits:
    """A frame the WAV header cannot describe is refused before anything is written."""

    def test_a_rate_beyond_the_header_is_refused_when_the_frame_is_made(self):
        # No AudioFrame can carry it (agentutils_core.check_sample_rate); the header check
        # still refuses it for its direct callers.
        with pytest.raises(ValueError, match=r"^sample_rate must be at most 4294967295 Hz, got 4294967296$"):
            AudioFrame.create(2**32, 1, 1)
        from agentutils_audio.wav import check_wav_header

        with pytest.raises(
            WavFormatError, match=r"sample rate 4294967296 Hz: a WAV header holds at most 4294967295"
        ):
            check_wav_header(2**32, 1, 0)

    @pytest.mark.parametrize(("rate", "channels", "message"), WRITE_LIMIT_CASES)
    def test_existing_file_is_left_untouched(self, tmp_path, rate, channels, message):
        path = tmp_path / "keep.wav"
        original = wav_bytes([1, 2, 3])
        path.write_bytes(original)
        frame = AudioFrame.create(rate, channels, 1)
        with pytest.raises(WavFormatError, match=message):
            write_wav(path, frame)
        assert path.read_bytes() == original
        assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.wav"]

    @pytest.mark.parametrize(("rate", "channels", "message"), WRITE_LIMIT_CASES)
    def test_file_object_is_not_written(self, rate, channels, message):
        out = io.BytesIO(b"kept")
        with pytest.raises(WavFormatError, match=message):
            write_wav(out, AudioFrame.create(rate, channels, 1))
        assert out.getvalue() == b"kept"

    @pytest.mark.parametrize(("rate", "channels", "message"), WRITE_LIMIT_CASES)
    def test_to_wav_bytes(self, rate, channels, message):
        with pytest.raises(WavFormatError, match=message):
            AudioFrame.create(rate, channels, 1).to_wav_bytes()

    def test_the_largest_writable_header_round_trips(self, tmp_path):
        frame = AudioFrame(bytes(4 * 3), 2**30 - 1, 2, 3)  # byte rate 2**32 - 4
        write_wav(tmp_path / "big.wav", frame)
        [back] = read_wav(tmp_path / "big.wav")
        assert (back.sample_rate, back.num_channels, back.samples_per_channel) == (2**30 - 1, 2, 3)

    def test_a_failure_while_writing_leaves_the_file_and_no_temporary(self, tmp_path, monkeypatch):
        path = tmp_path / "keep.wav"
        path.write_bytes(b"original")

        def fail(self, data):
            raise OSError("disk full")

        monkeypatch.setattr(wave.Wave_write, "writeframesraw", fail)
        with pytest.raises(OSError, match="disk full"):
            write_wav(path, AudioFrame.create(8000, 1, 4))
        assert path.read_bytes() == b"original"
        assert [p.name for p in tmp_path.iterdir()] == ["keep.wav"]

    def test_replacing_keeps_the_permissions_of_the_file(self, tmp_path):
        path = tmp_path / "mode.wav"
        path.write_bytes(b"x")
        path.chmod(0o640)
        write_wav(path, AudioFrame.create(8000, 1, 4))
        assert path.stat().st_mode & 0o777 == 0o640
        assert read_wav(path)[0].samples_per_channel == 4

    def test_a_new_file_gets_the_usual_permissions(self, tmp_path):
        import os

        umask = os.umask(0o022)
        os.umask(umask)
        write_wav(tmp_path / "new.wav", AudioFrame.create(8000, 1, 4))
        assert (tmp_path / "new.wav").stat().st_mode & 0o777 == 0o666 & ~umask


def _riff(*chunks: bytes) -> bytes:
    body = b"WAVE" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def _chunk(chunk_id: bytes, body: bytes, *, size: int | None = None) -> bytes:
    pad = b"\x00" * (len(body) % 2)
    return chunk_id + struct.pack("<I", len(body) if size is None else size) + body + pad


PCM_GUID = bytes.fromhex("0100000000001000800000aa00389b71")
FLOAT_GUID = bytes.fromhex("0300000000001000800000aa00389b71")


def _extensible_fmt(channels: int, rate: int, *, bits: int = 16, guid: bytes = PCM_GUID) -> bytes:
    align = channels * bits // 8
    body = struct.pack("<HHIIHH", 0xFFFE, channels, rate, rate * align, align, bits)
    body += struct.pack("<HHI", 22, bits, (1 << channels) - 1) + guid
    return _chunk(b"fmt ", body)


def _pcm_fmt(channels: int, rate: int) -> bytes:
    return _chunk(b"fmt ", struct.pack("<HHIIHH", 1, channels, rate, rate * 2 * channels, 2 * channels, 16))


class TestExtensible:
    """WAVE_FORMAT_EXTENSIBLE 16-bit PCM reads the same on every Python (wave < 3.12 refused it)."""

    @pytest.mark.parametrize("channels", [1, 2, 6])
    def test_reads_like_the_plain_pcm_file(self, channels):
        samples = array("h", [(i * 7919) % 65536 - 32768 for i in range(12 * channels)]).tobytes()
        plain = _riff(_pcm_fmt(channels, 44100), _chunk(b"data", samples))
        extensible = _riff(
            _extensible_fmt(channels, 44100), _chunk(b"LIST", b"INFOjunk"), _chunk(b"data", samples)
        )
        [a] = read_wav(io.BytesIO(plain))
        [b] = read_wav(io.BytesIO(extensible))
        assert (b.sample_rate, b.num_channels, b.samples_per_channel) == (44100, channels, 12)
        assert bytes(b.data) == bytes(a.data) == samples

    def test_a_float_subformat_is_refused(self):
        data = _riff(_extensible_fmt(1, 8000, bits=32, guid=FLOAT_GUID), _chunk(b"data", bytes(8)))
        with pytest.raises(
            WavFormatError, match=r"expected integer PCM \(format tag 1\), got format tag 3, IEEE float"
        ):
            read_wav(io.BytesIO(data))

    def test_an_unknown_subformat_is_refused(self):
        data = _riff(_extensible_fmt(1, 8000, guid=bytes(16)), _chunk(b"data", bytes(8)))
        with pytest.raises(
            WavFormatError, match=r"expected integer PCM \(format tag 1\), got an unknown subformat"
        ):
            read_wav(io.BytesIO(data))

    def test_a_short_extensible_fmt_chunk_is_corrupt(self):
        fmt = _chunk(b"fmt ", struct.pack("<HHIIHH", 0xFFFE, 1, 8000, 16000, 2, 16))
        with pytest.raises(
            WavFormatError, match="corrupt fmt chunk: WAVE_FORMAT_EXTENSIBLE needs 40 bytes, got 16"
        ):
            read_wav(io.BytesIO(_riff(fmt, _chunk(b"data", bytes(2)))))


class TestTruncatedChunks:
    """A chunk that runs past the end of the file is a WavFormatError saying so, never a RuntimeError."""

    def test_a_chunk_before_the_data_runs_past_the_end(self):
        data = _riff(_pcm_fmt(1, 8000), b"LIST" + struct.pack("<I", 1000) + b"abc")
        with pytest.raises(
            WavFormatError, match=r"truncated: the 'LIST' chunk declares 1000 bytes, the file ends 3"
        ):
            read_wav(io.BytesIO(data))

    def test_the_fmt_chunk_runs_past_the_end(self):
        data = _riff(_pcm_fmt(1, 8000)[:14])
        with pytest.raises(
            WavFormatError, match=r"truncated: the 'fmt ' chunk declares 16 bytes, the file ends 6"
        ):
            read_wav(io.BytesIO(data))

    @pytest.mark.parametrize("cut", [0, 3, 8])
    def test_the_file_ends_before_the_data_chunk(self, cut):
        data = _riff(_pcm_fmt(1, 8000), b"data\x10\x00\x00\x00"[:cut])
        with pytest.raises(
            WavFormatError, match=r"truncated: the file ends before its data chunk|truncated: the header"
        ):
            read_wav(io.BytesIO(data))

    def test_the_data_chunk_runs_past_the_end(self):
        data = _riff(_pcm_fmt(2, 8000), _chunk(b"data", bytes(16), size=64))
        with pytest.raises(
            WavFormatError, match=r"truncated: the header declares 16 samples per channel, the data holds 4"
        ):
            read_wav(io.BytesIO(data))

    def test_no_fmt_chunk(self):
        with pytest.raises(WavFormatError, match=r"truncated: the file ends before its fmt and data chunks"):
            read_wav(io.BytesIO(_riff()))

    def test_data_before_fmt(self):
        data = _riff(_chunk(b"data", bytes(4)), _pcm_fmt(1, 8000))
        with pytest.raises(WavFormatError, match="corrupt: the data chunk comes before the fmt chunk"):
            read_wav(io.BytesIO(data))

    @settings(max_examples=100)
    @given(st.data())
    def test_any_cut_of_a_valid_file_is_refused_as_truncated(self, data):
        wav = _riff(_pcm_fmt(2, 8000), _chunk(b"LIST", b"INFOabcde"), _chunk(b"data", bytes(range(160))))
        assert read_wav(io.BytesIO(wav))[0].samples_per_channel == 40
        cut = data.draw(st.integers(0, len(wav) - 1))
        with pytest.raises(WavFormatError, match=r"truncated|not a valid 16-bit PCM WAV file"):
            read_wav(io.BytesIO(wav[:cut]))


def test_a_read_only_file_is_not_replaced(tmp_path):
    import os

    if os.geteuid() == 0:
        pytest.skip("root may write any file")
    path = tmp_path / "ro.wav"
    path.write_bytes(b"original")
    path.chmod(0o444)
    with pytest.raises(PermissionError, match="read-only"):
        write_wav(path, AudioFrame.create(8000, 1, 4))
    assert path.read_bytes() == b"original"


def test_a_symlink_keeps_pointing_to_the_replaced_file(tmp_path):
    real = tmp_path / "real.wav"
    real.write_bytes(b"old")
    link = tmp_path / "link.wav"
    link.symlink_to(real)
    write_wav(link, AudioFrame.create(8000, 1, 4))
    assert link.is_symlink()
    assert read_wav(real)[0].samples_per_channel == 4


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="no /dev/null here")
def test_a_device_is_written_to_not_replaced():
    write_wav("/dev/null", AudioFrame.create(8000, 1, 4))
    assert Path("/dev/null").is_char_device()
