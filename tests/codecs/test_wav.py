"""The wav decoder: a streaming RIFF/WAVE parser, each quirk in a file built byte by byte."""

from __future__ import annotations

import io
import struct
import wave
from array import array

import pytest
from hypothesis import given, strategies as st
from tests.codecs._media import (
    chunk,
    consume,
    decode_all,
    fmt_body,
    pcm16,
    riff,
    samples_of,
    sine,
    splits,
    wav16,
)
from tests.conftest import require

from agentutils_codecs import AudioStreamDecoder, DecodeError, g711

SAMPLES = sine(480, 16000, amp=0.8)


def stdlib_wav(samples: list[int], rate: int = 16000, channels: int = 1, width: int = 2) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(rate)
        w.writeframes(array("h", samples).tobytes() if width == 2 else bytes(samples))
    return out.getvalue()


async def test_stdlib_wav_in_one_push():
    frames = await decode_all([stdlib_wav(SAMPLES)])
    assert samples_of(frames) == SAMPLES
    assert {(f.sample_rate, f.num_channels) for f in frames} == {(16000, 1)}


async def test_stereo_keeps_channels_interleaved():
    stereo = [s for i, v in enumerate(SAMPLES) for s in (v, -v if i % 2 else v // 2)]
    frames = await decode_all([stdlib_wav(stereo, channels=2)])
    assert samples_of(frames) == stereo
    assert frames[0].num_channels == 2


@given(cuts=st.lists(st.integers(min_value=1, max_value=200), min_size=1, max_size=20))
async def test_any_split_yields_the_same_samples(cuts):
    data = wav16(SAMPLES[:200]) + wav16(SAMPLES[200:], rate=16000)
    frames = await decode_all(splits(data, cuts))
    assert samples_of(frames) == SAMPLES


def _mixed_stream() -> tuple[bytes, list[int]]:
    """Three files back to back: 16-bit stereo with odd chunks around the data, 24-bit mono,
    then 16-bit mono of unknown size; and the int16 samples they decode to."""
    stereo = [v for s in SAMPLES[:150] for v in (s, -s)]
    first = riff(
        chunk(b"LIST", b"odd"),
        chunk(b"fmt ", fmt_body(1, 2, 16000, 16)),
        chunk(b"data", pcm16(stereo)),
        chunk(b"junk", b"x"),
    )
    wide = SAMPLES[150:300]
    second = riff(
        chunk(b"fmt ", fmt_body(1, 1, 16000, 24)),
        chunk(b"data", b"".join(struct.pack("<i", v * 256 + 17)[:3] for v in wide)),
    )
    third = wav16(SAMPLES[300:], rate=24000, data_size=0xFFFFFFFF, riff_size=0xFFFFFFFF)
    return first + second + third, stereo + wide + SAMPLES[300:]


MIXED, MIXED_SAMPLES = _mixed_stream()


@given(cuts=st.lists(st.integers(min_value=1, max_value=700), min_size=1, max_size=20))
async def test_any_split_of_mixed_files_yields_the_same_samples(cuts):
    frames = await decode_all(splits(MIXED, cuts))
    assert samples_of(frames) == MIXED_SAMPLES
    assert [(f.sample_rate, f.num_channels) for f in frames][-1] == (24000, 1)


async def test_each_push_is_available_before_the_next():
    """No added latency: a push's whole samples are queued before anything else is pushed."""
    data = wav16(SAMPLES)
    decoder = AudioStreamDecoder(sample_rate=None)
    decoder.push(data[:44])  # the header alone: no samples yet
    got: list[int] = []
    pushed = 0
    for piece in splits(data[44:], [320, 33, 1, 641]):
        decoder.push(piece)
        pushed += len(piece)
        while decoder._output._items or decoder._output._parts:  # what the consumer can take now
            got.extend((await anext(decoder)).data.tolist())
        assert len(got) == pushed // 2
    decoder.end_input()
    assert [f async for f in decoder] == []
    assert got == SAMPLES


@pytest.mark.parametrize(
    ("tag", "bits", "encode"),
    [
        (1, 8, lambda s: bytes((v >> 8) + 128 for v in s)),
        (1, 24, lambda s: b"".join(struct.pack("<i", v * 256 + 17)[:3] for v in s)),
        (1, 32, lambda s: b"".join(struct.pack("<i", v * 65536 + 1234) for v in s)),
        (3, 32, lambda s: array("f", [v / 32768 for v in s]).tobytes()),
        (3, 64, lambda s: array("d", [v / 32768 for v in s]).tobytes()),
        (6, 8, lambda s: g711.alaw_encode(pcm16(s))),
        (7, 8, lambda s: g711.ulaw_encode(pcm16(s))),
    ],
)
async def test_sample_formats_convert_to_int16(tag, bits, encode):
    body = encode(SAMPLES)
    data = riff(chunk(b"fmt ", fmt_body(tag, 1, 16000, bits)), chunk(b"data", body))
    frames = await decode_all(splits(data, [7, 100]))
    got = samples_of(frames)
    if tag == 1 and bits == 8:
        expected = [(v >> 8) << 8 for v in SAMPLES]
    elif tag in (6, 7):
        decode = g711.alaw_decode if tag == 6 else g711.ulaw_decode
        expected = array("h", decode(body)).tolist()
    else:
        expected = SAMPLES  # exact: the low bytes are dropped, floats scale back exactly
    assert got == expected


async def test_float_saturates_and_maps_nan_to_zero():
    values = [1.5, -2.0, 1.0, -1.0, float("nan"), float("inf"), 0.25, 1 / 65536, 3 / 65536]
    for code, bits in (("f", 32), ("d", 64)):
        data = riff(chunk(b"fmt ", fmt_body(3, 1, 8000, bits)), chunk(b"data", array(code, values).tobytes()))
        got = samples_of(await decode_all([data]))
        assert got == [32767, -32768, 32767, -32768, 0, 32767, 8192, 0, 2]  # half to even


def test_float_numpy_and_python_paths_agree():
    require("numpy")
    from agentutils_codecs.decoders import _pcm

    values = [((i * 7919) % 4001 - 2000) / 1500 for i in range(1000)] + [
        float("nan"),
        0.5 / 32768,
        1.5 / 32768,
    ]
    for code in ("f", "d"):
        data = array(code, values).tobytes()
        assert _pcm._floats_to_s16(data, code, use_numpy=True) == _pcm._floats_to_s16(
            data, code, use_numpy=False
        )


@pytest.mark.parametrize("use_numpy", [False, True])
def test_float_out_of_range_saturates_without_a_warning(use_numpy):
    """Finite floats far beyond full scale (1e308 * 32768 overflows) saturate, with no RuntimeWarning."""
    if use_numpy:
        require("numpy")
    from agentutils_codecs.decoders import _pcm

    values = [1e308, -1e308, 3.4e38, -3.4e38, float("inf"), float("-inf"), float("nan"), 0.5]
    expected = [32767, -32768, 32767, -32768, 32767, -32768, 0, 16384]
    for code in ("f", "d"):
        data = array(code, values if code == "d" else values[2:]).tobytes()
        got = array("h", _pcm._floats_to_s16(data, code, use_numpy=use_numpy)).tolist()
        assert got == (expected if code == "d" else expected[2:])


async def test_extensible_format():
    for sub, bits, body in (
        (1, 16, pcm16(SAMPLES)),
        (3, 32, array("f", [v / 32768 for v in SAMPLES]).tobytes()),
    ):
        data = riff(
            chunk(b"fmt ", fmt_body(0xFFFE, 1, 16000, bits, extensible_tag=sub)), chunk(b"data", body)
        )
        assert samples_of(await decode_all(splits(data, [5]))) == SAMPLES


async def test_odd_sized_chunks_and_their_pad_byte():
    odd = chunk(b"LIST", b"abc")  # 3 bytes + the pad byte
    data = riff(
        odd, chunk(b"fmt ", fmt_body(1, 1, 16000, 16)), chunk(b"junk", b"x"), chunk(b"data", pcm16(SAMPLES))
    )
    assert samples_of(await decode_all(splits(data, [1]))) == SAMPLES


async def test_odd_sized_data_chunk_of_8_bit_samples_then_another_chunk():
    body = bytes(range(0, 255, 2))[:127]  # 127 unsigned samples: an odd data chunk, padded
    data = riff(chunk(b"fmt ", fmt_body(1, 1, 8000, 8)), chunk(b"data", body), chunk(b"LIST", b"info"))
    got = samples_of(await decode_all([data]))
    assert got == [(b - 128) << 8 for b in body]


async def test_data_size_is_honoured_and_what_follows_is_ignored():
    data = wav16(SAMPLES) + b"trailing garbage that is not a RIFF"
    assert samples_of(await decode_all(splits(data, [3, 97]))) == SAMPLES


async def test_bytes_inside_riff_after_data_are_chunks_not_samples():
    data = riff(
        chunk(b"fmt ", fmt_body(1, 1, 16000, 16)), chunk(b"data", pcm16(SAMPLES)), chunk(b"LIST", b"x" * 10)
    )
    assert samples_of(await decode_all([data])) == SAMPLES


@pytest.mark.parametrize("unknown", [0, 0xFFFFFFFF])
async def test_unknown_sizes_mean_until_the_end_of_the_stream(unknown):
    data = wav16(SAMPLES, data_size=unknown, riff_size=unknown)
    assert samples_of(await decode_all(splits(data, [13, 64]))) == SAMPLES


@pytest.mark.parametrize("riff_size", [4, 20, 35])
async def test_a_riff_size_ending_before_the_data_chunk_is_not_trusted(riff_size):
    """As FFmpeg and the reference: a stale RIFF size (written before the data) still decodes."""
    data = wav16(SAMPLES, riff_size=riff_size) + wav16(SAMPLES[:10])
    assert samples_of(await decode_all(splits(data, [7, 100]))) == SAMPLES + SAMPLES[:10]


async def test_several_riff_files_back_to_back():
    first, second = SAMPLES[:100], sine(300, 24000, freq=1000)
    data = wav16(first) + wav16(second, rate=24000, channels=1) + wav16(first)
    frames = await decode_all(splits(data, [50]))
    assert samples_of(frames) == first + second + first
    rates = [f.sample_rate for f in frames]
    assert (rates[0], rates[-1]) == (16000, 16000)
    assert 24000 in rates


async def test_unknown_length_files_pushed_one_per_chunk():
    """Providers that send each chunk as a whole WAV with an "unknown" size."""
    parts = [SAMPLES[:160], SAMPLES[160:320], SAMPLES[320:]]
    pushes = [wav16(p, data_size=0xFFFFFFFF, riff_size=0xFFFFFFFF) for p in parts]
    assert samples_of(await decode_all(pushes)) == SAMPLES


async def test_unknown_length_files_whose_header_is_split_across_pushes():
    """A provider writing "RIFF" and the size apart: the next file, not 8 bytes of noise."""
    parts = [SAMPLES[:160], SAMPLES[160:320], SAMPLES[320:]]
    pushes = []
    for part in parts:
        data = wav16(part, data_size=0xFFFFFFFF, riff_size=0xFFFFFFFF)
        pushes += [data[:8], data[8:]]
    pushes[-1:] = [pushes[-1][:30], pushes[-1][30:]]
    assert samples_of(await decode_all(pushes)) == SAMPLES


async def test_samples_that_spell_riff_at_a_push_boundary_are_samples():
    riff_like = [18770, 17990]  # b"RIFF" as little-endian int16
    body = [1, 2, *riff_like, 3, *riff_like, 4, 5, 6, 7, 8, 9]
    header = wav16([], data_size=0xFFFFFFFF, riff_size=0xFFFFFFFF)
    pushes = [header, pcm16(body[:2]), pcm16(body[2:5]), pcm16(body[5:])]  # 6 bytes, then no WAVE
    assert samples_of(await decode_all(pushes)) == body


async def test_a_stream_ending_inside_a_split_riff_header_is_truncated():
    first = wav16(SAMPLES, data_size=0xFFFFFFFF, riff_size=0xFFFFFFFF)
    decoder = AudioStreamDecoder(sample_rate=None)
    decoder.push(first)
    decoder.push(b"RIFF\xff\xff\xff\xff")
    decoder.end_input()
    got: list[int] = []
    with pytest.raises(
        DecodeError, match=rf"at byte {len(first)}: truncated: the stream ends inside a RIFF header \(8 of 12"
    ):
        await consume(decoder, got)
    assert got == SAMPLES


async def test_empty_stream_yields_nothing():
    assert await decode_all([], format="audio/wav") == []
    assert await decode_all([]) == []


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (b"RIFX" + bytes(8), r"wav decoder, format audio/wav at byte 0: expected a RIFF/WAVE header"),
        (riff(chunk(b"data", b"\0\0")), r"at byte 12: data chunk before the fmt chunk"),
        (
            riff(chunk(b"fmt ", b"\0" * 10)),
            r"at byte 12: fmt chunk too short: expected at least 16 bytes, got 10",
        ),
        (
            riff(chunk(b"fmt ", fmt_body(0x55, 1, 16000, 16)), chunk(b"data", b"\0\0")),
            r"at byte 20: unsupported WAV encoding: format tag 0x0055 with 16 bits",
        ),
        (
            riff(chunk(b"fmt ", fmt_body(1, 0, 16000, 16)), chunk(b"data", b"")),
            r"at byte 20: invalid fmt chunk: 0 channels at 16000 Hz",
        ),
        (
            riff(chunk(b"fmt ", fmt_body(1, 1, 16000, 16), size=0x7FFFFFF0)),
            r"at byte 12: fmt chunk too large: expected at most 65553 bytes \(18 \+ a 16-bit cbSize\), "
            r"got 2147483632",
        ),
        (wav16(SAMPLES)[:-10], r"at byte \d+: truncated: the data chunk needs 10 more bytes"),
        (wav16(SAMPLES)[:30], r"at byte 30: truncated: the stream ends before a data chunk"),
        (wav16(SAMPLES, data_size=0)[:-1], r"at byte 1002: truncated: the stream ends inside a sample frame"),
        (wav16(SAMPLES, data_size=7), r"at byte 50: truncated: the stream ends inside a sample frame"),
    ],
    ids=[
        "not-riff",
        "data-first",
        "short-fmt",
        "mp3-in-wav",
        "no-channels",
        "huge-fmt",
        "truncated-data",
        "no-data",
        "partial-sample-unbounded",
        "partial-sample-sized",
    ],
)
async def test_corrupt_or_truncated_raises_decode_error(data, match):
    """Each fault names the decoder, the format and the byte offset."""
    decoder = AudioStreamDecoder(sample_rate=None, format="audio/wav")
    for piece in splits(data, [9]):
        decoder.push(piece)
    decoder.end_input()
    with pytest.raises(DecodeError, match=match) as info:
        async for _ in decoder:
            pass
    assert info.value.decoder == "wav"
    assert info.value.format == "audio/wav"
    assert isinstance(info.value, ValueError)
    assert [f async for f in decoder] == []  # raised once, then the iteration is over


async def test_samples_before_the_fault_are_delivered_first():
    good = wav16(SAMPLES)
    data = good + b"RIFF" + bytes(4) + b"JUNK"  # a second file with a broken header
    decoder = AudioStreamDecoder(sample_rate=None)
    decoder.push(data)
    decoder.end_input()
    got: list[int] = []
    with pytest.raises(DecodeError, match=rf"at byte {len(good)}: expected a RIFF/WAVE header"):
        await consume(decoder, got)
    assert got == SAMPLES  # every complete sample, nothing invented
