"""The audio decoder plugin kind: the ``AudioDecoder`` contract, its hook and its registry.

A decoder turns the bytes of one stream into 16-bit PCM. It declares the MIME types it
handles and a sniffing function on the first bytes, a ``priority`` and whether it is
available. :class:`~agentutils_codecs.AudioStreamDecoder` chooses one by

1. the ``decoder=`` argument (a name, or a decoder object),
2. then the ``AGENTUTILS_AUDIO_DECODER`` environment variable, when that decoder claims
   the stream (it is ignored for a stream it does not claim),
3. then the ``format=`` MIME type, or else the first bytes of the stream, keeping the
   decoders that claim it,
4. then the highest priority among the available ones.

Built-in decoders (``wav``, ``pcm``, ``g711``, ``av``) are registered through this
distribution's ``agentutils`` entry point, as a third party registers its own::

    @hookimpl
    def agentutils_audio_decoders():
        return [MyDecoder()]
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Iterable
from typing import Protocol, runtime_checkable

from agentutils_core import (
    NoProviderError,
    Provider,
    ProviderRegistry,
    ProviderUnavailableError,
    check_provider,
)
from agentutils_core.hookspecs import hookspec

from .errors import UnsupportedFormatError
from .formats import SNIFF_SIZE, MediaType, sniff_format

__all__ = [
    "DECODER_ENV_VAR",
    "AudioDecoder",
    "DecodeSink",
    "DecoderSession",
    "agentutils_audio_decoders",
    "audio_decoders",
    "select_decoder",
]

DECODER_ENV_VAR = "AGENTUTILS_AUDIO_DECODER"
"""Environment variable naming the decoder to use when no ``decoder=`` is passed."""

# Formats a decoder of an optional extra handles, for the message when none is installed.
_EXTRAS = {
    "agentutils-codecs[av]": (
        "audio/mpeg",
        "audio/aac",
        "audio/ogg",
        "audio/opus",
        "audio/vorbis",
        "audio/flac",
        "audio/webm",
        "audio/mp4",
    ),
}


class DecodeSink(Protocol):
    """Where a decoder session delivers what it decodes.

    A session calls these from the thread it decodes in (the event loop for an inline
    decoder, its worker thread for a threaded one), always from one thread at a time.
    """

    @property
    def closed(self) -> bool:
        """Whether the consumer is gone (``aclose()``): a session may stop early."""
        ...

    def emit(self, pcm: bytes | bytearray | memoryview, sample_rate: int, num_channels: int) -> None:
        """Deliver decoded samples: whole interleaved int16 little-endian sample frames."""
        ...

    def fail(self, error: BaseException) -> None:
        """End the stream with ``error`` (a :class:`~agentutils_codecs.DecodeError` for bad data)."""
        ...

    def finish(self) -> None:
        """End the stream normally: everything was decoded."""
        ...


class DecoderSession(Protocol):
    """One stream being decoded, as returned by :meth:`AudioDecoder.open`.

    ``push`` and ``end_input`` are called on the event loop; a session never raises from
    them for bad data, it calls :meth:`DecodeSink.fail`. After ``end_input`` it calls
    :meth:`DecodeSink.finish` or :meth:`DecodeSink.fail` exactly once.
    """

    def push(self, data: bytes) -> None:
        """Feed the next bytes of the stream."""
        ...

    def end_input(self) -> None:
        """No more bytes will come: decode what is left, then finish or fail."""
        ...

    async def aclose(self) -> None:
        """Stop now and release everything (threads included); silent, idempotent."""
        ...


@runtime_checkable
class AudioDecoder(Provider, Protocol):
    """What an audio decoder plugin provides."""

    @property
    def mime_types(self) -> Collection[str]:
        """The MIME types it handles, lowercase, without parameters (``"audio/mpeg"``)."""
        ...

    def sniff(self, head: bytes) -> bool:
        """Whether it recognises a stream starting with ``head`` (up to ``SNIFF_SIZE`` bytes)."""
        ...

    def open(self, media_type: MediaType | None, sink: DecodeSink) -> DecoderSession:
        """Start decoding one stream of ``media_type`` (``None`` when it is not known).

        Raises:
            ValueError: ``media_type`` lacks what the decoder needs (a ``rate``...).

        """
        ...


@hookspec
def agentutils_audio_decoders() -> Iterable[object] | None:
    """Return the audio decoders this plugin provides.

    Called once per process, when the decoder registry is first used. Each item must
    satisfy :class:`AudioDecoder`: a unique ``name``, an integer ``priority``,
    ``mime_types``, ``sniff(head)``, ``is_available()`` and ``open(media_type, sink)``.
    Return an empty iterable, or ``None``, to provide none.
    """


def _check_decoder(item: object) -> AudioDecoder:
    name = check_provider(item, "audio decoder", ("sniff", "open"))
    mimes = getattr(item, "mime_types", None)
    if isinstance(mimes, (str, bytes)) or not isinstance(mimes, Collection):
        raise TypeError(f"audio decoder {name!r} must have 'mime_types', a collection of str, got {mimes!r}")
    if not all(isinstance(m, str) for m in mimes):
        raise TypeError(f"audio decoder {name!r}: every item of 'mime_types' must be a str, got {mimes!r}")
    return item  # type: ignore[return-value]


audio_decoders: ProviderRegistry[AudioDecoder] = ProviderRegistry(
    "agentutils_audio_decoders",
    kind="audio decoder",
    env_var=DECODER_ENV_VAR,
    check=_check_decoder,
)
"""The registry of audio decoders discovered from plugins (``names()``, ``entries()``...)."""


def _claims(decoder: AudioDecoder, media_type: MediaType | None, head: bytes | None) -> bool:
    try:
        if media_type is not None:
            return media_type.mime in decoder.mime_types
        return head is not None and bool(decoder.sniff(head))
    except Exception:  # a broken third-party sniffer claims nothing
        return False


@functools.lru_cache(maxsize=256)
def _named_in(names: frozenset[str]) -> Callable[[AudioDecoder], bool]:
    """The registry filter for "one of these decoders": one function object per set, so cached."""

    def where(decoder: AudioDecoder) -> bool:
        return decoder.name in names

    return where


def _describe(media_type: MediaType | None, head: bytes | None) -> tuple[str, str | None]:
    """What is wanted, for messages, and the MIME type to look up an extra for."""
    if media_type is not None:
        return f"format {str(media_type)!r}", media_type.mime
    sniffed = sniff_format(head or b"")
    if sniffed is not None:
        return f"format {sniffed!r} (sniffed from the first bytes)", sniffed
    return f"a stream starting with {bytes(head or b'')[:SNIFF_SIZE]!r} (no known format; pass format=)", None


def _extra_for(mime: str | None) -> str | None:
    return next((extra for extra, mimes in _EXTRAS.items() if mime in mimes), None)


def select_decoder(
    decoder: str | AudioDecoder | None = None,
    *,
    media_type: MediaType | None = None,
    head: bytes | None = None,
) -> AudioDecoder:
    """Choose the decoder for a stream (see the module docstring for the rule).

    Args:
        decoder: a decoder name, a decoder object, or ``None`` to choose by format.
        media_type: the stream's declared MIME type, if any.
        head: the stream's first bytes (up to ``SNIFF_SIZE``), used when no MIME type.

    Raises:
        UnsupportedFormatError: no installed decoder claims the stream, or none of those
            that do is available; the message names the format and the extra that would
            handle it.
        agentutils_core.UnknownProviderError: a name (argument or environment) that no
            plugin registered.
        agentutils_core.ProviderUnavailableError: the decoder named by ``decoder`` cannot
            run here.
        TypeError: ``decoder`` is neither a name nor a decoder.

    """
    if decoder is not None:  # an explicit choice is obeyed whatever the format
        return audio_decoders.choose(decoder, argument="decoder")
    claimers = frozenset(e.name for e in audio_decoders.entries() if _claims(e.provider, media_type, head))
    wanted, mime = _describe(media_type, head)
    try:
        return audio_decoders.select(where=_named_in(claimers), wanted=wanted).provider
    except (NoProviderError, ProviderUnavailableError) as exc:
        extra = _extra_for(mime)
        hint = f"; install {extra} to decode it" if extra and extra not in str(exc) else ""
        raise UnsupportedFormatError(f"{exc}{hint}") from exc
