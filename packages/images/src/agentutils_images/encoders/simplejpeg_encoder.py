"""The ``simplejpeg`` encoder: JPEG through libjpeg-turbo (the ``simplejpeg`` extra)."""

from __future__ import annotations

import importlib
import importlib.util
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..raw_image import RawImage

__all__ = ["SimpleJpegEncoder"]


def _simplejpeg() -> Any:
    return importlib.import_module("simplejpeg")  # untyped: imported as a module of Any


class SimpleJpegEncoder:
    """Writes JPEG with simplejpeg; available when simplejpeg is installed.

    4:2:0 frames are written from their planes (brought to JPEG's full range by a table
    lookup) with no RGB conversion at all; packed frames are handed over as they are, in
    their own channel order. Its priority (20) is above ``pillow``'s (10): it is the
    faster JPEG encoder when both are installed.
    """

    name = "simplejpeg"
    priority = 20
    formats = frozenset({"JPEG"})

    def is_available(self) -> bool:
        """Whether simplejpeg is installed."""
        return importlib.util.find_spec("simplejpeg") is not None

    def unavailable_reason(self) -> str:
        """Why the encoder is not available, and the extra that fixes it."""
        return "simplejpeg is not installed: install agentutils-images[simplejpeg]"

    def encode(self, image: RawImage, format: str, quality: int | None) -> bytes:
        """Write ``image`` as JPEG (see :class:`~agentutils_images.ImageEncoder`)."""
        simplejpeg = _simplejpeg()
        q = 75 if quality is None else max(quality, 1)  # libjpeg's scale starts at 1
        if image.planes is not None:
            y, u, v = image.full_range_planes()
            return bytes(simplejpeg.encode_jpeg_yuv_planes(y, u, v, quality=q))
        import numpy as np

        pixels = np.ascontiguousarray(image.pixels)
        return bytes(
            simplejpeg.encode_jpeg(pixels, quality=q, colorspace=image.layout, colorsubsampling="420")
        )

    def __repr__(self) -> str:
        return "SimpleJpegEncoder()"
