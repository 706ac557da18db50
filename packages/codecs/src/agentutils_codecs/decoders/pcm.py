"""The ``pcm`` and ``g711`` decoders: headerless audio whose format is declared by its MIME type.

- ``pcm``: ``audio/pcm;rate=24000;channels=1`` and ``audio/raw`` (signed 16-bit
  little-endian), ``audio/L16;rate=16000`` (signed 16-bit big-endian, as RFC 3551 says).
  ``rate`` is required; ``channels`` defaults to 1.
- ``g711``: ``audio/pcmu`` and ``audio/basic`` (µ-law), ``audio/pcma`` (A-law); 8000 Hz
  and one channel unless ``rate``/``channels`` say otherwise.

Neither is ever chosen by sniffing: headerless audio has no signature.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._pcm import Framer, PcmFormat

if TYPE_CHECKING:
    from ..decoder_registry import DecoderSession, DecodeSink
    from ..formats import MediaType

__all__ = ["G711Decoder", "PcmDecoder"]


class _HeaderlessSession:
    def __init__(self, framer: Framer) -> None:
        self._framer = framer
        self._offset = 0
        self._done = False

    def push(self, data: bytes) -> None:
        if not self._done:
            self._framer.feed(data)
            self._offset += len(data)

    def end_input(self) -> None:
        if self._done:
            return
        self._done = True
        from ..errors import DecodeError

        try:
            self._framer.check_complete(self._offset)
        except DecodeError as exc:
            self._framer.sink.fail(exc)
        else:
            self._framer.sink.finish()

    async def aclose(self) -> None:
        self._done = True


def _channels(media_type: MediaType) -> int:
    channels = media_type.int_param("channels", 1)
    assert channels is not None
    return channels


class _Headerless:
    """What the decoders of headerless formats share: always available, never sniffed."""

    priority = 0

    def is_available(self) -> bool:
        """Always available: pure Python."""
        return True

    def sniff(self, head: bytes) -> bool:
        """Never: a headerless format has no signature; it is declared by MIME type."""
        return False

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class PcmDecoder(_Headerless):
    """The built-in ``pcm`` decoder: headerless 16-bit PCM declared by MIME type."""

    name = "pcm"
    mime_types = frozenset({"audio/pcm", "audio/raw", "audio/l16"})

    def open(self, media_type: MediaType | None, sink: DecodeSink) -> DecoderSession:
        """Start decoding one stream.

        Raises:
            ValueError: no MIME type, no ``rate`` parameter, or a parameter that is not a
                positive integer.

        """
        if media_type is None or media_type.mime not in self.mime_types:
            raise ValueError(
                "the pcm decoder needs format= such as 'audio/pcm;rate=24000;channels=1', "
                f"got {str(media_type) if media_type is not None else None!r}"
            )
        rate = media_type.int_param("rate", None)
        if rate is None:
            raise ValueError(
                f"format {str(media_type)!r}: headerless PCM needs its sample rate, "
                "e.g. 'audio/pcm;rate=24000'"
            )
        encoding = "s16be" if media_type.mime == "audio/l16" else "s16"
        fmt = PcmFormat(encoding, rate, _channels(media_type))
        return _HeaderlessSession(Framer(sink, fmt, self.name, str(media_type)))


class G711Decoder(_Headerless):
    """The built-in ``g711`` decoder: µ-law (``audio/pcmu``, ``audio/basic``) and A-law (``audio/pcma``)."""

    name = "g711"
    mime_types = frozenset({"audio/pcmu", "audio/pcma", "audio/basic"})

    def open(self, media_type: MediaType | None, sink: DecodeSink) -> DecoderSession:
        """Start decoding one stream (8000 Hz mono unless the MIME type says otherwise).

        Raises:
            ValueError: no G.711 MIME type, or a parameter that is not a positive integer.

        """
        if media_type is None or media_type.mime not in self.mime_types:
            raise ValueError(
                "the g711 decoder needs format= 'audio/pcmu', 'audio/pcma' or 'audio/basic', "
                f"got {str(media_type) if media_type is not None else None!r}"
            )
        rate = media_type.int_param("rate", 8000)
        assert rate is not None
        encoding = "alaw" if media_type.mime == "audio/pcma" else "ulaw"
        fmt = PcmFormat(encoding, rate, _channels(media_type))
        return _HeaderlessSession(Framer(sink, fmt, self.name, str(media_type)))
