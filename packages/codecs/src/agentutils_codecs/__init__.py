"""agentutils-codecs: stream-decode provider audio into PCM frames, with pluggable decoders.

``AudioStreamDecoder`` turns the bytes a TTS or telephony provider sends (WAV, raw PCM,
G.711, mp3, opus, aac, flac...) into frames as they arrive, at the rate and channel count
asked for. Decoders are plugins: ``wav``, ``pcm`` and ``g711`` are built in (pure Python),
``av`` (PyAV) comes with the ``av`` extra. Importing this package imports neither PyAV
nor numpy.
"""

from __future__ import annotations

from .__about__ import __version__
from .decoder_registry import (
    DECODER_ENV_VAR,
    AudioDecoder,
    DecoderSession,
    DecodeSink,
    audio_decoders,
    select_decoder,
)
from .decoders import AvDecoder, G711Decoder, PcmDecoder, WavDecoder
from .errors import DecodeError, InputClosedError, UnsupportedFormatError
from .files import audio_frames_from_file
from .formats import SNIFF_SIZE, MediaType, parse_media_type, sniff_format
from .g711 import alaw_decode, alaw_encode, ulaw_decode, ulaw_encode
from .stream_buffer import StreamBuffer
from .stream_decoder import AudioStreamDecoder

__all__ = [
    "DECODER_ENV_VAR",
    "SNIFF_SIZE",
    "AudioDecoder",
    "AudioStreamDecoder",
    "AvDecoder",
    "DecodeError",
    "DecodeSink",
    "DecoderSession",
    "G711Decoder",
    "InputClosedError",
    "MediaType",
    "PcmDecoder",
    "StreamBuffer",
    "UnsupportedFormatError",
    "WavDecoder",
    "__version__",
    "alaw_decode",
    "alaw_encode",
    "audio_decoders",
    "audio_frames_from_file",
    "parse_media_type",
    "select_decoder",
    "sniff_format",
    "ulaw_decode",
    "ulaw_encode",
]
