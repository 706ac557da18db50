"""The av decoder (full leg): real mp3, aac, opus, vorbis, flac and webm made with PyAV."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import math
import random
import threading

import pytest
from tests.codecs._encode import FORMATS, Encoded, decode_whole, encode
from tests.codecs._media import decode_all, samples_of, sine
from tests.conftest import require

from agentutils_codecs import AudioStreamDecoder, AvDecoder, DecodeError, sniff_format

RATE = 48000
SOURCE = sine(RATE // 2, RATE, freq=440.0, amp=0.5)  # half a second


@pytest.fixture(scope="module")
def media() -> dict[str, Encoded]:
    require("av")
    return {name: encode(name, SOURCE, RATE) for name in FORMATS}


def random_cuts(data: bytes, seed: int) -> list[bytes]:
    rng = random.Random(seed)
    out, pos = [], 0
    while pos < len(data):
        n = rng.choice([1, 7, 100, 333, 1024, 4096, 20000])
        out.append(data[pos : pos + n])
        pos += n
    return out


def level_db(samples: list[int]) -> float:
    rms = math.sqrt(sum(v * v for v in samples) / len(samples))
    return 20 * math.log10(rms / 32768)


def frequency(samples: list[int], rate: int) -> float:
    crossings = sum(1 for a, b in itertools.pairwise(samples) if a < 0 <= b)
    return crossings * rate / len(samples)


@pytest.mark.parametrize("name", list(FORMATS))
async def test_chunked_decode_equals_one_shot_and_whole_file(media, name):
    clip = media[name]
    one_shot = samples_of(await decode_all([clip.data]))
    for seed in (1, 2):
        assert samples_of(await decode_all(random_cuts(clip.data, seed))) == one_shot
    whole = decode_whole(clip.data)
    assert one_shot[: len(whole)] == whole  # a stream decodes as the whole file does


@pytest.mark.parametrize("name", list(FORMATS))
async def test_duration_within_one_codec_frame(media, name):
    clip = media[name]
    frames = await decode_all([clip.data], format=clip.mime)
    assert {f.num_channels for f in frames} == {clip.channels}
    decoded = sum(f.samples_per_channel for f in frames)
    assert abs(decoded - clip.priming - clip.source_samples) <= clip.frame_size


@pytest.mark.parametrize("name", list(FORMATS))
async def test_sniffed_and_declared_formats_choose_av(media, name):
    clip = media[name]
    assert sniff_format(clip.data[:12]) == {"opus": "audio/ogg", "vorbis": "audio/ogg"}.get(name, clip.mime)
    decoder = AudioStreamDecoder()
    decoder.push(clip.data[:12])
    assert isinstance(decoder.decoder, AvDecoder)
    await decoder.aclose()


@pytest.mark.parametrize("name", ["mp3", "opus", "aac"])
@pytest.mark.parametrize("out_rate", [None, 16000])
async def test_a_sine_keeps_its_frequency_and_level(media, name, out_rate):
    clip = media[name]
    frames = await decode_all(random_cuts(clip.data, 3), sample_rate=out_rate, num_channels=1)
    rate = out_rate or RATE
    assert {f.sample_rate for f in frames} == {rate}
    got = samples_of(frames)
    middle = got[len(got) // 4 : 3 * len(got) // 4]  # away from codec priming and tails
    assert frequency(middle, rate) == pytest.approx(440.0, rel=0.02)
    assert level_db(middle) == pytest.approx(level_db(SOURCE), abs=0.5)


async def test_stereo_source_downmixed_and_kept(media):
    clip = media["vorbis"]
    mono = await decode_all([clip.data], num_channels=1)
    stereo = await decode_all([clip.data], num_channels=2)
    assert {f.num_channels for f in mono} == {1}
    assert {f.num_channels for f in stereo} == {2}
    assert len(samples_of(stereo)) == 2 * len(samples_of(mono))


@pytest.mark.parametrize(
    ("data", "fmt"),
    [
        (b"OggS" + bytes(range(256)) * 8, None),
        (b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\x00" * 64, None),
        (b"garbage!" * 300, "audio/mpeg"),
    ],
    ids=["ogg-garbage", "id3-then-nothing", "mpeg-garbage"],
)
async def test_corrupt_data_is_a_decode_error(data, fmt):
    require("av")
    decoder = AudioStreamDecoder(format=fmt)
    decoder.push(data)
    decoder.end_input()
    with pytest.raises(DecodeError, match=r"^av decoder, format audio/(ogg|mpeg) at byte \d+: ") as info:
        await anext(decoder)
    assert info.value.decoder == "av"
    assert info.value.offset is not None


async def test_truncated_stream_delivers_what_decodes(media):
    clip = media["mp3"]
    frames = await decode_all([clip.data[: len(clip.data) // 2]])
    full = samples_of(await decode_all([clip.data]))
    got = samples_of(frames)
    assert 0 < len(got) < len(full)
    assert got == full[: len(got)]  # nothing invented before the cut


async def test_empty_stream_with_declared_format():
    require("av")
    assert await decode_all([], format="audio/mpeg") == []


def _decoder_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "agentutils-av-decoder"]


async def test_aclose_mid_decode_is_silent_and_leaves_no_thread(media):
    clip = media["opus"]
    before = len(_decoder_threads())
    decoder = AudioStreamDecoder()
    decoder.push(clip.data[: len(clip.data) // 2])  # no end_input: the worker waits for more
    first = await anext(decoder)
    assert first.samples_per_channel > 0
    assert len(_decoder_threads()) == before + 1
    await decoder.aclose()
    assert len(_decoder_threads()) == before
    assert [f async for f in decoder] == []


async def test_aclose_while_the_consumer_waits(media):
    clip = media["mp3"]
    decoder = AudioStreamDecoder()
    decoder.push(clip.data[:2000])
    consumer = asyncio.ensure_future(decoder.__anext__())
    await asyncio.sleep(0)
    await decoder.aclose()
    with contextlib.suppress(StopAsyncIteration):
        await consumer
    assert _decoder_threads() == []
