"""Media types and format sniffing: what a stream is, from its MIME type or its first bytes."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["SNIFF_SIZE", "MediaType", "parse_media_type", "sniff_format"]

SNIFF_SIZE = 12
"""Bytes :func:`sniff_format` needs to recognise every format it knows (fewer at end of stream)."""

# Aliases providers use, mapped to the one MIME type each format is known by here.
_ALIASES = {
    "audio/mp3": "audio/mpeg",
    "audio/x-mpeg": "audio/mpeg",
    "audio/mpeg3": "audio/mpeg",
    "audio/x-mp3": "audio/mpeg",
    "audio/x-aac": "audio/aac",
    "audio/aacp": "audio/aac",
    "audio/x-flac": "audio/flac",
    "audio/wave": "audio/wav",
    "audio/x-wav": "audio/wav",
    "audio/vnd.wave": "audio/wav",
    "audio/x-pn-wav": "audio/wav",
    "application/ogg": "audio/ogg",
    "audio/x-m4a": "audio/mp4",
    "audio/m4a": "audio/mp4",
    "video/mp4": "audio/mp4",
    "video/webm": "audio/webm",
    "audio/x-mulaw": "audio/pcmu",
    "audio/ulaw": "audio/pcmu",
    "audio/mulaw": "audio/pcmu",
    "audio/x-alaw": "audio/pcma",
    "audio/alaw": "audio/pcma",
    "audio/x-raw": "audio/raw",
}


@dataclass(frozen=True)
class MediaType:
    """A parsed MIME type: its essence (lowercase, aliases resolved) and its parameters.

    Attributes:
        mime: the canonical type, e.g. ``"audio/mpeg"`` for ``"audio/mp3"``.
        params: the parameters, names lowercased (``{"rate": "24000"}``).
        original: the text it was parsed from.

    """

    mime: str
    params: dict[str, str] = field(default_factory=dict)
    original: str = ""

    def __str__(self) -> str:
        return self.original or self.mime

    def int_param(self, name: str, default: int | None) -> int | None:
        """Return the parameter ``name`` as a positive int, or ``default`` when absent.

        Raises:
            ValueError: the parameter is present but not a positive integer.

        """
        text = self.params.get(name)
        if text is None:
            return default
        if not text.isdigit() or int(text) <= 0:
            raise ValueError(f"format {self}: parameter {name} must be a positive integer, got {text!r}")
        return int(text)


def parse_media_type(text: str) -> MediaType:
    """Parse ``"audio/pcm; rate=24000; channels=1"`` into a :class:`MediaType`.

    Raises:
        TypeError: ``text`` is not a ``str``.
        ValueError: ``text`` is not ``type/subtype`` optionally followed by ``;name=value``.

    """
    if not isinstance(text, str):
        raise TypeError(f"format must be a MIME type str such as 'audio/mpeg', got {type(text).__name__}")
    essence, *rest = text.split(";")
    essence = essence.strip().lower()
    kind, slash, sub = essence.partition("/")
    if not slash or not kind or not sub or " " in essence:
        raise ValueError(f"format must be a MIME type such as 'audio/mpeg', got {text!r}")
    params: dict[str, str] = {}
    for item in rest:
        if not item.strip():
            continue
        name, eq, value = item.partition("=")
        if not eq or not name.strip():
            raise ValueError(f"format {text!r}: expected parameters as name=value, got {item.strip()!r}")
        params[name.strip().lower()] = value.strip().strip('"')
    return MediaType(_ALIASES.get(essence, essence), params, text)


def _is_mpeg_audio(head: bytes) -> bool:
    # 11 sync bits, a version other than "reserved" (01), a layer other than "reserved" (00).
    return (
        len(head) >= 2
        and head[0] == 0xFF
        and head[1] & 0xE0 == 0xE0
        and head[1] & 0x18 != 0x08
        and (head[1] & 0x06 != 0)
    )


def _is_adts(head: bytes) -> bool:
    # 12 sync bits, then layer 00 (which MPEG audio never uses).
    return len(head) >= 2 and head[0] == 0xFF and head[1] & 0xF6 == 0xF0


def sniff_format(head: bytes) -> str | None:
    r"""Recognise a stream by its first bytes; return its MIME type, or ``None``.

    Knows RIFF/WAVE (``audio/wav``), ID3 or an MPEG audio frame sync (``audio/mpeg``),
    ``OggS`` (``audio/ogg``), ``fLaC`` (``audio/flac``), EBML (``audio/webm``), ADTS
    (``audio/aac``) and an ISO BMFF ``ftyp`` box (``audio/mp4``). Give it the first
    :data:`SNIFF_SIZE` bytes (or all of a shorter stream). Headerless PCM and G.711 have no
    signature and are never recognised.

    Example:
        >>> sniff_format(b"ID3\x04\x00"), sniff_format(b"OggS\x00\x02")
        ('audio/mpeg', 'audio/ogg')

    """
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "audio/wav"
    if head[:3] == b"ID3":
        return "audio/mpeg"
    if head[:4] == b"OggS":
        return "audio/ogg"
    if head[:4] == b"fLaC":
        return "audio/flac"
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "audio/webm"
    if head[4:8] == b"ftyp":
        return "audio/mp4"
    if _is_adts(head):
        return "audio/aac"
    if _is_mpeg_audio(head):
        return "audio/mpeg"
    return None
