"""The reference livekit-agents AudioStreamDecoder as an oracle (full leg)."""

from __future__ import annotations

import pytest
from tests.codecs._encode import decode_whole, encode
from tests.codecs._media import decode_all, samples_of, sine, splits, wav16
from tests.conftest import require


def reference_decoder():
    require("livekit.agents")
    from livekit.agents.utils.codecs import AudioStreamDecoder

    return AudioStreamDecoder


async def reference_samples(chunks, **kwargs) -> list[int]:
    decoder = reference_decoder()(**kwargs)
    for c in chunks:
        decoder.push(c)
    decoder.end_input()
    out: list[int] = []
    async for frame in decoder:
        out.extend(frame.data)
    await decoder.aclose()
    return out


@pytest.mark.parametrize("rate", [16000, 24000, 48000])
async def test_wav16_same_samples_as_the_reference(rate):
    source = sine(rate // 3 + 17, rate, freq=523.0)
    data = wav16(source, rate=rate)
    pieces = list(splits(data, [7, 960, 33]))
    ours = samples_of(await decode_all(pieces, sample_rate=rate, num_channels=1))
    theirs = await reference_samples(pieces, sample_rate=rate, num_channels=1, format="audio/wav")
    assert ours == theirs == source


async def test_mp3_same_samples_as_the_reference_decoding_the_whole_file():
    """mp3 through PyAV, as the reference decodes it, minus the reference's low-latency defect.

    The reference opens its container with ``fflags=nobuffer``, which skips mp3's gapless
    start trimming and drops the last packet; this decoder does not (README, "Differences").
    Its stream therefore decodes to exactly what a whole-file PyAV decode gives, while the
    reference's is shifted and a frame short: both are checked here.
    """
    require("av")
    source = sine(24000, 24000, freq=440.0)
    clip = encode("mp3", source, 24000)
    pieces = list(splits(clip.data, [500, 4096]))
    ours = samples_of(await decode_all(pieces, sample_rate=24000, num_channels=1))
    whole = decode_whole(clip.data)
    assert ours[: len(whole)] == whole
    assert len(ours) - len(whole) < clip.frame_size  # the encoder's end padding, not trimmable in a stream
    theirs = await reference_samples(pieces, sample_rate=24000, num_channels=1, format="audio/mpeg")
    assert abs(len(theirs) - len(source)) <= 2 * clip.frame_size
    assert theirs != whole[: len(theirs)]
