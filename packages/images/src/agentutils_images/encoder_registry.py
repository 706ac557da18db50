"""Image encoders: the plugin kind that writes a :class:`RawImage` as JPEG, PNG, WEBP...

This module owns the kind: the :class:`ImageEncoder` protocol, the
``agentutils_image_encoders`` hook specification (named in this distribution's
``agentutils.hookspecs`` entry point, so core adds it before loading any plugin) and the
kind's registry. :func:`get_encoder` picks an encoder for a format by the rule every
kind follows:

1. the encoder named by the caller (``encoder=``; it must write the format);
2. else the one named by ``AGENTUTILS_IMAGE_ENCODER``, when it writes the format (the
   variable is ignored for other formats, so ``simplejpeg`` can serve JPEG while PNG
   still goes to Pillow);
3. else the available encoder of highest ``priority`` among those writing the format.

The built-in ``pillow`` (JPEG, PNG, WEBP) and ``simplejpeg`` (JPEG) encoders are
registered through this distribution's ``agentutils`` entry point, as a third party's
would be.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from agentutils_core import (
    NoProviderError,
    Provider,
    ProviderRegistry,
    check_provider,
    hookspec,
)

from .errors import UnsupportedFormatError

if TYPE_CHECKING:
    from collections.abc import Iterable

    from .raw_image import RawImage

__all__ = [
    "ENCODER_ENV_VAR",
    "ENCODER_HOOK",
    "ImageEncoder",
    "agentutils_image_encoders",
    "check_encoder",
    "get_encoder",
    "image_encoders",
    "normalize_format",
]

ENCODER_HOOK = "agentutils_image_encoders"
"""The hook through which plugins contribute image encoders."""

ENCODER_ENV_VAR = "AGENTUTILS_IMAGE_ENCODER"
"""Environment variable naming the encoder to use for the formats it writes."""

_ALIASES = {"JPG": "JPEG"}


@runtime_checkable
class ImageEncoder(Provider, Protocol):
    """What an image encoder offers: the formats it writes and ``encode``.

    An encoder may also define ``unavailable_reason()``, saying why ``is_available()`` is
    false and which extra to install.
    """

    @property
    def formats(self) -> Collection[str]:
        """The formats written, upper case (``"JPEG"``, ``"PNG"``, ``"WEBP"``)."""
        ...

    def encode(self, image: RawImage, format: str, quality: int | None) -> bytes:
        """Write ``image`` as ``format``, opaque RGB (alpha dropped).

        Args:
            image: the frame, already resized: packed pixels or 4:2:0 planes.
            format: one of :attr:`formats`.
            quality: 0-100 for lossy formats, None for the encoder's default; lossless
                formats ignore it.

        """
        ...


@hookspec
def agentutils_image_encoders() -> Iterable[object] | None:
    """Return the image encoders this plugin provides.

    Called once per process, when the image encoder registry is first used. Each item
    must satisfy :class:`ImageEncoder`: a unique ``name``, an int ``priority``,
    ``is_available()``, the upper-case ``formats`` it writes and ``encode``. Return an
    empty iterable, or ``None``, to provide none.
    """


def check_encoder(item: object) -> ImageEncoder:
    """Check that ``item`` is an :class:`ImageEncoder`; return it.

    Raises:
        TypeError: a missing ``encode``, or ``formats`` that is not a non-empty collection
            of upper-case names; the message names what was found.

    """
    name = check_provider(item, "image encoder", ("encode",))
    formats = getattr(item, "formats", None)
    if (
        isinstance(formats, str)
        or not isinstance(formats, Collection)
        or not formats
        or not all(isinstance(f, str) and f and f == f.upper() for f in formats)
    ):
        raise TypeError(
            f"image encoder {name!r} must have 'formats', a non-empty collection of upper-case "
            f"format names such as {{'JPEG'}}, got {formats!r}"
        )
    return item  # type: ignore[return-value]


image_encoders: ProviderRegistry[ImageEncoder] = ProviderRegistry(
    ENCODER_HOOK,
    kind="image encoder",
    env_var=ENCODER_ENV_VAR,
    check=check_encoder,
)
"""The registry of image encoders discovered from plugins (``names()``, ``select()`` ...).

It names no extra of its own: each built-in encoder's ``unavailable_reason()`` names the
one that installs it, so a message for WEBP names only ``agentutils-images[pillow]``.
"""


def normalize_format(format: object) -> str:
    """Return the upper-case name of ``format`` (``"jpg"`` is ``"JPEG"``).

    Raises:
        TypeError: ``format`` is not a str.

    """
    if not isinstance(format, str):
        raise TypeError(f"image format must be a str such as 'JPEG', got {type(format).__name__}")
    upper = format.upper()
    return _ALIASES.get(upper, upper)


@lru_cache(maxsize=64)
def _writes(format: str) -> Callable[[ImageEncoder], bool]:
    # One function object per format, so the registry caches each format's selection
    # (bounded: a caller looping over made-up format names must not grow it forever).
    def writes(encoder: ImageEncoder) -> bool:
        return format in encoder.formats

    return writes


def _known_formats() -> list[str]:
    known: set[str] = set()
    for entry in image_encoders.entries():
        known.update(entry.provider.formats)
    return sorted(known)


def get_encoder(format: str = "JPEG", encoder: str | ImageEncoder | None = None) -> ImageEncoder:
    """Return the encoder to write ``format``: ``encoder`` itself, the one it names, or the default.

    Discovery happens once; later calls are a cached lookup.

    Raises:
        UnsupportedFormatError: no registered encoder writes ``format``, or the encoder
            asked for does not (the message lists what is written).
        agentutils_core.ProviderUnavailableError: the encoders writing ``format`` cannot
            run here; the message names the extra to install.
        agentutils_core.UnknownProviderError: no encoder has the name given.
        TypeError: ``encoder`` is neither a name, an encoder nor None.

    """
    fmt = normalize_format(format)
    try:
        return image_encoders.choose(encoder, where=_writes(fmt), wanted=f"format {fmt}", argument="encoder")
    except NoProviderError as exc:  # the encoder asked for does not write fmt, or none does
        if encoder is not None:
            named = image_encoders.get(encoder) if isinstance(encoder, str) else encoder
            raise _not_written(named, fmt) from exc
        written = ", ".join(_known_formats()) or "nothing"
        raise UnsupportedFormatError(
            f"unknown image format {format!r}; the registered image encoders write {written}"
        ) from exc


def _not_written(encoder: ImageEncoder, fmt: str) -> UnsupportedFormatError:
    written = ", ".join(sorted(encoder.formats))
    return UnsupportedFormatError(f"image encoder {encoder.name!r} does not write {fmt}; it writes {written}")
