"""agentutils-codecs: stream-decode provider audio into PCM frames, with pluggable decoders.

``AudioStreamDecoder`` turns the bytes a TTS or telephony provider sends (WAV, raw PCM,
G.711, mp3, opus, aac, flac...) into frames as they arrive, at the rate and channel count
asked for. Decoders are plugins: ``wav``, ``pcm`` and ``g711`` are built in (pure Python),
``av`` (PyAV) comes with the ``av`` extra. Importing this package imports neither PyAV,
numpy nor the plugin machinery: public names are resolved on first use.
"""

from __future__ import annotations

from agentutils_core.lazy import exports

from .__about__ import __version__ as __version__

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs milliseconds
if TYPE_CHECKING:
    from .decoder_registry import (
        DECODER_ENV_VAR as DECODER_ENV_VAR,
        AudioDecoder as AudioDecoder,
        DecoderSession as DecoderSession,
        DecodeSink as DecodeSink,
        audio_decoders as audio_decoders,
        select_decoder as select_decoder,
    )
    from .decoders import (
        AvDecoder as AvDecoder,
        G711Decoder as G711Decoder,
        PcmDecoder as PcmDecoder,
        WavDecoder as WavDecoder,
    )
    from .errors import (
        DecodeError as DecodeError,
        InputClosedError as InputClosedError,
        UnsupportedFormatError as UnsupportedFormatError,
    )
    from .files import audio_frames_from_file as audio_frames_from_file
    from .formats import (
        SNIFF_SIZE as SNIFF_SIZE,
        MediaType as MediaType,
        parse_media_type as parse_media_type,
        sniff_format as sniff_format,
    )
    from .g711 import (
        alaw_decode as alaw_decode,
        alaw_encode as alaw_encode,
        ulaw_decode as ulaw_decode,
        ulaw_encode as ulaw_encode,
    )
    from .stream_buffer import StreamBuffer as StreamBuffer
    from .stream_decoder import AudioStreamDecoder as AudioStreamDecoder

_EXPORTS = {
    "DECODER_ENV_VAR": ".decoder_registry:DECODER_ENV_VAR",
    "AudioDecoder": ".decoder_registry:AudioDecoder",
    "DecoderSession": ".decoder_registry:DecoderSession",
    "DecodeSink": ".decoder_registry:DecodeSink",
    "audio_decoders": ".decoder_registry:audio_decoders",
    "select_decoder": ".decoder_registry:select_decoder",
    "AvDecoder": ".decoders:AvDecoder",
    "G711Decoder": ".decoders:G711Decoder",
    "PcmDecoder": ".decoders:PcmDecoder",
    "WavDecoder": ".decoders:WavDecoder",
    "DecodeError": ".errors:DecodeError",
    "InputClosedError": ".errors:InputClosedError",
    "UnsupportedFormatError": ".errors:UnsupportedFormatError",
    "audio_frames_from_file": ".files:audio_frames_from_file",
    "SNIFF_SIZE": ".formats:SNIFF_SIZE",
    "MediaType": ".formats:MediaType",
    "parse_media_type": ".formats:parse_media_type",
    "sniff_format": ".formats:sniff_format",
    "alaw_decode": ".g711:alaw_decode",
    "alaw_encode": ".g711:alaw_encode",
    "ulaw_decode": ".g711:ulaw_decode",
    "ulaw_encode": ".g711:ulaw_encode",
    "StreamBuffer": ".stream_buffer:StreamBuffer",
    "AudioStreamDecoder": ".stream_decoder:AudioStreamDecoder",
}

__all__ = exports(__name__, globals(), _EXPORTS)
