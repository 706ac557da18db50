"""The ``pillow`` encoder: JPEG, PNG and WEBP through Pillow (the ``pillow`` extra)."""

from __future__ import annotations

import importlib.util
import io
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..raw_image import RawImage

__all__ = ["PillowEncoder"]

# Pillow unpacks each packed layout straight into RGB, dropping alpha, in one copy.
_RAWMODES = {"RGBA": "RGBX", "BGRA": "BGRX", "ARGB": "XRGB", "ABGR": "XBGR", "RGB": "RGB"}


def _ycbcr(image_module: Any, image: RawImage) -> Any:
    """A Pillow ``YCbCr`` image of 4:2:0 planes: what a JPEG stores, so no colour conversion."""
    import numpy as np

    y, u, v = image.full_range_planes()
    w, h = image.width, image.height
    wp, hp = w + w % 2, h + h % 2  # even, so each chroma sample covers a whole 2x2 block
    ycc = np.empty((hp, wp, 3), dtype=np.uint8)
    ycc[:h, :w, 0] = y
    blocks = ycc.reshape(hp // 2, 2, wp // 2, 2, 3)
    blocks[..., 1] = u[:, None, :, None]
    blocks[..., 2] = v[:, None, :, None]
    return image_module.frombuffer("YCbCr", (w, h), ycc, "raw", "YCbCr", wp * 3, 1)


class PillowEncoder:
    """Writes JPEG, PNG and WEBP with Pillow; available when Pillow is installed.

    Packed frames are unpacked to RGB by Pillow in one copy. 4:2:0 frames become a
    ``YCbCr`` image for JPEG (no colour conversion), and RGB (as :func:`~agentutils_images.to_rgb`)
    for the other formats.
    """

    name = "pillow"
    priority = 10
    formats = frozenset({"JPEG", "PNG", "WEBP"})

    def is_available(self) -> bool:
        """Whether Pillow is installed."""
        return importlib.util.find_spec("PIL") is not None

    def unavailable_reason(self) -> str:
        """Why the encoder is not available, and the extra that fixes it."""
        return "Pillow is not installed: install agentutils-images[pillow]"

    def encode(self, image: RawImage, format: str, quality: int | None) -> bytes:
        """Write ``image`` as ``format`` (see :class:`~agentutils_images.ImageEncoder`)."""
        from PIL import Image

        size = (image.width, image.height)
        if image.pixels is not None:
            pil = Image.frombytes("RGB", size, image.pixels, "raw", _RAWMODES[image.layout])
        elif format == "JPEG":
            pil = _ycbcr(Image, image)
        else:
            pil = Image.frombuffer("RGB", size, image.rgb(), "raw", "RGB", 0, 1)
        out = io.BytesIO()
        if quality is not None and format != "PNG":
            pil.save(out, format, quality=quality)
        else:
            pil.save(out, format)
        return out.getvalue()

    def __repr__(self) -> str:
        return "PillowEncoder()"
