"""AudioStreamDecoder: arguments, lifecycle, selection, output format."""

from __future__ import annotations

import asyncio
from array import array

import pytest
from tests.codecs._media import decode_all, pcm16, samples_of, sine, splits, wav16
from tests.conftest import require

from agentutils_codecs import (
    DECODER_ENV_VAR,
    AudioStreamDecoder,
    InputClosedError,
    PcmDecoder,
    UnsupportedFormatError,
    WavDecoder,
)
from agentutils_core import NoProviderError, ProviderUnavailableError, UnknownProviderError

SAMPLES = sine(320, 16000)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"sample_rate": 0}, ValueError, r"sample_rate must be a positive int \(Hz\), got 0"),
        ({"sample_rate": -8000}, ValueError, r"sample_rate must be a positive int \(Hz\), got -8000"),
        (
            {"sample_rate": 48000.0},
            TypeError,
            r"sample_rate must be a positive int \(Hz\), got float: 48000.0",
        ),
        ({"sample_rate": True}, TypeError, r"sample_rate must be a positive int \(Hz\), got bool: True"),
        ({"num_channels": 0}, ValueError, r"num_channels must be a positive int, got 0"),
        ({"num_channels": "2"}, TypeError, r"num_channels must be a positive int, got str: '2'"),
        ({"format": 3}, TypeError, r"format must be a MIME type str such as 'audio/mpeg', got int"),
        ({"format": "mpeg"}, ValueError, r"format must be a MIME type such as 'audio/mpeg', got 'mpeg'"),
        ({"format": "audio/pcm;rate"}, ValueError, r"expected parameters as name=value, got 'rate'"),
        ({"frame_type": 3}, TypeError, r"frame_type must be a frame class or None, got int"),
        (
            {"decoder": 3},
            TypeError,
            r"decoder must be an audio decoder name \(str\), an audio decoder object or None, got int",
        ),
        ({"decoder": "nope"}, UnknownProviderError, r"unknown audio decoder 'nope'; known: .*g711, pcm.*wav"),
        (
            {"format": "video/x-unknown"},
            UnsupportedFormatError,
            r"no audio decoder handles format 'video/x-unknown'",
        ),
    ],
)
def test_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        AudioStreamDecoder(**kwargs)


async def test_push_checks():
    decoder = AudioStreamDecoder(format="audio/wav")
    with pytest.raises(TypeError, match=r"chunk must be bytes, bytearray or memoryview, got str"):
        decoder.push("RIFF")  # type: ignore[arg-type]
    decoder.end_input()
    decoder.end_input()  # idempotent
    with pytest.raises(InputClosedError, match=r"push\(\) after end_input\(\): the stream has ended"):
        decoder.push(b"\0\0")
    await decoder.aclose()
    closed = AudioStreamDecoder()
    await closed.aclose()
    await closed.aclose()  # idempotent
    with pytest.raises(InputClosedError, match=r"push\(\) after aclose\(\): the decoder is closed"):
        closed.push(b"\0\0")
    assert isinstance(InputClosedError("x"), RuntimeError)


@pytest.mark.parametrize(
    "chunk", ["RIFF", 3, None, array("h", [1, 2]), [82, 73]], ids=["str", "int", "None", "array", "list"]
)
async def test_push_refuses_what_is_not_bytes(chunk):
    decoder = AudioStreamDecoder(format="audio/wav")
    name = type(chunk).__name__
    with pytest.raises(TypeError, match=rf"chunk must be bytes, bytearray or memoryview, got {name}"):
        decoder.push(chunk)
    await decoder.aclose()


async def test_push_takes_bytes_subclasses_bytearray_and_memoryview():
    class Payload(bytes):
        pass

    data = wav16(SAMPLES)
    for make in (Payload, bytearray, memoryview, lambda d: memoryview(d)[::1]):
        decoder = AudioStreamDecoder(sample_rate=None)
        decoder.push(make(data[:30]))  # sniffing
        decoder.push(make(data[30:]))  # an open session
        decoder.end_input()
        assert samples_of([f async for f in decoder]) == SAMPLES


async def test_a_pushed_bytearray_changed_afterwards_does_not_change_the_samples():
    decoder = AudioStreamDecoder(sample_rate=None, format="audio/wav")
    data = bytearray(wav16(SAMPLES))
    decoder.push(data)
    data[44:] = bytes(len(data) - 44)
    decoder.end_input()
    assert samples_of([f async for f in decoder]) == SAMPLES


def test_constructed_outside_a_running_loop():
    """No event loop is needed (nor looked up) to build and feed a decoder."""
    decoder = AudioStreamDecoder(sample_rate=None)
    decoder.push(wav16(SAMPLES))
    decoder.end_input()

    async def consume() -> list[int]:
        return samples_of([f async for f in decoder])

    assert asyncio.run(consume()) == SAMPLES


async def test_aclose_drops_frames_and_ends_iteration():
    decoder = AudioStreamDecoder(sample_rate=None)
    decoder.push(wav16(SAMPLES))
    await decoder.aclose()
    assert [f async for f in decoder] == []


async def test_aclose_wakes_a_waiting_consumer():
    decoder = AudioStreamDecoder(format="audio/wav")
    waiting = asyncio.ensure_future(anext(decoder, None))
    await asyncio.sleep(0)
    assert not waiting.done()
    await decoder.aclose()
    assert await waiting is None


async def test_concurrent_consumers_share_the_frames_and_all_see_the_end():
    """Two tasks iterating one decoder: each frame goes to one of them, and neither hangs."""
    decoder = AudioStreamDecoder(sample_rate=None, format="audio/wav")
    first = asyncio.ensure_future(anext(decoder, None))
    second = asyncio.ensure_future(anext(decoder, None))
    await asyncio.sleep(0)  # both wait
    decoder.push(wav16(SAMPLES))
    decoder.end_input()
    got = await asyncio.wait_for(asyncio.gather(first, second), 10)  # a guard: it hung
    assert [f for f in got if f is not None] != []
    assert samples_of([f for f in got if f is not None]) == SAMPLES


async def test_aclose_wakes_every_waiting_consumer():
    decoder = AudioStreamDecoder(format="audio/wav")
    waiting = [asyncio.ensure_future(anext(decoder, None)) for _ in range(3)]
    await asyncio.sleep(0)
    await decoder.aclose()
    assert await asyncio.wait_for(asyncio.gather(*waiting), 10) == [None, None, None]  # a guard: it hung


async def test_a_woken_consumer_cancelled_passes_the_frame_on():
    decoder = AudioStreamDecoder(sample_rate=None, format="audio/wav")
    first = asyncio.ensure_future(anext(decoder, None))
    second = asyncio.ensure_future(anext(decoder, None))
    await asyncio.sleep(0)
    decoder.push(wav16(SAMPLES))  # wakes the first...
    first.cancel()  # ...which is cancelled before it runs
    decoder.end_input()
    assert samples_of([await asyncio.wait_for(second, 10)]) == SAMPLES  # a guard: it hung
    assert first.cancelled()


async def test_an_aclose_cancelled_while_the_session_stops_is_finished_by_the_next():
    """The caller of aclose() cancelled while its worker winds down: the next aclose() waits for it."""
    stopped = asyncio.Event()
    finished: list[bool] = []

    class SlowToStop(PcmDecoder):
        name = "slow-to-stop"

        def open(self, media_type, sink):
            class Session:
                def push(self, data):
                    pass

                def end_input(self):
                    sink.finish()

                async def aclose(self):
                    await stopped.wait()  # a worker thread being joined
                    finished.append(True)

            return Session()

    decoder = AudioStreamDecoder(decoder=SlowToStop())
    closing = asyncio.ensure_future(decoder.aclose())
    await asyncio.sleep(0)
    closing.cancel()
    with pytest.raises(asyncio.CancelledError):
        await closing
    again = asyncio.ensure_future(decoder.aclose())
    await asyncio.sleep(0)
    assert not again.done()  # it waits for the session, as the first call did
    stopped.set()
    await asyncio.wait_for(again, 10)  # a guard: it hung
    assert finished == [True]
    await decoder.aclose()  # then idempotent
    assert finished == [True]


async def test_sniffing_chooses_the_decoder_on_the_first_bytes():
    decoder = AudioStreamDecoder(sample_rate=None)
    assert decoder.decoder is None
    data = wav16(SAMPLES)
    for b in data[:11]:  # fewer bytes than SNIFF_SIZE: still undecided
        decoder.push(bytes([b]))
    assert decoder.decoder is None
    decoder.push(data[11:])
    assert isinstance(decoder.decoder, WavDecoder)
    decoder.end_input()
    assert samples_of([f async for f in decoder]) == SAMPLES


async def test_a_generic_mime_type_is_sniffed():
    frames = await decode_all([wav16(SAMPLES)], format="application/octet-stream")
    assert samples_of(frames) == SAMPLES


async def test_short_unknown_stream_fails_at_end_of_input():
    decoder = AudioStreamDecoder()
    decoder.push(b"\x00\x01\x02")
    decoder.end_input()
    with pytest.raises(UnsupportedFormatError, match=r"a stream starting with b'\\x00\\x01\\x02'"):
        await anext(decoder)


async def test_decoder_object_and_name():
    frames = await decode_all([pcm16(SAMPLES)], decoder=PcmDecoder(), format="audio/pcm;rate=16000")
    assert samples_of(frames) == SAMPLES
    frames = await decode_all([wav16(SAMPLES)], decoder="wav")
    assert samples_of(frames) == SAMPLES


async def test_an_explicit_decoder_is_obeyed_whatever_the_format():
    decoder = AudioStreamDecoder(decoder="wav", format="audio/pcm;rate=8000")
    assert isinstance(decoder.decoder, WavDecoder)
    await decoder.aclose()


async def test_environment_variable_selects_a_decoder_that_claims_the_stream(monkeypatch):
    monkeypatch.setenv(DECODER_ENV_VAR, "pcm")
    decoder = AudioStreamDecoder(format="audio/L16;rate=8000")
    assert isinstance(decoder.decoder, PcmDecoder)
    # ... and is ignored for a stream it does not claim.
    frames = await decode_all([wav16(SAMPLES)])
    assert samples_of(frames) == SAMPLES
    await decoder.aclose()


async def test_environment_variable_naming_no_decoder(monkeypatch):
    monkeypatch.setenv(DECODER_ENV_VAR, "nope")
    with pytest.raises(
        UnknownProviderError,
        match=rf"unknown audio decoder 'nope' \(from environment variable {DECODER_ENV_VAR}\)",
    ):
        AudioStreamDecoder(format="audio/wav")


async def test_unavailable_decoder_object():
    class Broken(PcmDecoder):
        name = "broken"

        def is_available(self) -> bool:
            return False

        def unavailable_reason(self) -> str:
            return "needs the moon"

    with pytest.raises(
        ProviderUnavailableError, match=r"audio decoder 'broken' is not available: needs the moon"
    ):
        AudioStreamDecoder(decoder=Broken())


async def test_unsupported_format_is_a_lookup_error_chained_to_the_registry_error():
    with pytest.raises(UnsupportedFormatError) as info:
        AudioStreamDecoder(format="text/html")
    assert isinstance(info.value, LookupError)
    assert isinstance(info.value.__cause__, NoProviderError)


@pytest.mark.parametrize(("channels_in", "channels_out"), [(1, 2), (2, 1), (2, 2), (3, 2)])
async def test_channels_are_remixed(channels_in, channels_out):
    interleaved = [v + c for v in SAMPLES for c in range(channels_in)]
    frames = await decode_all(
        [wav16(interleaved, channels=channels_in)], sample_rate=None, num_channels=channels_out
    )
    got = samples_of(frames)
    assert {f.num_channels for f in frames} == {channels_out}
    assert sum(f.samples_per_channel for f in frames) == len(SAMPLES)
    if channels_in == channels_out:
        assert got == interleaved
    elif channels_in == 1:
        assert got == [v for v in SAMPLES for _ in range(channels_out)]
    else:  # averaged (floor), then duplicated
        mono = [sum(v + c for c in range(channels_in)) // channels_in for v in SAMPLES]
        assert got == [m for m in mono for _ in range(channels_out)]


async def test_livekit_frames_when_asked():
    rtc = require("livekit.rtc")
    frames = await decode_all([wav16(SAMPLES)], frame_type=rtc.AudioFrame)
    assert all(type(f) is rtc.AudioFrame for f in frames)
    assert [s for f in frames for s in f.data] == SAMPLES


async def test_frame_type_any_class_taking_the_four_keywords():
    class MyFrame:
        def __init__(self, *, data, sample_rate, num_channels, samples_per_channel):
            self.data = memoryview(data).cast("h")
            self.sample_rate = sample_rate
            self.num_channels = num_channels
            self.samples_per_channel = samples_per_channel

    frames = await decode_all([wav16(SAMPLES)], frame_type=MyFrame)
    assert {type(f) for f in frames} == {MyFrame}
    assert samples_of(frames) == SAMPLES


async def test_consumer_on_another_loop_thread_gets_every_frame():
    """Frames pushed on one thread are delivered to a consumer awaiting on the loop."""
    decoder = AudioStreamDecoder(sample_rate=None, format="audio/pcm;rate=16000")
    loop = asyncio.get_running_loop()

    def produce() -> None:
        for i in range(0, len(SAMPLES), 32):
            loop.call_soon_threadsafe(decoder.push, pcm16(SAMPLES[i : i + 32]))
        loop.call_soon_threadsafe(decoder.end_input)

    await asyncio.to_thread(produce)
    assert samples_of([f async for f in decoder]) == SAMPLES


@pytest.mark.parametrize(("source_rate", "out_rate"), [(24000, 48000), (24000, 16000), (8000, 16000)])
async def test_resampled_sine_keeps_its_frequency_level_and_duration(source_rate, out_rate):
    import itertools
    import math

    source = sine(source_rate // 2, source_rate, freq=440.0, amp=0.5)
    frames = await decode_all(list(splits(wav16(source, rate=source_rate), [480, 7])), sample_rate=out_rate)
    assert {f.sample_rate for f in frames} == {out_rate}
    got = samples_of(frames)
    assert abs(len(got) - out_rate // 2) <= 1  # every input sample, nothing added (flushed at the end)
    middle = got[len(got) // 4 : 3 * len(got) // 4]
    crossings = sum(1 for a, b in itertools.pairwise(middle) if a < 0 <= b)
    assert crossings * out_rate / len(middle) == pytest.approx(440.0, rel=0.02)
    rms = math.sqrt(sum(v * v for v in middle) / len(middle))
    assert 20 * math.log10(rms / (0.5 * 32767 / math.sqrt(2))) == pytest.approx(0.0, abs=0.2)


async def test_a_new_riff_at_another_rate_flushes_the_resampler_first():
    first, second = sine(1600, 16000), sine(2400, 24000, freq=300.0)
    frames = await decode_all([wav16(first), wav16(second, rate=24000)], sample_rate=48000)
    assert {f.sample_rate for f in frames} == {48000}
    assert abs(sum(f.samples_per_channel for f in frames) - (4800 + 4800)) <= 2


async def test_a_decoder_emitting_a_partial_sample_frame_ends_the_stream_with_its_error():
    class Sloppy(PcmDecoder):
        name = "sloppy"

        def open(self, media_type, sink):
            class Session:
                def push(self, data):
                    sink.emit(data, 8000, 2)  # not checked for whole stereo frames

                def end_input(self):
                    sink.finish()

                async def aclose(self):
                    pass

            return Session()

    decoder = AudioStreamDecoder(decoder=Sloppy(), sample_rate=None, num_channels=None)
    decoder.push(b"\x01\x00\x02\x00")
    decoder.push(b"\x01\x00")
    decoder.end_input()
    assert (await anext(decoder)).data.tolist() == [1, 2]
    with pytest.raises(
        ValueError, match=r"emit\(\) takes whole sample frames of 4 bytes \(2 channels of int16\), got 2"
    ):
        await anext(decoder)


async def test_a_buffer_a_decoder_reuses_is_copied_when_queued():
    class Reusing(PcmDecoder):
        name = "reusing"

        def open(self, media_type, sink):
            scratch = bytearray(2)

            class Session:
                def push(self, data):
                    for i in range(0, len(data), 2):
                        scratch[:] = data[i : i + 2]
                        sink.emit(scratch, 8000, 1)  # the same buffer, overwritten each time

                def end_input(self):
                    sink.finish()

                async def aclose(self):
                    pass

            return Session()

    frames = await decode_all([pcm16([1, 2, 3])], decoder=Reusing())
    assert samples_of(frames) == [1, 2, 3]
