"""``encode``: a video frame to JPEG, PNG or WEBP bytes, as upstream's ``images.encode``.

``encode(frame, EncodeOptions(...))`` validates the frame and the options, picks an
encoder for the format (:func:`~agentutils_images.get_encoder`), resizes the frame in its
own layout (:func:`~agentutils_images.prepare_image`) and hands it to the encoder.
:func:`encode_async` does the same in a worker thread.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from .encoder_registry import get_encoder, normalize_format
from .frame import as_video_frame
from .raw_image import prepare_image
from .resize import ResizeOptions, check_resize_options

if TYPE_CHECKING:
    from .encoder_registry import ImageEncoder

__all__ = ["EncodeOptions", "EncodeOptionsLike", "encode", "encode_async"]


@dataclass
class EncodeOptions:
    """How to encode a frame, as upstream's ``EncodeOptions``.

    Attributes:
        format: ``"JPEG"``, ``"PNG"``, ``"WEBP"`` (with the ``pillow`` encoder) or any
            format a plugin's encoder writes; case-insensitive, ``"JPG"`` is JPEG.
        resize_options: how to resize the frame, or None to keep its size.
        quality: 0-100 for JPEG and WEBP (None: the encoder's default); PNG ignores it.

    Raises:
        TypeError: a field of the wrong type.
        ValueError: quality outside 0-100, or invalid resize options.

    """

    format: str = "JPEG"
    resize_options: ResizeOptions | None = None
    quality: int | None = 75

    def __post_init__(self) -> None:
        _checked(self)


class EncodeOptionsLike(Protocol):
    """What ``encode`` reads from its options: :class:`EncodeOptions` or upstream's."""

    @property
    def format(self) -> str:
        """The image format."""
        ...

    @property
    def resize_options(self) -> Any:
        """A :class:`~agentutils_images.ResizeOptions` (or upstream's), or None."""
        ...

    @property
    def quality(self) -> int | None:
        """0-100, or None for the encoder's default."""
        ...


def _quality(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"quality must be an int from 0 to 100 or None, got {type(value).__name__}")
    if not 0 <= value <= 100:
        raise ValueError(f"quality must be from 0 to 100, got {value}")
    return value


def _checked(options: Any) -> tuple[str, ResizeOptions | None, int | None]:
    """Validate options (ours or upstream's, possibly changed since built)."""
    fmt = normalize_format(getattr(options, "format", None))
    resize = getattr(options, "resize_options", None)
    return (
        fmt,
        None if resize is None else check_resize_options(resize),
        _quality(getattr(options, "quality", None)),
    )


def encode(
    frame: object, options: EncodeOptionsLike | None = None, *, encoder: str | ImageEncoder | None = None
) -> bytes:
    """Encode ``frame`` as ``options`` say (JPEG, quality 75, same size by default).

    Args:
        frame: a :class:`~agentutils_images.VideoFrame` or a ``livekit.rtc.VideoFrame``.
        options: an :class:`EncodeOptions`, or upstream's
            ``livekit.agents.utils.images.EncodeOptions``.
        encoder: the encoder to use (a name or an encoder object); by default the one
            named by ``AGENTUTILS_IMAGE_ENCODER`` if it writes the format, else the
            available one of highest priority writing it.

    Returns:
        The encoded image: opaque RGB (alpha is dropped), of the size the resize
        strategy gives.

    Raises:
        agentutils_images.InvalidFrameError: the frame is invalid (unknown type, short
            data, odd dimensions for a 4:2:0 type).
        agentutils_images.UnsupportedFormatError: no registered encoder writes the
            format, or ``encoder`` does not.
        agentutils_core.ProviderUnavailableError: the encoders writing the format are not
            installed; the message names the extra to install.
        TypeError: ``frame`` is not a frame, or an option has the wrong type.
        ValueError: an option is out of range.

    """
    fmt, resize, quality = _checked(EncodeOptions() if options is None else options)
    source = as_video_frame(frame)
    writer = get_encoder(fmt, encoder)
    return writer.encode(prepare_image(source, resize), fmt, quality)


async def encode_async(
    frame: object, options: EncodeOptionsLike | None = None, *, encoder: str | ImageEncoder | None = None
) -> bytes:
    """:func:`encode` in a worker thread, so that the event loop keeps running meanwhile.

    The frame and the encoder are validated before the thread starts. Do not modify the
    frame's buffer until this returns: the worker reads it.
    """
    fmt, resize, quality = _checked(EncodeOptions() if options is None else options)
    source = as_video_frame(frame)
    writer = get_encoder(fmt, encoder)
    return await asyncio.to_thread(lambda: writer.encode(prepare_image(source, resize), fmt, quality))
