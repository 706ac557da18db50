"""The decoder plugin kind: built-ins through the entry point, third-party decoders, selection."""

from __future__ import annotations

import warnings

import pytest
from tests.codecs._media import decode_all, pcm16, samples_of, wav16

from agentutils_codecs import (
    DECODER_ENV_VAR,
    AudioStreamDecoder,
    UnsupportedFormatError,
    audio_decoders,
    select_decoder,
)
from agentutils_codecs.formats import parse_media_type
from agentutils_core import PluginWarning, get_plugin_manager

DECODER_PLUGIN = """
from agentutils_core import hookimpl


class _Session:
    def __init__(self, sink, rate):
        self.sink = sink
        self.rate = rate

    def push(self, data):
        # signed 8-bit PCM: each byte becomes the high byte of an int16 sample
        out = bytearray(2 * len(data))
        out[1::2] = data
        self.sink.emit(bytes(out), self.rate, 1)

    def end_input(self):
        self.sink.finish()

    async def aclose(self):
        pass


class S8Decoder:
    name = "test-s8"
    mime_types = frozenset({{"audio/x-test-s8"}})

    def __init__(self, priority=0, sniffs=b"S8PCM", available=True):
        self.priority = priority
        self._sniffs = sniffs
        self._available = available

    def is_available(self):
        return self._available

    def unavailable_reason(self):
        return "needs the moon"

    def sniff(self, head):
        return head.startswith(self._sniffs)

    def open(self, media_type, sink):
        rate = media_type.int_param("rate", 8000) if media_type is not None else 8000
        return _Session(sink, rate)


@hookimpl
def agentutils_audio_decoders():
    return [{decoders}]
"""


@pytest.fixture
def decoder_plugin(make_plugin):
    def make(*decoders: str, dist: str = "s8-plugin"):
        return make_plugin("s8", DECODER_PLUGIN.format(decoders=", ".join(decoders)), dist=dist)

    return make


def test_builtins_come_from_the_members_entry_point():
    entries = {e.name: e for e in audio_decoders.entries()}
    assert {"wav", "pcm", "g711", "av"} <= set(entries)
    for name in ("wav", "pcm", "g711", "av"):
        assert entries[name].plugin.distribution == "agentutils-codecs"
        assert entries[name].builtin


def test_av_availability_follows_pyav():
    import importlib.util

    ok, why = audio_decoders.availability("av")
    assert ok == (importlib.util.find_spec("av") is not None)
    if not ok:
        assert why == "PyAV is not installed; pip install 'agentutils-codecs[av]'"


async def test_a_third_party_decoder_by_mime_type(decoder_plugin):
    decoder_plugin("S8Decoder()")
    entry = next(e for e in audio_decoders.entries() if e.name == "test-s8")
    assert entry.plugin.distribution == "s8-plugin"
    frames = await decode_all([bytes([1, 2, 255])], format="audio/x-test-s8;rate=16000")
    assert samples_of(frames) == [256, 512, -256]
    assert frames[0].sample_rate == 16000


async def test_a_third_party_decoder_by_sniffing(decoder_plugin):
    decoder_plugin("S8Decoder(sniffs=b'S8PCM')")
    frames = await decode_all([b"S8PCM" + bytes(20)])
    assert len(samples_of(frames)) == 25


async def test_env_var_names_a_third_party_decoder(decoder_plugin, monkeypatch):
    decoder_plugin("S8Decoder(priority=-5, sniffs=b'RIFF')")
    monkeypatch.setenv(DECODER_ENV_VAR, "test-s8")
    decoder = AudioStreamDecoder(sample_rate=None)
    decoder.push(wav16([1, 2, 3]))
    assert decoder.decoder.name == "test-s8"  # it claims RIFF, and the variable names it
    await decoder.aclose()
    monkeypatch.delenv(DECODER_ENV_VAR)
    assert select_decoder(head=wav16([1])[:12]).name == "wav"  # built-in wins on priority


def test_higher_priority_third_party_wins_for_a_shared_format(decoder_plugin):
    decoder_plugin("S8Decoder(priority=5, sniffs=b'RIFF')")
    assert select_decoder(head=wav16([1])[:12]).name == "test-s8"


def test_unavailable_claimer_says_why(decoder_plugin):
    decoder_plugin("S8Decoder(available=False)")
    with pytest.raises(
        UnsupportedFormatError,
        match=r"no audio decoder for format 'audio/x-test-s8' is available: test-s8 \(needs the moon\)",
    ):
        select_decoder(media_type=parse_media_type("audio/x-test-s8"))


def test_invalid_decoders_are_skipped_and_recorded(make_plugin):
    make_plugin(
        "broken",
        """
        from agentutils_core import hookimpl

        class NoMimes:
            name = "nomimes"
            priority = 0
            mime_types = "audio/x"
            def is_available(self): return True
            def sniff(self, head): return False
            def open(self, media_type, sink): return None

        class NoOpen:
            name = "noopen"
            priority = 0
            mime_types = ()
            def is_available(self): return True
            def sniff(self, head): return False

        @hookimpl
        def agentutils_audio_decoders():
            return [NoMimes(), NoOpen()]
        """,
        dist="broken-plugin",
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", PluginWarning)
        names = audio_decoders.names()
    assert "nomimes" not in names
    assert "noopen" not in names
    assert "wav" in names
    errors = " | ".join(f.error for f in get_plugin_manager().failures)
    assert "audio decoder 'nomimes' must have 'mime_types', a collection of str, got 'audio/x'" in errors
    assert "audio decoder 'noopen' must implement open" in errors
    assert len(caught) >= 2


@pytest.mark.parametrize(
    ("mime", "extra"),
    [("audio/mpeg", True), ("audio/ogg", True), ("audio/x-nothing", False)],
)
def test_unsupported_format_names_the_extra(monkeypatch, mime, extra):
    from agentutils_codecs import AvDecoder

    monkeypatch.setattr(AvDecoder, "is_available", lambda self: False)
    from agentutils_core import reset_plugin_manager

    reset_plugin_manager()  # selections are cached per plugin set
    try:
        with pytest.raises(UnsupportedFormatError, match=rf"format '{mime}'") as info:
            AudioStreamDecoder(format=mime)
        assert ("agentutils-codecs[av]" in str(info.value)) == extra
    finally:
        monkeypatch.undo()
        reset_plugin_manager()


async def test_sniffed_format_without_its_decoder_names_the_extra(monkeypatch):
    from agentutils_codecs import AvDecoder
    from agentutils_core import reset_plugin_manager

    monkeypatch.setattr(AvDecoder, "is_available", lambda self: False)
    reset_plugin_manager()
    try:
        decoder = AudioStreamDecoder()
        decoder.push(b"ID3\x04\x00\x00\x00\x00\x00\x00\x00\x00")
        decoder.end_input()
        with pytest.raises(
            UnsupportedFormatError,
            match=r"format 'audio/mpeg' \(sniffed from the first bytes\).*install 'agentutils-codecs\[av\]'",
        ):
            await anext(decoder)
    finally:
        monkeypatch.undo()
        reset_plugin_manager()


def test_pcm_is_chosen_by_mime_only():
    assert select_decoder(media_type=parse_media_type("audio/pcm;rate=8000")).name == "pcm"
    assert select_decoder(media_type=parse_media_type("audio/basic")).name == "g711"
    with pytest.raises(UnsupportedFormatError, match=r"no known format; pass format="):
        select_decoder(head=pcm16([0, 1, 2, 3, 4, 5]))
