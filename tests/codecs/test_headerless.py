"""The pcm and g711 decoders: headerless audio declared by its MIME type."""

from __future__ import annotations

from array import array

import pytest
from hypothesis import given, strategies as st
from tests.codecs._media import consume, decode_all, pcm16, samples_of, sine, splits

from agentutils_codecs import AudioStreamDecoder, DecodeError, alaw_encode, ulaw_decode, ulaw_encode

SAMPLES = sine(800, 24000, amp=0.7)


@given(cuts=st.lists(st.integers(min_value=1, max_value=99), min_size=1, max_size=10))
async def test_pcm_any_split(cuts):
    frames = await decode_all(splits(pcm16(SAMPLES), cuts), format="audio/pcm;rate=24000;channels=1")
    assert samples_of(frames) == SAMPLES
    assert {(f.sample_rate, f.num_channels) for f in frames} == {(24000, 1)}


@pytest.mark.parametrize("mime", ["audio/pcm; rate=16000; channels=2", "audio/raw;rate=16000;channels=2"])
async def test_pcm_little_endian_with_channels(mime):
    stereo = SAMPLES[:400]
    frames = await decode_all([pcm16(stereo)], format=mime)
    assert samples_of(frames) == stereo
    assert {(f.sample_rate, f.num_channels) for f in frames} == {(16000, 2)}


async def test_l16_is_big_endian():
    big = array("h", SAMPLES)
    big.byteswap()
    frames = await decode_all(splits(big.tobytes(), [3]), format="audio/L16;rate=8000")
    assert samples_of(frames) == SAMPLES
    assert frames[0].sample_rate == 8000


@pytest.mark.parametrize(
    ("mime", "encode", "rate"),
    [
        ("audio/pcmu", ulaw_encode, 8000),
        ("audio/basic", ulaw_encode, 8000),
        ("audio/x-mulaw", ulaw_encode, 8000),
        ("audio/pcma", alaw_encode, 8000),
        ("audio/PCMA;rate=16000", alaw_encode, 16000),
    ],
)
async def test_g711(mime, encode, rate):
    codes = encode(pcm16(SAMPLES))
    frames = await decode_all(splits(codes, [160]), format=mime)
    decode = ulaw_decode if encode is ulaw_encode else None
    expected = array("h", decode(codes)).tolist() if decode else None
    got = samples_of(frames)
    assert len(got) == len(SAMPLES)
    if expected is not None:
        assert got == expected
    assert {f.sample_rate for f in frames} == {rate}
    assert max(abs(a - b) for a, b in zip(got, SAMPLES, strict=True)) < 1100  # G.711's coarsest step


async def test_g711_channels_parameter():
    codes = ulaw_encode(pcm16(SAMPLES))
    frames = await decode_all([codes], format="audio/pcmu;channels=2")
    assert frames[0].num_channels == 2
    assert sum(f.samples_per_channel for f in frames) == len(SAMPLES) // 2


@pytest.mark.parametrize(
    ("fmt", "match"),
    [
        (
            "audio/pcm",
            r"format 'audio/pcm': headerless PCM needs its sample rate, e.g. 'audio/pcm;rate=24000'",
        ),
        ("audio/L16;channels=1", r"headerless PCM needs its sample rate"),
        (
            "audio/pcm;rate=abc",
            r"format audio/pcm;rate=abc: parameter rate must be a positive integer, got 'abc'",
        ),
        ("audio/pcm;rate=0", r"parameter rate must be a positive integer, got '0'"),
        ("audio/pcmu;channels=-1", r"parameter channels must be a positive integer, got '-1'"),
    ],
)
def test_bad_parameters_fail_at_construction(fmt, match):
    with pytest.raises(ValueError, match=match):
        AudioStreamDecoder(format=fmt)


@pytest.mark.parametrize(
    ("decoder", "fmt", "match"),
    [
        ("pcm", None, r"the pcm decoder needs format= such as 'audio/pcm;rate=24000;channels=1', got None"),
        ("pcm", "audio/wav", r"the pcm decoder needs format= .*got 'audio/wav'"),
        (
            "g711",
            None,
            r"the g711 decoder needs format= 'audio/pcmu', 'audio/pcma' or 'audio/basic', got None",
        ),
    ],
)
def test_headerless_decoders_need_their_format(decoder, fmt, match):
    with pytest.raises(ValueError, match=match):
        AudioStreamDecoder(decoder=decoder, format=fmt)


async def test_truncated_sample_frame_is_a_decode_error_after_the_whole_ones():
    decoder = AudioStreamDecoder(
        sample_rate=None, num_channels=None, format="audio/pcm;rate=16000;channels=2"
    )
    decoder.push(pcm16([1, 2, 3, 4, 5]))  # two whole stereo frames and half of one
    decoder.end_input()
    got: list[int] = []
    with pytest.raises(
        DecodeError, match=r"pcm decoder, format audio/pcm;rate=16000;channels=2 at byte 8: truncated"
    ):
        await consume(decoder, got)
    assert got == [1, 2, 3, 4]


async def test_headerless_audio_is_never_sniffed():
    """Raw PCM with no format: nothing recognises it, and the error says to pass format=."""
    decoder = AudioStreamDecoder()
    decoder.push(pcm16(SAMPLES[1:50]))
    decoder.end_input()
    from agentutils_codecs import UnsupportedFormatError

    with pytest.raises(UnsupportedFormatError, match=r"no known format; pass format="):
        await anext(decoder)
