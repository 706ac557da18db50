"""The example third-party plugin (examples/plugin) registers a decoder, used by MIME type."""

from __future__ import annotations

import pytest
from tests.codecs._media import decode_all, samples_of

from agentutils_codecs import AudioStreamDecoder, DecodeError, audio_decoders

pytest.importorskip("agentutils_example_plugin")


def test_discovered_from_its_distribution():
    entry = next(e for e in audio_decoders.entries() if e.name == "s8")
    assert entry.plugin.distribution == "agentutils-example-plugin"
    assert not entry.builtin
    assert entry.priority == -100


async def test_decodes_its_format():
    frames = await decode_all([bytes([1, 128]), bytes([255, 2])], format="audio/x-s8;rate=16000;channels=2")
    assert samples_of(frames) == [256, -32768, -256, 512]
    assert {(f.sample_rate, f.num_channels) for f in frames} == {(16000, 2)}


async def test_its_truncation_error():
    decoder = AudioStreamDecoder(sample_rate=None, num_channels=None, format="audio/x-s8;channels=2")
    decoder.push(b"\x01\x02\x03")
    decoder.end_input()
    assert (await anext(decoder)).data.tolist() == [256, 512]
    with pytest.raises(
        DecodeError, match=r"s8 decoder, format audio/x-s8;rate=8000;channels=2 at byte 2: truncated"
    ):
        await anext(decoder)
