"""audio_frames_from_file: a file decoded as an async generator."""

from __future__ import annotations

import asyncio
import io
import threading

import pytest
from tests.codecs._media import samples_of, sine, wav16

from agentutils_codecs import AudioStreamDecoder, DecodeError, audio_frames_from_file, files

SAMPLES = sine(16000, 16000)  # one second


async def collect(frames, into: list[object]) -> None:
    async for frame in frames:
        into.append(frame)


async def test_decodes_a_wav_file(tmp_path):
    path = tmp_path / "a.wav"
    path.write_bytes(wav16(SAMPLES))
    frames = [f async for f in audio_frames_from_file(path, sample_rate=16000, num_channels=2)]
    assert {(f.sample_rate, f.num_channels) for f in frames} == {(16000, 2)}
    assert samples_of(frames) == [v for v in SAMPLES for _ in range(2)]
    frames = [f async for f in audio_frames_from_file(str(path), sample_rate=16000)]
    assert samples_of(frames) == SAMPLES


async def test_missing_file_is_raised_to_the_consumer(tmp_path):
    with pytest.raises(FileNotFoundError):
        async for _ in audio_frames_from_file(tmp_path / "missing.wav"):
            pass


async def test_corrupt_file_is_a_decode_error(tmp_path):
    path = tmp_path / "bad.wav"
    path.write_bytes(wav16(SAMPLES)[:-3])
    got: list[object] = []
    with pytest.raises(DecodeError, match=r"wav decoder, format audio/wav at byte \d+: truncated"):
        await collect(audio_frames_from_file(path, sample_rate=16000), got)
    assert len(samples_of(got)) == len(SAMPLES) - 2  # every whole sample first


class _FailingFile(io.BytesIO):
    """Reads ``good`` bytes, then fails as a disk would."""

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        if not data:
            raise OSError("disk on fire")
        return data


async def test_read_error_comes_after_the_frames_decoded_before_it(monkeypatch):
    good = wav16(SAMPLES)[: 44 + 2000]
    monkeypatch.setattr(files, "_open", lambda path: _FailingFile(good))
    got: list[object] = []
    with pytest.raises(OSError, match=r"disk on fire"):
        await collect(audio_frames_from_file("any.wav", sample_rate=16000), got)
    assert samples_of(got) == SAMPLES[:1000]


class _BlockingFile(io.BytesIO):
    """Returns its first chunk, then blocks until released (a slow disk)."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.release = threading.Event()
        self.calls = 0

    def read(self, size: int | None = -1) -> bytes:
        self.calls += 1
        if self.calls > 1:
            self.release.wait()
        return super().read(size)


async def test_closing_early_does_not_signal_end_of_input(monkeypatch):
    blocking = _BlockingFile(wav16(SAMPLES))
    monkeypatch.setattr(files, "_open", lambda path: blocking)
    ended: list[bool] = []
    original = AudioStreamDecoder.end_input

    def spy(self: AudioStreamDecoder) -> None:
        ended.append(True)
        original(self)

    monkeypatch.setattr(AudioStreamDecoder, "end_input", spy)
    gen = audio_frames_from_file("slow.wav", sample_rate=16000)
    try:
        first = await anext(gen)
        assert first.samples_per_channel > 0
        await gen.aclose()  # what cancelling the consumer does
    finally:
        blocking.release.set()
    assert ended == []  # the truncated read was not passed off as the end of the file


class _TrackedFile(io.BytesIO):
    """Records whether it was closed while a read was in progress, and when it is closed."""

    def __init__(self, data: bytes, block_after: int) -> None:
        super().__init__(data)
        self.release = threading.Event()
        self.closed_event = threading.Event()
        self.reading = False
        self.closed_while_reading = False
        self._reads_left = block_after

    def read(self, size: int | None = -1) -> bytes:
        self.reading = True
        try:
            if self._reads_left == 0:
                self.release.wait()
            self._reads_left -= 1
            return super().read(size)
        finally:
            self.reading = False

    def close(self) -> None:
        self.closed_while_reading |= self.reading
        super().close()
        self.closed_event.set()


async def test_a_file_opened_after_the_consumer_left_is_closed(monkeypatch):
    """Cancelled while the open is in flight (a slow disk): the file it opens is closed, not leaked."""
    entered, gate = threading.Event(), threading.Event()
    opened: list[_TrackedFile] = []

    def slow_open(path: object) -> _TrackedFile:
        entered.set()
        gate.wait()
        opened.append(_TrackedFile(wav16(SAMPLES), block_after=10))
        return opened[-1]

    monkeypatch.setattr(files, "_open", slow_open)
    gen = audio_frames_from_file("slow.wav", sample_rate=16000)
    first = asyncio.ensure_future(anext(gen))
    assert await asyncio.to_thread(entered.wait, 10)  # the open is in flight
    first.cancel()
    with pytest.raises(asyncio.CancelledError):
        await first
    await gen.aclose()
    gate.set()
    assert await asyncio.to_thread(_wait_for, lambda: bool(opened) and opened[0].closed)


def _wait_for(condition: object) -> bool:
    """Poll ``condition`` (a guard against a hang: at most 10 s)."""
    import time

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.001)
    return False


async def test_a_read_in_flight_is_not_closed_under_it(monkeypatch):
    """Closing the generator while a read blocks: the file is closed once the read returns."""
    tracked = _TrackedFile(wav16(SAMPLES), block_after=1)
    monkeypatch.setattr(files, "_open", lambda path: tracked)
    gen = audio_frames_from_file("slow.wav", sample_rate=16000)
    assert (await anext(gen)).samples_per_channel > 0
    assert await asyncio.to_thread(_wait_for, lambda: tracked.reading)  # the second read blocks
    await gen.aclose()
    tracked.release.set()
    assert await asyncio.to_thread(tracked.closed_event.wait, 10)
    assert not tracked.closed_while_reading


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"sample_rate": 0}, ValueError, r"sample_rate must be a positive int"),
        ({"num_channels": 1.0}, TypeError, r"num_channels must be a positive int, got float"),
    ],
)
async def test_bad_arguments(tmp_path, kwargs, error, match):
    with pytest.raises(error, match=match):
        await anext(audio_frames_from_file(tmp_path / "x.wav", **kwargs))
